"""Writes about accounts: lockouts and their lifting, passwords, second factors. Each one is
a transaction that ends in the audit log."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from thidua.audit.services import record
from thidua.org.models import User

from .permissions import is_administrator


def _subject(username: str, ip_address: str | None) -> Model | None:
    """The account a lockout is about, or the attempt row when no such account exists."""
    user = User.objects.filter(username=username).first() if username else None
    if user is not None:
        return user
    attempts = AccessAttempt.objects.filter(ip_address=ip_address)
    return attempts.filter(username=username).first() or attempts.first()


def account_lockout_record(*, username: str, ip_address: str | None, failures: int) -> None:
    with transaction.atomic():
        subject = _subject(username, ip_address)
        if subject is None:
            return
        record(
            actor=None,
            action="account.locked",
            obj=subject,
            extra={"username": username, "ip_address": ip_address, "failures": failures},
        )


def account_unlock(*, actor: Any, username: str = "", ip_address: str = "") -> int:
    """Lifts the lockout of an account or of an address; returns the attempts cleared."""
    if not is_administrator(actor):
        raise PermissionDenied(_("Only an administrator can lift a lockout."))
    with transaction.atomic():
        subject = _subject(username, ip_address or None)
        cleared = axes_reset(username=username) if username else axes_reset(ip=ip_address)
        if cleared and subject is not None:
            record(
                actor=actor,
                action="account.unlocked",
                obj=subject,
                extra={"username": username, "ip_address": ip_address, "cleared": cleared},
            )
        return cleared


def password_set(*, user: User, password: str, how: str) -> User:
    """`how` is "change" (by the person, signed in) or "reset" (through the e-mailed link).

    A reset proves the person holds the account's mailbox, so it also lifts the account's
    lockout."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        extra: dict[str, Any] = {}
        if how == "reset":
            extra["lockout_cleared"] = axes_reset(username=user.get_username())
        record(actor=user, action=f"account.password_{how}", obj=user, extra=extra)
        return user
