"""Properties of the ranking (hypothesis): a permutation that respects ties, independent of
the order of the rows, and the final-score methods."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from thidua.scoring import ranking

points = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False)
blocks = st.dictionaries(
    st.text(alphabet="ABCDEFGH", min_size=1, max_size=3),
    st.tuples(points, points),
    min_size=1,
    max_size=12,
)


def _rank(block: dict[str, tuple[Decimal, Decimal]], tie_break: bool) -> list[ranking.Ranked]:
    totals = {k: v[0] for k, v in block.items()}
    ties = {k: [v[1]] for k, v in block.items()} if tie_break else {}
    return ranking.rank(totals, ties)


@given(blocks, st.booleans())
def test_the_ranking_is_a_permutation_that_respects_ties(block, tie_break: bool) -> None:
    ranked = _rank(block, tie_break)
    assert sorted(r.key for r in ranked) == sorted(block)
    for a in ranked:
        for b in ranked:
            key_a = (block[a.key][0], *((block[a.key][1],) if tie_break else ()))
            key_b = (block[b.key][0], *((block[b.key][1],) if tie_break else ()))
            if key_a == key_b:
                assert a.rank == b.rank
            elif key_a > key_b:
                assert a.rank < b.rank
    for r in ranked:
        equal = [o for o in ranked if o.rank == r.rank]
        assert r.tied == (len(equal) > 1)
        # Competition ranking: the rank is one more than the number of units above.
        assert r.rank == 1 + sum(1 for o in ranked if o.rank < r.rank)


@given(blocks, st.booleans(), st.randoms())
def test_the_order_of_the_rows_does_not_change_the_ranking(block, tie_break, random) -> None:
    items = list(block.items())
    random.shuffle(items)
    assert _rank(dict(items), tie_break) == _rank(block, tie_break)


@given(st.lists(points, min_size=1, max_size=20))
def test_the_trimmed_mean_stays_between_the_lowest_and_highest(values) -> None:
    trimmed = ranking.trimmed_mean(values)
    assert trimmed is not None and min(values) <= trimmed <= max(values)
    assert ranking.mean(values) == sum(values, Decimal(0)) / len(values)


def test_the_trimmed_mean_drops_one_highest_and_one_lowest() -> None:
    values = [Decimal(v) for v in ("2", "8", "8", "9", "10")]
    assert ranking.trimmed_mean(values) == Decimal("25") / 3
    assert ranking.verified([Decimal(7)]) == Decimal(7)
    assert ranking.verified([]) is None


def test_a_tie_after_every_rule_is_shown_as_a_tie() -> None:
    ranked = ranking.rank(
        {"A": Decimal(90), "B": Decimal(90), "C": Decimal(95), "D": Decimal(90)},
        {"A": [Decimal(40)], "B": [Decimal(40)], "C": [Decimal(1)], "D": [Decimal(45)]},
    )
    assert [(r.key, r.rank, r.tied) for r in ranked] == [
        ("C", 1, False),
        ("D", 2, False),
        ("A", 3, True),
        ("B", 3, True),
    ]
    assert next(r for r in ranked if r.key == "D").decided_by == 1


def test_changes_between_snapshots_list_total_rank_and_band() -> None:
    old = [{"unit": "A", "total": "90", "rank": 1, "band": "Tốt"}]
    new = [{"unit": "A", "total": "95", "rank": 1, "band": "Xuất sắc"}]
    assert ranking.changes_between(old, new) == [
        {"unit": "A", "field": "total", "before": "90", "after": "95"},
        {"unit": "A", "field": "band", "before": "Tốt", "after": "Xuất sắc"},
    ]
