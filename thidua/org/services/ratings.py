"""Yearly ratings of staff and of units."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record

from ..models import (
    RATING_RANK,
    Person,
    StaffRating,
    Unit,
    UnitRating,
)
from ..permissions import Action, Actor, authorize
from ..selectors import person_scope_unit
from .employment import employment_units_in_year


@transaction.atomic
def staff_rating_set(
    *, actor: Actor, person: Person, year: int, rating: str, note: str = ""
) -> StaffRating:
    units = employment_units_in_year(person, year)
    # Authorise before saying anything about the person's employment.
    scope = units[-1] if units else person_scope_unit(person)
    if scope is not None:
        authorize(actor, Action.RATING_MANAGE, scope)
    elif not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("This person has no unit to check permissions against."))
    if not units:
        raise ValidationError(
            {
                "year": _(
                    "%(person)s was not employed by any unit in %(year)s, so cannot be rated "
                    "for that year."
                )
                % {"person": person, "year": year}
            }
        )
    if rating not in RATING_RANK:
        raise ValidationError({"rating": _("Unknown rating “%(value)s”.") % {"value": rating}})
    existing = StaffRating.objects.filter(person=person, year=year).first()
    before = {"rating": existing.rating, "note": existing.note} if existing else None
    obj, _created = StaffRating.objects.update_or_create(
        person=person,
        year=year,
        defaults={"rating": rating, "rating_rank": RATING_RANK[rating], "note": note.strip()},
    )
    after = {"rating": obj.rating, "note": obj.note}
    if before != after:
        record(
            actor=actor,
            action=AuditAction.RATING_STAFF_SET,
            obj=obj,
            before=before,
            after={**after, "person": person.code, "year": year},
        )
    return obj


@transaction.atomic
def unit_rating_set(*, actor: Actor, unit: Unit, year: int, rating: str) -> UnitRating:
    authorize(actor, Action.UNIT_MANAGE, unit)
    if rating not in RATING_RANK:
        raise ValidationError({"rating": _("Unknown rating “%(value)s”.") % {"value": rating}})
    existing = UnitRating.objects.filter(unit=unit, year=year).first()
    obj, _created = UnitRating.objects.update_or_create(
        unit=unit, year=year, defaults={"rating": rating, "rating_rank": RATING_RANK[rating]}
    )
    if existing is None or existing.rating != rating:
        record(
            actor=actor,
            action=AuditAction.RATING_UNIT_SET,
            obj=obj,
            before={"rating": existing.rating} if existing else None,
            after={"rating": rating, "unit": unit.code, "year": year},
        )
    return obj
