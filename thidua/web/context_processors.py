from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from thidua.lib.dates import today
from thidua.org.models import Role
from thidua.org.permissions import roles_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    roles = roles_of(user) if user is not None and user.is_authenticated else set()
    return {
        "nav_can_import": bool(roles & {Role.ADMIN, Role.SECRETARIAT}),
        "today": today(),
        "today_pinned": bool(getattr(settings, "THIDUA_TODAY", None)),
    }
