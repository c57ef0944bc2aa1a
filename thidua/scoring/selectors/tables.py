"""The read path of scoring tables: who may see or edit one, its tree, and the engine's view
of it (plain dataclasses, built in two queries)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from thidua.campaigns.models import Campaign
from thidua.campaigns.selectors import evaluate_measurable
from thidua.org.models import Block, BlockTerm

from .. import engine
from ..formula import FormulaError, parse
from ..models import OutlierThreshold, ScoringItem, ScoringRound, ScoringTable


def table_queryset() -> QuerySet[ScoringTable]:
    return ScoringTable.objects.select_related(
        "agency", "campaign", "block", "copied_from__block", "copied_from__campaign"
    )


def block_term(campaign: Campaign, block: Block | None) -> BlockTerm | None:
    if block is None:
        return None
    return BlockTerm.objects.filter(block=block, year=campaign.year).first()


def tables_for_block(campaign: Campaign, block: Block | None) -> list[ScoringTable]:
    return list(table_queryset().filter(campaign=campaign, block=block).order_by("-version"))


def current_table(campaign: Campaign, block: Block | None) -> ScoringTable | None:
    """The version in force: the newest frozen one, else the draft."""
    tables = tables_for_block(campaign, block)
    frozen = [t for t in tables if not t.is_draft]
    return frozen[0] if frozen else (tables[0] if tables else None)


def copy_sources(table_agency_id: int, exclude: ScoringTable | None = None) -> list[ScoringTable]:
    """Tables of the same agency one may start from: other blocks', other years'."""
    tables = table_queryset().filter(agency_id=table_agency_id)
    if exclude is not None:
        tables = tables.exclude(pk=exclude.pk)
    return list(tables.order_by("-campaign__year", "block__code", "-version"))


@dataclass
class Row:
    item: ScoringItem
    depth: int
    children_max: Decimal | None  # the sum of the children's maxima, for a section
    over_limit: bool  # the children could score more than the section's maximum or cap
    first: bool
    last: bool


def tree_rows(table: ScoringTable) -> list[Row]:
    """The tree in display order, one query."""
    items = list(
        table.items.select_related("criterion", "group").order_by("parent_id", "order", "id")
    )
    children: defaultdict[int | None, list[ScoringItem]] = defaultdict(list)
    for item in items:
        children[item.parent_id].append(item)
    rows: list[Row] = []

    def walk(parent_id: int | None, depth: int) -> None:
        siblings = children.get(parent_id, [])
        for index, item in enumerate(siblings):
            maxima = [c.max_points for c in children.get(item.pk, []) if c.max_points is not None]
            sum_max = sum(maxima, Decimal(0)) if item.is_section and maxima else None
            limits = [b for b in (item.max_points, item.cap) if b is not None]
            over = sum_max is not None and bool(limits) and sum_max > min(limits)
            rows.append(Row(item, depth, sum_max, over, index == 0, index == len(siblings) - 1))
            walk(item.pk, depth + 1)

    walk(None, 0)
    return rows


def table_maximum(table: engine.Table) -> Decimal | None:
    """The most a unit can score (None if a bonus has no cap anywhere above it)."""
    bounds = [engine.upper_bound(item) for item in table.items]
    if any(b is None for b in bounds):
        return None
    return sum((b for b in bounds if b is not None), Decimal(0))


def engine_item(item: ScoringItem, children: tuple[engine.Item, ...] = ()) -> engine.Item:
    formula = None
    if item.formula:
        try:
            formula = parse(item.formula)
        except FormulaError:
            formula = None  # refused on save; the engine reports "no formula"
    return engine.Item(
        code=item.code,
        kind=engine.Kind(item.kind),
        text=item.text,
        max_points=item.max_points,
        cap=item.cap,
        formula=formula,
        target=item.target,
        lower_is_better=item.lower_is_better,
        points_per_occurrence=item.points_per_occurrence,
        children=children,
    )


def engine_table(table: ScoringTable) -> engine.Table:
    """The table as the engine sees it: two queries (items, bands)."""
    items = list(table.items.order_by("parent_id", "order", "id"))
    children: defaultdict[int | None, list[ScoringItem]] = defaultdict(list)
    for item in items:
        children[item.parent_id].append(item)

    def build(item: ScoringItem) -> engine.Item:
        return engine_item(item, tuple(build(c) for c in children.get(item.pk, [])))

    bands = tuple(
        engine.Band(b.name, b.min_total, b.eligible_for) for b in table.bands.order_by("min_total")
    )
    return engine.Table(
        tuple(build(i) for i in children.get(None, [])),
        table.rounding_places,
        engine.Rounding(table.rounding_mode),
        bands,
    )


def outlier_threshold(round_: ScoringRound) -> OutlierThreshold | None:
    """The outlier-scorer threshold in force for the round's agency at the end of its
    campaign."""
    table = round_.table
    return OutlierThreshold.in_force(table.agency_id, table.campaign.ends_on)


def block_unit_ids(table: ScoringTable) -> list[int]:
    term = block_term(table.campaign, table.block)
    if term is None:
        return []
    return list(term.memberships.order_by("unit__path").values_list("unit_id", flat=True))


def computed_inputs(table: ScoringTable, unit_ids: list[int]) -> dict[int, engine.UnitInputs]:
    """What the organisation data already says for each unit: the value of every
    quantitative item linked to a computed indicator, and pass / fail for a pass / fail item
    linked to one (met or not). Reports add the rest (reported values, occurrences, manual
    points). A constant number of queries, whatever the number of units or items."""
    items = [
        i
        for i in table.items.select_related("criterion__group").exclude(kind=engine.Kind.SECTION)
        if i.criterion is not None and i.criterion.is_computed
    ]
    criteria = list({i.criterion.pk: i.criterion for i in items if i.criterion}.values())
    evaluations = evaluate_measurable(table.campaign, unit_ids, criteria) if criteria else {}
    found: dict[int, engine.UnitInputs] = {}
    for unit_id in unit_ids:
        values: dict[str, Decimal | None] = {}
        passed: dict[str, bool | None] = {}
        for item in items:
            assert item.criterion is not None
            evaluation = evaluations.get((item.criterion.pk, unit_id))
            if evaluation is None:
                continue
            if item.kind == engine.Kind.QUANTITATIVE:
                values[item.code] = evaluation.value
            elif item.kind == engine.Kind.PASS_FAIL:
                passed[item.code] = evaluation.met
        found[unit_id] = engine.UnitInputs(values=values, passed=passed)
    return found
