"""The block's year follows its year-end meeting: a tally that elects a unit (or the deciders
settling a tie after the last round) moves it to "leading unit chosen"."""

from __future__ import annotations

import pytest

from tests.voting.helpers import (
    attend,
    candidate_ids,
    heads,
    item_with_units,
    meeting,
    open_vote,
    rule,
)
from thidua.campaigns.cycle import CycleState
from thidua.campaigns.models import BlockCycle, CycleStep
from thidua.voting.models import Candidate, Tally, Vote
from thidua.voting.services.ballots import ballot_cast
from thidua.voting.services.votes import tally_decide, vote_close


def _k1() -> BlockCycle:
    return BlockCycle.objects.get(term__block__code="K1", campaign__year=2021)


@pytest.fixture
def scores_final(db) -> BlockCycle:
    BlockCycle.objects.filter(pk=_k1().pk).update(state=CycleState.SCORES_FINAL)
    return _k1()


def _cast(vote: Vote, plan: dict[str, str | None]) -> None:
    voters = heads("K1")
    ids = candidate_ids(vote)
    for voter, choice in plan.items():
        ballot_cast(actor=voters[voter], vote=vote, chosen=[ids[choice]] if choice else [])


def test_a_tally_that_elects_the_leading_unit_moves_the_year(scores_final, persona):
    k1 = meeting(persona("minh"))
    attend(k1)
    vote = open_vote(k1, item_with_units(k1, ["QLVHGD", "QLDL"]))
    _cast(vote, {"VP": "QLVHGD", "TCPC": "QLVHGD", "KHTC": "QLVHGD", "QLTDTT": "QLVHGD"})
    tally = vote_close(actor=k1.chair, vote=vote)
    assert tally.outcome == Tally.Outcome.DECIDED
    assert _k1().state == CycleState.LEADER_ELECTED
    step = CycleStep.objects.filter(cycle=scores_final).latest("pk")
    assert (step.source, step.target, step.note) == ("scores_final", "leader_elected", "voting")


def test_no_one_elected_leaves_the_year_where_it_is(scores_final, persona):
    k1 = meeting(persona("minh"))
    attend(k1)
    vote = open_vote(k1, item_with_units(k1, ["QLVHGD", "QLDL"]))
    _cast(vote, {"VP": "QLVHGD", "TCPC": "QLDL"})
    assert vote_close(actor=k1.chair, vote=vote).outcome == Tally.Outcome.NONE
    assert _k1().state == CycleState.SCORES_FINAL


def test_a_vote_before_the_scores_are_final_does_not_skip_ahead(persona):
    BlockCycle.objects.filter(pk=_k1().pk).update(state=CycleState.SCORED)
    k1 = meeting(persona("minh"))
    attend(k1)
    vote = open_vote(k1, item_with_units(k1, ["QLVHGD", "QLDL"]))
    _cast(vote, {"VP": "QLVHGD", "TCPC": "QLVHGD", "KHTC": "QLVHGD", "QLTDTT": "QLVHGD"})
    vote_close(actor=k1.chair, vote=vote)
    assert _k1().state == CycleState.SCORED


def test_the_deciders_settling_a_tie_after_the_last_round_move_the_year(scores_final, persona):
    one_round = rule(max_rounds=1, approval_num=1, approval_den=5)
    k1 = meeting(persona("minh"), voting_rule=one_round)
    attend(k1)
    vote = open_vote(k1, item_with_units(k1, ["QLVHGD", "QLDL", "TTVH"]))
    _cast(
        vote,
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
    tally = vote_close(actor=k1.chair, vote=vote)
    assert tally.outcome == Tally.Outcome.DECIDERS
    assert _k1().state == CycleState.SCORES_FINAL
    chosen = Candidate.objects.get(pk=candidate_ids(vote)["QLVHGD"])
    tally_decide(actor=persona("minh"), vote=vote, candidates=[chosen], note="Xếp hạng cao hơn.")
    assert _k1().state == CycleState.LEADER_ELECTED
