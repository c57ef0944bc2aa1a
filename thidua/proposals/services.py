"""The write path of proposals: authorise → validate → write → audit, one transaction each.

Who does what:
* the block's leader (or deputy) prepares its dossier, attaches files and submits it;
* the council's standing body (Action.PROPOSAL_REVIEW: the secretariat) accepts or returns
  it, puts accepted dossiers before the council, drafts and issues the Department's proposal
  to the level above, records its status there and records the answer;
* the council votes with the meeting machinery of `thidua.voting`; the result is read from
  its tally rows, never recomputed here.

Each step moves the block's year along (campaigns.services.block_cycle_follow).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from thidua.audit.services import record
from thidua.awards import services as awards
from thidua.awards.models import AwardForm, AwardLevel, RecipientKind
from thidua.campaigns.cycle import CycleState
from thidua.campaigns.models import BlockCycle
from thidua.campaigns.services import block_cycle_follow
from thidua.documents import generators
from thidua.documents import services as documents
from thidua.documents.legal import national_bases_on
from thidua.documents.models import IssuedDocument
from thidua.lib import files
from thidua.lib.dates import today
from thidua.lib.files import Area
from thidua.org.models import Unit, User
from thidua.org.permissions import (
    Action,
    Actor,
    authorize,
    can,
    is_block_deputy,
    is_block_leader,
    is_council_member_of,
)
from thidua.reports import evidence
from thidua.reports.models import Period, Report, ReportVersion
from thidua.scoring.models import RankingSnapshot
from thidua.scoring.report_document import report_of
from thidua.voting import minutes as voting_minutes
from thidua.voting.models import Meeting, TallyRow
from thidua.voting.services.meetings import CandidateSpec, agenda_item_add

from . import checklist
from .models import (
    FILE_KINDS,
    Dossier,
    DossierEvent,
    DossierFile,
    Route,
    UpwardEvent,
    UpwardProposal,
)

PROPOSAL_TEMPLATE = "to_trinh.docx"
PROPOSAL_TYPE = "TTr"
VIA = "proposals"


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _user(actor: Actor) -> User:
    if not isinstance(actor, User):
        raise PermissionDenied(_("Sign in to do this."))
    return actor


# Permissions ------------------------------------------------------------------------------------


def agency_of(dossier: Dossier) -> Unit:
    return dossier.cycle.campaign.agency


def may_prepare(actor: Actor, cycle: BlockCycle) -> bool:
    return is_block_leader(actor, cycle.term) or is_block_deputy(actor, cycle.term)


def may_review(actor: Actor, agency: Unit) -> bool:
    return can(actor, Action.PROPOSAL_REVIEW, agency)


def may_view(actor: Actor, dossier: Dossier) -> bool:
    """The block's leader and deputy, the standing body, and the council's members (who read
    the dossiers before the session)."""
    agency = agency_of(dossier)
    return (
        may_prepare(actor, dossier.cycle)
        or may_review(actor, agency)
        or is_council_member_of(actor, agency)
    )


def _require_preparer(actor: Actor, cycle: BlockCycle) -> None:
    if not may_prepare(actor, cycle):
        raise PermissionDenied(_("Only the block's leader or deputy prepares its dossier."))


# What backs a dossier ---------------------------------------------------------------------------


def latest_snapshot(cycle: BlockCycle) -> RankingSnapshot | None:
    return (
        RankingSnapshot.objects.filter(
            round__table__campaign=cycle.campaign,
            round__table__block=cycle.term.block,
            round__period=Period.YEAREND,
        )
        .order_by("-published_at", "-number")
        .first()
    )


def year_end_winner(cycle: BlockCycle) -> TallyRow | None:
    """The unit the block's year-end meeting chose (the last round that chose one)."""
    return (
        TallyRow.objects.filter(
            tally__vote__meeting__term=cycle.term,
            tally__vote__meeting__kind=Meeting.Kind.BLOCK_REVIEW,
            elected=True,
            candidate__unit__isnull=False,
        )
        .select_related("tally__vote__meeting", "candidate__unit")
        .order_by("-tally__vote__meeting__held_on", "-tally__vote__round_number", "-pk")
        .first()
    )


def _row_of(snapshot: RankingSnapshot | None, unit: Unit) -> dict[str, Any] | None:
    if snapshot is None:
        return None
    return next((r for r in snapshot.rows if r.get("unit") == unit.code), None)


def default_unit(cycle: BlockCycle) -> Unit | None:
    """The winner of the block's vote, else the first of its published ranking."""
    winner = year_end_winner(cycle)
    if winner is not None:
        return winner.candidate.unit
    snapshot = latest_snapshot(cycle)
    if snapshot is None:
        return None
    first = sorted((r for r in snapshot.rows if r.get("rank") == 1), key=lambda r: r["unit"])
    if not first:
        return None
    return Unit.objects.filter(code=first[0]["unit"]).first()


def _member_reports(cycle: BlockCycle) -> list[ReportVersion]:
    versions = []
    reports = Report.objects.filter(
        cycle=cycle,
        period=Period.YEAREND,
        status__in=[Report.Status.SUBMITTED, Report.Status.ACCEPTED],
    )
    for report in reports:
        latest = report.versions.order_by("-number").first()
        if latest is not None:
            versions.append(latest)
    return versions


def _collect(dossier: Dossier) -> None:
    """Link the latest of what backs the dossier: ranking, vote, minutes, reports."""
    cycle = dossier.cycle
    snapshot = latest_snapshot(cycle)
    row = _row_of(snapshot, dossier.unit)
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
    dossier.member_reports.set(_member_reports(cycle))


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


# Dossiers ---------------------------------------------------------------------------------------


@transaction.atomic
def dossier_prepare(
    *, actor: Actor, cycle: BlockCycle, form: AwardForm, unit: Unit | None = None
) -> Dossier:
    """The block's dossier for `form`; a second call returns the first one."""
    _require_preparer(actor, cycle)
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
        cycle=cycle, form=form, unit=unit, route=route, created_by=_user(actor)
    )
    _collect(dossier)
    _event(dossier, DossierEvent.Action.PREPARED, actor)
    record(actor=actor, action="proposals.dossier.prepared", obj=dossier, after=_snapshot(dossier))
    return dossier


def _store(checked: evidence.Checked, data: bytes) -> str:
    return files.keep(Area.PROPOSAL_FILES, data, checked.kind).name


def read_file(item: DossierFile) -> bytes:
    return files.read(Area.PROPOSAL_FILES, item.path)


@transaction.atomic
def dossier_file_add(
    *, actor: Actor, dossier: Dossier, requirement_code: str, name: str, data: bytes
) -> DossierFile:
    """Attach a file to one item of the dossier, checked by its content."""
    dossier = _lock(dossier)
    _require_preparer(actor, dossier.cycle)
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
            "path": _store(checked, data),
            "uploaded_by": _user(actor),
        },
    )
    if created:
        record(
            actor=actor,
            action="proposals.dossier.file_added",
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
    _require_preparer(actor, dossier.cycle)
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
        action="proposals.dossier.submitted",
        obj=dossier,
        before=before,
        after={**_snapshot(dossier), "checklist": dossier.checklist},
    )
    block_cycle_follow(
        actor=actor, cycle=dossier.cycle, target=CycleState.SUBMITTED_TO_DEPT, via=VIA
    )
    return dossier


def _require_reviewer(actor: Actor, dossier: Dossier) -> None:
    authorize(actor, Action.PROPOSAL_REVIEW, agency_of(dossier))


@transaction.atomic
def dossier_accept(*, actor: Actor, dossier: Dossier) -> Dossier:
    dossier = _lock(dossier)
    _require_reviewer(actor, dossier)
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
        action="proposals.dossier.accepted",
        obj=dossier,
        before=before,
        after=_snapshot(dossier),
    )
    return dossier


@transaction.atomic
def dossier_return(*, actor: Actor, dossier: Dossier, reason: str) -> Dossier:
    """Back to the block with the reason; the block's year steps back with it."""
    dossier = _lock(dossier)
    _require_reviewer(actor, dossier)
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
        action="proposals.dossier.returned",
        obj=dossier,
        before=before,
        after=_snapshot(dossier),
        extra={"reason": dossier.return_reason},
    )
    block_cycle_follow(actor=actor, cycle=dossier.cycle, target=CycleState.LEADER_ELECTED, via=VIA)
    return dossier


# The council ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CouncilResult:
    approved: bool
    votes: int
    base: int
    percent: Decimal
    threshold: str
    reason: str


def council_result(dossier: Dossier) -> CouncilResult | None:
    """The council's vote on the dossier, from its last counted round; None before."""
    if dossier.council_candidate_id is None:
        return None
    row = (
        TallyRow.objects.filter(candidate_id=dossier.council_candidate_id)
        .order_by("-tally__vote__round_number")
        .first()
    )
    if row is None:
        return None
    return CouncilResult(
        approved=row.elected,
        votes=row.votes,
        base=row.base,
        percent=row.percent,
        threshold=row.threshold,
        reason=row.reason,
    )


def council_candidates(meeting: Meeting, year: int) -> list[Dossier]:
    """Accepted dossiers of the year not yet before a council."""
    return list(
        Dossier.objects.filter(
            status=Dossier.Status.ACCEPTED,
            council_candidate__isnull=True,
            cycle__campaign__year=year,
            cycle__campaign__agency=meeting.agency,
        )
        .select_related("form", "unit", "cycle__term__block")
        .order_by("form__order", "cycle__term__block__code")
    )


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
        action="proposals.council.agenda_added",
        obj=meeting,
        after={"year": year, "dossiers": [d.pk for d in dossiers]},
    )
    return dossiers


def own_decision_pending(agency: Unit, year: int) -> list[Dossier]:
    """Dossiers for titles the Director awards: accepted, and approved by the council when
    it voted on them, and not yet in a decision of the register."""
    from thidua.awards.models import Award

    pending = []
    for dossier in (
        Dossier.objects.filter(
            route=Route.OWN,
            status=Dossier.Status.ACCEPTED,
            cycle__campaign__year=year,
            cycle__campaign__agency=agency,
        )
        .select_related("form", "unit", "cycle__term__block")
        .order_by("form__order", "cycle__term__block__code")
    ):
        result = council_result(dossier)
        if dossier.council_candidate_id is not None and (result is None or not result.approved):
            continue
        awarded = Award.objects.filter(
            unit=dossier.unit,
            form=dossier.form,
            revoked=False,
            decision__issued_on__year__gte=year,
        ).exists()
        if not awarded:
            pending.append(dossier)
    return pending


# The proposal to the level above ----------------------------------------------------------------


def _upward_snapshot(proposal: UpwardProposal) -> dict[str, Any]:
    return {
        "form": proposal.form.code,
        "year": proposal.year,
        "level_above": proposal.level_above,
        "status": proposal.status,
        "dossiers": sorted(proposal.dossiers.values_list("pk", flat=True)),
    }


def _upward_event(
    proposal: UpwardProposal, actor: Actor, on: dt.date, number: str = "", note: str = ""
) -> UpwardEvent:
    return UpwardEvent.objects.create(
        proposal=proposal,
        status=proposal.status,
        on=on,
        number=number.strip(),
        note=note.strip(),
        recorded_by=actor if isinstance(actor, User) else None,
    )


def approved_for_upward(agency: Unit, year: int, form: AwardForm) -> list[Dossier]:
    """Dossiers the council approved for `form` that no live proposal carries yet."""
    carried = set(
        UpwardProposal.objects.filter(agency=agency, year=year, form=form)
        .exclude(status=UpwardProposal.Status.REJECTED)
        .values_list("dossiers", flat=True)
    )
    found = []
    for dossier in Dossier.objects.filter(
        route=Route.COUNCIL,
        form=form,
        cycle__campaign__year=year,
        cycle__campaign__agency=agency,
        council_candidate__isnull=False,
    ).select_related("unit", "cycle__term__block", "form"):
        result = council_result(dossier)
        if result is not None and result.approved and dossier.pk not in carried:
            found.append(dossier)
    return found


@transaction.atomic
def upward_create(
    *,
    actor: Actor,
    agency: Unit,
    year: int,
    form: AwardForm,
    level_above: str,
    dossiers: list[Dossier],
) -> UpwardProposal:
    authorize(actor, Action.PROPOSAL_REVIEW, agency)
    errors: list[str] = []
    if not level_above.strip():
        errors.append(_("Name the level the proposal goes to."))
    if not dossiers:
        errors.append(_("Choose at least one dossier the council approved."))
    allowed = {d.pk for d in approved_for_upward(agency, year, form)}
    for dossier in dossiers:
        if dossier.pk not in allowed:
            errors.append(
                _(
                    "The dossier of “%(unit)s” was not approved by the council for "
                    "“%(form)s”, or another proposal already carries it."
                )
                % {"unit": dossier.unit.name, "form": form}
            )
    if errors:
        raise ValidationError(errors)
    proposal = UpwardProposal.objects.create(
        agency=agency,
        year=year,
        form=form,
        level_above=level_above.strip(),
        created_by=_user(actor),
    )
    proposal.dossiers.set(dossiers)
    _upward_event(proposal, actor, today())
    record(
        actor=actor,
        action="proposals.upward.drafted",
        obj=proposal,
        after=_upward_snapshot(proposal),
    )
    return proposal


def upward_context(proposal: UpwardProposal, signer: generators.Signer) -> dict[str, Any]:
    """to_trinh.docx's context, in Vietnamese, from the proposal and its dossiers."""
    with translation.override("vi"):
        agency = proposal.agency
        body = documents.issuing_body_of(agency)
        day = today()
        dossiers = list(
            proposal.dossiers.select_related("unit", "cycle__term__block").order_by(
                "cycle__term__block__code"
            )
        )
        blocks = ", ".join(d.cycle.term.block.name for d in dossiers)
        council = getattr(agency, "council", None)
        council_name = council.name if council is not None else "Hội đồng Thi đua – Khen thưởng"
        standing = council.standing_body if council is not None else None
        return generators.proposal_context(
            issuer={
                "governing_body": body.governing_body_name
                or (agency.parent.name if agency.parent else ""),
                "name": body.name,
                "symbol": body.symbol,
                "place": body.place,
            },
            number=None,
            day=day,
            summary=f"Về việc đề nghị tặng {proposal.form.name} năm {proposal.year}",
            addressees=[proposal.level_above],
            legal_bases=national_bases_on(day),
            request=[
                f"Căn cứ kết quả bình xét của {blocks} và kết quả biểu quyết của {council_name};",
                f"{body.name} kính đề nghị {proposal.level_above} xem xét, tặng "
                f"{proposal.form.name} cho {len(dossiers):02d} tập thể đã có thành tích xuất "
                f"sắc, dẫn đầu phong trào thi đua năm {proposal.year}, cụ thể:",
            ],
            nominees=[
                (
                    f"{d.unit.name} (đơn vị dẫn đầu {d.cycle.term.block.name})",
                    proposal.form.name,
                )
                for d in dossiers
            ],
            closing=[
                "(Kèm theo hồ sơ đề nghị của các Khối thi đua và biên bản họp của Hội đồng.)",
                f"{body.name} kính trình {proposal.level_above} xem xét, quyết định./.",
            ],
            signer=signer,
            recipients=["Như trên"],
            archive=standing.code if standing is not None else "",
        )


def upward_key(proposal: UpwardProposal) -> str:
    return f"proposals:upward:{proposal.pk}:ttr"


def upward_issue(
    *,
    actor: Actor,
    proposal: UpwardProposal,
    signer_name: str,
    signer_title: str,
    signer_authority: str = "",
) -> IssuedDocument:
    """Number the Department's proposal in the registry and render it; once per proposal."""
    authorize(actor, Action.PROPOSAL_REVIEW, proposal.agency)
    if proposal.document_id is not None:
        return proposal.document  # type: ignore[return-value]
    body = documents.issuing_body_of(proposal.agency)
    context = upward_context(
        proposal,
        {"authority": signer_authority, "title": signer_title, "name": signer_name},
    )
    template_record, content = documents.choose_template(PROPOSAL_TEMPLATE, body)
    with transaction.atomic():
        proposal = UpwardProposal.objects.select_for_update().get(pk=proposal.pk)
        document = documents.document_issue(
            actor=actor,
            issuer=body,
            doc_type_code=PROPOSAL_TYPE,
            issued_on=today(),
            summary=context["summary"],
            signer_name=signer_name,
            signer_title=signer_title,
            idempotency_key=upward_key(proposal),
            render=documents.registry_renderer(PROPOSAL_TEMPLATE, content, context),
            make_pdf=True,
            campaign=proposal.dossiers.first().cycle.campaign,  # type: ignore[union-attr]
            template=template_record,
        )
        proposal.document = document
        proposal.save(update_fields=["document"])
        record(
            actor=actor,
            action="proposals.upward.issued",
            obj=proposal,
            after={"document": document.symbol},
        )
    return document


S = UpwardProposal.Status
# What the secretariat may record next, from each status (the answer has its own service).
NEXT_STATUS: dict[str, set[str]] = {
    S.DRAFTED: {S.SENT},
    S.SENT: {S.ACKNOWLEDGED, S.RETURNED},
    S.ACKNOWLEDGED: {S.RETURNED},
    S.RETURNED: {S.SENT},
}


def _last_event_day(proposal: UpwardProposal) -> dt.date | None:
    last = proposal.events.order_by("-on", "-id").first()
    return last.on if last else None


def _check_day(proposal: UpwardProposal, on: dt.date, errors: list[str]) -> None:
    if on > today():
        errors.append(_("The date must not be in the future."))
    last = _last_event_day(proposal)
    if last is not None and on < last:
        errors.append(
            _("The date must not be before the last recorded step (%(date)s).")
            % {"date": _fmt(last)}
        )


@transaction.atomic
def upward_status_record(
    *,
    actor: Actor,
    proposal: UpwardProposal,
    status: str,
    on: dt.date,
    number: str = "",
    note: str = "",
) -> UpwardProposal:
    """Sent (with the number and date on the paper), received, or returned for supplement."""
    proposal = UpwardProposal.objects.select_for_update().get(pk=proposal.pk)
    authorize(actor, Action.PROPOSAL_REVIEW, proposal.agency)
    if status not in NEXT_STATUS.get(proposal.status, set()):
        raise ValidationError(
            _("A proposal that is “%(now)s” cannot become “%(next)s”.")
            % {"now": proposal.get_status_display(), "next": dict(S.choices).get(status, status)}
        )
    errors: list[str] = []
    _check_day(proposal, on, errors)
    if status == S.SENT:
        if proposal.document_id is None and not number.strip():
            errors.append(_("Issue the proposal document or give its number before sending."))
        number = number.strip() or (proposal.document.symbol if proposal.document else "")
    if status == S.RETURNED and not note.strip():
        errors.append(_("Give the reason the level above returned the proposal."))
    if errors:
        raise ValidationError(errors)
    before = _upward_snapshot(proposal)
    proposal.status = status
    proposal.save(update_fields=["status"])
    _upward_event(proposal, actor, on, number, note)
    record(
        actor=actor,
        action=f"proposals.upward.{status}",
        obj=proposal,
        before=before,
        after={**_upward_snapshot(proposal), "on": on, "number": number, "note": note},
    )
    if status == S.SENT:
        for dossier in proposal.dossiers.select_related("cycle"):
            block_cycle_follow(
                actor=actor, cycle=dossier.cycle, target=CycleState.SUBMITTED_TO_CITY, via=VIA
            )
    return proposal


@transaction.atomic
def upward_answer_record(
    *,
    actor: Actor,
    proposal: UpwardProposal,
    awarded: list[Dossier],
    issuer_name: str,
    symbol: str,
    issued_on: dt.date,
    signer: str = "",
    original: bytes | None = None,
    original_name: str = "",
    note: str = "",
) -> UpwardProposal:
    """The level above decided. With awarded dossiers, its decision is recorded in the
    register (received from above, the original attached) and the awards follow; with none,
    the proposal is marked not awarded."""
    proposal = UpwardProposal.objects.select_for_update().get(pk=proposal.pk)
    authorize(actor, Action.PROPOSAL_REVIEW, proposal.agency)
    if proposal.status not in (S.SENT, S.ACKNOWLEDGED):
        raise ValidationError(_("Record the answer once the proposal has been sent."))
    carried = {d.pk: d for d in proposal.dossiers.select_related("unit", "cycle__term__block")}
    errors: list[str] = []
    if any(d.pk not in carried for d in awarded):
        errors.append(_("Only the dossiers this proposal carries can be awarded by its answer."))
    _check_day(proposal, issued_on, errors)
    if errors:
        raise ValidationError(errors)
    before = _upward_snapshot(proposal)
    awarded_ids = {d.pk for d in awarded}
    if awarded_ids:
        with translation.override("vi"):
            items = [
                awards.AwardInput(
                    form=proposal.form,
                    unit=carried[pk].unit,
                    reason=(
                        f"Đơn vị dẫn đầu phong trào thi đua {carried[pk].cycle.term.block.name} "
                        f"năm {proposal.year}"
                    ),
                )
                for pk in sorted(awarded_ids)
            ]
        decision = awards.record_decision(
            actor=actor,
            data=awards.DecisionInput(
                agency=proposal.agency,
                issuer_name=issuer_name,
                symbol=symbol,
                issued_on=issued_on,
                signer=signer,
                received_from_above=True,
                awards=items,
            ),
            original=original,
            original_name=original_name,
        )
        proposal.decision = decision
        proposal.status = S.APPROVED
    else:
        proposal.status = S.REJECTED
    proposal.save(update_fields=["status", "decision"])
    _upward_event(proposal, actor, issued_on, symbol, note)
    record(
        actor=actor,
        action=f"proposals.upward.{proposal.status}",
        obj=proposal,
        before=before,
        after={**_upward_snapshot(proposal), "awarded": sorted(awarded_ids), "symbol": symbol},
    )
    for pk, dossier in carried.items():
        target = CycleState.AWARDED if pk in awarded_ids else CycleState.NOT_AWARDED
        block_cycle_follow(actor=actor, cycle=dossier.cycle, target=target, via=VIA)
    return proposal
