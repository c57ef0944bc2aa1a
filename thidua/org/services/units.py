"""Units and their dated history: create, rename, move, merge, dissolve, archive, delete.

A closing unit also ends (or, on a merge, carries over) its staff's employment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.lib.dated import valid_on
from thidua.lib.dates import format_day
from thidua.lib.text import fold

from ..models import (
    Block,
    BlockTerm,
    Council,
    Employment,
    RoleAssignment,
    Unit,
    UnitStatus,
    UnitVersion,
)
from ..permissions import Action, Actor, authorize

ONE_DAY = dt.timedelta(days=1)


def unit_snapshot(unit: Unit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "parent": unit.parent.code if unit.parent else None,
        "status": unit.status,
    }


def _set_search_text(unit: Unit) -> None:
    unit.search_text = fold(f"{unit.code} {unit.name} {unit.short_name}")


def _refresh_path(unit: Unit) -> None:
    """Recompute the path of a unit and of its whole subtree after a move."""
    old_path = unit.path
    new_path = f"{unit.parent.path if unit.parent else ''}{unit.pk}/"
    if old_path == new_path:
        return
    unit.path = new_path
    unit.save(update_fields=["path"])
    if old_path:
        for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            child.path = new_path + child.path[len(old_path) :]
            child.save(update_fields=["path"])


def _current_version(unit: Unit) -> UnitVersion:
    version = unit.versions.filter(valid_to__isnull=True).first()
    if version is None:
        raise ValidationError(_("Unit “%(unit)s” has no open history period.") % {"unit": unit})
    return version


def _new_version(unit: Unit, *, on: dt.date, reason: str, **changes: Any) -> UnitVersion:
    """Start a new history period on `on` carrying `changes`; the previous period ends the
    day before. A second change on the same day amends that day's period instead."""
    current = _current_version(unit)
    if on < current.valid_from:
        raise ValidationError(
            {
                "on": _(
                    "The date must not be before %(date)s, when the current name/position "
                    "took effect."
                )
                % {"date": format_day(current.valid_from)}
            }
        )
    fields = {
        "name": current.name,
        "short_name": current.short_name,
        "parent": current.parent,
        "status": current.status,
    }
    fields.update(changes)
    if on == current.valid_from:
        for key, value in fields.items():
            setattr(current, key, value)
        current.reason = reason
        current.save()
        return current
    current.valid_to = on - ONE_DAY
    current.save(update_fields=["valid_to"])
    return UnitVersion.objects.create(unit=unit, valid_from=on, reason=reason, **fields)


def _validate_parent(parent: Unit | None, *, unit: Unit | None = None) -> None:
    if parent is None:
        return
    if not parent.is_active:
        raise ValidationError({"parent": _("The parent unit is no longer active.")})
    if unit is not None and unit.pk and parent.path.startswith(unit.path):
        raise ValidationError(
            {"parent": _("A unit cannot be moved under itself or one of its sub-units.")}
        )


@transaction.atomic
def unit_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None,
    valid_from: dt.date,
    short_name: str = "",
    is_illustrative: bool = False,
    authorize_on: Unit | None = None,
) -> Unit:
    scope = parent or authorize_on
    if scope is None:
        if actor is not None and not getattr(actor, "is_superuser", False):
            raise ValidationError(
                {"parent": _("Only a system administrator can create a top-level agency.")}
            )
    else:
        authorize(actor, Action.UNIT_MANAGE, scope)
    code = code.strip()
    if not code:
        raise ValidationError({"code": _("The code is required.")})
    if Unit.objects.filter(code=code).exists():
        raise ValidationError({"code": _("The code “%(code)s” is already used.") % {"code": code}})
    if not name.strip():
        raise ValidationError({"name": _("The name is required.")})
    _validate_parent(parent)
    unit = Unit(
        code=code,
        name=name.strip(),
        short_name=short_name.strip(),
        kind=kind,
        parent=parent,
        is_illustrative=is_illustrative,
    )
    _set_search_text(unit)
    unit.full_clean(exclude=["path", "search_text"])
    unit.save()
    _refresh_path(unit)
    UnitVersion.objects.create(
        unit=unit,
        valid_from=valid_from,
        name=unit.name,
        short_name=unit.short_name,
        parent=parent,
        status=UnitStatus.ACTIVE,
        reason=_("Created"),
    )
    record(actor=actor, action=AuditAction.UNIT_CREATED, obj=unit, after=unit_snapshot(unit))
    return unit


@transaction.atomic
def unit_rename(
    *, actor: Actor, unit: Unit, name: str, short_name: str, on: dt.date, reason: str = ""
) -> Unit:
    authorize(actor, Action.UNIT_MANAGE, unit)
    if not unit.is_active:
        raise ValidationError(_("Only an active unit can be renamed."))
    if not name.strip():
        raise ValidationError({"name": _("The name is required.")})
    before = unit_snapshot(unit)
    _new_version(
        unit, on=on, reason=reason or _("Renamed"), name=name.strip(), short_name=short_name.strip()
    )
    unit.name, unit.short_name = name.strip(), short_name.strip()
    _set_search_text(unit)
    unit.save(update_fields=["name", "short_name", "search_text"])
    record(
        actor=actor,
        action=AuditAction.UNIT_RENAMED,
        obj=unit,
        before=before,
        after=unit_snapshot(unit),
        extra={"on": on},
    )
    return unit


@transaction.atomic
def unit_move(*, actor: Actor, unit: Unit, parent: Unit, on: dt.date, reason: str = "") -> Unit:
    authorize(actor, Action.UNIT_MANAGE, unit)
    authorize(actor, Action.UNIT_MANAGE, parent)
    if not unit.is_active:
        raise ValidationError(_("Only an active unit can be moved."))
    _validate_parent(parent, unit=unit)
    before = unit_snapshot(unit)
    _new_version(unit, on=on, reason=reason or _("Moved"), parent=parent)
    unit.parent = parent
    unit.save(update_fields=["parent"])
    _refresh_path(unit)
    record(
        actor=actor,
        action=AuditAction.UNIT_MOVED,
        obj=unit,
        before=before,
        after=unit_snapshot(unit),
        extra={"on": on},
    )
    return unit


def _close_unit(unit: Unit, *, on: dt.date, status: str, reason: str) -> None:
    if Unit.objects.filter(parent=unit, status=UnitStatus.ACTIVE).exists():
        raise ValidationError(
            _("“%(unit)s” still has active sub-units; move or close them first.") % {"unit": unit}
        )
    _new_version(unit, on=on, reason=reason, status=status)
    unit.status = status
    unit.save(update_fields=["status", "merged_into"])


@transaction.atomic
def unit_merge(
    *, actor: Actor, sources: Sequence[Unit], target: Unit, on: dt.date, reason: str = ""
) -> Unit:
    """Merge units into `target` from `on`: the sources close as merged and their staff's
    employment moves to the target, so the past stays queryable under the old names."""
    authorize(actor, Action.UNIT_MANAGE, target)
    for source in sources:
        authorize(actor, Action.UNIT_MANAGE, source)
    if not sources:
        raise ValidationError({"sources": _("Choose at least one unit to merge.")})
    if any(s.pk == target.pk for s in sources):
        raise ValidationError({"sources": _("A unit cannot be merged into itself.")})
    if not target.is_active or any(not s.is_active for s in sources):
        raise ValidationError(_("Only active units can be merged."))
    for source in sources:
        before = unit_snapshot(source)
        source.merged_into = target
        _close_unit(
            source,
            on=on,
            status=UnitStatus.MERGED,
            reason=reason or _("Merged into %(unit)s") % {"unit": target.name},
        )
        _transfer_employment(source, target, on)
        record(
            actor=actor,
            action=AuditAction.UNIT_MERGED,
            obj=source,
            before=before,
            after=unit_snapshot(source),
            extra={"into": target.code, "on": on},
        )
    return target


def _transfer_employment(source: Unit, target: Unit, on: dt.date) -> None:
    active = source.employments.filter(valid_on(on, start=None))
    for employment in active:
        if employment.valid_from >= on:
            # Nothing to keep in the old unit: the whole period moves to the target.
            employment.unit, employment.is_head = target, False
            employment.save(update_fields=["unit", "is_head"])
            continue
        Employment.objects.create(
            person=employment.person,
            unit=target,
            position=employment.position,
            is_head=False,
            valid_from=on,
            valid_to=employment.valid_to,
        )
        employment.valid_to = on - ONE_DAY
        employment.save(update_fields=["valid_to"])


def _end_employment_on_closing(unit: Unit, on: dt.date) -> None:
    """Staff of a closing unit stop working there the day before it closes. Employment that
    would only start on or after that day has nowhere to go, so the closing is refused."""
    starting_later = unit.employments.filter(valid_from__gte=on).select_related("person")
    if starting_later:
        names = ", ".join(str(e.person) for e in starting_later[:5])
        raise ValidationError(
            _(
                "Some people start working in “%(unit)s” on or after %(date)s (%(names)s); "
                "move or remove that employment first."
            )
            % {"unit": unit, "date": format_day(on), "names": names}
        )
    unit.employments.filter(valid_on(on, start=None)).update(valid_to=on - ONE_DAY)


@transaction.atomic
def unit_dissolve(*, actor: Actor, unit: Unit, on: dt.date, reason: str = "") -> Unit:
    authorize(actor, Action.UNIT_MANAGE, unit)
    if not unit.is_active:
        raise ValidationError(_("Only an active unit can be dissolved."))
    before = unit_snapshot(unit)
    _close_unit(unit, on=on, status=UnitStatus.DISSOLVED, reason=reason or _("Dissolved"))
    _end_employment_on_closing(unit, on)
    record(
        actor=actor,
        action=AuditAction.UNIT_DISSOLVED,
        obj=unit,
        before=before,
        after=unit_snapshot(unit),
        extra={"on": on},
    )
    return unit


@transaction.atomic
def unit_archive(*, actor: Actor, unit: Unit, on: dt.date) -> Unit:
    authorize(actor, Action.UNIT_MANAGE, unit)
    if not unit.is_active:
        raise ValidationError(_("The unit is already closed."))
    before = unit_snapshot(unit)
    _close_unit(unit, on=on, status=UnitStatus.ARCHIVED, reason=_("Archived"))
    _end_employment_on_closing(unit, on)
    record(
        actor=actor,
        action=AuditAction.UNIT_ARCHIVED,
        obj=unit,
        before=before,
        after=unit_snapshot(unit),
    )
    return unit


def unit_has_history(unit: Unit) -> bool:
    return (
        unit.versions.count() > 1
        or Unit.objects.filter(parent=unit).exists()
        or unit.employments.exists()
        or unit.ratings.exists()
        or unit.discipline.exists()
        or unit.block_memberships.exists()
        or BlockTerm.objects.filter(Q(leader=unit) | Q(deputy=unit)).exists()
        or Block.objects.filter(agency=unit).exists()
        # Every other protected reference, so a delete is refused here, not by the database.
        or Unit.objects.filter(merged_into=unit).exists()
        or UnitVersion.objects.filter(parent=unit).exists()
        or Council.objects.filter(Q(agency=unit) | Q(standing_body=unit)).exists()
        or RoleAssignment.objects.filter(unit=unit).exists()
        or unit.campaigns.exists()
    )


@transaction.atomic
def unit_delete(*, actor: Actor, unit: Unit) -> None:
    """Delete a unit entered by mistake. A unit with any history is archived instead."""
    authorize(actor, Action.UNIT_MANAGE, unit)
    if unit_has_history(unit):
        raise ValidationError(
            _(
                "“%(unit)s” has history (staff, ratings, blocks or sub-units) and cannot be "
                "deleted; archive it instead."
            )
            % {"unit": unit}
        )
    record(actor=actor, action=AuditAction.UNIT_DELETED, obj=unit, before=unit_snapshot(unit))
    unit.versions.all().delete()
    unit.delete()
