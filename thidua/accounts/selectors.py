from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, Sum
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice


@dataclass(frozen=True)
class Lockout:
    kind: str  # "username" or "ip_address"
    value: str
    failures: int
    last_attempt: object


def current_lockouts() -> list[Lockout]:
    """Accounts and addresses whose failures reached the limit and whose lock still holds."""
    attempts = AccessAttempt.objects.all()
    cool_off = get_cool_off()
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    found: list[Lockout] = []
    for kind in ("username", "ip_address"):
        rows = (
            attempts.exclude(**{f"{kind}__isnull": True})
            .values(kind)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
            .order_by("-last")
        )
        found += [Lockout(kind, row[kind], row["failures"], row["last"]) for row in rows]
    return found


def second_factor_users() -> list[Any]:
    """People whose login asks a code from their phone."""
    confirmed = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    return list(get_user_model().objects.filter(pk__in=confirmed).order_by("username"))
