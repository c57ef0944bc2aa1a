"""The write path of a block's dossier: prepared, filed, submitted, accepted or returned by
the standing body, and put before the council. Authorise → validate → write → audit, one
transaction each."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.awards.models import AwardForm, AwardLevel, RecipientKind
from thidua.campaigns.cycle import CycleState
from thidua.campaigns.models import BlockCycle
from thidua.campaigns.services import block_cycle_follow
from thidua.lib import files
from thidua.lib.dates import today
from thidua.org.models import Unit, User
from thidua.org.permissions import (
    Action,
    Actor,
    acting_user,
    authorize,
)
from thidua.reports import evidence
from thidua.scoring.report_document import report_of
from thidua.voting import minutes as voting_minutes
from thidua.voting.models import Meeting
from thidua.voting.services.meetings import CandidateSpec, agenda_item_add

from .. import checklist
from ..models import (
    FILE_KINDS,
    Dossier,
    DossierEvent,
    DossierFile,
    Route,
)
from ..permissions import require_preparer, require_reviewer
from ..selectors import (
    council_candidates,
    default_unit,
    latest_snapshot,
    member_reports,
    ranking_row_of,
    year_end_winner,
)
from ..storage import store_file

VIA = "proposals"


def _collect(dossier: Dossier) -> None:
    """Link the latest of what backs the dossier: ranking, vote, minutes, reports."""
    cycle = dossier.cycle
    snapshot = latest_snapshot(cycle)
    row = ranking_row_of(snapshot, dossier.unit)
    winner = year_end_winner(cycle)
    dossier.snapshot = snapshot
    dossier.rank = row["rank"] if row else None
    dossier.total = (row["total"] or "") if row else ""
    dossier.tally = winner.tally if winner else None
    firsts = {r["unit"] for r in snapshot.rows if r.get("rank") == 1} if snapshot else set()
    dossier.differs_from_ranking = bool(
        winner is not None and firsts and winner.candidate.unit.code not in firsts  # type: ignore[union-attr]
    )
    dossier.minutes = voting_minutes.minutes_of(winner.tally.vote.meeting) if winner else None
    dossier.block_report = report_of(snapshot) if snapshot else None
    dossier.save()
    dossier.member_reports.set(member_reports(cycle))


def _event(dossier: Dossier, action: str, actor: Actor, note: str = "") -> None:
    DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        note=note,
        actor=actor if isinstance(actor, User) else None,
    )


def _snapshot(dossier: Dossier) -> dict[str, Any]:
    return {
        "cycle": dossier.cycle_id,
        "form": dossier.form.code,
        "unit": dossier.unit.code,
        "status": dossier.status,
        "route": dossier.route,
    }


def _lock(dossier: Dossier) -> Dossier:
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("cycle__campaign__agency", "cycle__term__block", "form", "unit")
        .get(pk=dossier.pk)
    )


@transaction.atomic
def dossier_prepare(
    *, actor: Actor, cycle: BlockCycle, form: AwardForm, unit: Unit | None = None
) -> Dossier:
    """The block's dossier for `form`; a second call returns the first one."""
    require_preparer(actor, cycle)
    existing = Dossier.objects.filter(cycle=cycle, form=form).first()
    if existing is not None:
        return existing
    if not form.accepts(RecipientKind.COLLECTIVE):
        raise ValidationError(
            {"form": _("“%(form)s” is not awarded to a collective.") % {"form": form}}
        )
    if not checklist.requirements_on(form.pk, today()).exists():
        raise ValidationError(
            {"form": _("No dossier checklist is configured for “%(form)s”.") % {"form": form}}
        )
    unit = unit or default_unit(cycle)
    if unit is None:
        raise ValidationError(
            _(
                "Neither the year-end vote nor a published ranking names the leading unit "
                "yet; hold the vote or publish the ranking first."
            )
        )
    if not cycle.term.memberships.filter(unit=unit).exists():
        raise ValidationError(
            {"unit": _("“%(unit)s” is not a member of this block.") % {"unit": unit.name}}
        )
    route = Route.OWN if form.level == AwardLevel.AGENCY else Route.COUNCIL
    dossier = Dossier.objects.create(
        cycle=cycle, form=form, unit=unit, route=route, created_by=acting_user(actor)
    )
    _collect(dossier)
    _event(dossier, DossierEvent.Action.PREPARED, actor)
    record(actor=actor, action=AuditAction.DOSSIER_PREPARED, obj=dossier, after=_snapshot(dossier))
    return dossier


@files.removed_on_failure()
@transaction.atomic
def dossier_file_add(
    *, actor: Actor, dossier: Dossier, requirement_code: str, name: str, data: bytes
) -> DossierFile:
    """Attach a file to one item of the dossier, checked by its content."""
    dossier = _lock(dossier)
    require_preparer(actor, dossier.cycle)
    if not dossier.editable:
        raise ValidationError(_("The dossier is with the standing body; it cannot change now."))
    codes = {
        r.code: r
        for r in checklist.requirements_on(dossier.form_id, today())
        if r.kind in FILE_KINDS
    }
    if requirement_code not in codes:
        raise ValidationError({"requirement_code": _("Choose the item this file is for.")})
    checked = evidence.check(data, name)
    item, created = DossierFile.objects.get_or_create(
        dossier=dossier,
        requirement_code=requirement_code,
        sha256=checked.sha256,
        defaults={
            "name": evidence.clean_name(name),
            "kind": checked.kind,
            "content_type": checked.content_type,
            "size": checked.size,
            "path": store_file(checked, data),
            "uploaded_by": acting_user(actor),
        },
    )
    if created:
        record(
            actor=actor,
            action=AuditAction.DOSSIER_FILE_ADDED,
            obj=dossier,
            after={"item": requirement_code, "name": item.name, "sha256": item.sha256},
        )
    return item


@transaction.atomic
def dossier_submit(*, actor: Actor, dossier: Dossier) -> Dossier:
    """Send the dossier to the standing body. Refused, with nothing saved, naming every
    missing required item; a second press while it is with the standing body changes
    nothing."""
    dossier = _lock(dossier)
    require_preparer(actor, dossier.cycle)
    if dossier.status in (Dossier.Status.SUBMITTED, Dossier.Status.ACCEPTED):
        return dossier
    before = _snapshot(dossier)
    _collect(dossier)
    lines = checklist.evaluate(dossier, today())
    problems = checklist.missing(lines)
    if problems:
        raise ValidationError(problems)
    again = dossier.status == Dossier.Status.RETURNED
    dossier.status = Dossier.Status.SUBMITTED
    dossier.checklist = [line.as_dict() for line in lines]
    dossier.submissions += 1
    dossier.save()
    _event(
        dossier,
        DossierEvent.Action.RESUBMITTED if again else DossierEvent.Action.SUBMITTED,
        actor,
    )
    record(
        actor=actor,
        action=AuditAction.DOSSIER_SUBMITTED,
        obj=dossier,
        before=before,
        after={**_snapshot(dossier), "checklist": dossier.checklist},
    )
    block_cycle_follow(
        actor=actor, cycle=dossier.cycle, target=CycleState.SUBMITTED_TO_DEPT, via=VIA
    )
    return dossier


@transaction.atomic
def dossier_accept(*, actor: Actor, dossier: Dossier) -> Dossier:
    dossier = _lock(dossier)
    require_reviewer(actor, dossier)
    if dossier.status == Dossier.Status.ACCEPTED:
        return dossier
    if dossier.status != Dossier.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted dossier can be accepted."))
    before = _snapshot(dossier)
    dossier.status = Dossier.Status.ACCEPTED
    dossier.save(update_fields=["status", "updated_at"])
    _event(dossier, DossierEvent.Action.ACCEPTED, actor)
    record(
        actor=actor,
        action=AuditAction.DOSSIER_ACCEPTED,
        obj=dossier,
        before=before,
        after=_snapshot(dossier),
    )
    return dossier


@transaction.atomic
def dossier_return(*, actor: Actor, dossier: Dossier, reason: str) -> Dossier:
    """Back to the block with the reason; the block's year steps back with it."""
    dossier = _lock(dossier)
    require_reviewer(actor, dossier)
    if dossier.status != Dossier.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted dossier can be returned."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for returning the dossier.")})
    before = _snapshot(dossier)
    dossier.status = Dossier.Status.RETURNED
    dossier.return_reason = reason.strip()
    dossier.save(update_fields=["status", "return_reason", "updated_at"])
    _event(dossier, DossierEvent.Action.RETURNED, actor, dossier.return_reason)
    record(
        actor=actor,
        action=AuditAction.DOSSIER_RETURNED,
        obj=dossier,
        before=before,
        after=_snapshot(dossier),
        extra={"reason": dossier.return_reason},
    )
    block_cycle_follow(actor=actor, cycle=dossier.cycle, target=CycleState.LEADER_ELECTED, via=VIA)
    return dossier


@transaction.atomic
def council_agenda_add(*, actor: Actor, meeting: Meeting, year: int) -> list[Dossier]:
    """Put the year's accepted dossiers before the council: one agenda item per title, each
    dossier's unit a candidate voted on for itself."""
    authorize(actor, Action.PROPOSAL_REVIEW, meeting.agency)
    if meeting.kind != Meeting.Kind.COUNCIL_SESSION:
        raise ValidationError(_("Dossiers go before a council session, not a block meeting."))
    dossiers = council_candidates(meeting, year)
    if not dossiers:
        raise ValidationError(
            _("No accepted dossier of %(year)s is waiting for the council.") % {"year": year}
        )
    by_form: dict[int, list[Dossier]] = {}
    for dossier in dossiers:
        by_form.setdefault(dossier.form_id, []).append(dossier)
    with translation.override("vi"):
        for group in by_form.values():
            form = group[0].form
            specs = [
                CandidateSpec(
                    label=f"{d.unit.name} ({d.cycle.term.block.name})",
                    unit=d.unit,
                    ranking=d.rank,
                    score=Decimal(d.total) if d.total else None,
                )
                for d in group
            ]
            item = agenda_item_add(
                actor=actor,
                meeting=meeting,
                title=f"Đề nghị tặng {form.name} năm {year}",
                candidates=specs,
                seats=None,
            )
            candidates = list(item.candidates.order_by("order"))
            for dossier, candidate in zip(group, candidates, strict=True):
                dossier.council_candidate = candidate
                dossier.save(update_fields=["council_candidate", "updated_at"])
                _event(dossier, DossierEvent.Action.ON_AGENDA, actor, meeting.title)
    record(
        actor=actor,
        action=AuditAction.COUNCIL_AGENDA_ADDED,
        obj=meeting,
        after={"year": year, "dossiers": [d.pk for d in dossiers]},
    )
    return dossiers
