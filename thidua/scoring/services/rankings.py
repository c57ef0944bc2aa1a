"""The published ranking of a locked round (a frozen snapshot), and the leader's corrections
after the lock that a corrected snapshot must then publish."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.lib.hashing import canonical_digest
from thidua.org.models import Unit
from thidua.org.permissions import Actor, acting_user

from .. import permissions, ranking
from ..models import RankingSnapshot, ScoreEntry, ScoreSheet, ScoringRound
from ..selectors import results
from .rounds import (
    check_points,
    leaf_items,
    lock_round,
    points_text,
)


@transaction.atomic
def correct(
    *, actor: Actor, round_: ScoringRound, unit: Unit, code: str, points: Decimal, reason: str
) -> ScoreEntry:
    """After the lock, the leader corrects one verified score with a reason; the ranking
    must then be published again as a corrected snapshot."""
    round_ = lock_round(round_)
    permissions.require_leader(actor, round_)
    if not permissions.may_verify(actor, round_, unit.pk):
        raise PermissionDenied(_("A unit never corrects its own scores."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the correction."))
    items = leaf_items(round_)
    check_points(items, {code: points})
    sheet, _created = ScoreSheet.objects.get_or_create(round=round_, unit=unit)
    entry, _new = ScoreEntry.objects.select_for_update().get_or_create(
        sheet=sheet, item=items[code]
    )
    before = {
        "verified": points_text(entry.verified_points),
        "review": points_text(entry.review_points),
    }
    now = timezone.now()
    entry.verified_points = points
    entry.verified_reason = reason.strip()
    entry.verified_by = acting_user(actor)
    entry.verified_at = now
    if entry.review_points is not None:
        # The second review's points are the final ones: the correction replaces them.
        entry.review_points, entry.review_reason = points, reason.strip()
        entry.reviewed_by, entry.reviewed_at = entry.verified_by, now
    entry.save()
    record(
        actor=actor,
        action=AuditAction.SCORING_CORRECTED,
        obj=entry,
        before=before,
        after={"verified": str(points), "reason": entry.verified_reason},
    )
    return entry


def snapshot_hash(rows: list[dict[str, Any]]) -> str:
    return canonical_digest(rows)


@transaction.atomic
def publish(*, actor: Actor, round_: ScoringRound, reason: str = "") -> RankingSnapshot:
    """Freeze the ranking as a snapshot. The first needs locked scores; a later one is a
    correction and needs a reason, and records what changed against the previous one."""
    round_ = lock_round(round_)
    permissions.require_leader(actor, round_)
    if not round_.is_locked:
        raise ValidationError(_("Lock the scores before publishing the ranking."))
    previous = round_.snapshots.order_by("-number").first()
    rows = results.snapshot_rows(results.block_results(round_))
    digest = snapshot_hash(rows)
    if previous is not None:
        if previous.sha256 == digest:
            raise ValidationError(_("Nothing changed since the last published ranking."))
        if not reason.strip():
            raise ValidationError(_("Give the reason for the corrected ranking."))
    number = (round_.snapshots.aggregate(n=Max("number"))["n"] or 0) + 1
    snapshot = RankingSnapshot.objects.create(
        round=round_,
        number=number,
        rows=rows,
        sha256=digest,
        replaces=previous,
        reason=reason.strip(),
        changes=ranking.changes_between(previous.rows, rows) if previous else [],
        published_by=acting_user(actor),
    )
    record(
        actor=actor,
        action=AuditAction.RANKING_PUBLISHED,
        obj=snapshot,
        after={"number": number, "sha256": digest, "reason": snapshot.reason},
    )
    return snapshot
