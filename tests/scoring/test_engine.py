"""The pure engine: leaves, capped sections, totals, bands and block statistics.

Property tests (hypothesis) over random tables and blocks: a total never exceeds the caps,
sections equal the capped sum of their children, nothing depends on the order of units or
rows, and relative scoring gives the block's best unit full points.
"""

from __future__ import annotations

import dataclasses
from decimal import ROUND_FLOOR, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from thidua.scoring.engine import (
    Band,
    Item,
    Kind,
    Result,
    Rounding,
    Table,
    UnitInputs,
    block_statistics,
    score_block,
    score_unit,
    statistics,
)
from thidua.scoring.formula import parse

D = Decimal
RELATIVE = parse("min(max_points, max_points * value / best_value)")
FORMULAS = [
    RELATIVE,
    parse("if(value >= target, max_points, 0)"),
    parse("max_points * value / 100"),
    parse("value - target"),  # may go below zero or above the maximum: clamped
    parse("max_points * (value - block_min) / (block_max - block_min)"),  # may divide by 0
    parse("if(value >= block_avg, max_points, max_points / 2)"),
]


def points(min_value: int = 1, max_value: int = 50) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value, max_value, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def leaf(draw: st.DrawFn) -> Item:
    kind = draw(st.sampled_from([k for k in Kind if k != Kind.SECTION]))
    maximum = (
        draw(points()) if kind not in (Kind.BONUS, Kind.PENALTY) else draw(st.none() | points())
    )
    per = None
    if kind == Kind.PER_OCCURRENCE or (kind in (Kind.BONUS, Kind.PENALTY) and draw(st.booleans())):
        per = draw(points(1, 10))
    return Item(
        code="",
        kind=kind,
        max_points=maximum,
        formula=draw(st.sampled_from(FORMULAS)) if kind == Kind.QUANTITATIVE else None,
        target=draw(points(0, 100)),
        lower_is_better=draw(st.booleans()),
        points_per_occurrence=per,
    )


def section(children: st.SearchStrategy[list[Item]]) -> st.SearchStrategy[Item]:
    return st.builds(
        lambda kids, maximum, cap: Item(
            code="", kind=Kind.SECTION, max_points=maximum, cap=cap, children=tuple(kids)
        ),
        children,
        st.none() | points(1, 100),
        st.none() | points(1, 100),
    )


items = st.recursive(
    leaf(), lambda inner: section(st.lists(inner, min_size=1, max_size=4)), max_leaves=8
)


def with_codes(tree: tuple[Item, ...], prefix: str = "") -> tuple[Item, ...]:
    return tuple(
        dataclasses.replace(
            item,
            code=f"{prefix}{index}",
            children=with_codes(item.children, f"{prefix}{index}."),
        )
        for index, item in enumerate(tree, start=1)
    )


@st.composite
def tables(draw: st.DrawFn) -> Table:
    tree = with_codes(tuple(draw(st.lists(items, min_size=1, max_size=5))))
    bands = draw(
        st.lists(points(0, 150), max_size=4, unique=True).map(
            lambda mins: tuple(Band(f"band {m}", m) for m in mins)
        )
    )
    return Table(tree, draw(st.integers(0, 3)), draw(st.sampled_from(list(Rounding))), bands)


def inputs_for(table: Table) -> st.SearchStrategy[UnitInputs]:
    codes = [leaf.code for leaf in table.leaves()]
    maybe_value = st.none() | points(0, 200)
    return st.builds(
        UnitInputs,
        values=st.fixed_dictionaries({c: maybe_value for c in codes}),
        passed=st.fixed_dictionaries({c: st.none() | st.booleans() for c in codes}),
        occurrences=st.fixed_dictionaries({c: st.integers(0, 12) for c in codes}),
        manual=st.fixed_dictionaries({c: st.none() | points(-20, 80) for c in codes}),
        entries=st.fixed_dictionaries({c: st.lists(points(0, 20), max_size=3) for c in codes}),
    )


@st.composite
def blocks(draw: st.DrawFn) -> tuple[Table, dict[str, UnitInputs]]:
    table = draw(tables())
    units = draw(st.lists(inputs_for(table), min_size=1, max_size=6))
    return table, {f"unit-{i}": u for i, u in enumerate(units)}


def upper_bound(item: Item) -> Decimal | None:
    """The most an item can contribute; None for unbounded."""
    if item.kind == Kind.PENALTY:
        return D(0)
    if not item.is_section:
        return item.max_points
    bounds = [upper_bound(c) for c in item.children]
    total = None if any(b is None for b in bounds) else sum(bounds, D(0))  # type: ignore[arg-type]
    limits = [b for b in (item.limit, total) if b is not None]
    return min(limits) if limits else None


def check(item: Item, result: Result, table: Table) -> None:
    assert result.code == item.code
    if item.is_section:
        expected = sum((c.points for c in result.children), D(0))
        if item.limit is not None:
            limit = item.limit.quantize(D(1).scaleb(-table.places), ROUND_FLOOR)
            expected = min(max(expected, -limit), limit)
        assert result.points == expected
        for child, child_result in zip(item.children, result.children, strict=True):
            check(child, child_result, table)
        return
    assert result.points == result.points.quantize(D(1).scaleb(-table.places))
    if item.kind == Kind.PENALTY:
        assert result.points <= 0
        if item.max_points is not None:
            assert result.points >= -item.max_points
    else:
        assert result.points >= 0
        if item.max_points is not None:
            assert result.points <= item.max_points
    if not result.computed:
        assert result.points == 0 and result.error


@settings(max_examples=150, deadline=None)
@given(blocks())
def test_leaves_sections_and_totals_respect_every_cap(block) -> None:
    table, units = block
    scores = score_block(table, units)
    bounds = [upper_bound(i) for i in table.items]
    for score in scores.values():
        for item, result in zip(table.items, score.items, strict=True):
            check(item, result, table)
        assert score.total >= 0
        assert score.total == max(D(0), sum((r.points for r in score.items), D(0)))
        if all(b is not None for b in bounds):
            assert score.total <= sum(bounds, D(0))  # type: ignore[arg-type]
        reached = [b for b in table.bands if b.min_total <= score.total]
        assert score.band == (max(reached, key=lambda b: b.min_total) if reached else None)


@settings(max_examples=100, deadline=None)
@given(blocks(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_units_or_rows(block, rnd) -> None:
    table, units = block
    scores = score_block(table, units)
    keys = list(units)
    rnd.shuffle(keys)
    shuffled_units = {k: units[k] for k in keys}

    def shuffle(tree: tuple[Item, ...]) -> tuple[Item, ...]:
        nodes = [dataclasses.replace(i, children=shuffle(i.children)) for i in tree]
        rnd.shuffle(nodes)
        return tuple(nodes)

    shuffled_table = dataclasses.replace(table, items=shuffle(table.items))
    again = score_block(shuffled_table, shuffled_units)
    for key in units:
        assert again[key].total == scores[key].total
        assert again[key].band == scores[key].band
        before = {c: r.points for c, r in scores[key].by_code().items()}
        after = {c: r.points for c, r in again[key].by_code().items()}
        assert before == after


@settings(max_examples=100, deadline=None)
@given(st.lists(points(1, 1000), min_size=1, max_size=20), points(1, 40))
def test_relative_scoring_gives_the_best_unit_full_points(values, maximum) -> None:
    leaf = Item("1", Kind.QUANTITATIVE, max_points=maximum, formula=RELATIVE)
    table = Table((leaf,), places=2)
    units = {i: UnitInputs(values={"1": v}) for i, v in enumerate(values)}
    scores = score_block(table, units)
    best = max(values)
    for i, value in enumerate(values):
        assert scores[i].total <= maximum
        if value == best:
            assert scores[i].total == maximum
        else:
            assert scores[i].total < maximum or value * maximum / best >= maximum - D("0.005")


def test_lower_is_better_makes_the_lowest_value_the_best() -> None:
    stats = statistics([D(3), D(1), D(2)], lower_is_better=True)
    assert (stats.best_value, stats.block_max, stats.block_min, stats.block_avg) == (1, 3, 1, 2)


def test_block_statistics_skip_units_without_a_value() -> None:
    leaf = Item("1", Kind.QUANTITATIVE, max_points=D(10), formula=RELATIVE)
    units = {
        "a": UnitInputs(values={"1": D(50)}),
        "b": UnitInputs(values={"1": None}),
        "c": UnitInputs(values={"1": D(100)}),
    }
    stats = block_statistics(Table((leaf,)), units)["1"]
    assert (stats.block_max, stats.block_min, stats.block_avg, stats.count) == (100, 50, 75, 2)


def test_one_unit_that_cannot_be_computed_does_not_stop_the_others() -> None:
    leaf = Item("1.1", Kind.QUANTITATIVE, max_points=D(10), formula=RELATIVE)
    other = Item("1.2", Kind.PASS_FAIL, max_points=D(5))
    table = Table((Item("1", Kind.SECTION, children=(leaf, other)),))
    scores = score_block(
        table,
        {
            "zero": UnitInputs(values={"1.1": D(0)}, passed={"1.2": True}),
            "missing": UnitInputs(values={}, passed={"1.2": True}),
        },
    )
    # Everyone has 0: the best value is 0, so the division fails for each, but only there.
    zero = scores["zero"].by_code()
    assert not zero["1.1"].computed and "Division by zero" in zero["1.1"].error
    assert zero["1.2"].points == 5 and zero["1"].incomplete
    assert scores["zero"].total == 5 and scores["zero"].incomplete
    missing = scores["missing"].by_code()["1.1"]
    assert not missing.computed and "“value”" in missing.error
    assert missing.inputs["value"] is None


def test_each_kind_of_leaf() -> None:
    table = Table(
        (
            Item("q", Kind.QUANTITATIVE, max_points=D(10), target=D(95), formula=FORMULAS[1]),
            Item("p", Kind.PASS_FAIL, max_points=D(5)),
            Item("o", Kind.PER_OCCURRENCE, max_points=D(6), points_per_occurrence=D(2)),
            Item("m", Kind.MANUAL, max_points=D(4)),
            Item(
                "bonus",
                Kind.SECTION,
                cap=D(10),
                children=(Item("b", Kind.BONUS, points_per_occurrence=D(5)),),
            ),
            Item("penalty", Kind.SECTION, cap=D(3), children=(Item("x", Kind.PENALTY),)),
        ),
        bands=(Band("Xuất sắc", D(30), "Cờ thi đua"), Band("Tốt", D(20))),
    )
    inputs = UnitInputs(
        values={"q": D(96)},
        passed={"p": False},
        occurrences={"o": 5, "b": 3},  # 10 per-occurrence points capped at 6; bonus 15 → 10
        manual={"m": D("4.5")},  # above the maximum: clamped
        entries={"x": [D(2), D(2)]},  # 4 deducted, the section allows 3
    )
    score = score_unit(table, inputs, block_statistics(table, {"u": inputs}))
    got = {code: r.points for code, r in score.by_code().items()}
    assert got == {
        "q": 10,
        "p": 0,
        "o": 6,
        "m": 4,
        "b": 15,
        "bonus": 10,
        "x": -4,
        "penalty": -3,
    }
    assert score.total == 27 and score.band == Band("Tốt", D(20))
    assert score.by_code()["m"].clamped and score.by_code()["m"].raw == D("4.5")
    assert score.by_code()["q"].inputs["target"] == 95


def test_rounding_happens_once_per_leaf_with_the_tables_mode() -> None:
    third = parse("max_points / 3")
    leaves = tuple(
        Item(f"{i}", Kind.QUANTITATIVE, max_points=D(1), formula=third) for i in (1, 2, 3)
    )
    half_up = score_unit(Table(leaves, places=2), UnitInputs(values={}), {})
    assert half_up.total == D("0.99")  # 0.33 three times, not round(1.00)
    down = Table((Item("1", Kind.MANUAL, max_points=D(10)),), 1, Rounding.DOWN)
    assert score_unit(down, UnitInputs(manual={"1": D("2.59")}), {}).total == D("2.5")
    even = Table((Item("1", Kind.MANUAL, max_points=D(10)),), 0, Rounding.HALF_EVEN)
    assert score_unit(even, UnitInputs(manual={"1": D("2.5")}), {}).total == D(2)
    default = Table((Item("1", Kind.MANUAL, max_points=D(10)),), 0)
    assert score_unit(default, UnitInputs(manual={"1": D("2.5")}), {}).total == D(3)


def test_a_leaf_without_its_maximum_cannot_be_computed() -> None:
    table = Table((Item("1", Kind.PASS_FAIL),))
    result = score_unit(table, UnitInputs(passed={"1": True}), {}).items[0]
    assert not result.computed and "maximum" in result.error
