"""The pure tally: thresholds by denominator, order independence, ties → runoffs."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thidua.voting import tally as t

FRACTIONS = st.sampled_from(
    [Fraction(1, 2), Fraction(2, 3), Fraction(7, 10), Fraction(4, 5), Fraction(9, 10), Fraction(1)]
)
DENOMINATORS = st.sampled_from([t.ENTITLED, t.PRESENT, t.VALID])
# The machine is shared: slowness is not a property of the tally.
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def rule(**kw):
    defaults = {"approval": Fraction(1, 2), "denominator": t.PRESENT}
    defaults.update(kw)
    return t.Rule(**defaults)


def cands(n: int) -> list[t.CandidateIn]:
    return [t.CandidateIn(key=i, ranking=i) for i in range(1, n + 1)]


@st.composite
def elections(draw):
    entitled = draw(st.integers(1, 40))
    present = draw(st.integers(0, entitled))
    ballots = draw(st.integers(0, present))
    spoilt = draw(st.integers(0, ballots))
    n = draw(st.integers(1, 5))
    votes = {k: draw(st.integers(0, ballots - spoilt)) for k in range(1, n + 1)}
    counts = t.Counts(
        entitled=entitled, present=present, ballots=ballots, spoilt=spoilt, votes=votes
    )
    r = rule(
        approval=draw(FRACTIONS),
        denominator=draw(DENOMINATORS),
        strictly_more=draw(st.booleans()),
        max_rounds=draw(st.integers(1, 3)),
    )
    return r, cands(n), counts


@RELAXED
@given(elections())
def test_a_candidate_passes_exactly_when_its_numbers_meet_the_rule(election):
    r, candidates, counts = election
    result = t.tally(r, candidates, counts, seats=None)
    base = {t.ENTITLED: counts.entitled, t.PRESENT: counts.present, t.VALID: counts.valid}[
        r.denominator
    ]
    for row in result.rows:
        assert row.base == base
        share = Fraction(row.votes, base) if base else None
        expected = share is not None and (
            share > r.approval if r.strictly_more else share >= r.approval
        )
        assert row.passed == expected, (row, r)
        # With no limit on places, every candidate that passes is chosen.
        assert row.elected == row.passed
        # The number needed is the smallest whole number that meets the share.
        if base:
            assert t.meets(r, row.needed, base) and not t.meets(r, row.needed - 1, base)


@RELAXED
@given(elections(), st.integers(1, 3), st.randoms())
def test_the_result_does_not_depend_on_ballot_order(election, seats, rnd):
    r, candidates, counts = election
    keys = [c.key for c in candidates]
    contents = []
    for key in keys:
        contents += [{"chosen": [key]}] * counts.votes.get(key, 0)
    shuffled = list(contents)
    rnd.shuffle(shuffled)
    kw = {"entitled": counts.entitled, "present": max(counts.present, len(contents))}
    a = t.count_ballots(contents, **kw)
    b = t.count_ballots(shuffled, **kw)
    assert a == b
    shuffled_candidates = list(candidates)
    rnd.shuffle(shuffled_candidates)
    one = t.tally(r, candidates, a, seats=seats)
    two = t.tally(r, shuffled_candidates, b, seats=seats)
    assert sorted(one.elected) == sorted(two.elected)
    assert one.outcome == two.outcome and one.tied == two.tied
    assert {row.key: row.passed for row in one.rows} == {row.key: row.passed for row in two.rows}


@RELAXED
@given(st.integers(2, 5), st.integers(1, 10), st.integers(1, 3))
def test_a_tie_at_the_top_gives_a_runoff_between_the_tied_not_a_silent_pick(n, votes, rounds):
    r = rule(approval=Fraction(0), max_rounds=rounds)
    counts = t.Counts(
        entitled=50, present=50, ballots=50, votes={k: votes for k in range(1, n + 1)}
    )
    for round_number in range(1, rounds + 1):
        result = t.tally(r, cands(n), counts, round_number=round_number, seats=1)
        assert result.elected == []
        assert result.tied == list(range(1, n + 1))
        if round_number < rounds:
            assert result.outcome == t.RUNOFF
        else:
            # After the last round the deciders decide, better-ranked first as a suggestion.
            assert result.outcome == t.DECIDERS
            assert result.preferred == list(range(1, n + 1))


def test_two_thirds_of_six_is_exactly_four():
    r = rule(approval=Fraction(2, 3), denominator=t.ENTITLED)
    counts = t.Counts(entitled=6, present=6, ballots=6, votes={1: 4, 2: 3})
    rows = {row.key: row for row in t.tally(r, cands(2), counts, seats=None).rows}
    assert rows[1].passed and rows[1].needed == 4
    assert not rows[2].passed
    assert "4" in rows[2].reason and "3 of 6" in rows[2].reason


@pytest.mark.parametrize(
    ("denominator", "passes"),
    [(t.ENTITLED, False), (t.PRESENT, True), (t.VALID, True)],
)
def test_the_denominator_changes_who_passes(denominator, passes):
    # 4 votes; 10 entitled, 7 present, 6 valid (1 spoilt). More than half of which?
    r = rule(approval=Fraction(1, 2), denominator=denominator, strictly_more=True)
    counts = t.Counts(entitled=10, present=7, ballots=7, spoilt=1, votes={1: 4})
    (row,) = t.tally(r, cands(1), counts, seats=None).rows
    assert row.passed is passes


def test_more_than_half_versus_at_least_half():
    counts = t.Counts(entitled=8, present=8, ballots=8, votes={1: 4})
    at_least = t.tally(rule(strictly_more=False), cands(1), counts, seats=None)
    more_than = t.tally(rule(strictly_more=True), cands(1), counts, seats=None)
    assert at_least.rows[0].passed and not more_than.rows[0].passed


def test_the_chair_must_approve_when_the_rule_says_so():
    r = rule(chair_must_approve=True, approval=Fraction(4, 5), denominator=t.ENTITLED)
    counts = t.Counts(entitled=5, present=5, ballots=5, votes={1: 5, 2: 5})
    result = t.tally(r, cands(2), counts, seats=None, chair_approved=frozenset({1}))
    rows = {row.key: row for row in result.rows}
    assert rows[1].elected and not rows[2].elected
    assert "chair did not approve" in rows[2].reason


def test_the_most_votes_wins_when_one_place_and_no_tie():
    counts = t.Counts(entitled=7, present=7, ballots=7, votes={1: 2, 2: 5})
    result = t.tally(rule(approval=Fraction(0)), cands(2), counts, seats=1)
    assert result.elected == [2] and result.outcome == t.DECIDED
    # The ranking put 1 first: the minutes flag the difference.
    assert result.differs_from_ranking


def test_after_the_last_round_the_women_preference_of_nd152_settles_a_tie():
    r = rule(approval=Fraction(0), max_rounds=1, tie_preference=t.WOMEN)
    candidates = [t.CandidateIn(1, 1), t.CandidateIn(2, 2, women_preferred=True)]
    counts = t.Counts(entitled=6, present=6, ballots=6, votes={1: 3, 2: 3})
    result = t.tally(r, candidates, counts, round_number=1, seats=1)
    assert result.outcome == t.DECIDED and result.elected == [2]
    assert "Art. 4(6)" in {row.key: row for row in result.rows}[2].reason


def test_a_tie_below_the_places_is_not_a_tie():
    counts = t.Counts(entitled=9, present=9, ballots=9, votes={1: 5, 2: 2, 3: 2})
    result = t.tally(rule(approval=Fraction(0)), cands(3), counts, seats=1)
    assert result.outcome == t.DECIDED and result.elected == [1] and result.tied == []


def test_no_one_reaching_the_threshold_is_said_plainly():
    counts = t.Counts(entitled=9, present=9, ballots=9, votes={1: 3, 2: 3})
    result = t.tally(rule(strictly_more=True), cands(2), counts, seats=1)
    assert result.outcome == t.NONE and result.elected == []


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sets(st.integers(1, 4), max_size=4), max_size=20))
def test_ballots_are_summed_per_candidate(choice_sets):
    contents = [{"agree": sorted(s), "disagree": []} for s in choice_sets]
    counts = t.count_ballots(contents, entitled=20, present=20)
    for key in range(1, 5):
        assert counts.votes.get(key, 0) == sum(key in s for s in choice_sets)
    assert counts.blank == sum(not s for s in choice_sets)
    random.shuffle(contents)
    assert t.count_ballots(contents, entitled=20, present=20) == counts


def test_normalize_refuses_what_the_rule_does_not_allow():
    with pytest.raises(t.InvalidChoice, match="at most 1"):
        t.normalize_choices(style=t.CHOOSE_ONE, max_choices=None, candidates=[1, 2], chosen=[1, 2])
    with pytest.raises(t.InvalidChoice, match="itself"):
        t.normalize_choices(
            style=t.CHOOSE_ONE, max_choices=None, candidates=[1, 2], chosen=[1], forbidden=[1]
        )
    with pytest.raises(t.InvalidChoice, match="not a candidate"):
        t.normalize_choices(style=t.APPROVE, max_choices=None, candidates=[1], agree=[9])
    assert t.normalize_choices(
        style=t.CHOOSE_UP_TO, max_choices=2, candidates=[1, 2, 3], chosen=[3, 1]
    ) == {"chosen": [1, 3]}
