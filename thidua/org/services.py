"""The write path of the organisation: units and their history, people, employment,
ratings, discipline, blocks and their yearly terms, councils, accounts and roles.

Each service: authorise → validate → write → audit, inside one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from thidua.audit.services import record
from thidua.lib.dates import periods_overlap, year_end, year_start
from thidua.lib.text import fold

from .models import (
    DISCIPLINE_SEVERITY,
    RATING_RANK,
    Block,
    BlockMembership,
    BlockTerm,
    Council,
    CouncilMember,
    DisciplineRecord,
    Employment,
    Person,
    RoleAssignment,
    StaffRating,
    Unit,
    UnitRating,
    UnitStatus,
    UnitVersion,
    User,
)
from .permissions import Action, Actor, authorize

ONE_DAY = dt.timedelta(days=1)


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


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
                % {"date": _fmt(current.valid_from)}
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
    record(actor=actor, action="unit.created", obj=unit, after=unit_snapshot(unit))
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
        action="unit.renamed",
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
        action="unit.moved",
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
            action="unit.merged",
            obj=source,
            before=before,
            after=unit_snapshot(source),
            extra={"into": target.code, "on": on},
        )
    return target


def _transfer_employment(source: Unit, target: Unit, on: dt.date) -> None:
    active = source.employments.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
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
            % {"unit": unit, "date": _fmt(on), "names": names}
        )
    unit.employments.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).update(
        valid_to=on - ONE_DAY
    )


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
        action="unit.dissolved",
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
    record(actor=actor, action="unit.archived", obj=unit, before=before, after=unit_snapshot(unit))
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
    record(actor=actor, action="unit.deleted", obj=unit, before=unit_snapshot(unit))
    unit.versions.all().delete()
    unit.delete()


# People, employment, ratings, discipline ------------------------------------------------


def person_snapshot(person: Person) -> dict[str, Any]:
    return {
        "code": person.code,
        "full_name": person.full_name,
        "birth_date": person.birth_date,
        "email": person.email,
        "is_archived": person.is_archived,
    }


def _person_scope_unit(person: Person) -> Unit | None:
    employment = person.employments.order_by("-valid_from").select_related("unit").first()
    return employment.unit if employment else None


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
    current_unit = _person_scope_unit(person) if person is not None else None
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
    action = "person.updated" if before else "person.created"
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
    scope = _person_scope_unit(person)
    if scope is None:
        raise ValidationError(_("This person has no unit to check permissions against."))
    authorize(actor, Action.PERSON_MANAGE, scope)
    before = person_snapshot(person)
    person.is_archived = True
    person.save(update_fields=["is_archived"])
    record(
        actor=actor,
        action="person.archived",
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
    record(actor=actor, action="person.deleted", obj=person, before=person_snapshot(person))
    person.delete()


def employment_snapshot(employment: Employment) -> dict[str, Any]:
    return {
        "person": employment.person.code,
        "unit": employment.unit.code,
        "position": employment.position,
        "is_head": employment.is_head,
        "valid_from": employment.valid_from,
        "valid_to": employment.valid_to,
    }


def validate_employment(
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
                    % {"unit": unit, "date": _fmt(closed.valid_from)}
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
                    % {"person": person, "date": _fmt(other.valid_from)}
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
    validate_employment(person=person, unit=unit, valid_from=valid_from, valid_to=valid_to)
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
        action="employment.added",
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
        action="employment.ended",
        obj=employment,
        before=before,
        after=employment_snapshot(employment),
    )
    return employment


def employed_units_in_year(person: Person, year: int) -> list[Unit]:
    return [
        e.unit
        for e in person.employments.select_related("unit")
        if periods_overlap(e.valid_from, e.valid_to, year_start(year), year_end(year))
    ]


@transaction.atomic
def staff_rating_set(
    *, actor: Actor, person: Person, year: int, rating: str, note: str = ""
) -> StaffRating:
    units = employed_units_in_year(person, year)
    # Authorise before saying anything about the person's employment.
    scope = units[-1] if units else _person_scope_unit(person)
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
            action="rating.staff_set",
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
            action="rating.unit_set",
            obj=obj,
            before={"rating": existing.rating} if existing else None,
            after={"rating": rating, "unit": unit.code, "year": year},
        )
    return obj


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
                % {"person": person, "unit": unit, "date": _fmt(decided_on)}
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
        action="discipline.added",
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


# Blocks and terms -------------------------------------------------------------------------


@transaction.atomic
def block_create(*, actor: Actor, agency: Unit, code: str, name: str, kind: str) -> Block:
    authorize(actor, Action.BLOCK_MANAGE, agency)
    code = code.strip()
    if not code or not name.strip():
        raise ValidationError({"name": _("The code and the name are required.")})
    if Block.objects.filter(agency=agency, code=code).exists():
        raise ValidationError({"code": _("The code “%(code)s” is already used.") % {"code": code}})
    block = Block.objects.create(agency=agency, code=code, name=name.strip(), kind=kind)
    record(
        actor=actor,
        action="block.created",
        obj=block,
        after={"agency": agency.code, "code": code, "name": block.name},
    )
    return block


def term_snapshot(term: BlockTerm) -> dict[str, Any]:
    return {
        "block": term.block.code,
        "year": term.year,
        "leader": term.leader.code,
        "deputy": term.deputy.code if term.deputy else None,
        "members": sorted(m.unit.code for m in term.memberships.select_related("unit")),
        "decision_number": term.decision_number,
        "decision_date": term.decision_date,
        "decision_signer": term.decision_signer,
    }


def _validate_term(
    *,
    block: Block,
    year: int,
    leader: Unit,
    deputy: Unit | None,
    members: Sequence[Unit],
    term: BlockTerm | None,
) -> None:
    errors: dict[str, list[str]] = {}
    member_ids = {m.pk for m in members}
    if not members:
        errors.setdefault("members", []).append(_("A block needs at least one member."))
    if leader.pk not in member_ids:
        errors.setdefault("leader", []).append(
            _("The leader “%(unit)s” must be a member of the block.") % {"unit": leader}
        )
    if deputy is not None:
        if deputy.pk not in member_ids:
            errors.setdefault("deputy", []).append(
                _("The deputy “%(unit)s” must be a member of the block.") % {"unit": deputy}
            )
        if deputy.pk == leader.pk:
            errors.setdefault("deputy", []).append(
                _("The leader and the deputy must be different units.")
            )
    for unit in members:
        if not unit.path.startswith(block.agency.path) or unit.pk == block.agency_id:
            errors.setdefault("members", []).append(
                _("“%(unit)s” does not belong to %(agency)s.")
                % {"unit": unit, "agency": block.agency}
            )
        elif unit.status != UnitStatus.ACTIVE:
            errors.setdefault("members", []).append(
                _("“%(unit)s” is no longer active.") % {"unit": unit}
            )
    taken = BlockMembership.objects.filter(
        agency=block.agency, year=year, unit__in=members
    ).select_related("term__block", "unit")
    if term is not None:
        taken = taken.exclude(term=term)
    for membership in taken:
        errors.setdefault("members", []).append(
            _(
                "“%(unit)s” is already in %(block)s in %(year)s; a unit can be in only one block "
                "of an agency per year."
            )
            % {"unit": membership.unit, "block": membership.term.block, "year": year}
        )
    if term is None and BlockTerm.objects.filter(block=block, year=year).exists():
        errors.setdefault("year", []).append(
            _("%(block)s already has a term for %(year)s; edit that term instead.")
            % {"block": block, "year": year}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def block_term_save(
    *,
    actor: Actor,
    block: Block,
    year: int,
    leader: Unit,
    deputy: Unit | None,
    members: Iterable[Unit],
    decision_number: str = "",
    decision_date: dt.date | None = None,
    decision_signer: str = "",
    term: BlockTerm | None = None,
) -> BlockTerm:
    """Create a block's term for a year, or replace an existing term's leaders and members."""
    authorize(actor, Action.BLOCK_MANAGE, block.agency)
    members = list({m.pk: m for m in members}.values())
    if term is not None:
        year = term.year
    _validate_term(block=block, year=year, leader=leader, deputy=deputy, members=members, term=term)
    before = term_snapshot(term) if term else None
    if term is None:
        term = BlockTerm(block=block, year=year)
    term.leader, term.deputy = leader, deputy
    term.decision_number = decision_number.strip()
    term.decision_date = decision_date
    term.decision_signer = decision_signer.strip()
    try:
        with transaction.atomic():
            term.save()
            term.memberships.exclude(unit__in=members).delete()
            existing = set(term.memberships.values_list("unit_id", flat=True))
            BlockMembership.objects.bulk_create(
                BlockMembership(term=term, unit=u, agency=block.agency, year=term.year)
                for u in members
                if u.pk not in existing
            )
    except IntegrityError as exc:
        # A concurrent save took the same unit or year first; report it like the check above.
        raise ValidationError(
            _(
                "Another change to the blocks of %(year)s was saved at the same moment; "
                "reload the page and try again."
            )
            % {"year": year}
        ) from exc
    after = term_snapshot(term)
    if before != after:
        record(actor=actor, action="block_term.saved", obj=term, before=before, after=after)
    return term


# Councils -----------------------------------------------------------------------------------


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
        action="council.saved",
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
        action="council.member_added",
        obj=seat,
        after={"person": person.code, "role": role, "valid_from": valid_from, "valid_to": valid_to},
    )
    return seat


# Accounts -----------------------------------------------------------------------------------


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
        record(actor=actor, action="role.assigned", obj=assignment, after=role_snapshot(assignment))
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
        action="role.updated",
        obj=assignment,
        before=role_snapshot(stored),
        after=role_snapshot(assignment),
    )
    return assignment
