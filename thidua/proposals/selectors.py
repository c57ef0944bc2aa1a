"""The read path: dossiers and proposals a user may see, and what the list page offers."""

from __future__ import annotations

from dataclasses import dataclass
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
from thidua.voting.models import Meeting

from . import checklist, services
from .models import Dossier, DossierRequirement, Route, UpwardProposal


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
        preparer=services.may_prepare(user, dossier.cycle),
        reviewer=services.may_review(user, services.agency_of(dossier)),
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
    following = tuple(sorted(services.NEXT_STATUS.get(status, set())))
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
        reviewer=services.may_review(user, proposal.agency),
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
