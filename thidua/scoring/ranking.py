"""Final points of an item and the ranking of a block's units: pure functions, `Decimal`
throughout, no database.

Ranking rules: higher total first; equal totals are compared on the configured tie-break
items in order (higher first); units still equal share a rank (competition ranking: 1, 1, 3)
and are marked as tied, never silently ordered. Within a tie the rows are listed by their
key (the unit's code), so the result never depends on the order the rows came in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

ZERO = Decimal(0)


def verified(points: Sequence[Decimal]) -> Decimal | None:
    """The verified score: the one given (there is at most one)."""
    return points[-1] if points else None


def mean(points: Sequence[Decimal]) -> Decimal | None:
    if not points:
        return None
    with localcontext() as ctx:
        ctx.prec = 28
        return sum(points, ZERO) / len(points)


def trimmed_mean(points: Sequence[Decimal]) -> Decimal | None:
    """The mean without one highest and one lowest score (the plain mean below 3 scores)."""
    if len(points) < 3:
        return mean(points)
    ordered = sorted(points)
    return mean(ordered[1:-1])


METHODS: dict[str, Callable[[Sequence[Decimal]], Decimal | None]] = {
    "verified": verified,
    "peer_mean": mean,
    "trimmed_mean": trimmed_mean,
}
PEER_METHODS = frozenset({"peer_mean", "trimmed_mean"})


def final_points(
    method: str,
    *,
    review: Decimal | None,
    verified: Decimal | None,
    peers: Sequence[Decimal] = (),
) -> Decimal | None:
    """An item's final points, the one rule every caller uses (and the bulk computation
    reproduces in SQL): the second review if there was one, else the verified score, else,
    under a peer method only, the method applied to the peers' points. Under the verified
    method an unverified item has no final points (the engine computes it or marks it
    incomplete)."""
    if review is not None:
        return review
    if verified is not None:
        return verified
    if method not in PEER_METHODS:
        return None
    return METHODS[method](list(peers))


@dataclass(frozen=True)
class Ranked:
    key: str  # the unit's code: stable, and the order within a tie
    total: Decimal
    tie_values: tuple[Decimal, ...]
    rank: int
    tied: bool  # shares its rank with another unit after every tie-break rule
    decided_by: int  # 0: the total; n: the n-th tie-break rule separated it from a neighbour


def rank(
    totals: Mapping[str, Decimal], tie_values: Mapping[str, Sequence[Decimal]] | None = None
) -> list[Ranked]:
    """Rank units by total, then by each tie-break value; equal keys share a rank."""
    tie_values = tie_values or {}

    def sort_key(key: str) -> tuple[tuple[Decimal, ...], str]:
        values = (totals[key], *tie_values.get(key, ()))
        return tuple(-v for v in values), key

    ordered = sorted(totals, key=sort_key)
    keys = {k: sort_key(k)[0] for k in ordered}
    ranked: list[Ranked] = []
    position = 0
    for index, key in enumerate(ordered):
        if index == 0 or keys[key] != keys[ordered[index - 1]]:
            position = index + 1
        neighbours = [ordered[i] for i in (index - 1, index + 1) if 0 <= i < len(ordered)]
        tied = any(keys[n] == keys[key] for n in neighbours)
        ranked.append(
            Ranked(
                key=key,
                total=totals[key],
                tie_values=tuple(tie_values.get(key, ())),
                rank=position,
                tied=tied,
                decided_by=_decided_by(keys[key], [keys[n] for n in neighbours]),
            )
        )
    return ranked


def _decided_by(key: tuple[Decimal, ...], neighbours: list[tuple[Decimal, ...]]) -> int:
    """Which rule told this unit apart from its nearest neighbour (0: the total itself)."""
    deepest = 0
    for other in neighbours:
        if other == key:
            continue
        depth = next(i for i, (a, b) in enumerate(zip(key, other, strict=False)) if a != b)
        deepest = max(deepest, depth)
    return deepest


def changes_between(old: Sequence[Mapping], new: Sequence[Mapping]) -> list[dict[str, str]]:
    """What a correction changed, unit by unit: total, rank, band."""
    before = {row["unit"]: row for row in old}
    found: list[dict[str, str]] = []
    for row in new:
        previous = before.get(row["unit"])
        for field in ("total", "rank", "band"):
            was = None if previous is None else previous.get(field)
            if was != row.get(field):
                found.append(
                    {
                        "unit": row["unit"],
                        "field": field,
                        "before": "" if was is None else str(was),
                        "after": str(row.get(field, "")),
                    }
                )
    return found
