"""Small factories for voting: a block's meeting in an agency of its own, without the demo year.

Rows are made through the services. Every argument is a keyword with a default.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tests.org.factories import make_admin, make_block, make_block_term, make_unit, make_user
from thidua.org.models import Role, User
from thidua.voting.models import Meeting, Vote, VotingRule
from thidua.voting.services.meetings import (
    CandidateSpec,
    agenda_item_add,
    attendance_record,
    meeting_create,
)
from thidua.voting.services.votes import vote_open


@dataclass
class BlockMeeting:
    chair: User
    meeting: Meeting
    heads: list[User]  # in roll order: heads[i] votes for the i-th member unit

    def open_vote(self, *, title: str = "Suy tôn đơn vị dẫn đầu") -> Vote:
        """A new agenda item with every member unit as a candidate, its first round open."""
        roll = list(self.meeting.roll.select_related("unit").order_by("order"))
        specs = [CandidateSpec(label=e.unit.name, unit=e.unit) for e in roll]  # type: ignore[union-attr]
        item = agenda_item_add(
            actor=self.chair, meeting=self.meeting, title=title, candidates=specs, seats=1
        )
        return vote_open(actor=self.chair, meeting=self.meeting, item=item)


def make_rule(**changes: object) -> VotingRule:
    """A rule of its own (transactional tests start without the seeded ones): one choice,
    more than half of those present, a unit may vote for itself."""
    fields: dict[str, object] = {
        "code": f"test-rule-{VotingRule.objects.count() + 1}",
        "name": "Quy tắc thử",
        "legal_basis": "Quy chế thử nghiệm",
        "valid_from": dt.date(2020, 1, 1),
        "quorum_num": 2,
        "quorum_den": 3,
        "approval_num": 1,
        "approval_den": 2,
        "denominator": "present",
        "strictly_more": True,
        "ballot_style": "choose_one",
        "voter_basis": "unit",
        "self_vote_allowed": True,
        "max_rounds": 2,
        "deciders": "leader_deputy",
    }
    fields.update(changes)
    return VotingRule.objects.create(**fields)


def make_block_meeting(
    *, voters: int = 7, year: int = 2024, rule: VotingRule | None = None
) -> BlockMeeting:
    """A block of `voters` new units in a new agency, each with a head who signs in, and
    the block's year-end meeting for `year` with everyone present."""
    chair = make_admin()
    agency = make_unit(name="Sở Thử nghiệm Bỏ phiếu")
    units = [make_unit(parent=agency) for _ in range(voters)]
    heads = {u.pk: make_user(role=Role.UNIT_HEAD, unit=u) for u in units}
    term = make_block_term(block=make_block(agency=agency), year=year, members=units)
    meeting = meeting_create(
        actor=chair,
        rule=rule or make_rule(),
        title=f"Hội nghị tổng kết khối năm {year}",
        held_on=dt.date(year, 12, 18),
        place="Hội trường",
        chair=chair,
        secretary=chair,
        term=term,
    )
    roll = list(meeting.roll.order_by("order"))
    attendance_record(actor=chair, meeting=meeting, present=[e.pk for e in roll])
    return BlockMeeting(chair, meeting, [heads[e.unit_id] for e in roll])  # type: ignore[index]
