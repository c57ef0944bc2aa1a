"""Personal API tokens: created and revoked by their owner, revoked by an administrator.
The secret leaves the system once, in the return value of `api_token_create`."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record

from .models import ApiToken
from .permissions import may_hold_tokens, may_revoke
from .scopes import Access, Area

TOKEN_START = "thd_"


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _new_secret() -> tuple[str, str]:
    prefix = secrets.token_hex(5)
    return prefix, f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"


def _validate(*, name: str, access: str, areas: list[str], expires_on: dt.date) -> None:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Give the token a name that says which program uses it.")
    if access not in Access.values:
        errors["access"] = _("Choose read, or read and write.")
    unknown = [area for area in areas if area not in Area.values]
    if unknown:
        errors["areas"] = _("Unknown area: %(areas)s.") % {"areas": ", ".join(unknown)}
    today = timezone.localdate()
    longest = today + dt.timedelta(days=settings.API_TOKEN_MAX_DAYS)
    if expires_on <= today:
        errors["expires_on"] = _("The token must stay valid after today.")
    elif expires_on > longest:
        errors["expires_on"] = _("A token is valid at most until %(day)s.") % {
            "day": longest.strftime("%d/%m/%Y")
        }
    if errors:
        raise ValidationError(errors)


def api_token_create(
    *, actor: Any, name: str, access: str, areas: list[str], expires_on: dt.date
) -> tuple[ApiToken, str]:
    """Returns the token and its secret, which is not kept and cannot be shown again."""
    if not may_hold_tokens(actor):
        raise PermissionDenied(_("Sign in to create an API token."))
    areas = sorted(set(areas))
    _validate(name=name, access=access, areas=areas, expires_on=expires_on)
    with transaction.atomic():
        for _attempt in range(5):
            prefix, raw = _new_secret()
            try:
                with transaction.atomic():
                    token = ApiToken.objects.create(
                        owner=actor,
                        name=name.strip(),
                        prefix=prefix,
                        digest=digest_of(raw),
                        access=access,
                        areas=areas,
                        expires_on=expires_on,
                    )
                break
            except IntegrityError:  # the same random prefix twice: draw again
                continue
        else:  # pragma: no cover - 40 random bits colliding five times
            raise RuntimeError("no free token prefix")
        record(
            actor=actor,
            action=AuditAction.API_TOKEN_CREATED,
            obj=token,
            after={
                "prefix": token.display_prefix,
                "scopes": token.scopes,
                "expires_on": token.expires_on,
            },
        )
    return token, raw


def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoking twice changes nothing the second time."""
    if not may_revoke(actor, token):
        raise PermissionDenied(_("Only the token's owner or an administrator can revoke it."))
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        record(
            actor=actor,
            action=AuditAction.API_TOKEN_REVOKED,
            obj=token,
            extra={"prefix": token.display_prefix, "owner": token.owner.get_username()},
        )
    return token
