"""The pure rules of starting a year: dates moved to the new year, leaders by the rule."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from thidua.years.planning import LeaderRuleKind, next_after, propose_leaders, shift_date

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))


@given(days, st.integers(min_value=-5, max_value=5))
def test_a_date_keeps_its_day_and_month_and_says_why_to_review(day, years):
    shifted = shift_date(day, years)

    assert shifted.day.year == day.year + years
    if (day.month, day.day) == (2, 29) and shifted.day.day != 29:
        assert (shifted.day.month, shifted.day.day) == (2, 28)
        assert "29/02 does not exist" in shifted.review
    else:
        assert (shifted.day.month, shifted.day.day) == (day.month, day.day)
    assert ("Saturday" in shifted.review) == (shifted.day.weekday() == 5)
    assert ("Sunday" in shifted.review) == (shifted.day.weekday() == 6)
    assert bool(shifted.review) == (
        shifted.day.weekday() >= 5 or (day.month, day.day) != (shifted.day.month, shifted.day.day)
    )


def test_examples_of_dates_to_review():
    assert shift_date(dt.date(2024, 2, 29), 1).day == dt.date(2025, 2, 28)
    assert shift_date(dt.date(2021, 1, 6), 1).review == ""  # Thursday 06/01/2022
    assert shift_date(dt.date(2021, 6, 12), 1).review == "Falls on a Sunday."  # 12/06/2022


members = st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=12, unique=True)
rules = st.sampled_from(list(LeaderRuleKind))


@st.composite
def blocks(draw):
    order = draw(members)
    continuing = draw(st.sets(st.sampled_from(order)))
    leader = draw(st.sampled_from(order))
    deputy = draw(st.none() | st.sampled_from([u for u in order if u != leader] or [None]))
    leading = draw(st.none() | st.sampled_from(order) | st.just(99))
    return order, continuing, leader, deputy, leading


@given(blocks(), rules)
def test_leaders_always_continue_and_differ(block, rule):
    order, continuing, leader, deputy, leading = block

    proposal = propose_leaders(
        rule=rule,
        order=order,
        continuing=continuing,
        last_leader=leader,
        last_deputy=deputy,
        leading_unit=leading,
    )

    if not continuing:
        assert proposal.leader is None and proposal.deputy is None and proposal.notes
        return
    assert proposal.leader in continuing
    assert proposal.deputy is None or (
        proposal.deputy in continuing and proposal.deputy != proposal.leader
    )
    if deputy is None:
        assert proposal.deputy is None
    elif len(continuing) > 1:
        assert proposal.deputy is not None


@given(blocks())
def test_keep_keeps_both_when_they_stay_and_says_so_when_not(block):
    order, continuing, leader, deputy, _leading = block

    proposal = propose_leaders(
        rule=LeaderRuleKind.KEEP,
        order=order,
        continuing=continuing,
        last_leader=leader,
        last_deputy=deputy,
    )

    if leader in continuing:
        assert proposal.leader == leader
    elif continuing:
        assert proposal.leader == next_after(order, leader, continuing)
        assert any("leader has left" in n for n in proposal.notes)
    if deputy in continuing and leader in continuing:
        assert proposal.deputy == deputy and proposal.notes == ()


@given(members)
def test_rotating_every_year_gives_each_member_the_lead_once_in_order(order):
    leader, seen = order[0], []
    for _year in order:
        leader = propose_leaders(
            rule=LeaderRuleKind.ROTATE,
            order=order,
            continuing=set(order),
            last_leader=leader,
            last_deputy=None,
        ).leader
        seen.append(leader)
    assert seen == order[1:] + order[:1]


def test_rotation_skips_a_member_that_left_and_the_deputy_follows_the_leader():
    proposal = propose_leaders(
        rule=LeaderRuleKind.ROTATE, order=[1, 2, 3, 4], continuing={1, 3, 4}, last_leader=1,
        last_deputy=2,
    )  # fmt: skip
    assert (proposal.leader, proposal.deputy) == (3, 4)


def test_leading_unit_leads_and_last_deputy_stays():
    proposal = propose_leaders(
        rule=LeaderRuleKind.LEADING_UNIT, order=[1, 2, 3], continuing={1, 2, 3}, last_leader=1,
        last_deputy=2, leading_unit=3,
    )  # fmt: skip
    assert (proposal.leader, proposal.deputy, proposal.notes) == (3, 2, ())

    unknown = propose_leaders(
        rule=LeaderRuleKind.LEADING_UNIT, order=[1, 2, 3], continuing={1, 2, 3}, last_leader=1,
        last_deputy=2, leading_unit=None,
    )  # fmt: skip
    assert unknown.leader == 1 and "No leading unit" in unknown.notes[0]

    promoted = propose_leaders(
        rule=LeaderRuleKind.LEADING_UNIT, order=[1, 2, 3], continuing={1, 2, 3}, last_leader=1,
        last_deputy=2, leading_unit=2,
    )  # fmt: skip
    assert (promoted.leader, promoted.deputy) == (2, 3)
    assert "deputy now leads" in promoted.notes[0]
