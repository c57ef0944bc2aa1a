"""The scoring engine: a table tree and each unit's inputs in, points with explanations out.

Pure: plain dataclasses, `Decimal` throughout, no database. The selector builds a `Table`
from the models; reports and verification will build the `UnitInputs`.

Rules, in the order they apply:

1. Block statistics first: for each quantitative leaf, over the block's units that have a
   value, the highest, lowest and average value, and the best value (the highest, or the
   lowest where lower is better). Formulas see them as block_max, block_min, block_avg,
   best_value.
2. Each leaf's raw points by its kind:
   - quantitative: its formula over value, target, max_points and the block statistics;
   - pass_fail: the maximum if passed, else 0;
   - per_occurrence: occurrences × points per occurrence;
   - manual: the points given;
   - bonus: occurrences × points per occurrence if set, else the sum of the entries;
   - penalty: the same, counted as a deduction (negative).
3. Clamping: a leaf's points are clamped to [0, max] ([-max, 0] for a penalty); a bonus or
   penalty leaf without a maximum is bounded only by its section.
4. Rounding, the one place it happens: each leaf's clamped points are rounded to the table's
   places with its mode (ROUND_HALF_UP by default), never beyond the leaf's bounds. Everything
   above a leaf is an exact sum of rounded leaves, so a total always equals the sum of the
   numbers shown.
5. Sections: the sum of their children, clamped to [-limit, limit] where the limit is the
   smaller of the section's maximum and its cap (no limit if neither is set), taken on the
   table's grid (rounded down to its places).
6. The total: the sum of the top-level items, never below zero; the band is the one with the
   highest minimum not above the total.

A leaf that cannot be computed (a missing value, a division by zero for this unit) gets no
points and an error; its parents and the total count it as 0 and are marked incomplete, and
the other leaves and units go on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
    localcontext,
)
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from .formula import Formula, FormulaEvalError

ZERO = Decimal(0)


class Kind(StrEnum):
    SECTION = "section"
    QUANTITATIVE = "quantitative"
    PASS_FAIL = "pass_fail"
    PER_OCCURRENCE = "per_occurrence"
    BONUS = "bonus"
    PENALTY = "penalty"
    MANUAL = "manual"


# Kinds whose maximum must be set before a table can be frozen.
NEEDS_MAXIMUM = frozenset({Kind.QUANTITATIVE, Kind.PASS_FAIL, Kind.PER_OCCURRENCE, Kind.MANUAL})


class Rounding(StrEnum):
    HALF_UP = "half_up"
    HALF_EVEN = "half_even"
    DOWN = "down"
    UP = "up"


DECIMAL_ROUNDING = {
    Rounding.HALF_UP: ROUND_HALF_UP,
    Rounding.HALF_EVEN: ROUND_HALF_EVEN,
    Rounding.DOWN: ROUND_DOWN,
    Rounding.UP: ROUND_UP,
}


@dataclass(frozen=True)
class Item:
    code: str
    kind: Kind
    text: str = ""
    max_points: Decimal | None = None
    cap: Decimal | None = None
    formula: Formula | None = None
    target: Decimal | None = None
    lower_is_better: bool = False
    points_per_occurrence: Decimal | None = None
    children: tuple[Item, ...] = ()

    @property
    def is_section(self) -> bool:
        return self.kind == Kind.SECTION

    @property
    def limit(self) -> Decimal | None:
        """A section's bound: the smaller of its maximum and its cap."""
        bounds = [b for b in (self.max_points, self.cap) if b is not None]
        return min(bounds) if bounds else None


@dataclass(frozen=True)
class Band:
    name: str
    min_total: Decimal
    eligible_for: str = ""


@dataclass(frozen=True)
class Table:
    items: tuple[Item, ...]
    places: int = 2
    rounding: Rounding = Rounding.HALF_UP
    bands: tuple[Band, ...] = ()

    def leaves(self) -> Iterable[Item]:
        stack = list(reversed(self.items))
        while stack:
            item = stack.pop()
            if item.is_section:
                stack.extend(reversed(item.children))
            else:
                yield item


@dataclass(frozen=True)
class UnitInputs:
    """What one unit brings, keyed by item code."""

    values: Mapping[str, Decimal | None] = field(default_factory=dict)
    passed: Mapping[str, bool | None] = field(default_factory=dict)
    occurrences: Mapping[str, int] = field(default_factory=dict)
    manual: Mapping[str, Decimal | None] = field(default_factory=dict)
    entries: Mapping[str, Sequence[Decimal]] = field(default_factory=dict)


@dataclass(frozen=True)
class Stats:
    block_max: Decimal | None
    block_min: Decimal | None
    block_avg: Decimal | None
    best_value: Decimal | None
    count: int

    def as_variables(self) -> dict[str, Decimal | None]:
        return {
            "block_max": self.block_max,
            "block_min": self.block_min,
            "block_avg": self.block_avg,
            "best_value": self.best_value,
        }


NO_STATS = Stats(None, None, None, None, 0)


@dataclass(frozen=True)
class Result:
    """One item's points for one unit, with what they were computed from."""

    code: str
    kind: Kind
    points: Decimal  # 0 when it could not be computed
    computed: bool = True
    error: str = ""
    raw: Decimal | None = None  # before clamping and rounding
    clamped: bool = False
    inputs: Mapping[str, Any] = field(default_factory=dict)
    formula: str = ""
    incomplete: bool = False  # a section with a leaf that could not be computed
    children: tuple[Result, ...] = ()


@dataclass(frozen=True)
class UnitScore:
    total: Decimal
    band: Band | None
    incomplete: bool
    items: tuple[Result, ...]

    def by_code(self) -> dict[str, Result]:
        found: dict[str, Result] = {}
        stack = list(self.items)
        while stack:
            result = stack.pop()
            found[result.code] = result
            stack.extend(result.children)
        return found


# Block statistics ----------------------------------------------------------------------------


def block_statistics(table: Table, units: Mapping[Any, UnitInputs]) -> dict[str, Stats]:
    """For each quantitative leaf, the statistics of its values over the block's units."""
    stats: dict[str, Stats] = {}
    for leaf in table.leaves():
        if leaf.kind != Kind.QUANTITATIVE:
            continue
        values = [v for u in units.values() if (v := u.values.get(leaf.code)) is not None]
        stats[leaf.code] = statistics(values, lower_is_better=leaf.lower_is_better)
    return stats


def statistics(values: Sequence[Decimal], *, lower_is_better: bool = False) -> Stats:
    if not values:
        return NO_STATS
    with localcontext() as ctx:
        ctx.prec = 28
        average = sum(values, ZERO) / len(values)
    highest, lowest = max(values), min(values)
    return Stats(highest, lowest, average, lowest if lower_is_better else highest, len(values))


# One unit ------------------------------------------------------------------------------------


def score_unit(table: Table, inputs: UnitInputs, stats: Mapping[str, Stats]) -> UnitScore:
    quantum = Decimal(1).scaleb(-table.places)
    mode = DECIMAL_ROUNDING[table.rounding]
    results = tuple(_score_item(item, inputs, stats, quantum, mode) for item in table.items)
    total = max(ZERO, sum((r.points for r in results), ZERO))
    incomplete = any(not r.computed or r.incomplete for r in results)
    return UnitScore(total, band_for(table.bands, total), incomplete, results)


def score_block(table: Table, units: Mapping[Any, UnitInputs]) -> dict[Any, UnitScore]:
    """Every unit of a block: statistics over all of them first, then each unit's points."""
    stats = block_statistics(table, units)
    return {key: score_unit(table, inputs, stats) for key, inputs in units.items()}


def upper_bound(item: Item) -> Decimal | None:
    """The most an item can add to a total (None: unbounded, a bonus without a cap)."""
    if item.kind == Kind.PENALTY:
        return ZERO
    if not item.is_section:
        return item.max_points
    bounds = [upper_bound(c) for c in item.children]
    total = None if None in bounds else sum((b for b in bounds if b is not None), ZERO)
    limits = [b for b in (item.limit, total) if b is not None]
    return max(ZERO, min(limits)) if limits else None


def band_for(bands: Iterable[Band], total: Decimal) -> Band | None:
    reached = [b for b in bands if b.min_total <= total]
    return max(reached, key=lambda b: b.min_total) if reached else None


def _score_item(
    item: Item, inputs: UnitInputs, stats: Mapping[str, Stats], quantum: Decimal, mode: str
) -> Result:
    if item.is_section:
        children = tuple(_score_item(c, inputs, stats, quantum, mode) for c in item.children)
        raw = sum((c.points for c in children), ZERO)
        points = raw
        limit = _inwards(item.limit, quantum)
        if limit is not None:
            points = min(max(points, -limit), limit)
        return Result(
            item.code,
            item.kind,
            points,
            raw=raw,
            clamped=points != raw,
            incomplete=any(not c.computed or c.incomplete for c in children),
            children=children,
        )
    try:
        raw, inputs_used = _leaf_raw(item, inputs, stats.get(item.code, NO_STATS))
    except LeafError as error:
        return Result(
            item.code,
            item.kind,
            ZERO,
            computed=False,
            error=error.message,
            inputs=error.inputs,
            formula=item.formula.text if item.formula else "",
        )
    low, high = _leaf_bounds(item)
    clamped = raw
    if low is not None:
        clamped = max(clamped, low)
    if high is not None:
        clamped = min(clamped, high)
    points = clamped.quantize(quantum, mode)
    # A maximum finer than the table's places (1.15 at one place) must not be exceeded by
    # rounding: the bound itself is then rounded inwards.
    if high is not None and points > high:
        points = high.quantize(quantum, ROUND_FLOOR)
    if low is not None and points < low:
        points = low.quantize(quantum, ROUND_CEILING)
    return Result(
        item.code,
        item.kind,
        points,
        raw=raw,
        clamped=clamped != raw,
        inputs=inputs_used,
        formula=item.formula.text if item.formula else "",
    )


def _inwards(limit: Decimal | None, quantum: Decimal) -> Decimal | None:
    """A section's limit on the table's grid, never above the configured one."""
    return None if limit is None else limit.quantize(quantum, ROUND_FLOOR)


def _leaf_bounds(item: Item) -> tuple[Decimal | None, Decimal | None]:
    if item.kind == Kind.PENALTY:
        return (-item.max_points if item.max_points is not None else None), ZERO
    return ZERO, item.max_points


class LeafError(Exception):
    def __init__(self, message: str, inputs: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.inputs = dict(inputs or {})


def formula_variables(item: Item, value: Decimal | None, stats: Stats) -> dict[str, Decimal | None]:
    return {
        "value": value,
        "target": item.target,
        "max_points": item.max_points,
        **stats.as_variables(),
    }


def _leaf_raw(item: Item, inputs: UnitInputs, stats: Stats) -> tuple[Decimal, dict[str, Any]]:
    code = item.code
    if item.kind in NEEDS_MAXIMUM and item.max_points is None:
        raise LeafError(_("The maximum points of %(code)s are not set.") % {"code": code})
    if item.kind == Kind.QUANTITATIVE:
        value = inputs.values.get(code)
        variables = formula_variables(item, value, stats)
        if item.formula is None:
            raise LeafError(_("%(code)s has no formula.") % {"code": code}, variables)
        try:
            raw = item.formula.evaluate(variables)
        except FormulaEvalError as error:
            raise LeafError(error.message, variables) from error
        return raw, variables
    if item.kind == Kind.PASS_FAIL:
        passed = inputs.passed.get(code)
        if passed is None:
            raise LeafError(_("Whether %(code)s is met is not known yet.") % {"code": code})
        assert item.max_points is not None
        return (item.max_points if passed else ZERO), {"passed": passed}
    if item.kind == Kind.MANUAL:
        given = inputs.manual.get(code)
        if given is None:
            raise LeafError(_("No points were given for %(code)s.") % {"code": code})
        return given, {"points": given}
    occurrences = inputs.occurrences.get(code, 0)
    if item.kind == Kind.PER_OCCURRENCE or item.points_per_occurrence is not None:
        per = item.points_per_occurrence
        if per is None:
            raise LeafError(
                _("The points per occurrence of %(code)s are not set.") % {"code": code}
            )
        raw = per * occurrences
        used: dict[str, Any] = {"occurrences": occurrences, "points_per_occurrence": per}
    else:
        entries = list(inputs.entries.get(code, ()))
        raw = sum(entries, ZERO)
        used = {"entries": entries}
    return (-raw if item.kind == Kind.PENALTY else raw), used


def try_leaf(
    item: Item,
    *,
    value: Decimal | None,
    stats: Stats,
    places: int = 2,
    rounding: Rounding = Rounding.HALF_UP,
) -> Result:
    """The "try it" box: one quantitative leaf for sample values."""
    table = Table((item,), places, rounding)
    return score_unit(table, UnitInputs(values={item.code: value}), {item.code: stats}).items[0]
