"""Final scores and rankings of many rounds at once, for a whole province.

`results.block_results` builds one block's page: model instances, warnings, the matrix. This
module computes only what a ranking needs — each unit's final total, band and rank — for
many rounds with a constant number of queries per batch of rounds:

- the peers' points are aggregated in SQL per (sheet, item): count, sum, lowest, highest,
  which is all the peer methods need (`points_from_aggregate`), so the millions of peer rows
  never reach Python;
- rows come as plain tuples (`values_list`), never model instances; a batch holds at most
  one aggregate row per (unit, leaf) of its rounds (25 rounds of 20 units × 60 leaves:
  30,000 rows), and the other queries stream theirs in chunks;
- each unit then goes through the same functions as the page: `ranking.final_points` for the
  precedence (second review, verified score, peers), `results.with_scores` /
  `results.given_inputs` and `engine.score_unit` for the table, `ranking.rank` for the order.

Indicators from the organisation data and the units' reports (quantitative, pass / fail and
lateness leaves) are loaded per round, as `block_results` does, only for tables that have
such leaves; a table of manual, bonus and penalty leaves scored by people needs none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, localcontext
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Min, Q, QuerySet, Sum

from thidua.org.models import BlockMembership

from . import engine, ranking
from .models import (
    Band,
    PeerScore,
    ScoreEntry,
    ScoreSheet,
    ScoringItem,
    ScoringRound,
    ScoringTable,
)
from .selectors import results
from .selectors import tables as table_selectors

# Rounds per batch: the queries of a batch are constant; the batch bounds the memory held
# for the peers' aggregates and final points (one row per unit and leaf of its rounds).
BATCH_SIZE = 25
CHUNK_SIZE = 10_000

# Leaves whose inputs come from the organisation data or the reports, not from people.
INDICATOR_KINDS = frozenset({engine.Kind.QUANTITATIVE, engine.Kind.PASS_FAIL})


@dataclass(frozen=True)
class RankedRow:
    """One unit's place in its round's ranking."""

    unit_id: int
    unit_code: str
    total: Decimal
    band: str
    incomplete: bool
    rank: int
    tied: bool
    score: engine.UnitScore  # every item's points, for a drill-down or a comparison


def points_from_aggregate(
    method: str, count: int, total: Decimal, low: Decimal, high: Decimal
) -> Decimal | None:
    """`ranking.METHODS[method]` of a (sheet, item)'s peer points, from their count, sum,
    lowest and highest: the mean, or the mean without one highest and one lowest (the plain
    mean below three scores). The sums are exact, so the division, in the same context as
    `ranking.mean`, gives the very same Decimal."""
    if method not in ranking.PEER_METHODS or count == 0:
        return None
    if method == "trimmed_mean" and count >= 3:
        count, total = count - 2, total - low - high
    with localcontext() as ctx:
        ctx.prec = 28
        return total / count


def compute_rounds(
    round_ids: Iterable[int], *, batch_size: int = BATCH_SIZE
) -> dict[int, list[RankedRow]]:
    """Every unit's final total, band and rank in each round, in rank order (then by unit
    code, as the results page lists them)."""
    ids = sorted(set(round_ids))
    found: dict[int, list[RankedRow]] = {}
    for start in range(0, len(ids), batch_size):
        found.update(_compute_batch(ids[start : start + batch_size]))
    return found


@dataclass
class _Round:
    round: ScoringRound
    table: engine.Table
    leaves: list[ScoringItem]
    unit_ids: list[int]
    # sheet id → unit id, and per sheet the final points by item code
    sheets: dict[int, int]
    final: defaultdict[int, dict[str, Decimal]]


def _compute_batch(round_ids: list[int]) -> dict[int, list[RankedRow]]:
    rounds = list(ScoringRound.objects.filter(pk__in=round_ids).select_related("table__campaign"))
    tables = _engine_tables({r.table_id for r in rounds})
    members = _members({(r.table.block_id, r.table.campaign.year) for r in rounds})
    codes: dict[int, str] = {}
    states: dict[int, _Round] = {}
    for round_ in rounds:
        table, leaves = tables[round_.table_id]
        unit_ids = []
        for unit_id, code in members.get((round_.table.block_id, round_.table.campaign.year), []):
            unit_ids.append(unit_id)
            codes[unit_id] = code
        states[round_.pk] = _Round(round_, table, leaves, unit_ids, {}, defaultdict(dict))
    sheet_round: dict[int, _Round] = {}
    for sheet_id, round_id, unit_id in ScoreSheet.objects.filter(
        round_id__in=round_ids
    ).values_list("id", "round_id", "unit_id"):
        state = states[round_id]
        state.sheets[sheet_id] = unit_id
        sheet_round[sheet_id] = state
    code_of = {item.pk: item.code for _table, leaves in tables.values() for item in leaves}

    # Scores a person settled: they win over the peers' (ranking.final_points).
    settled = (
        ScoreEntry.objects.filter(sheet__round_id__in=round_ids)
        .filter(Q(verified_points__isnull=False) | Q(review_points__isnull=False))
        .values_list("sheet_id", "item_id", "review_points", "verified_points")
    )
    for sheet_id, item_id, review, verified in settled.iterator(chunk_size=CHUNK_SIZE):
        state = sheet_round[sheet_id]
        if item_id not in code_of:
            continue
        points = ranking.final_points(state.round.method, review=review, verified=verified)
        if points is not None:
            state.final[sheet_id][code_of[item_id]] = points

    peer_rounds = [r.pk for r in rounds if r.method in ranking.PEER_METHODS]
    if peer_rounds:
        aggregates = (
            PeerScore.objects.filter(sheet__round_id__in=peer_rounds)
            .values("sheet_id", "item_id")
            .order_by()
            .annotate(n=Count("id"), total=Sum("points"), low=Min("points"), high=Max("points"))
            .values_list("sheet_id", "item_id", "n", "total", "low", "high")
        )
        for sheet_id, item_id, n, total, low, high in _plain_rows(aggregates):
            state = sheet_round[sheet_id]
            item_code = code_of.get(item_id)
            given = state.final[sheet_id]
            if item_code is None or item_code in given:
                continue
            points = points_from_aggregate(state.round.method, n, total, low, high)
            if points is not None:
                given[item_code] = points

    return {round_id: _rank_round(state, codes) for round_id, state in sorted(states.items())}


def _plain_rows(queryset: QuerySet[Any, tuple[Any, ...]]) -> Iterable[tuple[Any, ...]]:
    """A values_list's rows. PostgreSQL's driver already returns `Decimal` and `int`, so
    there the query runs on a plain cursor, without Django's per-value converters (a Python
    call for each of the four values of every row); SQLite keeps decimals as floats and needs
    them (they round the sums back to the field's places)."""
    if connection.vendor != "postgresql":
        return queryset
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _rank_round(state: _Round, codes: dict[int, str]) -> list[RankedRow]:
    inputs = _base_inputs(state)
    stats = engine.block_statistics(state.table, inputs)
    final_by_unit = {
        unit_id: state.final.get(sheet_id, {}) for sheet_id, unit_id in state.sheets.items()
    }
    # The table as one unit sees it depends only on which leaves have final points; in a
    # round where everyone is scored on everything, that is one table for all.
    unit_tables: dict[frozenset[str], engine.Table] = {}
    scores: dict[int, engine.UnitScore] = {}
    for unit_id in state.unit_ids:
        given = final_by_unit.get(unit_id, {})
        key = frozenset(given)
        unit_table = unit_tables.get(key)
        if unit_table is None:
            unit_table = replace(state.table, items=results.with_scores(state.table.items, given))
            unit_tables[key] = unit_table
        scores[unit_id] = engine.score_unit(
            unit_table, results.given_inputs(inputs[unit_id], given), stats
        )
    tie_codes = list(state.round.tie_break)
    totals = {codes[u]: s.total for u, s in scores.items()}
    ties = {codes[u]: _tie_values(s, tie_codes) for u, s in scores.items()}
    by_code = {x.key: x for x in ranking.rank(totals, ties)}
    rows = [
        RankedRow(
            unit_id=unit_id,
            unit_code=codes[unit_id],
            total=score.total,
            band=score.band.name if score.band else "",
            incomplete=score.incomplete,
            rank=by_code[codes[unit_id]].rank,
            tied=by_code[codes[unit_id]].tied,
            score=score,
        )
        for unit_id, score in scores.items()
    ]
    rows.sort(key=lambda r: (r.rank, r.unit_code))
    return rows


def _tie_values(score: engine.UnitScore, tie_codes: Sequence[str]) -> list[Decimal]:
    if not tie_codes:
        return []
    by_code = score.by_code()
    return [by_code[c].points if c in by_code else Decimal(0) for c in tie_codes]


def _base_inputs(state: _Round) -> dict[int, engine.UnitInputs]:
    """What the organisation data and the reports bring, as `results.block_results` builds
    it; nothing (and no query) for a table whose leaves are all scored by people."""
    leaves = state.leaves
    needs = any(
        i.kind in INDICATOR_KINDS or i.indicator_source == ScoringItem.Source.LATE_DAYS
        for i in leaves
    )
    if not needs:
        empty = engine.UnitInputs()
        return {unit_id: empty for unit_id in state.unit_ids}
    round_, table = state.round, state.round.table
    computed = table_selectors.computed_inputs(table, state.unit_ids)
    versions = results.latest_versions(round_, state.unit_ids)
    lateness = results.late_days(round_, state.unit_ids)
    found: dict[int, engine.UnitInputs] = {}
    for unit_id in state.unit_ids:
        base = computed.get(unit_id, engine.UnitInputs())
        reported = results._reported_values(versions.get(unit_id), leaves)
        found[unit_id] = results.with_late_days(
            replace(base, values={**reported, **base.values}), leaves, lateness.get(unit_id, 0)
        )
    return found


_Tree = defaultdict[int | None, list[ScoringItem]]


def _engine_tables(
    table_ids: set[int],
) -> dict[int, tuple[engine.Table, list[ScoringItem]]]:
    """Each table as the engine sees it (as `table_selectors.engine_table` builds one) and its
    leaves, for all the tables in two queries."""
    items = ScoringItem.objects.filter(table_id__in=table_ids).order_by(
        "table_id", "parent_id", "order", "id"
    )
    children: defaultdict[int, _Tree] = defaultdict(lambda: defaultdict(list))
    for item in items.iterator(chunk_size=CHUNK_SIZE):
        children[item.table_id][item.parent_id].append(item)
    bands: defaultdict[int, list[engine.Band]] = defaultdict(list)
    for band in Band.objects.filter(table_id__in=table_ids).order_by("table_id", "min_total"):
        bands[band.table_id].append(engine.Band(band.name, band.min_total, band.eligible_for))
    rounding = {
        pk: (places, engine.Rounding(mode))
        for pk, places, mode in ScoringTable.objects.filter(pk__in=table_ids).values_list(
            "pk", "rounding_places", "rounding_mode"
        )
    }
    found: dict[int, tuple[engine.Table, list[ScoringItem]]] = {}
    for table_id in table_ids:
        tree = children[table_id]

        def build(item: ScoringItem, tree: _Tree = tree) -> engine.Item:
            return table_selectors.engine_item(item, tuple(build(c) for c in tree[item.pk]))

        leaves = [i for group in tree.values() for i in group if not i.is_section]
        found[table_id] = (
            engine.Table(
                tuple(build(i) for i in tree[None]),
                *rounding[table_id],
                tuple(bands[table_id]),
            ),
            leaves,
        )
    return found


def _members(
    blocks_years: set[tuple[int | None, int]],
) -> dict[tuple[int | None, int], list[tuple[int, str]]]:
    """Each (block, year)'s member units as (id, code), in the order of their paths."""
    found: defaultdict[tuple[int | None, int], list[tuple[int, str]]] = defaultdict(list)
    blocks = {b for b, _y in blocks_years if b is not None}
    years = {y for _b, y in blocks_years}
    rows: Iterator[tuple[int, int, int, str]] = (
        BlockMembership.objects.filter(term__block_id__in=blocks, term__year__in=years)
        .order_by("unit__path")
        .values_list("term__block_id", "term__year", "unit_id", "unit__code")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for block_id, year, unit_id, code in rows:
        if (block_id, year) in blocks_years:
            found[(block_id, year)].append((unit_id, code))
    return dict(found)
