"""Who may see the signature trust roots."""

from __future__ import annotations

from typing import Any

from thidua.org.models import Role
from thidua.org.permissions import roles_of


def may_see_trust_roots(user: Any) -> bool:
    return bool(roles_of(user) & {Role.ADMIN, Role.SECRETARIAT})
