from __future__ import annotations

from typing import Any

from thidua.org.models import Role
from thidua.org.permissions import roles_of

from .models import ApiToken


def may_hold_tokens(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def may_manage_every_token(user: Any) -> bool:
    """Administrators list and revoke everyone's tokens."""
    return bool(getattr(user, "is_authenticated", False)) and Role.ADMIN in roles_of(user)


def may_revoke(user: Any, token: ApiToken) -> bool:
    return may_hold_tokens(user) and (token.owner_id == user.pk or may_manage_every_token(user))


def token_allows(token: ApiToken, *, write: bool, area: str | None) -> bool:
    """A read-only token reads; a token limited to some areas reaches only those. An
    endpoint that names no area needs a token for every area."""
    if write and token.access != "write":
        return False
    if token.areas:
        return area is not None and area in token.areas
    return True
