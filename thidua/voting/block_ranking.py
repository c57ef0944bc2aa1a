"""The block's published ranking beside its candidates: the ballot in practice confirms the
top scorer, and a result that differs from the ranking is flagged in the minutes."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from thidua.org.models import BlockTerm
from thidua.reports.models import Period
from thidua.scoring.models import RankingSnapshot

from .models import Candidate


def published_ranking(term: BlockTerm) -> dict[str, tuple[int | None, Decimal | None]]:
    """The block's latest published year-end ranking (a correction replaces the first), as
    unit code -> (rank, total); empty until scoring publishes it."""
    snapshot = (
        RankingSnapshot.objects.filter(
            round__table__block_id=term.block_id,
            round__table__campaign__year=term.year,
            round__period=Period.YEAREND,
        )
        .order_by("-published_at", "-number")
        .first()
    )
    if snapshot is None:
        return {}
    return {
        str(row["unit"]): (row.get("rank"), _decimal(row.get("total")))
        for row in snapshot.rows
        if row.get("unit")
    }


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def with_published_ranking(candidates: Iterable[Candidate], term: BlockTerm) -> list[Candidate]:
    """Give each unit candidate without a rank the published one (an agenda set before the
    ranking was published has none). Changes the objects, writes nothing; returns those
    that changed."""
    missing = [c for c in candidates if c.ranking is None and c.unit is not None]
    if not missing:
        return []
    ranking = published_ranking(term)
    changed = []
    for candidate in missing:
        assert candidate.unit is not None
        rank, total = ranking.get(candidate.unit.code, (None, None))
        if rank is None:
            continue
        candidate.ranking = rank
        if candidate.score is None:
            candidate.score = total
        changed.append(candidate)
    return changed
