"""The read path of initiatives: what the eligibility engine counts, the register page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .models import InitiativeAuthor, Recognition


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
