"""People: create or update, archive, delete."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.lib.text import fold

from ..models import (
    Person,
    Unit,
)
from ..permissions import Action, Actor, authorize
from ..selectors import person_scope_unit


def person_snapshot(person: Person) -> dict[str, Any]:
    return {
        "code": person.code,
        "full_name": person.full_name,
        "birth_date": person.birth_date,
        "email": person.email,
        "is_archived": person.is_archived,
    }


@transaction.atomic
def person_save(
    *,
    actor: Actor,
    unit: Unit,
    code: str,
    full_name: str,
    birth_date: dt.date | None = None,
    email: str = "",
    person: Person | None = None,
    is_illustrative: bool = False,
) -> Person:
    """Create a person (authorised on the unit they will join) or update one."""
    authorize(actor, Action.PERSON_MANAGE, unit)
    current_unit = person_scope_unit(person) if person is not None else None
    if current_unit is not None:
        # An edit also needs rights where the person works, not only on the unit named.
        authorize(actor, Action.PERSON_MANAGE, current_unit)
    code = code.strip()
    if not code:
        raise ValidationError({"code": _("The staff code is required.")})
    if not full_name.strip():
        raise ValidationError({"full_name": _("The full name is required.")})
    clash = Person.objects.filter(code=code)
    if person is not None:
        clash = clash.exclude(pk=person.pk)
    if clash.exists():
        raise ValidationError(
            {"code": _("The staff code “%(code)s” is already used.") % {"code": code}}
        )
    before = person_snapshot(person) if person else None
    if person is None:
        person = Person(is_illustrative=is_illustrative)
    person.code = code
    person.full_name = " ".join(full_name.split())
    person.birth_date = birth_date
    person.email = email.strip()
    person.search_text = fold(f"{person.code} {person.full_name}")
    person.full_clean(exclude=["search_text"])
    person.save()
    action = AuditAction.PERSON_UPDATED if before else AuditAction.PERSON_CREATED
    record(actor=actor, action=action, obj=person, before=before, after=person_snapshot(person))
    return person


def person_has_history(person: Person) -> bool:
    return (
        person.employments.exists()
        or person.ratings.exists()
        or person.discipline.exists()
        or person.council_seats.exists()
    )


@transaction.atomic
def person_archive(*, actor: Actor, person: Person) -> Person:
    scope = person_scope_unit(person)
    if scope is None:
        raise ValidationError(_("This person has no unit to check permissions against."))
    authorize(actor, Action.PERSON_MANAGE, scope)
    before = person_snapshot(person)
    person.is_archived = True
    person.save(update_fields=["is_archived"])
    record(
        actor=actor,
        action=AuditAction.PERSON_ARCHIVED,
        obj=person,
        before=before,
        after=person_snapshot(person),
    )
    return person


@transaction.atomic
def person_delete(*, actor: Actor, person: Person, scope: Unit) -> None:
    authorize(actor, Action.PERSON_MANAGE, scope)
    if person_has_history(person):
        raise ValidationError(
            _(
                "“%(person)s” has history (employment, ratings or discipline) and cannot be "
                "deleted; archive them instead."
            )
            % {"person": person}
        )
    record(
        actor=actor, action=AuditAction.PERSON_DELETED, obj=person, before=person_snapshot(person)
    )
    person.delete()
