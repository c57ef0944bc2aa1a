from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

ACTIVE_KEY = "_thidua_active_at"
# The idle clock is pushed back at most once a minute, so most requests write nothing.
REFRESH_SECONDS = 60


def mark_active(session: Any) -> None:
    # Changing the session makes SessionMiddleware save it with a new expiry of
    # SESSION_COOKIE_AGE (the idle timeout) from now, in the database and in the cookie.
    session[ACTIVE_KEY] = int(time.time())


class IdleSessionMiddleware:
    """Sliding expiry: a signed-in session lives SESSION_IDLE_MINUTES after its last use."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            last = request.session.get(ACTIVE_KEY, 0)
            if time.time() - last >= REFRESH_SECONDS:
                mark_active(request.session)
        return self.get_response(request)
