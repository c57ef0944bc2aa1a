"""What is due in scoring, read by the home page and the reminders: the year-end rounds,
each unit's sheets and the answers it owes, the sheets waiting for their verification."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db.models import Count, F, Q

from thidua.campaigns.models import Campaign
from thidua.reports.models import Period

from ..models import ScoreSheet, ScoringRound


def yearend_rounds(campaign: Campaign) -> dict[int, ScoringRound]:
    """The year-end round of each block's table (its latest version), by block id, with
    the number of published rankings. A round may open on a draft table; the first
    self-score freezes it."""
    rounds = (
        ScoringRound.objects.filter(
            table__campaign=campaign,
            table__block__isnull=False,
            period=Period.YEAREND,
        )
        .select_related("table")
        .annotate(snapshot_count=Count("snapshots"))
        .order_by("table__version")
    )
    return {r.table.block_id: r for r in rounds if r.table.block_id is not None}


def unit_sheets(
    rounds: Iterable[ScoringRound], unit_ids: set[int]
) -> dict[tuple[int, int], ScoreSheet]:
    """These units' sheets in these rounds, by (round id, unit id), each with `to_answer`:
    its scores the verification changed that the unit has not explained (giải trình) yet."""
    sheets = ScoreSheet.objects.filter(round__in=list(rounds), unit_id__in=unit_ids).annotate(
        to_answer=Count(
            "entries",
            filter=Q(entries__verified_points__isnull=False, entries__answer="")
            & ~Q(entries__verified_points=F("entries__self_points")),
        )
    )
    return {(s.round_id, s.unit_id): s for s in sheets}


def answers_open(round_: ScoringRound, day: dt.date) -> bool:
    """Whether units may still explain changed scores: the verification is published and
    the answering window, if any, has not closed."""
    return bool(round_.verification_published_at) and (
        round_.answer_until is None or round_.answer_until >= day
    )


def sheets_awaiting_verification(rounds: Iterable[ScoringRound]) -> Counter[int]:
    """Per open round, the sheets self-scored with no entry verified yet (at most a
    block's members per round), in one query."""
    return Counter(
        ScoreSheet.objects.filter(
            round__in=[r for r in rounds if not r.is_locked], self_scored_at__isnull=False
        )
        .annotate(verified=Count("entries", filter=Q(entries__verified_at__isnull=False)))
        .filter(verified=0)
        .values_list("round_id", flat=True)
    )
