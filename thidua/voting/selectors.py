"""The read path of meetings and votes, scoped to who may see them."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone, translation

from thidua.campaigns.cycle import CycleState
from thidua.campaigns.models import BlockCycle
from thidua.lib.dated import valid_on
from thidua.lib.dates import today
from thidua.org.models import BlockTerm, Council, CouncilMember, Role, Unit, User
from thidua.org.permissions import Actor, headed_unit_ids, is_secretariat_of

from . import tally as pure
from .block_ranking import with_published_ranking
from .models import (
    Attendance,
    Entitlement,
    Meeting,
    Tally,
    TallyRow,
    Vote,
    VoterBasis,
    VoterRecord,
    VotingRule,
)
from .permissions import (
    MeetingActions,
    VoteActions,
    may_call,
    may_enter_paper,
    may_issue_minutes,
    may_run,
    meeting_actions_for,
    vote_actions_for,
)


def entitlements_of(actor: Actor, meeting: Meeting) -> list[Entitlement]:
    """The roll lines the actor may vote for: units they head, or themselves as a person."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return []
    q = Q(unit_id__in=headed_unit_ids(actor, meeting.held_on), person__isnull=True)
    person_id = getattr(actor, "person_id", None)
    if person_id:
        q |= Q(person_id=person_id)
    return list(meeting.roll.filter(q).select_related("unit", "attendance"))


def quorum_numbers(meeting: Meeting) -> tuple[int, int, int]:
    """(present, entitled, needed) by the meeting's rule; needed is the smallest whole
    number that reaches the quorum share."""
    entitled = meeting.roll.count()
    present = Attendance.objects.filter(entitlement__meeting=meeting, present=True).count()
    quorum = meeting.rule.quorum
    needed = -(-quorum.numerator * entitled // quorum.denominator)
    return present, entitled, needed


def voting_rule_in_force(code: str, on: dt.date) -> VotingRule | None:
    return VotingRule.objects.filter(valid_on(on), code=code).order_by("-valid_from").first()


@dataclass
class Viewer:
    runs: bool
    lines: list[Entitlement]

    @property
    def may_view(self) -> bool:
        return self.runs or bool(self.lines)


def viewer_of(user: Any, meeting: Meeting) -> Viewer:
    return Viewer(runs=may_run(user, meeting), lines=entitlements_of(user, meeting))


@dataclass
class VoteRow:
    vote: Vote
    actions: VoteActions


@dataclass
class AgendaRow:
    item: Any  # AgendaItem
    votes: list[VoteRow]


def meeting_actions(user: Any, meeting: Meeting, viewer: Viewer) -> MeetingActions:
    return meeting_actions_for(
        meeting.status, runs=viewer.runs, issues_minutes=may_issue_minutes(user, meeting)
    )


def agenda_rows(user: Any, meeting: Meeting, viewer: Viewer) -> list[AgendaRow]:
    """Each agenda item with its rounds of voting and what the person may do on each
    (`meeting` as returned by meeting_detail: its votes are prefetched)."""
    enters_paper = may_enter_paper(user, meeting)
    rows = {item.pk: AgendaRow(item, []) for item in meeting.agenda.all()}
    for vote in meeting.votes.all():
        tally = getattr(vote, "tally", None) if vote.status == Vote.Status.CLOSED else None
        actions = vote_actions_for(
            vote.status,
            vote.mode,
            tally.outcome if tally is not None else None,
            runs=viewer.runs,
            on_roll=bool(viewer.lines),
            enters_paper=enters_paper,
        )
        if vote.item_id in rows:
            rows[vote.item_id].votes.append(VoteRow(vote, actions))
    return list(rows.values())


def meeting_queryset() -> Any:
    return Meeting.objects.select_related(
        "term__block__agency", "council__agency", "rule", "chair", "secretary"
    )


def meetings_for(user: Any) -> list[Meeting]:
    """Meetings the user runs, is on the roll of, or oversees as secretariat."""
    person_id = getattr(user, "person_id", None)
    on_roll = Q(roll__unit_id__in=headed_unit_ids(user), roll__person__isnull=True)
    if person_id:
        on_roll |= Q(roll__person_id=person_id)
    mine = Q(chair=user) | Q(secretary=user) | on_roll
    candidates = meeting_queryset().order_by("-held_on", "title")
    direct = set(candidates.filter(mine).values_list("pk", flat=True))
    return [m for m in candidates if m.pk in direct or is_secretariat_of(user, m.agency)]


def meeting_detail(meeting: Meeting) -> Meeting:
    detail = (
        meeting_queryset()
        .prefetch_related(
            Prefetch(
                "roll", queryset=Entitlement.objects.select_related("unit", "person", "attendance")
            ),
            "agenda__candidates__unit",
            Prefetch(
                "votes",
                queryset=Vote.objects.select_related("tally").order_by("item", "round_number"),
            ),
        )
        .get(pk=meeting.pk)
    )
    if detail.term_id:
        _show_ranking(detail)
    return detail


def _show_ranking(meeting: Meeting) -> None:
    """Candidates keep the rank taken when the agenda was set; an agenda set before the
    ranking was published (the demo's, called in January) shows the published one instead.
    Display only: nothing is written."""
    items = list(meeting.agenda.all())
    candidates = [c for item in items for c in item.candidates.all()]
    if all(c.ranking is not None or c.unit is None for c in candidates):
        return
    with_published_ranking(candidates, meeting.term)  # type: ignore[arg-type]


def voted_lines(vote: Vote, lines: list[Entitlement]) -> set[int]:
    return set(
        VoterRecord.objects.filter(vote=vote, entitlement__in=lines).values_list(
            "entitlement_id", flat=True
        )
    )


def tally_rows(tally: Tally) -> list[TallyRow]:
    return list(tally.rows.select_related("candidate__unit", "candidate__person"))


def ballot_labels(choices: str, labels: dict[int, str]) -> str:
    """One stored ballot in words, for the verification page: "agree: A; disagree: B"."""
    content = json.loads(choices)
    parts = []
    for answer, title in (("chosen", ""), ("agree", "+ "), ("disagree", "− ")):
        parts += [title + labels.get(pk, f"#{pk}") for pk in content.get(answer, [])]
    return "; ".join(parts) or "—"


def who_voted(vote: Vote) -> list[str]:
    """For the minutes and the quorum: names only, in roll order."""
    return [
        r.entitlement.label
        for r in VoterRecord.objects.filter(vote=vote).select_related("entitlement")
    ]


def terms_to_call(user: Any) -> list[BlockTerm]:
    """This year's block terms whose year-end review the user may call."""
    terms = BlockTerm.objects.filter(year=today().year).select_related("block__agency")
    led = set(headed_unit_ids(user))
    return [t for t in terms if t.leader_id in led or is_secretariat_of(user, t.block.agency)]


def councils_to_call(user: Any, on: dt.date) -> list[Council]:
    """Councils whose sessions the user may call on that day (permissions.may_call: the
    secretariat of the council's agency, or the council's chair or vice-chair)."""
    councils = Council.objects.select_related("agency").order_by("name")
    return [c for c in councils if may_call(user, agency=c.agency, council=c, on=on)]


def council_chairs(council: Council, on: dt.date) -> QuerySet[User]:
    """Users holding a seat on the council on that day."""
    seats = CouncilMember.objects.filter(council=council).sitting_on(on)
    return User.objects.filter(person__council_seats__in=seats).distinct().order_by("username")


def council_secretaries(council: Council, on: dt.date) -> QuerySet[User]:
    """The council's sitting members and the officers of its standing body (secretariat)."""
    seats = CouncilMember.objects.filter(council=council).sitting_on(on)
    officers = Q(
        role_assignments__role=Role.SECRETARIAT,
        role_assignments__unit_id__in=[council.agency_id, council.standing_body_id],
    )
    return (
        User.objects.filter(Q(person__council_seats__in=seats) | officers)
        .distinct()
        .order_by("username")
    )


def council_rules(on: dt.date) -> QuerySet[VotingRule]:
    """Rules in force that day for votes of members (a council), not of member units."""
    return VotingRule.objects.filter(valid_on(on), voter_basis=VoterBasis.MEMBER).order_by("code")


def final_votes(meeting: Meeting) -> list[Vote]:
    """The last closed round of each agenda item: the one whose result stands."""
    closed = (
        Vote.objects.filter(meeting=meeting, status=Vote.Status.CLOSED)
        .select_related("item", "tally__decided_by")
        .order_by("item__order", "-round_number")
    )
    seen: set[int] = set()
    final = []
    for vote in closed:
        if vote.item_id not in seen:
            seen.add(vote.item_id)
            final.append(vote)
    return final


def minutes_inputs(meeting: Meeting) -> dict[str, Any]:
    """What the minutes (biên bản họp / kiểm phiếu) need from the meeting and its votes, as
    plain data: the keyword arguments of voting.documents.MeetingMinutes that
    this app owns. Document text is Vietnamese whatever the reader's language."""
    roll = list(meeting.roll.select_related("attendance"))
    present = [e for e in roll if getattr(e, "attendance", None) and e.attendance.present]
    votes = final_votes(meeting)
    first = votes[0] if votes else None
    rows = _final_rows(first) if first else []
    return {
        "attendees": [
            f"{e.label} ({e.attendance.attendee})" if e.attendance.attendee else e.label
            for e in present
        ],
        "total_members": len(roll),
        "absent": [e.label for e in roll if e not in present],
        "agenda": [item.title for item in meeting.agenda.all()],
        "ballots_issued": first.present_count if first else 0,
        "ballots_valid": first.tally.valid if first else 0,
        "ballot": [(row.candidate.label, row.votes) for row in rows],
        "conclusion": [line for vote in votes for line in _conclusion(vote)],
    }


def _final_rows(vote: Vote) -> list[TallyRow]:
    return list(vote.tally.rows.select_related("candidate").order_by("-votes", "candidate__order"))


def _threshold_vi(vote: Vote, rows: list[TallyRow]) -> str:
    """The threshold in Vietnamese: the row's stored text is in the language of whoever
    closed the vote, and the minutes are Vietnamese whatever the reader's language."""
    if not rows:
        return ""
    with translation.override("vi"):
        return pure.threshold_text(pure.Rule.from_snapshot(vote.rule_snapshot), rows[0].base)


def _conclusion(vote: Vote) -> list[str]:
    tally = vote.tally
    rows = _final_rows(vote)
    chosen = [row.candidate.label for row in rows if row.elected]
    form = "phiếu giấy" if tally.is_paper else "phiếu điện tử"
    lines = [
        f"{vote.item.title} (lần bỏ phiếu thứ {vote.round_number}, {form}): "
        f"{tally.voters} người bỏ phiếu, {tally.ballots} phiếu, {tally.valid} phiếu hợp lệ, "
        f"{tally.blank} phiếu trắng. Ngưỡng: {_threshold_vi(vote, rows)}."
    ]
    if chosen:
        lines.append("Kết quả: " + "; ".join(chosen) + ".")
    else:
        lines.append("Kết quả: không có trường hợp nào đạt tỷ lệ phiếu quy định.")
    if tally.decided_by_id:
        lines.append(
            f"Ngang phiếu sau lần bỏ phiếu cuối; {tally.decided_by} quyết định: "
            f"{tally.decision_note}."
        )
    if tally.differs_from_ranking:
        lines.append("Kết quả bỏ phiếu khác với kết quả xếp hạng của khối.")
    if tally.chain_head:
        lines.append(f"Mã kiểm tra chuỗi phiếu: {tally.chain_head}.")
    return lines


# What is due ---------------------------------------------------------------------------------


def cycles_ready_for_vote(cycles: list[BlockCycle]) -> list[BlockCycle]:
    """Block years whose scores are final: the year-end meeting may choose the leading unit."""
    return [c for c in cycles if c.state == CycleState.SCORES_FINAL]


def block_review_meetings(terms: list[BlockTerm]) -> dict[int, Meeting]:
    """The year-end meeting of each block year, by term id (the latest held if several)."""
    return {
        m.term_id: m
        for m in Meeting.objects.filter(term__in=terms, kind=Meeting.Kind.BLOCK_REVIEW).order_by(
            "held_on"
        )
        if m.term_id is not None
    }


def votes_awaiting(user: Any) -> list[Vote]:
    """Open votes where one of the person's roll lines (a unit they head, or themselves)
    has not voted yet, with their item and meeting."""
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
    return [
        vote
        for vote in votes
        if any(
            (vote.pk, pk) not in voted for pk, meeting_id in lines if meeting_id == vote.meeting_id
        )
    ]


def council_session_open(council: Council) -> bool:
    """Whether a session of the council is planned or under way."""
    return Meeting.objects.filter(
        council=council, status__in=[Meeting.Status.PLANNED, Meeting.Status.IN_SESSION]
    ).exists()


def council_to_call(user: Any, day: dt.date, wanted: str) -> Council | None:
    """The council whose session the user calls: the one asked for (?council=<pk>) among
    those they may call, else the first of them when none was asked for."""
    councils = councils_to_call(user, day)
    if wanted:
        return next((c for c in councils if str(c.pk) == wanted), None)
    return councils[0] if councils else None


def agenda_units(meeting: Meeting) -> QuerySet[Unit]:
    """The units an agenda item may name: the block's members, or the agency's units."""
    if meeting.term_id:
        return Unit.objects.filter(block_memberships__term_id=meeting.term_id)
    return Unit.objects.filter(path__startswith=meeting.agency.path)
