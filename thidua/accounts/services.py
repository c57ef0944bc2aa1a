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
from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.org.models import User

from .permissions import is_administrator, may_use_second_factor


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
            action=AuditAction.ACCOUNT_LOCKED,
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
                action=AuditAction.ACCOUNT_UNLOCKED,
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
        record(
            actor=user,
            action=AuditAction(f"accounts.account.password_{how}"),
            obj=user,
            extra=extra,
        )
        return user


def second_factor_start(*, user: User) -> TOTPDevice:
    """The device being enrolled: made once, shown as a QR code until confirmed."""
    if not may_use_second_factor(user):
        raise PermissionDenied(_("The second factor is for administrators and the secretariat."))
    with transaction.atomic():
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": "TOTP"}
        )
        return device


def second_factor_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """The first code from the app proves the enrolment; the device is then required."""
    with transaction.atomic():
        if device.user_id != user.pk or not device.verify_token(token):
            return False
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record(actor=user, action=AuditAction.ACCOUNT_SECOND_FACTOR_ENROLLED, obj=user)
        return True


def second_factor_check(*, user: User, token: str) -> TOTPDevice | None:
    """The code asked at login; a wrong one is audited (the device slows guessing down)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            return None
        if device.verify_token(token):
            return device
        record(actor=user, action=AuditAction.ACCOUNT_SECOND_FACTOR_FAILED, obj=user)
    return None


def second_factor_reset(*, actor: Any, user: User) -> int:
    """An administrator removes someone's device (a lost phone); they log in with their
    password alone and may enrol again."""
    if not is_administrator(actor):
        raise PermissionDenied(_("Only an administrator can reset a second factor."))
    with transaction.atomic():
        removed, _counts = TOTPDevice.objects.filter(user=user).delete()
        if removed:
            record(actor=actor, action=AuditAction.ACCOUNT_SECOND_FACTOR_RESET, obj=user)
        return removed
