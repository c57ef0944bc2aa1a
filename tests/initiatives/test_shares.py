"""The authors' shares: exactly 100 in total, each above 0 and at most 100, two decimals at
most, nobody twice — whatever the split."""

from __future__ import annotations

import itertools
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from thidua.initiatives.shares import ShareRow, parse_share, share_problems


def _rows(values: list[Decimal]) -> list[ShareRow]:
    return [ShareRow(i, f"Tác giả {i}", v) for i, v in enumerate(values, start=1)]


@st.composite
def splits_of_100(draw: st.DrawFn) -> list[Decimal]:
    """Any split of 100,00 % into 1–6 positive parts of whole cents."""
    count = draw(st.integers(min_value=1, max_value=6))
    cuts = sorted(draw(st.sets(st.integers(1, 9_999), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 10_000]
    return [Decimal(b - a) / 100 for a, b in itertools.pairwise(bounds)]


@given(splits_of_100())
def test_every_split_of_100_is_accepted(values: list[Decimal]) -> None:
    assert share_problems(_rows(values)) == []


@given(splits_of_100(), st.integers(min_value=1, max_value=500))
def test_any_split_that_misses_100_is_refused_with_its_total(
    values: list[Decimal], off_by: int
) -> None:
    changed = [*values[:-1], values[-1] + Decimal(off_by) / 100]
    problems = share_problems(_rows(changed))
    assert problems
    if all(v <= 100 for v in changed):
        total = format(sum(changed, Decimal(0)).normalize(), "f").replace(".", ",")
        assert problems == [f"The authors' shares add up to {total}%, not 100%."]


@given(splits_of_100())
def test_a_person_named_twice_is_refused_whatever_the_shares(values: list[Decimal]) -> None:
    rows = [*_rows(values), ShareRow(1, "Tác giả 1", Decimal(0))]
    assert "Tác giả 1 is named twice among the authors." in share_problems(rows)


def test_bad_values_name_their_author() -> None:
    assert share_problems(_rows([Decimal(0), Decimal(100)])) == [
        "The share of Tác giả 1 must be above 0% and at most 100%."
    ]
    assert share_problems([ShareRow(1, "An", "nhiều")]) == ["The share of An is not a number."]
    assert share_problems([ShareRow(1, "An", "33.333"), ShareRow(2, "Bình", "66.667")]) == [
        "The share of An has more than two decimals.",
        "The share of Bình has more than two decimals.",
    ]
    assert parse_share("60,5") == Decimal("60.5")
    assert parse_share("NaN") is None
