"""Disciplinary measures recorded against a person in a unit."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.lib.dates import format_day, periods_overlap

from ..models import (
    DISCIPLINE_SEVERITY,
    DisciplineRecord,
    Person,
    Unit,
)
from ..permissions import Action, Actor, authorize


@transaction.atomic
def discipline_record_add(
    *,
    actor: Actor,
    person: Person,
    unit: Unit,
    level: str,
    decided_on: dt.date,
    decision_number: str = "",
    reason: str = "",
) -> DisciplineRecord:
    authorize(actor, Action.DISCIPLINE_MANAGE, unit)
    if level not in DISCIPLINE_SEVERITY:
        raise ValidationError(
            {"level": _("Unknown disciplinary measure “%(value)s”.") % {"value": level}}
        )
    worked_there = any(
        periods_overlap(e.valid_from, e.valid_to, decided_on, decided_on)
        for e in person.employments.filter(unit=unit)
    )
    if not worked_there:
        raise ValidationError(
            {
                "decided_on": _("%(person)s did not work in “%(unit)s” on %(date)s.")
                % {"person": person, "unit": unit, "date": format_day(decided_on)}
            }
        )
    duplicate = DisciplineRecord.objects.filter(
        person=person, level=level, decided_on=decided_on, decision_number=decision_number.strip()
    ).first()
    if duplicate:
        return duplicate
    obj = DisciplineRecord.objects.create(
        person=person,
        unit=unit,
        level=level,
        severity=DISCIPLINE_SEVERITY[level],
        decided_on=decided_on,
        decision_number=decision_number.strip(),
        reason=reason.strip(),
    )
    record(
        actor=actor,
        action=AuditAction.DISCIPLINE_ADDED,
        obj=obj,
        after={
            "person": person.code,
            "unit": unit.code,
            "level": level,
            "decided_on": decided_on,
            "decision_number": obj.decision_number,
        },
    )
    return obj
