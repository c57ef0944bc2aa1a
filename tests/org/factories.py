"""Small factories for the organisation: the few rows a test needs, without the demo year.

Rows are made through the services, so each has the history and audit events it would have in
real use. Every argument is a keyword with a default; codes and user names are unique per call.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable

from thidua.org.models import Block, BlockTerm, Person, Unit, UnitKind, User
from thidua.org.services.blocks import block_create, block_term_save
from thidua.org.services.employment import employment_add
from thidua.org.services.people import person_save
from thidua.org.services.roles import role_assign
from thidua.org.services.units import unit_create

START = dt.date(2021, 1, 1)
_serial = itertools.count(1)


def _next(prefix: str) -> str:
    return f"{prefix}-{next(_serial)}"


def make_admin(*, username: str = "factory-admin", full_name: str = "") -> User:
    """A system administrator: the default actor of the other factories."""
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={"is_superuser": True, "is_staff": True, "full_name": full_name},
    )
    return user


def make_unit(
    *,
    code: str | None = None,
    name: str | None = None,
    kind: str | None = None,
    parent: Unit | None = None,
    valid_from: dt.date = START,
    short_name: str = "",
    actor: User | None = None,
) -> Unit:
    """A unit under `parent`, or a top-level agency when there is none."""
    code = code or _next("U")
    return unit_create(
        actor=actor or make_admin(),
        code=code,
        name=name or f"Đơn vị {code}",
        kind=kind or (UnitKind.DIVISION if parent else UnitKind.AGENCY),
        parent=parent,
        valid_from=valid_from,
        short_name=short_name,
    )


def make_person(
    *,
    unit: Unit | None = None,
    code: str | None = None,
    full_name: str = "Nguyễn Văn An",
    valid_from: dt.date = START,
    is_head: bool = False,
    actor: User | None = None,
) -> Person:
    """A person employed in `unit` (a new unit when none is given) from `valid_from`."""
    actor = actor or make_admin()
    unit = unit or make_unit(parent=make_unit())
    person = person_save(actor=actor, unit=unit, code=code or _next("NV"), full_name=full_name)
    employment_add(actor=actor, person=person, unit=unit, valid_from=valid_from, is_head=is_head)
    return person


def make_user(
    *,
    username: str | None = None,
    role: str | None = None,
    unit: Unit | None = None,
    include_descendants: bool = False,
    valid_from: dt.date = START,
    person: Person | None = None,
) -> User:
    """A user, holding `role` on `unit` when both are given."""
    user = User.objects.create_user(username=username or _next("user"), person=person)
    if role is not None:
        role_assign(
            actor=make_admin(),
            user=user,
            role=role,
            unit=unit or make_unit(),
            valid_from=valid_from,
            include_descendants=include_descendants,
        )
    return user


def make_block(
    *, agency: Unit | None = None, code: str | None = None, name: str | None = None
) -> Block:
    code = code or _next("K")
    return block_create(
        actor=make_admin(),
        agency=agency or make_unit(),
        code=code,
        name=name or f"Khối {code}",
        kind=Block.Kind.KHOI,
    )


def make_block_term(
    *,
    block: Block | None = None,
    year: int = START.year,
    members: Iterable[Unit] | None = None,
    leader: Unit | None = None,
    deputy: Unit | None = None,
) -> BlockTerm:
    """A block's term for `year`; by default three new units, the first of them leading."""
    block = block or make_block()
    units = list(members) if members is not None else []
    if not units:
        units = [make_unit(parent=block.agency) for _ in range(3)]
    return block_term_save(
        actor=make_admin(),
        block=block,
        year=year,
        leader=leader or units[0],
        deputy=deputy,
        members=units,
    )
