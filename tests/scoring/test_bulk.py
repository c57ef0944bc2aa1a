"""The bulk computation of many rounds (thidua/scoring/bulk.py) gives the results page's
totals, bands and ranks, from peer points aggregated in SQL (issue 4, the province-scale
benchmark)."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thidua.org.models import Unit
from thidua.scoring import bulk, engine, ranking
from thidua.scoring.models import (
    FinalMethod,
    PeerScore,
    ScoreEntry,
    Scorers,
    ScoreSheet,
    ScoringItem,
    ScoringRound,
)
from thidua.scoring.selectors import results
from thidua.scoring.selectors import tables as table_selectors

from .scores_helpers import open_round, unit

pytestmark = pytest.mark.django_db

PEER_METHODS = [FinalMethod.PEER_MEAN, FinalMethod.TRIMMED_MEAN]
points_strategy = st.decimals(min_value=0, max_value=10, places=2)


def _round(method: str, tie_break: list[str] | None = None) -> ScoringRound:
    """The demo's Khối 1 round, switched to a method and to every member scoring every
    other (the round is written directly: these tests are about reading it)."""
    round_ = open_round(tie_break=tie_break)
    ScoringRound.objects.filter(pk=round_.pk).update(method=method, scorers=Scorers.ALL_PEERS)
    round_.refresh_from_db()
    return round_


def _leaves(round_: ScoringRound) -> list[ScoringItem]:
    return list(round_.table.items.exclude(kind=engine.Kind.SECTION).order_by("code"))


def _bounds(item: ScoringItem) -> tuple[Decimal, Decimal]:
    if item.kind == engine.Kind.PENALTY:
        return Decimal(-5), Decimal(0)
    return Decimal(0), item.max_points or Decimal(10)


def _sheet(round_: ScoringRound, unit_id: int) -> ScoreSheet:
    return ScoreSheet.objects.get_or_create(round=round_, unit_id=unit_id)[0]


def _peer_scores(round_: ScoringRound, seed: int, skip: int = 3) -> None:
    """Every member scores every other on every leaf, with seeded random points, except
    that every `skip`-th (unit, leaf) gets no peer scores at all (left to the engine)."""
    rng = random.Random(seed)
    members = table_selectors.block_unit_ids(round_.table)
    rows = []
    for index, unit_id in enumerate(members):
        sheet = _sheet(round_, unit_id)
        for number, item in enumerate(_leaves(round_)):
            if (index + number) % skip == 0:
                continue
            low, high = _bounds(item)
            for scorer in members:
                if scorer != unit_id:
                    cents = rng.randint(int(low * 100), int(high * 100))
                    rows.append(
                        PeerScore(
                            sheet=sheet, item=item, scorer_id=scorer, points=Decimal(cents) / 100
                        )
                    )
    PeerScore.objects.bulk_create(rows)


def _settle(round_: ScoringRound) -> None:
    """A verified score on one item, a second review on another: both win over the peers."""
    first, second = table_selectors.block_unit_ids(round_.table)[:2]
    ScoreEntry.objects.create(
        sheet=_sheet(round_, first), item=round_.table.items.get(code="1.1"), verified_points=2
    )
    ScoreEntry.objects.create(
        sheet=_sheet(round_, second),
        item=round_.table.items.get(code="2.1"),
        verified_points=9,
        review_points=Decimal("3.5"),
    )


def _page(round_: ScoringRound) -> list[tuple[str, Decimal, str, int, bool, bool]]:
    return [
        (r.unit.code, r.final.total, r.band, r.rank, r.tied, r.final.incomplete)
        for r in results.block_results(round_).rows
    ]


def _bulk(rows: list[bulk.RankedRow]) -> list[tuple[str, Decimal, str, int, bool, bool]]:
    return [(r.unit_code, r.total, r.band, r.rank, r.tied, r.incomplete) for r in rows]


@pytest.mark.parametrize("method", [*PEER_METHODS, FinalMethod.VERIFIED])
def test_bulk_gives_the_results_page_totals_bands_and_ranks(method: str) -> None:
    round_ = _round(method, tie_break=["2", "1"])
    _peer_scores(round_, seed=4)
    _settle(round_)
    page = results.block_results(round_)
    computed = bulk.compute_rounds([round_.pk])[round_.pk]
    assert _bulk(computed) == _page(round_)
    # Item by item too, sections included.
    for ours, theirs in zip(computed, page.rows, strict=True):
        assert {c: r.points for c, r in ours.score.by_code().items()} == {
            c: r.points for c, r in theirs.final.by_code().items()
        }
    by_unit = {r.unit_code: r.score.by_code() for r in computed}
    # The settled scores win over the peers' whatever the method.
    members = table_selectors.block_unit_ids(round_.table)
    codes = dict(Unit.objects.filter(pk__in=members[:3]).values_list("pk", "code"))
    assert by_unit[codes[members[0]]]["1.1"].points == Decimal("2.00")
    assert by_unit[codes[members[1]]]["2.1"].points == Decimal("3.50")
    third = by_unit[codes[members[2]]]
    taken = {i.code for i in _leaves(round_) if "points" in third[i.code].inputs}
    if method == FinalMethod.VERIFIED:
        # Under the verified method the peers' points count for nothing.
        assert taken == set()
    else:
        # Every leaf the peers scored (two of every three) takes their aggregate.
        assert len(taken) >= 10


def test_peer_methods_differ_where_one_scorer_is_far_from_the_others() -> None:
    """One generous scorer lifts the mean but not the trimmed mean."""
    totals = {}
    for method in PEER_METHODS:
        with transaction.atomic():
            round_ = _round(method)
            target = unit("TTVH")
            sheet = _sheet(round_, target.pk)
            item = round_.table.items.get(code="3.1")
            scorers = [u for u in table_selectors.block_unit_ids(round_.table) if u != target.pk]
            PeerScore.objects.bulk_create(
                PeerScore(sheet=sheet, item=item, scorer_id=s, points=Decimal(10 if i == 0 else 4))
                for i, s in enumerate(scorers)
            )
            rows = {r.unit_code: r for r in bulk.compute_rounds([round_.pk])[round_.pk]}
            totals[method] = rows["TTVH"].score.by_code()["3.1"].points
            assert _bulk(bulk.compute_rounds([round_.pk])[round_.pk]) == _page(round_)
            transaction.set_rollback(True)
    assert totals == {
        FinalMethod.PEER_MEAN: Decimal("5.00"),
        FinalMethod.TRIMMED_MEAN: Decimal("4.00"),
    }


def test_equal_units_share_a_rank_and_are_marked_tied() -> None:
    round_ = _round(FinalMethod.PEER_MEAN)
    members = table_selectors.block_unit_ids(round_.table)
    for unit_id in members:
        sheet = _sheet(round_, unit_id)
        PeerScore.objects.bulk_create(
            PeerScore(sheet=sheet, item=item, scorer_id=s, points=Decimal(7))
            for item in _leaves(round_)
            for s in members
            if s != unit_id
        )
    rows = bulk.compute_rounds([round_.pk])[round_.pk]
    assert {(r.rank, r.tied) for r in rows} == {(1, True)}
    assert [r.unit_code for r in rows] == sorted(r.unit_code for r in rows)
    assert _bulk(rows) == _page(round_)


def test_the_number_of_queries_does_not_grow_with_peer_scores() -> None:
    round_ = _round(FinalMethod.TRIMMED_MEAN)
    members = table_selectors.block_unit_ids(round_.table)
    # The one (unit, leaf) that _peer_scores leaves alone below: the first unit's first leaf.
    item = round_.table.items.get(code="1.1")
    PeerScore.objects.create(
        sheet=_sheet(round_, members[0]), item=item, scorer_id=members[1], points=5
    )
    with CaptureQueriesContext(connection) as few:
        bulk.compute_rounds([round_.pk])
    _peer_scores(round_, seed=1, skip=1000)
    with CaptureQueriesContext(connection) as many:
        rows = bulk.compute_rounds([round_.pk])[round_.pk]
    assert len(many) == len(few)
    assert PeerScore.objects.filter(sheet__round=round_).count() > 7 * 6 * 15
    assert not any(r.incomplete for r in rows)


def test_rounds_are_computed_together_each_with_its_own_method() -> None:
    yearend = _round(FinalMethod.TRIMMED_MEAN)
    midyear = ScoringRound.objects.create(
        table=yearend.table, period="midyear", method=FinalMethod.PEER_MEAN
    )
    for round_ in (yearend, midyear):
        _peer_scores(round_, seed=round_.pk, skip=4)
    together = bulk.compute_rounds([yearend.pk, midyear.pk], batch_size=1)
    assert set(together) == {yearend.pk, midyear.pk}
    for round_ in (yearend, midyear):
        assert _bulk(together[round_.pk]) == _page(round_)
        assert _bulk(bulk.compute_rounds([round_.pk])[round_.pk]) == _bulk(together[round_.pk])


# The aggregate formula -------------------------------------------------------------------------


@given(
    method=st.sampled_from(PEER_METHODS),
    points=st.lists(st.decimals(min_value=-100, max_value=100, places=2), max_size=25),
)
def test_the_aggregate_formula_is_the_methods_own(method: str, points: list[Decimal]) -> None:
    """From count, sum, lowest and highest, the very Decimal `ranking.METHODS` gives."""
    expected = ranking.METHODS[method](points)
    got = bulk.points_from_aggregate(
        method,
        len(points),
        sum(points, Decimal(0)),
        min(points, default=Decimal(0)),
        max(points, default=Decimal(0)),
    )
    assert got == expected
    if got is not None:
        assert expected is not None
        assert got.as_tuple() == expected.as_tuple()


def test_the_verified_method_takes_nothing_from_the_peers() -> None:
    assert bulk.points_from_aggregate("verified", 3, Decimal(9), Decimal(1), Decimal(5)) is None


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    method=st.sampled_from(PEER_METHODS),
    peers=st.lists(st.lists(points_strategy, max_size=6), min_size=1, max_size=4),
)
def test_bulk_item_points_are_the_per_item_rule_on_random_peer_points(
    method: str, peers: list[list[Decimal]]
) -> None:
    """Random peer points on a few items of one unit, through SQL, equal the pure rule
    (`ranking.final_points` on the list of points, then the table's rounding)."""
    with transaction.atomic():
        round_ = _round(method)
        target = unit("TTVH")
        sheet = _sheet(round_, target.pk)
        scorers = [u for u in table_selectors.block_unit_ids(round_.table) if u != target.pk]
        leaves = [i for i in _leaves(round_) if i.kind == engine.Kind.PASS_FAIL][: len(peers)]
        PeerScore.objects.bulk_create(
            PeerScore(sheet=sheet, item=item, scorer_id=scorers[n], points=p)
            for item, points in zip(leaves, peers, strict=False)
            for n, p in enumerate(points)
        )
        rows = {r.unit_code: r for r in bulk.compute_rounds([round_.pk])[round_.pk]}
        items = rows["TTVH"].score.by_code()
        for item, points in zip(leaves, peers, strict=False):
            expected = ranking.final_points(method, review=None, verified=None, peers=points)
            if expected is None:
                # No peer score: the engine decides from the indicators, as without peers.
                assert "points" not in items[item.code].inputs
                continue
            assert items[item.code].inputs == {"points": expected}
            assert items[item.code].points == expected.quantize(Decimal("0.01"), ROUND_HALF_UP)
        transaction.set_rollback(True)
