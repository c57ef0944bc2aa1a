"""Suggested actions on the home page: what this person should do next, each with a link.

| who                  | suggestion                                                        |
|----------------------|-------------------------------------------------------------------|
| unit head            | submit the year-end report (within REPORT_SOON days of the        |
|                      | deadline, once started, or returned), with days left or late;     |
|                      | self-score the submitted report in an open round; answer          |
|                      | (giải trình) changed scores once the verification is published    |
| block leader, deputy | verify self-scores not verified yet; publish the ranking of a     |
|                      | locked round without one (leader); open the year-end vote once    |
|                      | the scores are final (leader)                                     |
| voter                | vote in an open vote of a meeting whose roll names them, not yet  |
|                      | voted                                                             |
| secretariat          | block dossiers submitted and waiting for the check                |
| secretariat, council | accepted dossiers not yet before the council: call its session    |
| chair or vice-chair  | (whoever may call it), or, once one is planned, put them on its   |
|                      | agenda (the secretariat)                                          |

The web app sits above every other app, so this reads their models directly, with a fixed
number of queries whatever the number of blocks, units or votes (tests/web count them).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from thidua.campaigns.cycle import CycleState
from thidua.campaigns.models import BlockCycle, Campaign
from thidua.lib.dates import today
from thidua.org.models import Council, Unit
from thidua.org.permissions import headed_unit_ids, is_secretariat_of
from thidua.proposals.models import Dossier, Route
from thidua.reports.models import Period, Report
from thidua.reports.selectors import period_deadline
from thidua.scoring.models import ScoreSheet, ScoringRound
from thidua.voting.models import Entitlement, Meeting, Vote, VoterRecord
from thidua.voting.permissions import may_call

# The year-end report is suggested this many days before its deadline (earlier once the
# unit has started it).
REPORT_SOON = 30
# Years at which the leader is asked to open the year-end vote.
VOTE_STATES = (CycleState.SCORES_FINAL,)


@dataclass(frozen=True)
class Suggestion:
    key: str  # stable, for tests and styling: "report", "self_score", "vote", …
    title: str
    detail: str
    url: str
    days_left: int | None = None

    @property
    def badge(self) -> str:
        if self.days_left is None:
            return "text-bg-secondary"
        if self.days_left <= 3:
            return "text-bg-danger"
        return "text-bg-warning" if self.days_left <= 14 else "text-bg-secondary"

    @property
    def days_late(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def suggested_actions(user: Any, campaign: Campaign | None) -> list[Suggestion]:
    """The person's next actions in the campaign, most urgent first."""
    if not getattr(user, "is_authenticated", False):
        return []
    found: list[Suggestion] = []
    found += _votes(user)
    if campaign is not None:
        cycles = list(
            campaign.cycles.select_related("term__block", "term__leader", "term__deputy")
            .prefetch_related("term__memberships")
            .order_by("term__block__code")
        )
        headed = headed_unit_ids(user)
        rounds = _rounds(campaign)
        found += _unit_head(campaign, cycles, headed, rounds)
        found += _leader(cycles, user, headed, rounds)
        found += _secretariat(user, campaign)
        found += _council(user, campaign)
    return sorted(found, key=lambda s: (s.days_left is None, s.days_left or 0))


# Unit heads -----------------------------------------------------------------------------------


def _rounds(campaign: Campaign) -> dict[int, ScoringRound]:
    """The year-end round of each block's table (its latest version), by block id. A round
    may open on a draft table; the first self-score freezes it."""
    rounds = (
        ScoringRound.objects.filter(
            table__campaign=campaign,
            table__block__isnull=False,
            period=Period.YEAREND,
        )
        .select_related("table")
        .annotate(snapshot_count=Count("snapshots"))
        .order_by("table__version")
    )
    return {r.table.block_id: r for r in rounds if r.table.block_id is not None}


def _unit_head(
    campaign: Campaign,
    cycles: list[BlockCycle],
    headed: set[int],
    rounds: dict[int, ScoringRound],
) -> list[Suggestion]:
    member = [
        (c, m.unit_id) for c in cycles for m in c.term.memberships.all() if m.unit_id in headed
    ]
    if not member:
        return []
    units = Unit.objects.in_bulk({unit_id for _c, unit_id in member})
    mine = [(cycle, units[unit_id]) for cycle, unit_id in member]
    reports = {
        (r.cycle_id, r.unit_id): r
        for r in Report.objects.filter(
            cycle__in=[c for c, _u in mine], unit_id__in=headed, period=Period.YEAREND
        )
    }
    sheets = {
        (s.round_id, s.unit_id): s
        for s in ScoreSheet.objects.filter(
            round__in=list(rounds.values()), unit_id__in=headed
        ).annotate(
            to_answer=Count(
                "entries",
                filter=Q(entries__verified_points__isnull=False, entries__answer="")
                & ~Q(entries__verified_points=F("entries__self_points")),
            )
        )
    }
    deadline = period_deadline(campaign, Period.YEAREND)
    day = today()
    found = []
    for cycle, unit in mine:
        report = reports.get((cycle.pk, unit.pk))
        found += _report_suggestion(cycle, unit, report, deadline, day)
        round_ = rounds.get(cycle.term.block_id)
        submitted = report is not None and report.status in (
            Report.Status.SUBMITTED,
            Report.Status.ACCEPTED,
        )
        if round_ is None or round_.is_locked or not submitted:
            continue
        sheet = sheets.get((round_.pk, unit.pk))
        if sheet is None or sheet.self_scored_at is None:
            found.append(
                Suggestion(
                    "self_score",
                    _("Self-score (chấm điểm tự đánh giá)"),
                    _("%(unit)s, %(block)s") % {"unit": unit.name, "block": cycle.term.block.name},
                    reverse("scoring_self", args=[round_.pk, unit.pk]),
                )
            )
            continue
        answers = getattr(sheet, "to_answer", None) or 0
        if round_.verification_published_at and answers:
            open_until = round_.answer_until
            if open_until is None or open_until >= day:
                found.append(
                    Suggestion(
                        "answer",
                        _("Explain (giải trình) the changed scores"),
                        ngettext(
                            "%(unit)s: %(count)d score changed by the verification",
                            "%(unit)s: %(count)d scores changed by the verification",
                            answers,
                        )
                        % {"unit": unit.name, "count": answers},
                        reverse("scoring_answer", args=[round_.pk, unit.pk]),
                        (open_until - day).days if open_until else None,
                    )
                )
    return found


def _report_suggestion(
    cycle: BlockCycle, unit: Any, report: Report | None, deadline: dt.date | None, day: dt.date
) -> list[Suggestion]:
    if report is not None and report.status in (Report.Status.SUBMITTED, Report.Status.ACCEPTED):
        return []
    days_left = (deadline - day).days if deadline else None
    started = report is not None
    if not started and (days_left is None or days_left > REPORT_SOON):
        return []
    if report is not None and report.status == Report.Status.RETURNED:
        detail = _("%(unit)s: returned by the block leader, send it again") % {"unit": unit.name}
    else:
        detail = unit.name
    return [
        Suggestion(
            "report",
            _("Submit the annual report (nộp báo cáo năm)"),
            detail,
            reverse("report_for_unit", args=[cycle.pk, Period.YEAREND.value, unit.pk]),
            days_left,
        )
    ]


# Block leaders and deputies -------------------------------------------------------------------


def _leader(
    cycles: list[BlockCycle], user: Any, headed: set[int], rounds: dict[int, ScoringRound]
) -> list[Suggestion]:
    led = [c for c in cycles if c.term.leader_id in headed]
    deputy = [c for c in cycles if c.term.deputy_id is not None and c.term.deputy_id in headed]
    if not led and not deputy:
        return []
    found = []
    mine_rounds = [rounds[c.term.block_id] for c in {*led, *deputy} if c.term.block_id in rounds]
    # Sheets self-scored with no entry verified yet: at most a block's members per round.
    waiting = Counter(
        ScoreSheet.objects.filter(
            round__in=[r for r in mine_rounds if not r.is_locked], self_scored_at__isnull=False
        )
        .annotate(verified=Count("entries", filter=Q(entries__verified_at__isnull=False)))
        .filter(verified=0)
        .values_list("round_id", flat=True)
    )
    for round_ in mine_rounds:
        count = waiting.get(round_.pk, 0)
        if count:
            found.append(
                Suggestion(
                    "verify",
                    _("Verify the scores (thẩm định điểm)"),
                    ngettext(
                        "%(count)d unit self-scored, not verified yet",
                        "%(count)d units self-scored, not verified yet",
                        count,
                    )
                    % {"count": count},
                    reverse("scoring_matrix", args=[round_.table_id, round_.period]),
                )
            )
    for cycle in led:
        locked = rounds.get(cycle.term.block_id)
        if locked is not None and locked.is_locked and not getattr(locked, "snapshot_count", 0):
            found.append(
                Suggestion(
                    "publish",
                    _("Publish the ranking (công bố xếp hạng)"),
                    _("%(block)s: the scores are locked") % {"block": cycle.term.block.name},
                    reverse("scoring_matrix", args=[locked.table_id, locked.period]),
                )
            )
    found += _open_vote(led)
    return found


def _open_vote(led: list[BlockCycle]) -> list[Suggestion]:
    ready = [c for c in led if c.state in VOTE_STATES]
    if not ready:
        return []
    meetings = {
        m.term_id: m
        for m in Meeting.objects.filter(
            term__in=[c.term for c in ready], kind=Meeting.Kind.BLOCK_REVIEW
        ).order_by("held_on")
    }
    found = []
    for cycle in ready:
        meeting = meetings.get(cycle.term_id)
        if meeting is not None and meeting.status == Meeting.Status.CLOSED:
            continue
        url = (
            reverse("voting_meeting", args=[meeting.pk])
            if meeting is not None
            else reverse("voting_meeting_new", args=[cycle.term_id])
        )
        found.append(
            Suggestion(
                "open_vote",
                _("Open the vote (mở phiên bỏ phiếu)"),
                _("%(block)s: the scores are final; the year-end meeting chooses the leading unit")
                % {"block": cycle.term.block.name},
                url,
            )
        )
    return found


# Voters ---------------------------------------------------------------------------------------


def _votes(user: Any) -> list[Suggestion]:
    """Open votes where one of the person's roll lines has not voted yet."""
    lines_q = Q(unit_id__in=headed_unit_ids(user), person__isnull=True)
    person_id = getattr(user, "person_id", None)
    if person_id:
        lines_q |= Q(person_id=person_id)
    lines = list(
        Entitlement.objects.filter(lines_q)
        .exclude(meeting__status=Meeting.Status.CLOSED)
        .values_list("pk", "meeting_id")
    )
    if not lines:
        return []
    now = timezone.now()
    votes = list(
        Vote.objects.filter(
            status=Vote.Status.OPEN, meeting_id__in={m for _pk, m in lines}, opens_at__lte=now
        )
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .select_related("item", "meeting")
    )
    if not votes:
        return []
    voted = set(
        VoterRecord.objects.filter(
            vote__in=votes, entitlement_id__in=[pk for pk, _m in lines]
        ).values_list("vote_id", "entitlement_id")
    )
    found = []
    for vote in votes:
        mine = [pk for pk, meeting_id in lines if meeting_id == vote.meeting_id]
        if any((vote.pk, pk) not in voted for pk in mine):
            found.append(
                Suggestion(
                    "vote",
                    _("Vote (bỏ phiếu)"),
                    f"{vote.item.title} — {vote.meeting.title}",
                    reverse("voting_ballot", args=[vote.pk]),
                    0,
                )
            )
    return found


# The secretariat ------------------------------------------------------------------------------


def _secretariat(user: Any, campaign: Campaign) -> list[Suggestion]:
    if not is_secretariat_of(user, campaign.agency):
        return []
    waiting = list(
        Dossier.objects.filter(cycle__campaign=campaign, status=Dossier.Status.SUBMITTED)
        .select_related("cycle__term__block")
        .order_by("cycle__term__block__code")
    )
    return [
        Suggestion(
            "dossier",
            _("Check the block's dossier (hồ sơ đề nghị)"),
            dossier.cycle.term.block.name,
            reverse("proposals:dossier", args=[dossier.pk]),
        )
        for dossier in waiting
    ]


# The council ----------------------------------------------------------------------------------


def _council(user: Any, campaign: Campaign) -> list[Suggestion]:
    """Accepted dossiers wait for the council: whoever may call its session is asked to,
    and once a session is planned the secretariat is asked to put them on its agenda."""
    council = Council.objects.filter(agency_id=campaign.agency_id).select_related("agency").first()
    if council is None or not may_call(user, agency=council.agency, council=council, on=today()):
        return []
    waiting = Dossier.objects.filter(
        cycle__campaign=campaign,
        route=Route.COUNCIL,
        status=Dossier.Status.ACCEPTED,
        council_candidate__isnull=True,
    ).count()
    if not waiting:
        return []
    detail = ngettext(
        "%(count)d accepted dossier is not yet before the council.",
        "%(count)d accepted dossiers are not yet before the council.",
        waiting,
    ) % {"count": waiting}
    session = Meeting.objects.filter(
        council=council, status__in=[Meeting.Status.PLANNED, Meeting.Status.IN_SESSION]
    ).exists()
    if not session:
        url = reverse("voting_council_meeting_new") + f"?council={council.pk}"
        return [Suggestion("council_session", _("Call the council's session"), detail, url)]
    if not is_secretariat_of(user, campaign.agency):
        return []
    url = reverse("proposals:index") + f"?year={campaign.year}"
    return [
        Suggestion(
            "council_agenda", _("Put the accepted dossiers on the session's agenda"), detail, url
        )
    ]
