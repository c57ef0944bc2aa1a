"""Employment: who works in which unit over which period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.lib.dates import format_day, periods_overlap, year_end, year_start

from ..models import (
    Employment,
    Person,
    Unit,
    UnitStatus,
)
from ..permissions import Action, Actor, authorize


def employment_snapshot(employment: Employment) -> dict[str, Any]:
    return {
        "person": employment.person.code,
        "unit": employment.unit.code,
        "position": employment.position,
        "is_head": employment.is_head,
        "valid_from": employment.valid_from,
        "valid_to": employment.valid_to,
    }


def employment_validate(
    *,
    person: Person,
    unit: Unit,
    valid_from: dt.date,
    valid_to: dt.date | None,
    exclude_pk: int | None = None,
) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    if unit.status != UnitStatus.ACTIVE:
        closed = unit.versions.filter(valid_to__isnull=True).first()
        # An open-ended period runs past the closing day too.
        if closed and (valid_to is None or valid_to >= closed.valid_from):
            raise ValidationError(
                {
                    "unit": _("“%(unit)s” is closed from %(date)s.")
                    % {"unit": unit, "date": format_day(closed.valid_from)}
                }
            )
    overlapping = Employment.objects.filter(person=person, unit=unit)
    if exclude_pk:
        overlapping = overlapping.exclude(pk=exclude_pk)
    for other in overlapping:
        if periods_overlap(valid_from, valid_to, other.valid_from, other.valid_to):
            raise ValidationError(
                {
                    "valid_from": _("%(person)s already works in this unit from %(date)s.")
                    % {"person": person, "date": format_day(other.valid_from)}
                }
            )


@transaction.atomic
def employment_add(
    *,
    actor: Actor,
    person: Person,
    unit: Unit,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    position: str = "",
    is_head: bool = False,
) -> Employment:
    authorize(actor, Action.PERSON_MANAGE, unit)
    employment_validate(person=person, unit=unit, valid_from=valid_from, valid_to=valid_to)
    employment = Employment.objects.create(
        person=person,
        unit=unit,
        position=position.strip(),
        is_head=is_head,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    record(
        actor=actor,
        action=AuditAction.EMPLOYMENT_ADDED,
        obj=employment,
        after=employment_snapshot(employment),
    )
    return employment


@transaction.atomic
def employment_end(*, actor: Actor, employment: Employment, on: dt.date) -> Employment:
    authorize(actor, Action.PERSON_MANAGE, employment.unit)
    if on < employment.valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    before = employment_snapshot(employment)
    employment.valid_to = on
    employment.save(update_fields=["valid_to"])
    record(
        actor=actor,
        action=AuditAction.EMPLOYMENT_ENDED,
        obj=employment,
        before=before,
        after=employment_snapshot(employment),
    )
    return employment


def employment_units_in_year(person: Person, year: int) -> list[Unit]:
    return [
        e.unit
        for e in person.employments.select_related("unit")
        if periods_overlap(e.valid_from, e.valid_to, year_start(year), year_end(year))
    ]
