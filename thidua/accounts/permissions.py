from __future__ import annotations

from typing import Any

from thidua.org.models import Role
from thidua.org.permissions import roles_of


def is_administrator(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and Role.ADMIN in roles_of(user)


def may_use_second_factor(user: Any) -> bool:
    """The second factor is offered to administrators and the secretariat."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or roles_of(user) & {Role.ADMIN, Role.SECRETARIAT})
