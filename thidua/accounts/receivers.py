from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from . import second_factor, services
from .middleware import mark_active


@receiver(user_locked_out, dispatch_uid="thidua.accounts.locked")
def audit_lockout(
    sender: Any, request: HttpRequest, username: str, ip_address: str | None, **kwargs: Any
) -> None:
    # Axes signals every refused attempt of a locked client; the log keeps the moment the
    # lock closed, not each knock on it.
    failures = getattr(request, "axes_failures_since_start", None)
    if failures != settings.AXES_FAILURE_LIMIT:
        return
    services.account_lockout_record(
        username=username or "", ip_address=ip_address, failures=failures
    )


@receiver(user_logged_in, dispatch_uid="thidua.accounts.logged_in")
def start_idle_clock(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        mark_active(request.session)
        second_factor.mark_login(request, user)
