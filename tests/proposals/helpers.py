"""Khối 1's 2021 year brought to the point where its leader prepares the dossier: annual
reports from every member, a published ranking and its block report, the year-end vote
and its minutes. Built through the real services."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from tests.reports.helpers import PDF, cycle, fill, head_of, open_report
from tests.scoring.scores_helpers import all_points, leader, open_round, self_and_verify
from tests.voting.helpers import attend, candidate_ids, heads, item_with_units, meeting
from thidua.awards.models import AwardForm
from thidua.campaigns.models import BlockCycle
from thidua.org.models import Council, User
from thidua.proposals.models import Dossier
from thidua.proposals.services.dossiers import (
    dossier_accept,
    dossier_file_add,
    dossier_prepare,
    dossier_submit,
)
from thidua.reports import services as reports
from thidua.scoring import report_document
from thidua.scoring.models import RankingSnapshot
from thidua.scoring.services import rankings, rounds
from thidua.voting import minutes
from thidua.voting.models import Meeting, Vote, VotingRule
from thidua.voting.services.ballots import ballot_cast
from thidua.voting.services.meetings import attendance_record, meeting_close, meeting_create
from thidua.voting.services.votes import vote_close, vote_open

MEMBERS = ["VP", "TCPC", "KHTC", "QLTDTT", "QLDL", "TTVH", "QLVHGD"]


def user(name: str) -> User:
    return User.objects.get(username=name)


def flag() -> AwardForm:
    return AwardForm.objects.get(code="CTD_TINH")


def k1() -> BlockCycle:
    return cycle("K1")


def member_reports(codes: list[str] | None = None) -> None:
    for code in codes if codes is not None else MEMBERS:
        head = head_of(code)
        report = fill(head, open_report(head, code))
        reports.report_submit(actor=head, report=report)


def published(first: str = "QLVHGD") -> RankingSnapshot:
    """QLVHGD full marks, the others 8 each: QLVHGD first."""
    round_ = open_round()
    for code in ["QLVHGD", "QLDL", "TTVH"]:
        self_and_verify(round_, code, all_points(round_, each="10" if code == first else "8"))
    rounds.round_lock(actor=leader(), round_=round_)
    return rankings.publish(actor=leader(), round_=round_)


def year_end_vote(winner: str = "QLVHGD") -> Meeting:
    """Every member unit chooses `winner` (QLVHGD itself abstains: no self vote)."""
    voters = heads("K1")
    m = meeting(user("minh"))
    attend(m)
    vote = vote_open(actor=m.chair, meeting=m, item=item_with_units(m, ["QLVHGD", "QLDL", "TTVH"]))
    ids = candidate_ids(vote)
    for code, voter in voters.items():
        if code != winner:
            ballot_cast(actor=voter, vote=vote, chosen=[ids[winner]])
    vote_close(actor=m.chair, vote=vote)
    meeting_close(actor=m.chair, meeting=m)
    return m


def block_year_done(*, winner: str = "QLVHGD", reports_from: list[str] | None = None) -> None:
    """Everything the dossier links to, with the block's year at 'leading unit chosen'."""
    lan = user("lan")
    member_reports(reports_from)
    snapshot = published()
    report_document.report_issue(actor=lan, snapshot=snapshot)
    m = year_end_vote(winner)
    minutes.minutes_issue(actor=lan, meeting=m)
    BlockCycle.objects.filter(pk=k1().pk).update(state="leader_elected")


def with_files(dossier: Dossier) -> Dossier:
    minh = user("minh")
    for code in ["TO_TRINH", "BAO_CAO_THANH_TICH"]:
        dossier_file_add(
            actor=minh,
            dossier=dossier,
            requirement_code=code,
            name=f"{code}.pdf",
            data=PDF + code.encode(),
        )
    return dossier


def accepted_dossier() -> Dossier:
    block_year_done()
    dossier = with_files(dossier_prepare(actor=user("minh"), cycle=k1(), form=flag()))
    dossier_submit(actor=user("minh"), dossier=dossier)
    return dossier_accept(actor=user("lan"), dossier=dossier)


def council_session(day: dt.date = dt.date(2021, 12, 28)) -> Meeting:
    return meeting_create(
        actor=user("lan"),
        rule=VotingRule.objects.get(code="council-majority"),
        title="Phiên họp Hội đồng TĐKT Sở xét đề nghị khen thưởng năm 2021",
        held_on=day,
        place="Phòng họp Sở",
        chair=user("tung"),
        secretary=user("lan"),
        council=Council.objects.get(),
    )


def council_votes(session: Meeting, answers: dict[str, str]) -> Vote:
    """Everyone present; each named member agrees or disagrees on every candidate."""
    attendance_record(
        actor=user("lan"), meeting=session, present=[e.pk for e in session.roll.all()]
    )
    item = session.agenda.order_by("-order").first()
    assert item is not None
    vote = vote_open(actor=user("lan"), meeting=session, item=item)
    ids = [c.pk for c in vote.candidates.all()]
    for name, answer in answers.items():
        voter = user(name)
        if answer == "agree":
            ballot_cast(actor=voter, vote=vote, agree=ids)
        else:
            ballot_cast(actor=voter, vote=vote, disagree=ids)
    vote_close(actor=user("tung"), vote=vote)
    return vote


def vi(msgid: str) -> str:
    """The Vietnamese the pages show for an English msgid."""
    with translation.override("vi"):
        return translation.gettext(msgid)
