"""Suggested actions on the home page: what this person should do next, each with a link.

| who                  | suggestion                                                        |
|----------------------|-------------------------------------------------------------------|
| unit head            | submit the year-end report (once near its deadline, once started, |
|                      | or returned), with days left or late; self-score the submitted    |
|                      | report in an open round; answer (giải trình) changed scores once  |
|                      | the verification is published                                     |
| block leader, deputy | verify self-scores not verified yet; publish the ranking of a     |
|                      | locked round without one (leader); open the year-end vote once    |
|                      | the scores are final (leader)                                     |
| voter                | vote in an open vote of a meeting whose roll names them, not yet  |
|                      | voted                                                             |
| secretariat          | block dossiers submitted and waiting for the check                |
| secretariat, council | accepted dossiers not yet before the council: call its session    |
| chair or vice-chair  | (whoever may call it), or, once one is planned, put them on its   |
|                      | agenda (the secretariat)                                          |

What is due comes from each app's selectors (the reminders read the same ones); this module
only words it and links it. The selectors take whole campaigns and sets of units, so the
page costs a fixed number of queries whatever the number of blocks, units or votes
(tests/web count them). How near is near, soon or urgent is the agency's dated
configuration (campaigns.DeadlineBands), read once per page by `_bands`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from thidua.campaigns.models import BlockCycle, Campaign, DeadlineBands
from thidua.campaigns.selectors import campaign_cycles, deadline_bands
from thidua.lib.dates import days_left, today
from thidua.org.models import Council, Unit
from thidua.org.permissions import headed_unit_ids, is_secretariat_of
from thidua.proposals.selectors import dossiers_awaiting_council, dossiers_to_check
from thidua.reports.models import Period, Report
from thidua.reports.selectors import is_handed_in, period_deadline, unit_reports
from thidua.scoring.models import ScoringRound
from thidua.scoring.selectors.rounds import (
    answers_open,
    sheets_awaiting_verification,
    unit_sheets,
    yearend_rounds,
)
from thidua.voting.models import Meeting
from thidua.voting.permissions import may_call
from thidua.voting.selectors import (
    block_review_meetings,
    council_session_open,
    cycles_ready_for_vote,
    votes_awaiting,
)

# Urgency bands ---------------------------------------------------------------------------------


class Urgency(Enum):
    NONE = "none"  # no deadline
    URGENT = "urgent"
    SOON = "soon"
    NEAR = "near"  # near enough to ask for work not started yet
    LATER = "later"


def urgency(left: int | None, bands: DeadlineBands | None) -> Urgency:
    """How urgent a task is, by the days left before its deadline (negative once late) and
    the agency's deadline bands."""
    if left is None or bands is None:
        return Urgency.NONE
    if left <= bands.urgent_days:
        return Urgency.URGENT
    if left <= bands.soon_days:
        return Urgency.SOON
    return Urgency.NEAR if left <= bands.notice_days else Urgency.LATER


def _bands(campaign: Campaign | None) -> DeadlineBands | None:
    """The deadline bands of the campaign's agency (or every agency's), valid today."""
    return deadline_bands(campaign.agency_id if campaign else None, today())


BADGES = {Urgency.URGENT: "text-bg-danger", Urgency.SOON: "text-bg-warning"}


@dataclass(frozen=True)
class Suggestion:
    key: str  # stable, for tests and styling: "report", "self_score", "vote", …
    title: str
    detail: str
    url: str
    days_left: int | None = None
    urgency: Urgency = Urgency.NONE  # set by suggested_actions from the deadline bands

    @property
    def badge(self) -> str:
        return BADGES.get(self.urgency, "text-bg-secondary")

    @property
    def is_urgent(self) -> bool:
        """Late or in the urgent band: the badge says so in words and a sign, not only red."""
        return self.urgency == Urgency.URGENT or (self.days_left is not None and self.days_left < 0)

    @property
    def days_late(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def suggested_actions(user: Any, campaign: Campaign | None) -> list[Suggestion]:
    """The person's next actions in the campaign, most urgent first."""
    if not getattr(user, "is_authenticated", False):
        return []
    found: list[Suggestion] = []
    found += _votes(user)
    bands = _bands(campaign)
    if campaign is not None:
        cycles = campaign_cycles(campaign)
        headed = headed_unit_ids(user)
        rounds = yearend_rounds(campaign)
        found += _unit_head(campaign, cycles, headed, rounds, bands)
        found += _leader(cycles, headed, rounds)
        found += _secretariat(user, campaign)
        found += _council(user, campaign)
    found.sort(key=lambda s: (s.days_left is None, s.days_left or 0))
    return [replace(s, urgency=urgency(s.days_left, bands)) for s in found]


# Unit heads -----------------------------------------------------------------------------------


def _unit_head(
    campaign: Campaign,
    cycles: list[BlockCycle],
    headed: set[int],
    rounds: dict[int, ScoringRound],
    bands: DeadlineBands | None,
) -> list[Suggestion]:
    member = [
        (c, m.unit_id) for c in cycles for m in c.term.memberships.all() if m.unit_id in headed
    ]
    if not member:
        return []
    units = Unit.objects.in_bulk({unit_id for _c, unit_id in member})
    mine = [(cycle, units[unit_id]) for cycle, unit_id in member]
    reports = unit_reports([c for c, _u in mine], headed, Period.YEAREND)
    sheets = unit_sheets(rounds.values(), headed)
    deadline = period_deadline(campaign, Period.YEAREND)
    day = today()
    found = []
    for cycle, unit in mine:
        report = reports.get((cycle.pk, unit.pk))
        found += _report_suggestion(cycle, unit, report, deadline, day, bands)
        round_ = rounds.get(cycle.term.block_id)
        if round_ is None or round_.is_locked or not is_handed_in(report):
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
        if answers and answers_open(round_, day):
            open_until = round_.answer_until
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
                    days_left(open_until, day),
                )
            )
    return found


def _report_suggestion(
    cycle: BlockCycle,
    unit: Any,
    report: Report | None,
    deadline: dt.date | None,
    day: dt.date,
    bands: DeadlineBands | None,
) -> list[Suggestion]:
    if is_handed_in(report):
        return []
    left = days_left(deadline, day)
    near = urgency(left, bands) in (Urgency.URGENT, Urgency.SOON, Urgency.NEAR)
    if report is None and not near:
        return []
    if report is not None and report.is_returned:
        detail = _("%(unit)s: returned by the block leader, send it again") % {"unit": unit.name}
    else:
        detail = unit.name
    return [
        Suggestion(
            "report",
            _("Submit the annual report (nộp báo cáo năm)"),
            detail,
            reverse("report_for_unit", args=[cycle.pk, Period.YEAREND.value, unit.pk]),
            left,
        )
    ]


# Block leaders and deputies -------------------------------------------------------------------


def _leader(
    cycles: list[BlockCycle], headed: set[int], rounds: dict[int, ScoringRound]
) -> list[Suggestion]:
    led = [c for c in cycles if c.term.leader_id in headed]
    deputy = [c for c in cycles if c.term.deputy_id is not None and c.term.deputy_id in headed]
    if not led and not deputy:
        return []
    found = []
    mine_rounds = [rounds[c.term.block_id] for c in {*led, *deputy} if c.term.block_id in rounds]
    waiting = sheets_awaiting_verification(mine_rounds)
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
    ready = cycles_ready_for_vote(led)
    if not ready:
        return []
    meetings = block_review_meetings([c.term for c in ready])
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
    return [
        Suggestion(
            "vote",
            _("Vote (bỏ phiếu)"),
            f"{vote.item.title} — {vote.meeting.title}",
            reverse("voting_ballot", args=[vote.pk]),
            0,
        )
        for vote in votes_awaiting(user)
    ]


# The secretariat ------------------------------------------------------------------------------


def _secretariat(user: Any, campaign: Campaign) -> list[Suggestion]:
    if not is_secretariat_of(user, campaign.agency):
        return []
    return [
        Suggestion(
            "dossier",
            _("Check the block's dossier (hồ sơ đề nghị)"),
            dossier.cycle.term.block.name,
            reverse("proposals:dossier", args=[dossier.pk]),
        )
        for dossier in dossiers_to_check(campaign)
    ]


# The council ----------------------------------------------------------------------------------


def _council(user: Any, campaign: Campaign) -> list[Suggestion]:
    """Accepted dossiers wait for the council: whoever may call its session is asked to,
    and once a session is planned the secretariat is asked to put them on its agenda."""
    council = Council.objects.filter(agency_id=campaign.agency_id).select_related("agency").first()
    if council is None or not may_call(user, agency=council.agency, council=council, on=today()):
        return []
    waiting = dossiers_awaiting_council(campaign)
    if not waiting:
        return []
    detail = ngettext(
        "%(count)d accepted dossier is not yet before the council.",
        "%(count)d accepted dossiers are not yet before the council.",
        waiting,
    ) % {"count": waiting}
    if not council_session_open(council):
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
