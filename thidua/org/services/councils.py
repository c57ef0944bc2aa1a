"""The emulation & commendation council of an agency and its members."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.lib.dates import periods_overlap

from ..models import (
    Council,
    CouncilMember,
    Person,
    Unit,
)
from ..permissions import Action, Actor, authorize


@transaction.atomic
def council_save(*, actor: Actor, agency: Unit, name: str, standing_body: Unit) -> Council:
    authorize(actor, Action.COUNCIL_MANAGE, agency)
    if not standing_body.path.startswith(agency.path):
        raise ValidationError(
            {
                "standing_body": _("The standing body must be a unit of %(agency)s.")
                % {"agency": agency}
            }
        )
    council, created = Council.objects.update_or_create(
        agency=agency, defaults={"name": name.strip(), "standing_body": standing_body}
    )
    record(
        actor=actor,
        action=AuditAction.COUNCIL_SAVED,
        obj=council,
        after={"agency": agency.code, "name": council.name, "standing_body": standing_body.code},
        extra={"created": created},
    )
    return council


@transaction.atomic
def council_member_add(
    *,
    actor: Actor,
    council: Council,
    person: Person,
    role: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    decision_number: str = "",
) -> CouncilMember:
    authorize(actor, Action.COUNCIL_MANAGE, council.agency)
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    for seat in council.members.filter(person=person):
        if periods_overlap(valid_from, valid_to, seat.valid_from, seat.valid_to):
            if seat.role == role:
                return seat  # a retry of the same appointment
            raise ValidationError(
                {
                    "person": _(
                        "%(person)s already sits on the council in that period as %(role)s."
                    )
                    % {"person": person, "role": seat.get_role_display()}
                }
            )
    seat = CouncilMember.objects.create(
        council=council,
        person=person,
        role=role,
        valid_from=valid_from,
        valid_to=valid_to,
        decision_number=decision_number.strip(),
    )
    record(
        actor=actor,
        action=AuditAction.COUNCIL_MEMBER_ADDED,
        obj=seat,
        after={"person": person.code, "role": role, "valid_from": valid_from, "valid_to": valid_to},
    )
    return seat
