"""The write path of scores: open a round, self-score, verify, lock, publish a ranking and
correct it. Each service: authorise → validate → write → audit, in one transaction.

Rules enforced here, not only in the pages: a unit's head self-scores only their own unit;
nobody verifies their own unit; points stay within each item's bounds; a change on
verification needs a reason; nothing changes once the round is locked, except a correction
by the leader with a reason, which must then be published as a new snapshot.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.audit.services import record
from thidua.lib.hashing import canonical_json
from thidua.org.models import Unit, User
from thidua.org.permissions import Actor, is_block_leader
from thidua.reports.models import Period

from . import ranking, results, selectors, services
from .models import (
    FinalMethod,
    RankingSnapshot,
    ScoreEntry,
    ScoreSheet,
    ScoringItem,
    ScoringRound,
    ScoringTable,
)


def _user(actor: Actor) -> User:
    if not isinstance(actor, User):
        raise PermissionDenied(_("Sign in to do this."))
    return actor


def _lock_round(round_: ScoringRound) -> ScoringRound:
    return (
        ScoringRound.objects.select_for_update(of=("self",))
        .select_related("table__campaign__agency", "table__block")
        .get(pk=round_.pk)
    )


def _require_open(round_: ScoringRound) -> None:
    if round_.is_locked:
        raise ValidationError(_("The scores of this round are locked and cannot change."))


def _require_leader(actor: Actor, round_: ScoringRound) -> None:
    term = selectors.block_term(round_.table.campaign, round_.table.block)
    if term is None or not is_block_leader(actor, term):
        raise PermissionDenied(_("Only the block leader may do this."))


def _leaves(round_: ScoringRound) -> dict[str, ScoringItem]:
    return {
        i.code: i for i in round_.table.items.exclude(kind="section").select_related("criterion")
    }


def _check_points(items: Mapping[str, ScoringItem], points: Mapping[str, Decimal | None]) -> None:
    problems: list[str] = []
    for code, value in points.items():
        item = items.get(code)
        if item is None:
            problems.append(_("%(code)s is not a scored item of this table.") % {"code": code})
        elif value is not None and (message := results.out_of_bounds(item, value)):
            problems.append(message)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def round_open(
    *,
    actor: Actor,
    table: ScoringTable,
    period: str,
    method: str = FinalMethod.VERIFIED,
    tie_break: list[str] | None = None,
) -> ScoringRound:
    """The round of a period (idempotent). The leader or the secretariat sets its method and
    tie-break items; a unit head's first self-score opens it with the defaults."""
    if period not in Period.values:
        raise ValidationError(_("Unknown report period."))
    if table.block_id is None:
        raise ValidationError(_("A template is not scored: use a block's table."))
    existing = ScoringRound.objects.filter(table=table, period=period).first()
    if existing is not None:
        return existing
    if method not in FinalMethod.values:
        raise ValidationError(_("Unknown final score method."))
    if method != FinalMethod.VERIFIED:
        # The methods are in `ranking.METHODS`; the peer scores they average are not
        # collected yet (who scores whom is the next step).
        raise ValidationError(_("Peer scoring is not available yet: use the verified score."))
    codes = set(table.items.values_list("code", flat=True))
    unknown = [c for c in tie_break or [] if c not in codes]
    if unknown:
        raise ValidationError(
            _("Tie-break items not in the table: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    round_ = ScoringRound.objects.create(
        table=table, period=period, method=method, tie_break=list(tie_break or [])
    )
    record(
        actor=actor,
        action="scoring.round.opened",
        obj=round_,
        after={"period": period, "method": method, "tie_break": round_.tie_break},
    )
    return round_


@transaction.atomic
def self_score(
    *,
    actor: Actor,
    round_: ScoringRound,
    unit: Unit,
    points: Mapping[str, Decimal | None],
    notes: Mapping[str, str] | None = None,
) -> ScoreSheet:
    """The unit head's self-score per item, tied to the unit's latest submitted report
    version. The first self-score freezes the table (it is now in use)."""
    round_ = _lock_round(round_)
    user = _user(actor)
    if not results.may_self_score(user, unit.pk):
        raise PermissionDenied(
            _("Only the head of “%(unit)s” may enter its self-score.") % {"unit": unit}
        )
    if unit.pk not in selectors.block_unit_ids(round_.table):
        raise PermissionDenied(_("“%(unit)s” is not a member of this block.") % {"unit": unit})
    _require_open(round_)
    if round_.table.is_draft:
        services.table_freeze(actor=actor, table=round_.table, in_use=True)
    items = _leaves(round_)
    _check_points(items, points)
    version = results.latest_versions(round_, [unit.pk]).get(unit.pk)
    sheet, _created = ScoreSheet.objects.get_or_create(round=round_, unit=unit)
    before = {e.item.code: str(e.self_points) for e in sheet.entries.select_related("item")}
    for code, value in points.items():
        entry, _new = ScoreEntry.objects.get_or_create(sheet=sheet, item=items[code])
        if entry.verified_points is not None and entry.self_points != value:
            raise ValidationError(
                _("%(code)s is already verified: its self-score cannot change.") % {"code": code}
            )
        entry.self_points = value
        entry.self_note = (notes or {}).get(code, entry.self_note)
        entry.save(update_fields=["self_points", "self_note"])
    sheet.report_version = version
    sheet.self_scored_by = user
    sheet.self_scored_at = timezone.now()
    sheet.save(update_fields=["report_version", "self_scored_by", "self_scored_at"])
    record(
        actor=actor,
        action="scoring.self_scored",
        obj=sheet,
        before=before,
        after={
            "points": {c: None if v is None else str(v) for c, v in points.items()},
            "report_version": version.number if version else None,
        },
    )
    return sheet


@transaction.atomic
def verify(
    *,
    actor: Actor,
    round_: ScoringRound,
    unit: Unit,
    points: Mapping[str, Decimal],
    reasons: Mapping[str, str] | None = None,
) -> ScoreSheet:
    """The verifier confirms (the same points) or changes (other points and a reason) each
    item's self-score."""
    round_ = _lock_round(round_)
    user = _user(actor)
    if not results.may_verify(user, round_, unit.pk):
        raise PermissionDenied(
            _("You may not verify the scores of “%(unit)s”: a unit never verifies its own.")
            % {"unit": unit}
        )
    _require_open(round_)
    items = _leaves(round_)
    _check_points(items, points)
    sheet = ScoreSheet.objects.filter(round=round_, unit=unit).first()
    if sheet is None:
        raise ValidationError(_("“%(unit)s” has not entered its self-score yet.") % {"unit": unit})
    entries = {e.item.code: e for e in sheet.entries.select_related("item")}
    reasons = reasons or {}
    missing = [
        code
        for code, value in points.items()
        if value != (entries[code].self_points if code in entries else None)
        and not (reasons.get(code) or "").strip()
    ]
    if missing:
        raise ValidationError(
            _("Give the reason for every changed score: %(codes)s.") % {"codes": ", ".join(missing)}
        )
    now = timezone.now()
    changes: dict[str, Any] = {}
    for code, value in points.items():
        entry = entries.get(code) or ScoreEntry(sheet=sheet, item=items[code])
        changes[code] = {"self": _text(entry.self_points), "verified": str(value)}
        entry.verified_points = value
        entry.verified_reason = (
            "" if value == entry.self_points else (reasons.get(code) or "").strip()
        )
        entry.verified_by = user
        entry.verified_at = now
        entry.save()
    record(actor=actor, action="scoring.verified", obj=sheet, after=changes)
    return sheet


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@transaction.atomic
def round_lock(*, actor: Actor, round_: ScoringRound) -> ScoringRound:
    """The scores are final: no self-score or verification changes after this."""
    round_ = _lock_round(round_)
    _require_leader(actor, round_)
    if round_.is_locked:
        return round_
    round_.locked_at = timezone.now()
    round_.locked_by = _user(actor)
    round_.save(update_fields=["locked_at", "locked_by"])
    record(actor=actor, action="scoring.round.locked", obj=round_)
    return round_


@transaction.atomic
def correct(
    *, actor: Actor, round_: ScoringRound, unit: Unit, code: str, points: Decimal, reason: str
) -> ScoreEntry:
    """After the lock, the leader corrects one verified score with a reason; the ranking
    must then be published again as a corrected snapshot."""
    round_ = _lock_round(round_)
    _require_leader(actor, round_)
    if not results.may_verify(actor, round_, unit.pk):
        raise PermissionDenied(_("A unit never corrects its own scores."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the correction."))
    items = _leaves(round_)
    _check_points(items, {code: points})
    entry = ScoreEntry.objects.select_for_update().get(
        sheet__round=round_, sheet__unit=unit, item=items[code]
    )
    before = _text(entry.verified_points)
    entry.verified_points = points
    entry.verified_reason = reason.strip()
    entry.verified_by = _user(actor)
    entry.verified_at = timezone.now()
    entry.save()
    record(
        actor=actor,
        action="scoring.corrected",
        obj=entry,
        before={"verified": before},
        after={"verified": str(points), "reason": entry.verified_reason},
    )
    return entry


def snapshot_hash(rows: list[dict[str, Any]]) -> str:
    return hashlib.sha256(canonical_json(rows).encode()).hexdigest()


@transaction.atomic
def publish(*, actor: Actor, round_: ScoringRound, reason: str = "") -> RankingSnapshot:
    """Freeze the ranking as a snapshot. The first needs locked scores; a later one is a
    correction and needs a reason, and records what changed against the previous one."""
    round_ = _lock_round(round_)
    _require_leader(actor, round_)
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
        published_by=_user(actor),
    )
    record(
        actor=actor,
        action="scoring.ranking.published",
        obj=snapshot,
        after={"number": number, "sha256": digest, "reason": snapshot.reason},
    )
    return snapshot
