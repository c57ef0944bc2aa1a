"""Closing: ballots == voters, the chain verified and its head recorded, the tally, runoffs."""

from __future__ import annotations

import itertools

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from tests.voting.helpers import attend, candidate_ids, heads, item_with_units, meeting, open_vote
from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.voting import sealing
from thidua.voting.models import Ballot, SealedBallot, Tally, Vote, VoterRecord
from thidua.voting.services.ballots import ballot_cast, ballots_verify
from thidua.voting.services.votes import tally_decide, vote_close, vote_open


@pytest.fixture
def voters(db) -> dict:
    return heads("K1")


@pytest.fixture
def vote(persona) -> Vote:
    k1 = meeting(persona("minh"))
    attend(k1)
    return open_vote(k1, item_with_units(k1, ["QLVHGD", "QLDL", "TTVH"]))


def cast(vote: Vote, voters: dict, plan: dict[str, str | None]) -> None:
    ids = candidate_ids(vote)
    for voter, choice in plan.items():
        ballot_cast(actor=voters[voter], vote=vote, chosen=[ids[choice]] if choice else [])


def test_closing_counts_the_ballots_against_the_threshold_and_records_the_chain_head(vote, voters):
    cast(
        vote,
        voters,
        {
            "VP": "QLVHGD",
            "TCPC": "QLVHGD",
            "KHTC": "QLVHGD",
            "QLTDTT": "QLVHGD",
            "QLDL": "TTVH",
            "TTVH": "QLVHGD",
            "QLVHGD": None,
        },
    )
    tally = vote_close(actor=vote.meeting.chair, vote=vote)
    head = Vote.objects.get(pk=vote.pk).chain_head
    assert (tally.ballots, tally.voters, tally.blank, tally.valid) == (7, 7, 1, 7)
    assert tally.chain_head == head and len(head) == 64
    rows = {row.candidate.unit.code: row for row in tally.rows.select_related("candidate__unit")}
    # More than 1/2 of the 7 present: 4 needed.
    assert rows["QLVHGD"].votes == 5 and rows["QLVHGD"].passed and rows["QLVHGD"].elected
    assert rows["TTVH"].votes == 1 and not rows["TTVH"].passed
    assert "needs 4" in rows["TTVH"].reason
    assert tally.outcome == Tally.Outcome.DECIDED and not tally.differs_from_ranking
    assert Vote.objects.get(pk=vote.pk).status == Vote.Status.CLOSED


def test_closing_seals_the_chain_in_seq_order_and_a_later_change_shows(vote, voters):
    cast(vote, voters, {"VP": "QLDL", "TCPC": "TTVH", "KHTC": None, "QLTDTT": "QLVHGD"})
    # While open there are only sealed ballots, one length for every choice.
    assert not Ballot.objects.filter(vote=vote).exists()
    boxes = list(SealedBallot.objects.filter(vote=vote).values_list("box", flat=True))
    assert len(boxes) == 4 and len({len(box) for box in boxes}) == 1
    tally = vote_close(actor=vote.meeting.chair, vote=vote)
    closed = Vote.objects.get(pk=vote.pk)
    assert ballots_verify(closed) is None
    assert not SealedBallot.objects.filter(vote=vote).exists()
    chain = list(Ballot.objects.filter(vote=vote).order_by("seq"))
    assert [b.seq for b in chain] == [1, 2, 3, 4]
    assert chain[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(chain))
    assert chain[-1].hash == tally.chain_head == closed.chain_head
    Ballot.objects.filter(pk=chain[2].pk).update(hash="f" * 64)
    assert ballots_verify(closed) == "Ballot #3 was changed."


def _flip(box: bytes) -> bytes:
    return box[:-1] + bytes([box[-1] ^ 1])


def test_a_changed_ballot_is_detected_and_the_close_refused(vote, voters):
    cast(vote, voters, {"VP": "QLDL", "TCPC": "TTVH", "KHTC": "QLDL"})
    sealed = SealedBallot.objects.filter(vote=vote).first()
    SealedBallot.objects.filter(pk=sealed.pk).update(box=_flip(bytes(sealed.box)))
    with pytest.raises(ValidationError, match="changed, removed or added outside the vote"):
        vote_close(actor=vote.meeting.chair, vote=vote)
    assert Vote.objects.get(pk=vote.pk).status == Vote.Status.OPEN
    assert not Tally.objects.filter(vote=vote).exists()
    # The refusal is on record, without any ballot content.
    event = AuditEvent.objects.filter(action=AuditAction.VOTE_CHAIN_BROKEN).latest("seq")
    assert "changed" in event.data["problem"] and "chosen" not in str(event.data)


def test_a_ballot_copied_with_a_forged_voter_is_detected(vote, voters):
    cast(vote, voters, {"VP": "QLDL", "TCPC": "TTVH"})
    SealedBallot.objects.create(vote=vote, box=SealedBallot.objects.filter(vote=vote)[0].box)
    spare = vote.meeting.roll.exclude(pk__in=VoterRecord.objects.values("entitlement")).first()
    VoterRecord.objects.create(vote=vote, entitlement=spare)
    with pytest.raises(ValidationError, match="outside the vote"):
        vote_close(actor=vote.meeting.chair, vote=vote)


def test_a_ballot_sealed_for_another_vote_is_refused(vote, voters):
    cast(vote, voters, {"VP": "QLDL", "TCPC": "TTVH"})
    key = sealing.vote_key(settings.THIDUA_BALLOT_KEY, "another vote")
    size = sealing.padded_size(vote.candidates.values_list("pk", flat=True))
    forged = sealing.seal(key, "another vote", '{"chosen":[]}', size)
    SealedBallot.objects.filter(pk=SealedBallot.objects.filter(vote=vote)[0].pk).update(box=forged)
    with pytest.raises(ValidationError, match="outside the vote"):
        vote_close(actor=vote.meeting.chair, vote=vote)


def test_a_deleted_ballot_is_detected(vote, voters):
    cast(vote, voters, {"VP": "QLDL", "TCPC": "TTVH", "KHTC": "QLDL"})
    SealedBallot.objects.filter(pk=SealedBallot.objects.filter(vote=vote)[0].pk).delete()
    with pytest.raises(ValidationError, match="2 ballots for 3 voters"):
        vote_close(actor=vote.meeting.chair, vote=vote)


def test_a_forged_extra_ballot_is_detected(vote, voters):
    cast(vote, voters, {"VP": "QLDL"})
    SealedBallot.objects.create(vote=vote, box=b"\0" * 64)
    with pytest.raises(ValidationError, match="2 ballots for 1 voters"):
        vote_close(actor=vote.meeting.chair, vote=vote)


def test_a_tie_at_the_top_opens_a_runoff_between_the_tied_only(vote, voters):
    cast(
        vote,
        voters,
        {
            "VP": "QLVHGD",
            "TCPC": "QLVHGD",
            "KHTC": "QLVHGD",
            "QLTDTT": "QLDL",
            "TTVH": "QLDL",
            "QLVHGD": "QLDL",
            "QLDL": "TTVH",
        },
    )
    # Threshold 0 would be needed for the tie to matter: 3 of 7 is not more than half, so
    # lower the snapshot's bar for this vote only.
    Vote.objects.filter(pk=vote.pk).update(rule_snapshot={**vote.rule_snapshot, "approval": [1, 5]})
    tally = vote_close(actor=vote.meeting.chair, vote=vote)
    assert tally.outcome == Tally.Outcome.RUNOFF
    ids = candidate_ids(vote)
    assert sorted(tally.tied) == sorted([ids["QLVHGD"], ids["QLDL"]])
    runoff = vote_open(actor=vote.meeting.chair, meeting=vote.meeting, item=vote.item)
    assert runoff.round_number == 2 and runoff.runoff_of_id == vote.pk and runoff.seats == 1
    assert sorted(candidate_ids(runoff)) == ["QLDL", "QLVHGD"]
    # Round 2 is the last under the rule: no third round.
    vote_close(actor=vote.meeting.chair, vote=runoff)
    with pytest.raises(ValidationError):
        vote_open(actor=vote.meeting.chair, meeting=vote.meeting, item=vote.item)


def test_a_decided_item_gets_no_second_round(vote, voters):
    cast(vote, voters, {"VP": "QLVHGD", "TCPC": "QLVHGD", "KHTC": "QLVHGD", "QLTDTT": "QLVHGD"})
    vote_close(actor=vote.meeting.chair, vote=vote)
    with pytest.raises(ValidationError, match="has been decided"):
        vote_open(actor=vote.meeting.chair, meeting=vote.meeting, item=vote.item)


def test_ballot_rows_are_not_in_the_order_of_casting(persona, voters):
    """The stored order is a random permutation: over many votes, the first voter's ballot
    does not sit at seq 1 more often than chance."""
    k1 = meeting(persona("minh"))
    attend(k1)
    first_at_one = 0
    order = ["VP", "TCPC", "KHTC", "QLTDTT", "QLVHGD", "QLDL", "TTVH"]
    trials = 20
    for _ in range(trials):
        item = item_with_units(k1, order, seats=None)
        v = open_vote(k1, item)
        ids = candidate_ids(v)
        for voter in order:
            # Each voter picks a distinct candidate (not itself): a marker of who cast it.
            target = order[(order.index(voter) + 1) % len(order)]
            ballot_cast(actor=voters[voter], vote=v, chosen=[ids[target]])
        vote_close(actor=k1.chair, vote=v)
        first = Ballot.objects.filter(vote=v).order_by("seq").first().choices
        first_at_one += f"[{ids['TCPC']}]" in first
        assert ballots_verify(Vote.objects.get(pk=v.pk)) is None
    # Sequential storage would give 20 of 20; a uniform permutation gives ~20/7, and 10
    # or more happens by chance about once in 7,000 runs.
    assert first_at_one < 10


def test_a_tie_after_the_last_round_is_settled_by_the_leader_or_deputy(persona, voters):
    from django.core.exceptions import PermissionDenied

    from tests.voting.helpers import rule

    k1 = meeting(persona("minh"), voting_rule=rule(max_rounds=1, approval_num=0))
    attend(k1)
    vote = open_vote(k1, item_with_units(k1, ["QLVHGD", "QLDL", "TTVH"]))
    cast(vote, voters, {"VP": "QLVHGD", "TCPC": "QLDL", "KHTC": "QLVHGD", "QLTDTT": "QLDL"})
    tally = vote_close(actor=k1.chair, vote=vote)
    assert tally.outcome == Tally.Outcome.DECIDERS and not tally.rows.filter(elected=True)
    ids = candidate_ids(vote)
    chosen = list(vote.candidates.filter(pk=ids["QLDL"]))
    with pytest.raises(PermissionDenied):
        tally_decide(actor=persona("tuan"), vote=vote, candidates=chosen, note="x")
    with pytest.raises(ValidationError, match="Choose among the tied"):
        tally_decide(
            actor=persona("hoa"),
            vote=vote,
            candidates=list(vote.candidates.filter(pk=ids["TTVH"])),
            note="x",
        )
    tally_decide(
        actor=persona("hoa"), vote=vote, candidates=chosen, note="Đơn vị có thành tích nổi bật hơn"
    )
    row = Tally.objects.get(vote=vote).rows.get(elected=True)
    assert row.candidate_id == ids["QLDL"] and "after the last round" in row.reason
    with pytest.raises(ValidationError, match="no open tie"):
        tally_decide(actor=persona("minh"), vote=vote, candidates=chosen, note="y")


def test_the_minutes_get_attendance_counts_thresholds_result_and_chain_head(persona, voters):
    from thidua.voting.selectors import minutes_inputs

    k1 = meeting(persona("minh"))
    attend(k1, absent=("VP",))
    vote = open_vote(k1, item_with_units(k1, ["QLVHGD", "QLDL", "TTVH"]))
    cast(vote, voters, {"TCPC": "QLVHGD", "KHTC": "QLVHGD", "QLTDTT": "QLVHGD", "QLDL": "QLVHGD"})
    tally = vote_close(actor=k1.chair, vote=vote)
    data = minutes_inputs(k1)
    assert data["total_members"] == 7 and len(data["attendees"]) == 6
    assert data["absent"] == ["Văn phòng Sở"] or len(data["absent"]) == 1
    assert data["ballots_issued"] == 6 and data["ballots_valid"] == 4
    assert data["ballot"][0] == (vote.candidates.get(unit__code="QLVHGD").label, 4)
    text = "\n".join(data["conclusion"])
    assert tally.chain_head in text and "Kết quả: Phòng Quản lý Văn hóa và Gia đình" in text
    assert "> 1/2" in text or "> 50%" in text


def test_after_the_close_the_physical_row_order_follows_the_random_chain(vote, voters):
    from django.db import connection

    cast(vote, voters, {"VP": "QLDL", "TCPC": "TTVH", "KHTC": None, "QLTDTT": "QLVHGD"})
    vote_close(actor=vote.meeting.chair, vote=vote)
    physical = "ctid" if connection.vendor == "postgresql" else "rowid"
    param = vote.pk if connection.vendor == "postgresql" else vote.pk.hex
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT seq FROM voting_ballot WHERE vote_id = %s ORDER BY {physical}", [param]
        )
        stored = [row[0] for row in cursor.fetchall()]
    assert len(stored) == 4 and stored == sorted(stored)
