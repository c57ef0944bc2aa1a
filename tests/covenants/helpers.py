"""Helpers for the covenant tests: the demo's blocks and a head (with a login) per member."""

from __future__ import annotations

import datetime as dt

from thidua.campaigns.models import BlockCycle
from thidua.covenants.models import Covenant
from thidua.org.models import BlockTerm, Role, RoleAssignment, User

PASSWORD = "ký-giao-ước-2021"


def cycle(block: str) -> BlockCycle:
    return BlockCycle.objects.select_related("term").get(
        term__block__code=block, campaign__year=2021
    )


def term(block: str) -> BlockTerm:
    return BlockTerm.objects.get(block__code=block, year=2021)


def heads(block: str, password: str) -> dict[str, User]:
    """The head of every member unit of the block, by unit code. The demo has logins for
    three of them; the others get one here, all with the same password."""
    found: dict[str, User] = {}
    for membership in term(block).memberships.select_related("unit"):
        unit = membership.unit
        assignment = (
            RoleAssignment.objects.filter(unit=unit, role=Role.UNIT_HEAD)
            .select_related("user")
            .first()
        )
        user = assignment.user if assignment else User(username=f"head-{unit.code.lower()}")
        user.set_password(password)
        user.save()
        if assignment is None:
            RoleAssignment.objects.create(
                user=user, role=Role.UNIT_HEAD, unit=unit, valid_from=dt.date(2020, 1, 1)
            )
        found[unit.code] = user
    return found


def fresh(covenant: Covenant) -> Covenant:
    return Covenant.objects.get(pk=covenant.pk)
