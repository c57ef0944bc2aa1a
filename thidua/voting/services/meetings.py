"""Meetings: calling one (with its roll), attendance, the agenda, closing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.lib.dates import today
from thidua.org.models import BlockTerm, Council, CouncilMember, Person, Unit, User
from thidua.org.permissions import Actor

from .. import permissions as policy
from ..block_ranking import published_ranking
from ..models import (
    AgendaItem,
    Attendance,
    Candidate,
    Entitlement,
    Meeting,
    Vote,
    VotingRule,
)
from ..permissions import require_runner


@transaction.atomic
def meeting_create(
    *,
    actor: Actor,
    rule: VotingRule,
    title: str,
    held_on: dt.date,
    place: str,
    chair: User,
    secretary: User,
    term: BlockTerm | None = None,
    council: Council | None = None,
    starts_at: dt.time | None = None,
) -> Meeting:
    """A block's year-end review (by its leader or the secretariat) or a council session (by
    the secretariat or the council's chair or vice-chair), with the roll built from the
    block's members or the council's seats."""
    if (term is None) == (council is None):
        raise ValidationError(_("A meeting belongs to one block or to one council."))
    agency = term.block.agency if term else council.agency  # type: ignore[union-attr]
    if not policy.may_call(actor, agency=agency, term=term, council=council, on=held_on):
        raise PermissionDenied(
            _(
                "Only the block leader, the council's chair or vice-chair, or the secretariat "
                "may call this meeting."
            )
        )
    if rule.valid_from > held_on or (rule.valid_to is not None and rule.valid_to < held_on):
        raise ValidationError(
            {
                "rule": _("The voting rule “%(rule)s” is not in force on %(day)s.")
                % {"rule": rule, "day": held_on.strftime("%d/%m/%Y")}
            }
        )
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.BLOCK_REVIEW if term else Meeting.Kind.COUNCIL_SESSION,
        term=term,
        council=council,
        title=title.strip(),
        held_on=held_on,
        starts_at=starts_at,
        place=place.strip(),
        chair=chair,
        secretary=secretary,
        rule=rule,
    )
    _build_roll(meeting)
    record(
        actor=actor,
        action=AuditAction.MEETING_CREATED,
        obj=meeting,
        after={
            "held_on": held_on,
            "starts_at": starts_at,
            "rule": rule.code,
            "roll": meeting.roll.count(),
        },
    )
    return meeting


def _build_roll(meeting: Meeting) -> None:
    if meeting.term_id:
        units = [m.unit for m in meeting.term.memberships.select_related("unit")]  # type: ignore[union-attr]
        lines = [Entitlement(unit=u, label=u.name) for u in units]
    else:
        seats = (
            CouncilMember.objects.filter(council=meeting.council)
            .sitting_on(meeting.held_on)
            .select_related("person")
        )
        lines = [Entitlement(person=s.person, label=s.person.full_name) for s in seats]
    for order, line in enumerate(lines, start=1):
        line.meeting, line.order = meeting, order
    Entitlement.objects.bulk_create(lines)


def meeting_lock(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("term__block__agency", "council__agency", "rule")
        .get(pk=meeting.pk)
    )


def meeting_require_open(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CLOSED:
        raise ValidationError(_("The meeting is closed."))


@transaction.atomic
def attendance_record(
    *,
    actor: Actor,
    meeting: Meeting,
    present: Iterable[int],
    attendees: dict[int, str] | None = None,
) -> Meeting:
    """Record who is present (every line of the roll: present if listed, absent if not)."""
    meeting = meeting_lock(meeting)
    require_runner(actor, meeting)
    meeting_require_open(meeting)
    if meeting.votes.filter(status=Vote.Status.OPEN).exists():
        raise ValidationError(_("Attendance cannot change while a vote is open."))
    present_ids = set(present)
    roll = list(meeting.roll.all())
    unknown = present_ids - {e.pk for e in roll}
    if unknown:
        raise ValidationError(_("Some of those marked present are not on this meeting's roll."))
    for line in roll:
        Attendance.objects.update_or_create(
            entitlement=line,
            defaults={
                "present": line.pk in present_ids,
                "attendee": (attendees or {}).get(line.pk, "").strip(),
            },
        )
    meeting.status = Meeting.Status.IN_SESSION
    meeting.save(update_fields=["status"])
    record(
        actor=actor,
        action=AuditAction.ATTENDANCE_RECORDED,
        obj=meeting,
        after={
            "present": sorted(e.label for e in roll if e.pk in present_ids),
            "absent": sorted(e.label for e in roll if e.pk not in present_ids),
        },
    )
    return meeting


@dataclass(frozen=True)
class CandidateSpec:
    label: str
    unit: Unit | None = None
    person: Person | None = None
    ranking: int | None = None
    score: Any = None
    women_preferred: bool = False


@transaction.atomic
def agenda_item_add(
    *,
    actor: Actor,
    meeting: Meeting,
    title: str,
    candidates: list[CandidateSpec],
    seats: int | None = 1,
) -> AgendaItem:
    meeting = meeting_lock(meeting)
    require_runner(actor, meeting)
    meeting_require_open(meeting)
    if not candidates:
        raise ValidationError(_("An agenda item needs at least one candidate."))
    if seats is not None and seats < 1:
        raise ValidationError(_("At least one candidate must be chosen."))
    order = meeting.agenda.count() + 1
    item = AgendaItem.objects.create(meeting=meeting, order=order, title=title.strip(), seats=seats)
    Candidate.objects.bulk_create(
        Candidate(
            item=item,
            order=i,
            label=spec.label,
            unit=spec.unit,
            person=spec.person,
            ranking=spec.ranking,
            score=spec.score,
            women_preferred=spec.women_preferred,
        )
        for i, spec in enumerate(candidates, start=1)
    )
    record(
        actor=actor,
        action=AuditAction.AGENDA_ADDED,
        obj=item,
        after={"title": item.title, "seats": seats, "candidates": [c.label for c in candidates]},
    )
    return item


@transaction.atomic
def meeting_close(
    *,
    actor: Actor,
    meeting: Meeting,
    ended_at: dt.time | None = None,
    starts_at: dt.time | None = None,
) -> Meeting:
    """Close the meeting with the time it ended and, when given, the time it began (one the
    call left out, or a correction), for its minutes. Left out, the end is now when the
    meeting is closed on its own day; on a later day (a paper count entered afterwards) it
    stays unknown and the minutes leave it to be written by hand."""
    meeting = meeting_lock(meeting)
    require_runner(actor, meeting)
    if meeting.votes.filter(status=Vote.Status.OPEN).exists():
        raise ValidationError(_("Close the open votes first."))
    started = starts_at or meeting.starts_at
    if ended_at is not None and started is not None and ended_at < started:
        raise ValidationError(
            {
                "ended_at": _("The meeting cannot end before it started (%(start)s).")
                % {"start": started.strftime("%H:%M")}
            }
        )
    if ended_at is None and today() == meeting.held_on:
        now = timezone.localtime().time().replace(second=0, microsecond=0)
        if started is None or now >= started:
            ended_at = now
    if meeting.status != Meeting.Status.CLOSED:
        meeting.status = Meeting.Status.CLOSED
        meeting.starts_at, meeting.ended_at = started, ended_at
        meeting.save(update_fields=["status", "starts_at", "ended_at"])
        record(
            actor=actor,
            action=AuditAction.MEETING_CLOSED,
            obj=meeting,
            after={"starts_at": started, "ended_at": ended_at},
        )
    return meeting


def agenda_candidates(meeting: Meeting, units: Iterable[Unit]) -> list[CandidateSpec]:
    """The chosen units as candidates; a block's carry its published ranking, so the
    minutes can flag a vote that departs from it."""
    ranking = published_ranking(meeting.term) if meeting.term else {}
    return [
        CandidateSpec(
            label=u.name,
            unit=u,
            ranking=ranking.get(u.code, (None, None))[0],
            score=ranking.get(u.code, (None, None))[1],
        )
        for u in units
    ]
