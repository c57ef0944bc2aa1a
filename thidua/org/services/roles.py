"""Role assignments: who may act where, over which period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record

from ..models import (
    RoleAssignment,
    Unit,
    User,
)
from ..permissions import Action, Actor, authorize


def role_snapshot(assignment: RoleAssignment) -> dict[str, Any]:
    return {
        "user": assignment.user.username,
        "role": assignment.role,
        "unit": assignment.unit.code,
        "include_descendants": assignment.include_descendants,
        "valid_from": assignment.valid_from,
        "valid_to": assignment.valid_to,
    }


@transaction.atomic
def role_assign(
    *,
    actor: Actor,
    user: User,
    role: str,
    unit: Unit,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    include_descendants: bool = False,
) -> RoleAssignment:
    authorize(actor, Action.ROLE_MANAGE, unit)
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        unit=unit,
        valid_from=valid_from,
        defaults={"valid_to": valid_to, "include_descendants": include_descendants},
    )
    if created:
        record(
            actor=actor,
            action=AuditAction.ROLE_ASSIGNED,
            obj=assignment,
            after=role_snapshot(assignment),
        )
    return assignment


@transaction.atomic
def role_update(*, actor: Actor, assignment: RoleAssignment) -> RoleAssignment:
    """Save a changed assignment (typically its end date), checked and audited."""
    authorize(actor, Action.ROLE_MANAGE, assignment.unit)
    if assignment.valid_to is not None and assignment.valid_to < assignment.valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    stored = RoleAssignment.objects.select_related("user", "unit").get(pk=assignment.pk)
    # The stored row's own unit must be in scope too, or a role could be moved out of reach.
    authorize(actor, Action.ROLE_MANAGE, stored.unit)
    assignment.save()
    record(
        actor=actor,
        action=AuditAction.ROLE_UPDATED,
        obj=assignment,
        before=role_snapshot(stored),
        after=role_snapshot(assignment),
    )
    return assignment
