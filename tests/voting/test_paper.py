"""Paper votes: the secretary enters the counts; the tally is marked as paper."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.voting.helpers import attend, candidate_ids, heads, item_with_units, meeting, open_vote
from thidua.voting.models import Tally, Vote
from thidua.voting.services.ballots import ballot_cast
from thidua.voting.services.votes import paper_tally_enter


@pytest.fixture
def paper_vote(persona) -> Vote:
    k1 = meeting(persona("minh"))
    attend(k1, absent=("VP",))
    return open_vote(k1, item_with_units(k1, ["QLVHGD", "QLDL", "TTVH"]), mode=Vote.Mode.PAPER)


def enter(vote: Vote, actor, **kw) -> Tally:
    return paper_tally_enter(actor=actor, vote=vote, **kw)


def test_the_secretary_enters_counts_and_the_tally_is_marked_paper(paper_vote):
    ids = candidate_ids(paper_vote)
    tally = enter(
        paper_vote,
        paper_vote.meeting.secretary,
        ballots_returned=6,
        blank=1,
        spoilt=1,
        counts={ids["QLVHGD"]: 3, ids["QLDL"]: 1, ids["TTVH"]: 0},
    )
    assert tally.is_paper and tally.chain_head == ""
    assert (tally.ballots, tally.valid, tally.blank, tally.spoilt) == (6, 5, 1, 1)
    # More than half of the 6 present: 4 needed; 3 is not enough.
    rows = {r.candidate_id: r for r in tally.rows.all()}
    assert not rows[ids["QLVHGD"]].passed and tally.outcome == Tally.Outcome.NONE
    assert paper_vote.paper_tally.entered_by == paper_vote.meeting.secretary
    assert Vote.objects.get(pk=paper_vote.pk).status == Vote.Status.CLOSED


def test_counts_that_do_not_add_up_are_refused_with_reasons(paper_vote):
    ids = candidate_ids(paper_vote)
    with pytest.raises(ValidationError) as refused:
        enter(
            paper_vote,
            paper_vote.meeting.secretary,
            ballots_returned=7,
            blank=0,
            spoilt=0,
            counts={ids["QLVHGD"]: 4, ids["QLDL"]: 3},
        )
    text = " ".join(refused.value.messages)
    assert "7 ballots returned but only 6 voters present" in text
    with pytest.raises(ValidationError, match="add up to 7, more than the ballots allow \\(5\\)"):
        enter(
            paper_vote,
            paper_vote.meeting.secretary,
            ballots_returned=6,
            blank=1,
            spoilt=0,
            counts={ids["QLVHGD"]: 4, ids["QLDL"]: 3},
        )
    assert not Tally.objects.filter(vote=paper_vote).exists()


def test_only_the_secretary_or_secretariat_enters_a_paper_tally(paper_vote, persona):
    with pytest.raises(PermissionDenied):
        enter(paper_vote, persona("tuan"), ballots_returned=0, blank=0, spoilt=0, counts={})
    tally = enter(paper_vote, persona("lan"), ballots_returned=0, blank=0, spoilt=0, counts={})
    assert tally.is_paper


def test_a_paper_vote_has_no_electronic_ballot(paper_vote):
    voters = heads("K1")
    with pytest.raises(ValidationError, match="on paper"):
        ballot_cast(actor=voters["TCPC"], vote=paper_vote, chosen=[])
