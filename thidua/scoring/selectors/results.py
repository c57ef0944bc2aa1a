"""The read path of scores: who may self-score or verify, each unit's final points through
the engine, the ranking, the warnings and the verification matrix.

Everything for a block comes in a constant number of queries, whatever the number of units
or items: the table (items, bands), the members, the sheets with their entries, the latest
report versions and their evidence, and the computed indicators.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from thidua.org.models import Unit
from thidua.reports.models import Evidence, ReportVersion

from .. import engine, ranking
from ..models import (
    PeerScore,
    ScoreEntry,
    ScoreSheet,
    ScoringItem,
    ScoringRound,
    ScoringTable,
)
from ..selectors import tables as table_selectors

# A self-score this share of the item's maximum above the verified score is flagged.
FAR_ABOVE_SHARE = Decimal("0.2")


# Who may do what ------------------------------------------------------------------------------


# Bounds -----------------------------------------------------------------------------------------


def bounds(item: ScoringItem) -> tuple[Decimal | None, Decimal | None]:
    """The points a score of this leaf may take: [0, max], a penalty [-max, 0]."""
    if item.kind == engine.Kind.PENALTY:
        return (-item.max_points if item.max_points is not None else None), Decimal(0)
    return Decimal(0), item.max_points


def out_of_bounds(item: ScoringItem, points: Decimal) -> str:
    """Why these points are refused for this item, or "" if they are fine."""
    low, high = bounds(item)
    if (low is not None and points < low) or (high is not None and points > high):
        if item.kind == engine.Kind.PENALTY:
            if low is None:
                return _("%(code)s: a penalty is zero or negative.") % {"code": item.code}
            return _("%(code)s: a penalty is between %(low)s and 0.") % {
                "code": item.code,
                "low": low,
            }
        if high is None:
            return _("%(code)s: the points cannot be negative.") % {"code": item.code}
        return _("%(code)s: the points must be between 0 and %(max)s.") % {
            "code": item.code,
            "max": high,
        }
    return ""


# Inputs ----------------------------------------------------------------------------------------


def _decimal(text: Any) -> Decimal | None:
    if text is None or text == "":
        return None
    try:
        return Decimal(str(text))
    except InvalidOperation:
        return None


def with_scores(
    items: tuple[engine.Item, ...], given: dict[str, Decimal]
) -> tuple[engine.Item, ...]:
    """The table as seen for one unit: each leaf with a given score takes that score (a
    manual leaf; a bonus or penalty as one entry), keeping its maximum; the others are
    computed as configured."""

    def one(item: engine.Item) -> engine.Item:
        if item.is_section:
            return replace(item, children=tuple(one(c) for c in item.children))
        if item.code not in given:
            return item
        if item.kind in (engine.Kind.BONUS, engine.Kind.PENALTY):
            return replace(item, points_per_occurrence=None, formula=None)
        if item.max_points is None:
            return replace(item, kind=engine.Kind.BONUS, points_per_occurrence=None)
        return replace(item, kind=engine.Kind.MANUAL, formula=None, points_per_occurrence=None)

    return tuple(one(i) for i in items)


def given_inputs(base: engine.UnitInputs, given: dict[str, Decimal]) -> engine.UnitInputs:
    manual = dict(base.manual)
    entries = {k: list(v) for k, v in base.entries.items()}
    for code, points in given.items():
        manual[code] = points
        entries[code] = [abs(points)]
    return replace(base, manual=manual, entries=entries)


# The block's results ----------------------------------------------------------------------------


# One peer's points for one item: (the scorer unit's id, its points).
PeerPoints = tuple[int, Decimal]


@dataclass
class UnitRow:
    unit: Unit
    sheet: ScoreSheet | None
    version: ReportVersion | None
    entries: dict[int, ScoreEntry]  # by item id
    peers: dict[int, list[PeerPoints]]  # by item id, in scorer order
    computed: engine.UnitScore  # from the indicators alone
    self_score: engine.UnitScore
    final: engine.UnitScore
    rank: int = 0
    tied: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def band(self) -> str:
        return self.final.band.name if self.final.band else ""


@dataclass
class BlockResults:
    round: ScoringRound
    table: engine.Table
    leaves: list[ScoringItem]
    sections: list[ScoringItem]
    rows: list[UnitRow]  # in rank order
    units: dict[int, Unit] = field(default_factory=dict)  # members and scorers, by id
    scorer_warnings: list[str] = field(default_factory=list)

    def unit_name(self, unit_id: int) -> str:
        unit = self.units.get(unit_id)
        return (unit.short_name or unit.name) if unit else str(unit_id)

    def cells(self) -> list[tuple[UnitRow, list[tuple[ScoringItem, Any, Any, Any]]]]:
        """For the matrix: per unit, per leaf, (item, entry, self result, final result)."""
        found = []
        for row in self.rows:
            self_codes, final_codes = row.self_score.by_code(), row.final.by_code()
            found.append(
                (
                    row,
                    [
                        (
                            item,
                            row.entries.get(item.pk),
                            self_codes.get(item.code),
                            final_codes.get(item.code),
                        )
                        for item in self.leaves
                    ],
                )
            )
        return found


@dataclass(frozen=True)
class Cell:
    """One cell of the matrix, ready to print: "self / verified", and the reason of a
    change. An unverified item shows its computed points, if any, marked as computed."""

    self_text: str
    final_text: str
    computed: bool  # the final text is the engine's or the peers', not a verified score
    changed: bool
    reason: str
    peers: int = 0  # how many peers scored the item


def matrix_cells(block: BlockResults) -> list[tuple[UnitRow, list[Cell]]]:
    method = block.round.method
    found: list[tuple[UnitRow, list[Cell]]] = []
    for row, line in block.cells():
        cells: list[Cell] = []
        for item, entry, _self, final in line:
            peers = [p for _scorer, p in row.peers.get(item.pk, [])]
            settled = final_points(method, entry, [])
            own = entry.self_points if entry else None
            from_peers = bool(peers) and method in ranking.PEER_METHODS
            shows_computed = (
                settled is None and final is not None and (final.computed or from_peers)
            )
            if settled is not None:
                final_text = str(settled)
            elif shows_computed:
                final_text = str(final.points)
            else:
                final_text = "·"
            cells.append(
                Cell(
                    self_text="·" if own is None else str(own),
                    final_text=final_text,
                    computed=shows_computed,
                    changed=bool(entry and entry.changed),
                    reason=entry.verified_reason if entry else "",
                    peers=len(peers),
                )
            )
        found.append((row, cells))
    return found


def _round_versions(round_: ScoringRound, unit_ids: list[int]) -> QuerySet[ReportVersion]:
    table = round_.table
    return ReportVersion.objects.filter(
        report__cycle__campaign_id=table.campaign_id,
        report__cycle__term__block=table.block,
        report__period=round_.period,
        report__unit_id__in=unit_ids,
    )


def latest_versions(round_: ScoringRound, unit_ids: list[int]) -> dict[int, ReportVersion]:
    """Each unit's latest submitted version of its report for the round's period."""
    versions = _round_versions(round_, unit_ids).order_by("report__unit_id", "number")
    found: dict[int, ReportVersion] = {}
    for version in versions.select_related("report"):
        found[version.report.unit_id] = version
    return found


def late_days(round_: ScoringRound, unit_ids: list[int]) -> dict[int, int]:
    """How late each unit's first submission was: a report returned by the leader and
    submitted again is not late a second time."""
    found: dict[int, int] = {}
    rows = _round_versions(round_, unit_ids).order_by("report__unit_id", "-number")
    for unit_id, days in rows.values_list("report__unit_id", "late_days"):
        found[unit_id] = days
    return found


def with_late_days(
    inputs: engine.UnitInputs, items: list[ScoringItem], days: int
) -> engine.UnitInputs:
    """Occurrences of every item counting days late, as the block's regulation sets."""
    late = {i.code: days for i in items if i.indicator_source == ScoringItem.Source.LATE_DAYS}
    if not late:
        return inputs
    return replace(inputs, occurrences={**inputs.occurrences, **late})


def _reported_values(
    version: ReportVersion | None, items: list[ScoringItem]
) -> dict[str, Decimal | None]:
    if version is None:
        return {}
    by_criterion = {row.get("criterion_id"): row for row in version.indicators}
    values: dict[str, Decimal | None] = {}
    for item in items:
        if item.kind != engine.Kind.QUANTITATIVE or item.criterion_id is None:
            continue
        row = by_criterion.get(item.criterion_id)
        if row is not None and not row.get("computed"):
            values[item.code] = _decimal(row.get("value"))
    return values


def block_results(round_: ScoringRound) -> BlockResults:
    table: ScoringTable = round_.table
    rows_of_tree = table_selectors.tree_rows(table)
    leaves = [r.item for r in rows_of_tree if not r.item.is_section]
    sections = [r.item for r in rows_of_tree if r.item.is_section]
    the_table = table_selectors.engine_table(table)
    unit_ids = table_selectors.block_unit_ids(table)
    peers = peer_points_of(round_)
    scorer_ids = {scorer for found in peers.values() for scorer, _p in found}
    # Members and scorers (a scorer may have left the block) in one query.
    units = Unit.objects.in_bulk(list(set(unit_ids) | scorer_ids))
    computed = table_selectors.computed_inputs(table, unit_ids)
    versions = latest_versions(round_, unit_ids)
    lateness = late_days(round_, unit_ids)
    sheets = {
        s.unit_id: s for s in ScoreSheet.objects.filter(round=round_).prefetch_related("entries")
    }
    peers_of_unit: defaultdict[int, dict[int, list[PeerPoints]]] = defaultdict(dict)
    for (scored_id, item_id), found in peers.items():
        peers_of_unit[scored_id][item_id] = found
    evidence = set(
        Evidence.objects.filter(version__in=list(versions.values())).values_list(
            "version_id", "criterion_id"
        )
    )
    inputs: dict[int, engine.UnitInputs] = {}
    for unit_id in unit_ids:
        base = computed.get(unit_id, engine.UnitInputs())
        reported = _reported_values(versions.get(unit_id), leaves)
        inputs[unit_id] = with_late_days(
            replace(base, values={**reported, **base.values}), leaves, lateness.get(unit_id, 0)
        )
    stats = engine.block_statistics(the_table, inputs)

    def score_with(unit_id: int, given: dict[str, Decimal]) -> engine.UnitScore:
        unit_table = replace(the_table, items=with_scores(the_table.items, given))
        return engine.score_unit(unit_table, given_inputs(inputs[unit_id], given), stats)

    code_of = {item.pk: item.code for item in leaves}
    rows: list[UnitRow] = []
    for unit_id in unit_ids:
        sheet = sheets.get(unit_id)
        entries = {e.item_id: e for e in sheet.entries.all()} if sheet else {}
        unit_peers = peers_of_unit.get(unit_id, {})
        self_given = {
            code_of[i]: e.self_points
            for i, e in entries.items()
            if e.self_points is not None and i in code_of
        }
        final_given = {
            code: points
            for i, code in code_of.items()
            if (
                points := final_points(
                    round_.method, entries.get(i), [p for _s, p in unit_peers.get(i, [])]
                )
            )
            is not None
        }
        row = UnitRow(
            unit=units[unit_id],
            sheet=sheet,
            version=versions.get(unit_id),
            entries=entries,
            peers=unit_peers,
            computed=engine.score_unit(the_table, inputs[unit_id], stats),
            self_score=score_with(unit_id, self_given),
            final=score_with(unit_id, final_given),
        )
        row.warnings = warnings_for(row, leaves, evidence)
        rows.append(row)
    _rank(rows, list(round_.tie_break))
    rows.sort(key=lambda r: (r.rank, r.unit.code))
    block = BlockResults(round_, the_table, leaves, sections, rows, units)
    block.scorer_warnings = outlier_warnings(block, peers, leaves)
    return block


class Settled(Protocol):
    """What of a score entry the final points depend on."""

    @property
    def review_points(self) -> Decimal | None: ...

    @property
    def verified_points(self) -> Decimal | None: ...


def final_points(
    method: str, entry: Settled | None, peer_points: Sequence[Decimal] = ()
) -> Decimal | None:
    """An item's final points by the round's method (`ranking.final_points`): the second
    review, else the verified score, else under a peer method the peers' aggregate."""
    return ranking.final_points(
        method,
        review=entry.review_points if entry is not None else None,
        verified=entry.verified_points if entry is not None else None,
        peers=peer_points,
    )


def peer_points_of(round_: ScoringRound) -> dict[tuple[int, int], list[PeerPoints]]:
    """Every peer score of the round, one query: by (scored unit, item), in scorer order."""
    found: defaultdict[tuple[int, int], list[PeerPoints]] = defaultdict(list)
    rows = (
        PeerScore.objects.filter(sheet__round=round_)
        .order_by("sheet__unit_id", "item_id", "scorer_id")
        .values_list("sheet__unit_id", "item_id", "scorer_id", "points")
    )
    for unit_id, item_id, scorer_id, points in rows:
        found[(unit_id, item_id)].append((scorer_id, points))
    return dict(found)


def peer_result(table: ScoringTable, method: str, points: Sequence[Decimal]) -> Decimal | None:
    """The peers' aggregate as the verifier confirms it: on the table's grid (at most the two
    places a stored score has), with the table's rounding."""
    if method not in ranking.PEER_METHODS or not points:
        return None
    value = ranking.METHODS[method](list(points))
    if value is None:
        return None
    places = min(table.rounding_places, 2)
    mode = engine.DECIMAL_ROUNDING[engine.Rounding(table.rounding_mode)]
    return value.quantize(Decimal(1).scaleb(-places), mode)


def proposed_points(
    table: ScoringTable, method: str, self_points: Decimal | None, peer_points: Sequence[Decimal]
) -> Decimal | None:
    """What a verifier confirms by keeping it (a changed score needs a reason): under a peer
    method the peers' result where peers scored the item, else the unit's self-score. The one
    rule for the verification service, the verify page and the verification sheet."""
    from_peers = peer_result(table, method, peer_points)
    return from_peers if from_peers is not None else self_points


def verifier_value(verified: Decimal | None, proposed: Decimal | None) -> Decimal | None:
    """What a verification form shows: the verified score once there is one (so saving the
    form again changes nothing), else the proposal."""
    return verified if verified is not None else proposed


# Scorers far from the others -------------------------------------------------------------------


def scorer_deviations(
    scores: Iterable[tuple[Any, Any, Any, Decimal]], maxima: Mapping[Any, Decimal | None]
) -> dict[Any, Decimal]:
    """Each scorer's average distance from the mean of the other scorers of the same
    (unit, item), as a share of the item's maximum. Pure. Only a (unit, item) scored by at
    least three scorers counts: with two, nobody can tell which one is far off."""
    by_cell: defaultdict[tuple[Any, Any], list[tuple[Any, Decimal]]] = defaultdict(list)
    for unit, item, scorer, points in scores:
        by_cell[(unit, item)].append((scorer, points))
    distances: defaultdict[Any, list[Decimal]] = defaultdict(list)
    for (_unit, item), given in by_cell.items():
        if len(given) < 3:
            continue
        scale = maxima.get(item) or Decimal(1)
        total = sum((p for _s, p in given), Decimal(0))
        for scorer, points in given:
            others = (total - points) / (len(given) - 1)
            distances[scorer].append(abs(points - others) / abs(scale))
    return {scorer: sum(found, Decimal(0)) / len(found) for scorer, found in distances.items()}


def outlier_scorers(
    scores: Iterable[tuple[Any, Any, Any, Decimal]],
    maxima: Mapping[Any, Decimal | None],
    share: Decimal,
) -> dict[Any, Decimal]:
    """The scorers whose average distance (see `scorer_deviations`) is above `share`."""
    return {s: d for s, d in scorer_deviations(scores, maxima).items() if d > share}


def outlier_warnings(
    block: BlockResults,
    peers: Mapping[tuple[int, int], list[PeerPoints]],
    leaves: list[ScoringItem],
) -> list[str]:
    maxima = {item.pk: item.max_points for item in leaves}
    scores = [
        (unit_id, item_id, scorer, points)
        for (unit_id, item_id), found in peers.items()
        if item_id in maxima
        for scorer, points in found
    ]
    threshold = table_selectors.outlier_threshold(block.round)
    if threshold is None:
        return []
    share = threshold.share
    flagged = outlier_scorers(scores, maxima, share)
    return [
        _(
            "%(unit)s scores far from the other scorers: on average %(distance)s%% of the "
            "item's maximum away (the threshold is %(share)s%%)."
        )
        % {
            "unit": block.unit_name(scorer),
            "distance": _percent(distance),
            "share": _percent(share),
        }
        for scorer, distance in sorted(flagged.items(), key=lambda x: block.unit_name(x[0]))
    ]


def _percent(share: Decimal) -> str:
    return f"{(share * 100).quantize(Decimal(1)):f}"


def _rank(rows: list[UnitRow], tie_codes: list[str]) -> None:
    totals = {r.unit.code: r.final.total for r in rows}
    ties = {}
    for r in rows:
        by_code = r.final.by_code()
        ties[r.unit.code] = [by_code[c].points if c in by_code else Decimal(0) for c in tie_codes]
    ranked = {x.key: x for x in ranking.rank(totals, ties)}
    for r in rows:
        r.rank, r.tied = ranked[r.unit.code].rank, ranked[r.unit.code].tied


def warnings_for(
    row: UnitRow, leaves: list[ScoringItem], evidence: set[tuple[int, int]]
) -> list[str]:
    found: list[str] = []
    without_evidence: list[str] = []
    if row.sheet is not None and row.version is None:
        found.append(_("No submitted report backs this self-score."))
    for item in leaves:
        entry = row.entries.get(item.pk)
        if entry is None:
            continue
        if entry.self_points is not None and entry.verified_points is not None:
            scale = item.max_points or max(abs(entry.verified_points), Decimal(1))
            if entry.self_points - entry.verified_points > scale * FAR_ABOVE_SHARE:
                found.append(
                    _("%(code)s: the self-score %(self)s is far above the verified %(verified)s.")
                    % {
                        "code": item.code,
                        "self": entry.self_points,
                        "verified": entry.verified_points,
                    }
                )
        claimed = entry.self_points is not None and entry.self_points != 0
        if item.evidence_required and claimed and item.criterion_id is not None:
            version_id = row.version.pk if row.version else None
            if (version_id, item.criterion_id) not in evidence:
                without_evidence.append(item.code)
    if without_evidence:
        # One line for all of them: a line per item made every unit's row a paragraph.
        found.append(
            _("%(code)s: evidence is required but none was submitted.")
            % {"code": ", ".join(without_evidence)}
        )
    return found


# Snapshot rows ----------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def snapshot_rows(results: BlockResults) -> list[dict[str, Any]]:
    """The ranking as plain JSON, with every number's inputs, for a frozen snapshot."""
    rows: list[dict[str, Any]] = []
    method = results.round.method
    for row, cells in results.cells():
        items: list[dict[str, Any]] = []
        computed_codes = row.computed.by_code()
        for item, entry, _self, final in cells:
            computed = computed_codes.get(item.code)
            peers = row.peers.get(item.pk, [])
            peer_values = [p for _s, p in peers]
            items.append(
                {
                    "code": item.code,
                    "text": item.text,
                    "kind": item.kind,
                    "max": _text(item.max_points),
                    "points": _text(final.points) if final else None,
                    "error": final.error if final else "",
                    "self": _text(entry.self_points) if entry else None,
                    "verified": _text(entry.verified_points) if entry else None,
                    "reason": entry.verified_reason if entry else "",
                    "computed_points": _text(computed.points)
                    if computed and computed.computed
                    else None,
                    "formula": computed.formula if computed else "",
                    "inputs": {
                        k: _text(v)
                        for k, v in (computed.inputs if computed else {}).items()
                        if not isinstance(v, list)
                    },
                    "method": method,
                    "peers": [
                        {"unit": results.unit_name(scorer), "points": _text(points)}
                        for scorer, points in peers
                    ],
                    "peer_result": _text(peer_result(results.round.table, method, peer_values)),
                    "answer": entry.answer if entry else "",
                    "review": _text(entry.review_points) if entry else None,
                    "review_reason": entry.review_reason if entry else "",
                }
            )
        by_code = row.final.by_code()
        rows.append(
            {
                "unit": row.unit.code,
                "unit_name": row.unit.name,
                "rank": row.rank,
                "tied": row.tied,
                "total": _text(row.final.total),
                "band": row.band,
                "incomplete": row.final.incomplete,
                "report_version": row.version.number if row.version else None,
                "sections": {
                    s.code: _text(by_code[s.code].points)
                    for s in results.sections
                    if s.code in by_code
                },
                "items": items,
            }
        )
    return rows


def rounds_of(table: ScoringTable) -> list[ScoringRound]:
    return list(table.rounds.order_by("period"))


def item_groups(leaves: list[ScoringItem]) -> dict[int | None, list[ScoringItem]]:
    grouped: defaultdict[int | None, list[ScoringItem]] = defaultdict(list)
    for item in leaves:
        grouped[item.parent_id].append(item)
    return grouped
