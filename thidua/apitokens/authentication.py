"""Finding the token a program presents. No audit row: a program reads often, and the
owner is attributed on every write it makes (see thidua/api/auth.py)."""

from __future__ import annotations

import datetime as dt
import hmac

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken
from .services import TOKEN_START, digest_of

# last_used_at is written at most once a minute per token, so most calls write nothing.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


class TokenRefused(Exception):
    """The presented token is unknown, revoked or expired; the message says which."""


def token_for(raw: str) -> ApiToken:
    raw = raw.strip()
    prefix = raw[len(TOKEN_START) :].split("_", 1)[0] if raw.startswith(TOKEN_START) else ""
    token = (
        ApiToken.objects.select_related("owner").filter(prefix=prefix).first() if prefix else None
    )
    if token is None or not hmac.compare_digest(token.digest, digest_of(raw)):
        raise TokenRefused(_("This API token is not known."))
    if token.revoked_at is not None:
        raise TokenRefused(_("This API token was revoked."))
    if token.is_expired():
        raise TokenRefused(
            _("This API token expired on %(day)s.") % {"day": token.expires_on.strftime("%d/%m/%Y")}
        )
    if not token.owner.is_active:
        raise TokenRefused(_("The account that owns this API token is disabled."))
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
