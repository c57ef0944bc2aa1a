"""What the scoring pages show, built here so the views stay thin: a unit's lines (self,
final, computed, peers, the points proposed to the verifier), the matrix of a round, and
the grid of who scores whom."""

from __future__ import annotations

from typing import Any

from thidua.org.models import Unit

from .. import permissions, ranking
from ..models import PeerScore, Scorers, ScoringRound
from ..services import rounds
from . import results


def unit_lines(
    round_: ScoringRound, block: results.BlockResults, row: results.UnitRow, scorer: Unit | None
) -> list[dict[str, Any]]:
    """One line per leaf for a unit's page; `scorer` is the peer scoring it, if any."""
    self_codes, final_codes, computed_codes = (
        row.self_score.by_code(),
        row.final.by_code(),
        row.computed.by_code(),
    )
    notes = {
        (item_id, scorer_id): note
        for item_id, scorer_id, note in PeerScore.objects.filter(
            sheet__round=round_, sheet__unit=row.unit
        )
        .exclude(note="")
        .values_list("item_id", "scorer_id", "note")
    }
    lines = []
    for item in block.leaves:
        peers = row.peers.get(item.pk, [])
        points = [p for _s, p in peers]
        entry = row.entries.get(item.pk)
        proposed = results.verifier_value(
            entry.verified_points if entry is not None else None,
            results.proposed_points(
                round_.table,
                round_.method,
                entry.self_points if entry is not None else None,
                points,
            ),
        )
        lines.append(
            {
                "item": item,
                "entry": entry,
                "self": self_codes.get(item.code),
                "final": final_codes.get(item.code),
                "computed": computed_codes.get(item.code),
                "peers": [(block.unit_name(s), p, notes.get((item.pk, s), "")) for s, p in peers],
                "mine": dict(peers).get(scorer.pk) if scorer is not None else None,
                "mine_note": notes.get((item.pk, scorer.pk), "") if scorer is not None else "",
                "peer_result": results.peer_result(round_.table, round_.method, points),
                "proposed": proposed,
            }
        )
    return lines


def unit_page(round_: ScoringRound, unit: Unit, scorer: Unit | None) -> dict[str, Any] | None:
    """The context of a unit's scoring page, or None when the unit is not in the block."""
    block = results.block_results(round_)
    row = next((r for r in block.rows if r.unit.pk == unit.pk), None)
    if row is None:
        return None
    return {
        "round": round_,
        "table": round_.table,
        "unit": unit,
        "row": row,
        "lines": unit_lines(round_, block, row, scorer),
        "peer_method": round_.method in ranking.PEER_METHODS,
        "answer_open": rounds.answer_open(round_),
    }


def matrix_page(user: Any, round_: ScoringRound) -> dict[str, Any]:
    """The context of a round's matrix for someone who may see it."""
    block = results.block_results(round_)
    return {
        "round": round_,
        "table": round_.table,
        "results": block,
        "cells": results.matrix_cells(block),
        "snapshots": list(round_.snapshots.order_by("-number")),
        "is_leader": permissions.may_verify_any(user, round_),
        "may_configure": permissions.may_edit(user, round_.table),
        "verifiable": permissions.verifiable_unit_ids(
            user, round_, [row.unit.pk for row in block.rows]
        ),
        "reviewable": {
            row.unit.pk for row in block.rows if rounds.may_review(round_, row.entries.values())
        },
        "waiting": rounds.unreviewed_answers(round_),
    }


def pair_grid(round_: ScoringRound, members: list[Unit]) -> dict[str, Any]:
    """Who scores whom, as the round settings page ticks it."""
    assigned = set(round_.assignments.values_list("scorer_id", "scored_id"))
    return {
        "members": members,
        "grid": [
            (scorer, [(scored, (scorer.pk, scored.pk) in assigned) for scored in members])
            for scorer in members
        ],
        "assignment_count": len(assigned),
        "uses_pairs": round_.scorers == Scorers.PAIRS,
    }
