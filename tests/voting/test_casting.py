"""Opening a vote and casting ballots: quorum, window, roll, presence, one ballot each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.voting.helpers import (
    attend,
    candidate_ids,
    heads,
    item_with_units,
    meeting,
    now,
    open_vote,
)
from thidua.voting.models import Meeting, SealedBallot, Vote, VoterRecord
from thidua.voting.services.ballots import ballot_cast
from thidua.voting.services.votes import vote_close, vote_open

MEMBERS = ["VP", "TCPC", "KHTC", "QLVHGD", "QLTDTT", "QLDL", "TTVH"]


@pytest.fixture
def k1(persona) -> Meeting:
    return meeting(persona("minh"))


@pytest.fixture
def voters(db) -> dict:
    return heads("K1")


def test_the_block_leader_calls_the_meeting_and_the_roll_is_one_line_per_member(k1):
    assert sorted(e.unit.code for e in k1.roll.all()) == sorted(MEMBERS)
    assert k1.status == Meeting.Status.PLANNED


def test_a_member_who_is_not_the_leader_cannot_call_the_meeting(persona):
    with pytest.raises(PermissionDenied):
        meeting(persona("tuan"))


def test_a_vote_cannot_open_without_a_quorum_and_the_numbers_are_given(k1):
    # 7 entitled, 2/3 → 5 needed; only 4 present.
    attend(k1, absent=("VP", "TCPC", "KHTC"))
    item = item_with_units(k1, ["QLVHGD", "QLDL"])
    with pytest.raises(ValidationError) as refused:
        open_vote(k1, item)
    message = refused.value.messages[0]
    assert "no quorum" in message and "4 of 7 present" in message and "5 needed" in message
    assert not Vote.objects.filter(item=item).exists()


def test_a_vote_cannot_open_before_attendance_is_recorded(k1):
    item = item_with_units(k1, ["QLVHGD", "QLDL"])
    with pytest.raises(ValidationError, match="0 of 7 present"):
        open_vote(k1, item)


def test_quorum_exactly_reached_opens(k1):
    attend(k1, absent=("VP", "TCPC"))
    vote = open_vote(k1, item_with_units(k1, ["QLVHGD", "QLDL"]))
    assert (vote.entitled_count, vote.present_count) == (7, 5)
    assert vote.rule_snapshot["quorum"] == [2, 3]


def test_only_the_chair_secretary_or_secretariat_open_a_vote(k1, persona):
    attend(k1)
    item = item_with_units(k1, ["QLVHGD", "QLDL"])
    with pytest.raises(PermissionDenied):
        vote_open(actor=persona("tuan"), meeting=k1, item=item)
    assert vote_open(actor=persona("lan"), meeting=k1, item=item)


def test_each_voter_casts_one_ballot_and_a_second_attempt_is_refused(k1, voters):
    attend(k1)
    vote = open_vote(k1, item_with_units(k1, ["QLVHGD", "QLDL"]))
    ids = candidate_ids(vote)
    ballot_cast(actor=voters["TCPC"], vote=vote, chosen=[ids["QLDL"]])
    with pytest.raises(ValidationError, match="already voted"):
        ballot_cast(actor=voters["TCPC"], vote=vote, chosen=[ids["QLVHGD"]])
    assert SealedBallot.objects.filter(vote=vote).count() == 1
    assert VoterRecord.objects.filter(vote=vote).count() == 1


def test_someone_not_on_the_roll_is_refused(k1, persona):
    attend(k1)
    vote = open_vote(k1, item_with_units(k1, ["QLVHGD", "QLDL"]))
    for outsider in ("mai", "tung", "lan"):
        with pytest.raises(PermissionDenied, match="not on the roll"):
            ballot_cast(actor=persona(outsider), vote=vote, chosen=[])
    assert not SealedBallot.objects.filter(vote=vote).exists()


def test_an_absent_member_cannot_vote(k1, voters):
    attend(k1, absent=("VP",))
    vote = open_vote(k1, item_with_units(k1, ["QLVHGD", "QLDL"]))
    with pytest.raises(PermissionDenied, match="not recorded as present"):
        ballot_cast(actor=voters["VP"], vote=vote, chosen=[])


def test_a_ballot_outside_the_window_is_refused(k1, voters):
    attend(k1)
    start = now()
    vote = open_vote(
        k1,
        item_with_units(k1, ["QLVHGD", "QLDL"]),
        opens_at=start + dt.timedelta(minutes=5),
        closes_at=start + dt.timedelta(minutes=20),
    )
    with pytest.raises(ValidationError, match="opens at"):
        ballot_cast(actor=voters["VP"], vote=vote, chosen=[], now=start)
    ballot_cast(actor=voters["VP"], vote=vote, chosen=[], now=start + dt.timedelta(minutes=10))
    with pytest.raises(ValidationError, match="window closed"):
        ballot_cast(
            actor=voters["KHTC"], vote=vote, chosen=[], now=start + dt.timedelta(minutes=20)
        )
    assert SealedBallot.objects.filter(vote=vote).count() == 1


def test_a_ballot_after_the_chair_closed_is_refused(k1, voters):
    attend(k1)
    vote = open_vote(k1, item_with_units(k1, ["QLVHGD", "QLDL"]))
    vote_close(actor=k1.chair, vote=vote)
    with pytest.raises(ValidationError, match="closed"):
        ballot_cast(actor=voters["VP"], vote=vote, chosen=[])


def test_a_unit_cannot_vote_for_itself_under_the_default_rule(k1, voters):
    attend(k1)
    vote = open_vote(k1, item_with_units(k1, ["QLVHGD", "QLDL"]))
    ids = candidate_ids(vote)
    with pytest.raises(ValidationError, match="itself"):
        ballot_cast(actor=voters["QLDL"], vote=vote, chosen=[ids["QLDL"]])
    ballot_cast(actor=voters["QLDL"], vote=vote, chosen=[ids["QLVHGD"]])


def test_choose_one_refuses_two_choices(k1, voters):
    attend(k1)
    vote = open_vote(k1, item_with_units(k1, ["QLVHGD", "QLDL"]))
    ids = candidate_ids(vote)
    with pytest.raises(ValidationError, match="at most 1"):
        ballot_cast(actor=voters["VP"], vote=vote, chosen=list(ids.values()))
    assert not VoterRecord.objects.filter(vote=vote).exists()
