"""Setup shared by the benchmarks (needs Django set up)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def agency_with_units(count: int, *, code: str, name: str) -> tuple[Any, Any, list[Any]]:
    """(the superuser "bench", an agency, `count` divisions under it coded DV0001…), made
    through the organisation services as a user would, audit events included."""
    from thidua.org.models import UnitKind, User
    from thidua.org.services.units import unit_create

    admin = User.objects.create(username="bench", is_superuser=True, is_staff=True)
    founded = dt.date(2004, 1, 1)
    agency = unit_create(
        actor=admin, code=code, name=name, kind=UnitKind.AGENCY, parent=None, valid_from=founded
    )
    units = [
        unit_create(
            actor=admin,
            code=f"DV{n:04d}",
            name=f"Đơn vị {n}",
            kind=UnitKind.DIVISION,
            parent=agency,
            valid_from=founded,
        )
        for n in range(1, count + 1)
    ]
    return admin, agency, units
