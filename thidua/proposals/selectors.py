"""The read path: dossiers and proposals a user may see, and what the list page offers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse

from thidua.awards.models import AwardForm, RecipientKind
from thidua.campaigns.models import BlockCycle, Campaign
from thidua.lib.dated import valid_on
from thidua.lib.dates import today
from thidua.org.models import Unit
from thidua.org.permissions import (
    Action,
    can,
    headed_unit_ids,
    is_council_member_of,
)
from thidua.org.selectors import agencies
from thidua.reports.models import Period, Report, ReportVersion
from thidua.scoring.models import RankingSnapshot
from thidua.voting.models import Meeting, TallyRow

from . import checklist, permissions
from .models import NEXT_STATUS, Dossier, DossierRequirement, Route, UpwardProposal


def reviewed_agencies(user: Any) -> list[Unit]:
    """Agencies whose dossiers the user checks (the council's standing body)."""
    return [a for a in agencies() if can(user, Action.PROPOSAL_REVIEW, a)]


def _seeing_all(user: Any) -> list[int]:
    return [a.pk for a in agencies() if can(user, Action.PROPOSAL_REVIEW, a)] + [
        a.pk for a in agencies() if is_council_member_of(user, a)
    ]


def dossier_queryset() -> QuerySet[Dossier]:
    return Dossier.objects.select_related(
        "cycle__campaign__agency",
        "cycle__term__block",
        "cycle__term__leader",
        "form",
        "unit",
        "snapshot",
        "minutes",
        "block_report",
        "council_candidate__item__meeting",
    )


def dossiers_for(user: Any, year: int) -> QuerySet[Dossier]:
    """The standing body and the council see every dossier of their agency; a block's
    leader and deputy see their block's."""
    headed = headed_unit_ids(user)
    scope = Q(cycle__campaign__agency_id__in=_seeing_all(user))
    scope |= Q(cycle__term__leader_id__in=headed) | Q(cycle__term__deputy_id__in=headed)
    return dossier_queryset().filter(scope, cycle__campaign__year=year)


def cycles_to_prepare(user: Any, year: int) -> list[BlockCycle]:
    """The block years the user leads (or deputises) in `year`."""
    headed = headed_unit_ids(user)
    return list(
        BlockCycle.objects.filter(campaign__year=year)
        .filter(Q(term__leader_id__in=headed) | Q(term__deputy_id__in=headed))
        .select_related("term__block", "campaign")
    )


def forms_with_checklist() -> list[AwardForm]:
    """Collective titles and forms with a dossier checklist in force today."""
    day = today()
    ids = DossierRequirement.objects.filter(valid_on(day)).values_list("form_id", flat=True)
    return [f for f in AwardForm.objects.filter(pk__in=ids) if f.accepts(RecipientKind.COLLECTIVE)]


def open_council_sessions(agency: Unit) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        kind=Meeting.Kind.COUNCIL_SESSION, council__agency=agency
    ).exclude(status=Meeting.Status.CLOSED)


def upward_for(user: Any, year: int) -> QuerySet[UpwardProposal]:
    return (
        UpwardProposal.objects.filter(agency_id__in=_seeing_all(user), year=year)
        .select_related("form", "document", "decision")
        .prefetch_related("dossiers__unit")
    )


def award_reason(dossier: Dossier) -> str:
    """The reason written against the unit in the decision, in the wording decisions use
    for a block's leading unit (documents.md §2.5). Document text, always Vietnamese."""
    return (
        "Đã có thành tích xuất sắc trong công tác, dẫn đầu phong trào thi đua "
        f"{dossier.cycle.term.block.name} năm {dossier.cycle.campaign.year}"
    )


def decision_draft_url(dossiers: list[Dossier]) -> str:
    """The award-decision drafting page with one initial row per dossier."""
    base = reverse("awards:decision_draft")
    params: list[tuple[str, str]] = []
    for dossier in dossiers:
        params += [
            ("unit", str(dossier.unit_id)),
            ("form", dossier.form.code),
            ("reason", award_reason(dossier)),
        ]
    return f"{base}?{urlencode(params)}"


def checklist_lines(dossier: Dossier) -> list[checklist.Line]:
    """The checklist as frozen at the last submission while the standing body has it; the
    live evaluation while the block can still change the dossier."""
    if not dossier.editable and dossier.checklist:
        return [checklist.Line(**line) for line in dossier.checklist]
    return checklist.evaluate(dossier, today())


@dataclass(frozen=True)
class DossierActions:
    """What a person may do on one dossier now; the dossier page shows exactly these."""

    download_draft: bool = False  # the block's proposal (tờ trình) to sign
    edit: bool = False  # attach files and send to the standing body
    review: bool = False  # accept or return
    draft_decision: bool = False  # the Department's own award decision


def dossier_actions_for(
    status: str, *, route: str, preparer: bool, reviewer: bool
) -> DossierActions:
    """The actions open on a dossier in `status` (pure: no database)."""
    S = Dossier.Status
    return DossierActions(
        download_draft=preparer,
        edit=preparer and status in (S.DRAFT, S.RETURNED),
        review=reviewer and status == S.SUBMITTED,
        draft_decision=route == "own" and status == S.ACCEPTED,
    )


def dossier_actions(user: Any, dossier: Dossier) -> DossierActions:
    return dossier_actions_for(
        dossier.status,
        route=dossier.route,
        preparer=permissions.may_prepare(user, dossier.cycle),
        reviewer=permissions.may_review(user, permissions.agency_of(dossier)),
    )


@dataclass(frozen=True)
class UpwardActions:
    """What a person may do on one proposal to the level above."""

    issue: bool = False  # number and issue the proposal
    record_status: bool = False
    answer: bool = False  # record the level above's decision
    next_statuses: tuple[str, ...] = ()


def upward_actions_for(status: str, *, has_document: bool, reviewer: bool) -> UpwardActions:
    """The actions open on an upward proposal in `status` (pure: no database)."""
    S = UpwardProposal.Status
    if not reviewer:
        return UpwardActions()
    following = tuple(sorted(NEXT_STATUS.get(status, set())))
    return UpwardActions(
        issue=not has_document and status == S.DRAFTED,
        record_status=bool(following),
        answer=status in (S.SENT, S.ACKNOWLEDGED),
        next_statuses=following,
    )


def upward_actions(user: Any, proposal: UpwardProposal) -> UpwardActions:
    return upward_actions_for(
        proposal.status,
        has_document=proposal.document_id is not None,
        reviewer=permissions.may_review(user, proposal.agency),
    )


# What is due ---------------------------------------------------------------------------------


def dossiers_to_check(campaign: Campaign) -> list[Dossier]:
    """The campaign's block dossiers submitted and waiting for the secretariat's check."""
    return list(
        Dossier.objects.filter(cycle__campaign=campaign, status=Dossier.Status.SUBMITTED)
        .select_related("cycle__term__block")
        .order_by("cycle__term__block__code")
    )


def dossiers_awaiting_council(campaign: Campaign) -> int:
    """Accepted dossiers of the council's route not yet put before the council."""
    return Dossier.objects.filter(
        cycle__campaign=campaign,
        route=Route.COUNCIL,
        status=Dossier.Status.ACCEPTED,
        council_candidate__isnull=True,
    ).count()


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


def ranking_row_of(snapshot: RankingSnapshot | None, unit: Unit) -> dict[str, Any] | None:
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


def member_reports(cycle: BlockCycle) -> list[ReportVersion]:
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
