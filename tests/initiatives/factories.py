"""Small factories for initiatives, on the org factories: an agency other than the demo's.

`make_initiative` registers an initiative with its authors; `make_recognition` records the
decision recognising it at a scope. Every argument is a keyword with a default.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from decimal import Decimal

from tests.org.factories import make_person, make_unit
from thidua.initiatives.models import (
    Initiative,
    InitiativeAuthor,
    InitiativeScope,
    InitiativeStatus,
    Recognition,
    SolutionKind,
)
from thidua.lib.text import fold
from thidua.org.models import Person, Unit

YEAR = 2024
_serial = itertools.count(1)


def make_initiative(
    *,
    unit: Unit | None = None,
    authors: Sequence[tuple[Person, Decimal | int]] | None = None,
    year: int = YEAR,
    title: str | None = None,
    unit_is_author: bool = False,
    requested_scope: str = InitiativeScope.CO_SO,
) -> Initiative:
    """An initiative of `unit` (a division of a new agency when none is given) by `authors`
    (one new person with 100 % when none are given). Written directly: the rows a reading
    test needs, without the registration's checks."""
    unit = unit or make_unit(parent=make_unit(name="Sở Khoa học và Công nghệ Hậu Giang"))
    agency = unit
    while agency.parent_id is not None and agency.kind != "agency":
        agency = agency.parent  # type: ignore[assignment]
    if authors is None:
        authors = [(make_person(unit=unit, full_name="Trần Thị Bích"), 100)]
    title = title or f"Sáng kiến số {next(_serial)} về số hoá hồ sơ"
    initiative = Initiative.objects.create(
        agency=agency,
        unit=unit,
        year=year,
        title=title,
        solution_kind=SolutionKind.MANAGEMENT,
        field="Hành chính",
        improves="Rút ngắn thời gian xử lý hồ sơ.",
        applied_at=unit.name,
        effect="Giảm một nửa thời gian xử lý.",
        unit_is_author=unit_is_author,
        requested_scope=requested_scope,
        search_text=fold(title),
    )
    for order, (person, share) in enumerate(authors):
        InitiativeAuthor.objects.create(
            initiative=initiative,
            person=person,
            share=Decimal(share),
            name_then=person.full_name,
            unit_name_then=unit.name,
            order=order,
        )
    return initiative


def make_recognition(
    *,
    initiative: Initiative | None = None,
    scope: str = InitiativeScope.CO_SO,
    recognised_on: dt.date = dt.date(YEAR, 11, 20),
    effect_from: dt.date | None = None,
    effect_until: dt.date | None = None,
    annulled: bool = False,
) -> Recognition:
    """A decision recognising `initiative` (a new one when none is given) at `scope`."""
    initiative = initiative or make_initiative()
    recognition = Recognition.objects.create(
        initiative=initiative,
        scope=scope,
        symbol=f"{next(_serial)}/QĐ-SKHCN",
        issuer_name=initiative.agency.name,
        recognised_on=recognised_on,
        effect_from=effect_from or recognised_on,
        effect_until=effect_until,
        annulled=annulled,
    )
    Initiative.objects.filter(pk=initiative.pk).update(status=InitiativeStatus.RECOGNISED)
    return recognition
