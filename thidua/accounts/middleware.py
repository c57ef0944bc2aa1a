from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import defaults

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


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY on every response (Django has no setting for it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response


class RateLimitMiddleware:
    """At most N requests per client address and window on the paths of RATE_LIMITS.

    A fixed window counted in Django's cache: one add() or incr() per request, nothing else.
    The client's address is found as the login lockout finds it, so both agree on who the
    client is."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for prefix, (limit, window) in getattr(settings, "RATE_LIMITS", {}).items():
            if request.path.startswith(prefix) and _over_limit(request, prefix, limit, window):
                response = render(request, "accounts/rate_limited.html", status=429)
                response["Retry-After"] = str(window)
                return response
        return self.get_response(request)


def _over_limit(request: HttpRequest, prefix: str, limit: int, window: int) -> bool:
    address = client_address(request)
    key = f"ratelimit:{prefix}:{address}:{int(time.time()) // window}"
    if cache.add(key, 1, timeout=window):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add() and incr()
        return False


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies of ours the
    address the outermost of them saw (they each append one to X-Forwarded-For, so what the
    client wrote there itself is ignored). A request with no address at all (a test
    client, a management command) gives "", which django-axes stores as NULL: PostgreSQL's
    inet column refuses any placeholder word."""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= count:
            return hops[-count]
    return str(request.META.get("REMOTE_ADDR") or "")


# Both of Django's technical error pages (HTML and plain text) say why they are shown.
TECHNICAL_PAGE_MARK = b"DEBUG = True"


class LoopbackDebugMiddleware:
    """With DEBUG on (the demo), Django's technical error pages, which list every route, the
    settings and the code, go only to a browser on this machine; a browser on another machine
    gets the same friendly page as in production."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code >= 400
            and not getattr(response, "streaming", False)
            and TECHNICAL_PAGE_MARK in response.content
            and not _from_loopback(request)
        ):
            return _friendly_error(request, response.status_code)
        return response


def _from_loopback(request: HttpRequest) -> bool:
    # REMOTE_ADDR only: a header such as X-Forwarded-For is the client's to write.
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def _friendly_error(request: HttpRequest, status: int) -> HttpResponse:
    if status == 400:
        return defaults.bad_request(request, SuspiciousOperation())
    if status == 403:
        return defaults.permission_denied(request, PermissionDenied())
    if status == 404:
        return defaults.page_not_found(request, Http404())
    return defaults.server_error(request)
