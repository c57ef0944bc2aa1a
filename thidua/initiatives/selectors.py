"""The read path of initiatives: what the eligibility engine counts, the register page, one
initiative's page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from thidua.lib.text import fold
from thidua.org.models import Person, Unit, UnitStatus
from thidua.org.permissions import scope_q

from .models import Initiative, InitiativeAuthor, InitiativeScope, Recognition
from .permissions import MEMBERS, may_see, visible_q


@dataclass(frozen=True)
class RecognisedInitiative:
    """One recipient's share of one recognition: a row per author person, and a row for the
    unit when the unit itself is a collective author."""

    person_id: int | None
    unit_id: int | None
    scope: str
    recognised_on: dt.date
    effect_from: dt.date
    effect_until: dt.date | None
    initiative_id: int


def initiatives_recognised(
    *, person_ids: Iterable[int], unit_ids: Iterable[int], until: dt.date
) -> list[RecognisedInitiative]:
    """Recognitions in force decided on or before `until` whose authors include one of
    `person_ids`, or whose collective author is one of `unit_ids`. Two queries whatever the
    number of people; ordered by recognition date, then initiative."""
    people = set(person_ids)
    units = set(unit_ids)
    if not people and not units:
        return []
    in_force = Recognition.objects.filter(annulled=False, recognised_on__lte=until)
    rows: list[RecognisedInitiative] = []
    if people:
        authors = InitiativeAuthor.objects.filter(
            person_id__in=people, initiative__recognitions__in=in_force
        ).values_list(
            "person_id",
            "initiative__recognitions__scope",
            "initiative__recognitions__recognised_on",
            "initiative__recognitions__effect_from",
            "initiative__recognitions__effect_until",
            "initiative_id",
        )
        rows += [RecognisedInitiative(p, None, s, r, f, u, i) for p, s, r, f, u, i in authors]
    if units:
        collective = in_force.filter(
            initiative__unit_is_author=True, initiative__unit_id__in=units
        ).values_list(
            "initiative__unit_id",
            "scope",
            "recognised_on",
            "effect_from",
            "effect_until",
            "initiative_id",
        )
        rows += [RecognisedInitiative(None, n, s, r, f, u, i) for n, s, r, f, u, i in collective]
    rows.sort(key=lambda row: (row.recognised_on, row.initiative_id, row.scope))
    return rows


# The register page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterCriteria:
    text: str = ""  # title, field or an author's name, diacritics and case aside
    unit: Unit | None = None  # the unit or any of its sub-units
    year: int | None = None
    scope: str = ""  # recognised at this scope or wider
    person: Person | None = None


def register(criteria: RegisterCriteria, *, user: Any) -> QuerySet[Initiative]:
    """The initiatives `user` may see matching `criteria`, newest year first, with what
    the rows show prefetched (authors, recognitions in force)."""
    rows = Initiative.objects.filter(visible_q(user))
    for word in fold(criteria.text).split():
        rows = rows.filter(search_text__contains=word)
    if criteria.unit is not None:
        rows = rows.filter(unit__path__startswith=criteria.unit.path)
    if criteria.year is not None:
        rows = rows.filter(year=criteria.year)
    if criteria.scope in InitiativeScope.values:
        wider = InitiativeScope.values[InitiativeScope.rank(criteria.scope) :]
        rows = rows.filter(recognitions__annulled=False, recognitions__scope__in=wider)
    if criteria.person is not None:
        rows = rows.filter(authors__person=criteria.person)
    return (
        rows.distinct()
        .select_related("unit")
        .prefetch_related(
            "authors",
            Prefetch("recognitions", queryset=Recognition.objects.filter(annulled=False)),
        )
        .order_by("-year", "unit__path", "title")
    )


def register_years(user: Any) -> list[int]:
    years = Initiative.objects.filter(visible_q(user)).values_list("year", flat=True)
    return sorted(set(years), reverse=True)


def initiative_detail(pk: int, *, user: Any) -> Initiative:
    """One initiative with its authors, files, reviews and decisions; DoesNotExist when
    `user` may not see it."""
    initiative = Initiative.objects.select_related(
        "agency", "unit", "request_document", "created_by"
    ).get(pk=pk)
    if not may_see(user, initiative):
        raise Initiative.DoesNotExist
    return initiative


def registrable_units(user: Any) -> QuerySet[Unit]:
    """The active units `user` may register an initiative for."""
    return Unit.objects.filter(scope_q(user, MEMBERS), status=UnitStatus.ACTIVE).order_by("path")
