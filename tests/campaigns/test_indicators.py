"""The pure rules that turn counts into verdicts on measurable criteria."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from thidua.campaigns.indicators import (
    Comparator,
    compare,
    count_at_least,
    evaluate_count,
    evaluate_flag,
    evaluate_share,
    percentage,
)

COMPARATORS = st.sampled_from(list(Comparator))
DECIMALS = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False)
THRESHOLDS = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)


@st.composite
def shares(draw: st.DrawFn) -> tuple[int, int]:
    total = draw(st.integers(min_value=1, max_value=5000))
    return draw(st.integers(min_value=0, max_value=total)), total


# percentage -------------------------------------------------------------------------------


@given(shares())
def test_percentage_stays_between_0_and_100(share):
    value = percentage(*share)

    assert Decimal(0) <= value <= Decimal(100)


@given(shares())
def test_percentage_has_two_decimals_and_is_within_half_a_hundredth(share):
    good, total = share
    value = percentage(good, total)

    assert value.as_tuple().exponent == -2
    assert abs(Fraction(value) - Fraction(100 * good, total)) <= Fraction(1, 200)


@given(shares())
def test_percentage_rounds_half_up(share):
    good, total = share
    exact = Fraction(100 * good, total) * 100  # in hundredths
    floor = exact.numerator // exact.denominator
    expected = floor + (1 if exact - floor >= Fraction(1, 2) else 0)

    assert percentage(good, total) == Decimal(expected) / 100


@given(st.integers(min_value=0, max_value=100), st.integers(min_value=-5, max_value=0))
def test_percentage_of_nobody_is_no_data(part, whole):
    assert percentage(part, whole) is None


@given(st.integers(min_value=1, max_value=5000))
def test_everyone_and_no_one_are_exactly_100_and_0(total):
    assert percentage(total, total) == Decimal("100.00")
    assert percentage(0, total) == Decimal("0.00")


@pytest.mark.parametrize(
    ("good", "total", "expected"),
    [(19, 20, "95.00"), (2, 3, "66.67"), (1, 3, "33.33"), (1, 8, "12.50"), (1, 200, "0.50")],
)
def test_percentage_examples(good, total, expected):
    assert percentage(good, total) == Decimal(expected)


# Totals whose hundredths of a percent can end in exactly one half (20000 / total is odd).
TIE_TOTALS = [t for t in range(1, 5001) if 20000 % t == 0 and (20000 // t) % 2 == 1]


@given(st.data())
def test_percentage_rounds_an_exact_half_up(data):
    total = data.draw(st.sampled_from(TIE_TOTALS))
    good = 2 * data.draw(st.integers(min_value=0, max_value=(total - 1) // 2)) + 1  # odd: a tie

    value = percentage(good, total)

    assert Fraction(value) == Fraction(100 * good, total) + Fraction(1, 200)


@pytest.mark.parametrize(
    ("good", "total", "expected"), [(1, 32, "3.13"), (7, 32, "21.88"), (1, 160, "0.63")]
)
def test_percentage_rounds_half_up_not_to_even(good, total, expected):
    assert percentage(good, total) == Decimal(expected)


# compare ----------------------------------------------------------------------------------


@given(DECIMALS, DECIMALS)
def test_compare_matches_the_comparison_operators(value, threshold):
    assert compare(value, Comparator.GTE, threshold) is (value >= threshold)
    assert compare(value, Comparator.LTE, threshold) is (value <= threshold)
    assert compare(value, Comparator.EQ, threshold) is (value == threshold)


@given(DECIMALS, DECIMALS)
def test_at_least_or_at_most_always_holds_and_both_only_when_equal(value, threshold):
    gte = compare(value, Comparator.GTE, threshold)
    lte = compare(value, Comparator.LTE, threshold)

    assert gte or lte
    assert (gte and lte) is compare(value, Comparator.EQ, threshold)


def test_compare_refuses_an_unknown_comparator():
    with pytest.raises(ValueError, match="unknown comparator 'gt'"):
        compare(Decimal(1), "gt", Decimal(0))


# count_at_least ---------------------------------------------------------------------------


@given(
    st.lists(st.one_of(st.none(), st.integers(min_value=1, max_value=4))),
    st.integers(min_value=1, max_value=4),
)
def test_count_at_least_counts_ranks_at_or_above_and_ignores_missing(ranks, minimum):
    counted = count_at_least(ranks, minimum)

    assert counted == len([r for r in ranks if r is not None and r >= minimum])
    assert count_at_least(ranks, 1) == len([r for r in ranks if r is not None])


# evaluate_* -------------------------------------------------------------------------------


@given(shares(), COMPARATORS, THRESHOLDS)
def test_share_is_met_exactly_when_its_percentage_satisfies_the_threshold(
    share, comparator, threshold
):
    good, total = share

    evaluation = evaluate_share(good=good, total=total, comparator=comparator, threshold=threshold)

    assert evaluation.value == percentage(good, total)
    assert evaluation.met is compare(evaluation.value, comparator, threshold)
    assert (evaluation.numerator, evaluation.denominator) == (good, total)


@given(shares(), THRESHOLDS)
def test_share_at_least_is_met_iff_value_reaches_threshold(share, threshold):
    good, total = share

    evaluation = evaluate_share(good=good, total=total, comparator="gte", threshold=threshold)

    assert evaluation.met is (evaluation.value >= threshold)


@given(shares(), THRESHOLDS)
def test_more_good_staff_never_turns_a_met_share_into_unmet(share, threshold):
    good, total = share
    assume(good < total)

    before = evaluate_share(good=good, total=total, comparator="gte", threshold=threshold)
    after = evaluate_share(good=good + 1, total=total, comparator="gte", threshold=threshold)

    assert not (before.met and not after.met)


@given(COMPARATORS, THRESHOLDS)
def test_share_of_an_empty_unit_has_no_verdict(comparator, threshold):
    evaluation = evaluate_share(good=0, total=0, comparator=comparator, threshold=threshold)

    assert (evaluation.met, evaluation.value) == (None, None)


def test_95_percent_criterion_is_met_at_19_of_20_and_not_at_18():
    assert evaluate_share(good=19, total=20, comparator="gte", threshold=Decimal(95)).met
    assert not evaluate_share(good=18, total=20, comparator="gte", threshold=Decimal(95)).met


@given(st.integers(min_value=0, max_value=50))
def test_no_discipline_criterion_is_met_only_at_zero(count):
    evaluation = evaluate_count(count=count, comparator="lte", threshold=Decimal(0))

    assert evaluation.met is (count == 0)
    assert evaluation.value == Decimal(count)


@given(st.booleans())
def test_flag_is_one_or_zero_and_met_when_it_holds(holds):
    evaluation = evaluate_flag(holds=holds, comparator="gte", threshold=Decimal(1))

    assert evaluation.value == Decimal(1 if holds else 0)
    assert evaluation.met is holds


def test_flag_without_data_has_no_verdict():
    evaluation = evaluate_flag(holds=None, comparator="gte", threshold=Decimal(1))

    assert (evaluation.met, evaluation.value) == (None, None)


@pytest.mark.parametrize(("comparator", "symbol"), [("gte", "≥"), ("lte", "≤"), ("eq", "=")])
def test_evaluation_shows_the_comparison_symbol(comparator, symbol):
    assert evaluate_count(count=0, comparator=comparator, threshold=Decimal(0)).symbol == symbol
