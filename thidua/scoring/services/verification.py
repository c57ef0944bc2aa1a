"""The verifier's confirmed or changed scores, and the leader publishing them (which opens the
units' window to answer)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.campaigns.cycle import CycleState
from thidua.lib import dates
from thidua.org.models import Unit
from thidua.org.permissions import Actor, acting_user

from .. import permissions
from ..models import PeerScore, ScoreEntry, ScoreSheet, ScoringRound
from ..selectors import results
from ..selectors import tables as table_selectors
from .rounds import (
    check_points,
    follow_cycle,
    leaf_items,
    lock_round,
    points_text,
    require_not_published,
    require_open,
)


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
    item's score: the self-score, or under a peer method the peers' aggregate when peers
    scored the item."""
    round_ = lock_round(round_)
    user = acting_user(actor)
    if not permissions.may_verify(user, round_, unit.pk):
        raise PermissionDenied(
            _("You may not verify the scores of “%(unit)s”: a unit never verifies its own.")
            % {"unit": unit}
        )
    require_open(round_)
    require_not_published(round_)
    items = leaf_items(round_)
    check_points(items, points)
    sheet = ScoreSheet.objects.filter(round=round_, unit=unit).first()
    if sheet is None:
        raise ValidationError(_("“%(unit)s” has not entered its self-score yet.") % {"unit": unit})
    entries = {e.item.code: e for e in sheet.entries.select_related("item")}
    reference = _proposals(round_, sheet, entries)
    reasons = reasons or {}
    missing = [
        code
        for code, value in points.items()
        if value != reference.get(code) and not (reasons.get(code) or "").strip()
    ]
    if missing:
        raise ValidationError(
            _("Give the reason for every changed score: %(codes)s.") % {"codes": ", ".join(missing)}
        )
    now = timezone.now()
    changes: dict[str, Any] = {}
    for code, value in points.items():
        entry = entries.get(code) or ScoreEntry(sheet=sheet, item=items[code])
        changes[code] = {
            "self": points_text(entry.self_points),
            "proposed": points_text(reference.get(code)),
            "verified": str(value),
        }
        entry.verified_points = value
        entry.verified_reason = (
            "" if value == reference.get(code) else (reasons.get(code) or "").strip()
        )
        entry.verified_by = user
        entry.verified_at = now
        entry.save()
    record(actor=actor, action=AuditAction.SCORING_VERIFIED, obj=sheet, after=changes)
    return sheet


def _proposals(
    round_: ScoringRound, sheet: ScoreSheet, entries: Mapping[str, ScoreEntry]
) -> dict[str, Decimal | None]:
    """The points proposed to the verifier, per item code (results.proposed_points)."""
    peers: dict[str, list[Decimal]] = {}
    for code, points in PeerScore.objects.filter(sheet=sheet).values_list("item__code", "points"):
        peers.setdefault(code, []).append(points)
    return {
        code: results.proposed_points(
            round_.table,
            round_.method,
            entries[code].self_points if code in entries else None,
            peers.get(code, []),
        )
        for code in {*entries, *peers}
    }


def unverified_units(round_: ScoringRound) -> list[Unit]:
    """Member units not fully verified: no sheet, or an item scored (by the unit or its
    peers) without a verified score. A constant number of queries."""
    members = table_selectors.block_unit_ids(round_.table)
    sheets = {
        s.unit_id: s for s in ScoreSheet.objects.filter(round=round_).prefetch_related("entries")
    }
    peer_items = set(
        PeerScore.objects.filter(sheet__round=round_).values_list("sheet__unit_id", "item_id")
    )
    missing: list[int] = []
    for unit_id in members:
        sheet = sheets.get(unit_id)
        if sheet is None:
            missing.append(unit_id)
            continue
        entries = {e.item_id: e for e in sheet.entries.all()}
        scored = {i for i, e in entries.items() if e.self_points is not None}
        scored |= {i for u, i in peer_items if u == unit_id}
        verified = {i for i, e in entries.items() if e.verified_points is not None}
        if not verified or scored - verified:
            missing.append(unit_id)
    units = Unit.objects.in_bulk(missing)
    return [units[u] for u in missing]


@transaction.atomic
def publish_verification(
    *, actor: Actor, round_: ScoringRound, answer_until: dt.date
) -> ScoringRound:
    """The leader publishes the verified scores: each unit sees its changed scores and may
    answer them until `answer_until` (inclusive). Every member unit must be fully verified
    first. Publishing again moves the end of the window."""
    round_ = lock_round(round_)
    permissions.require_leader(actor, round_)
    require_open(round_)
    if answer_until < dates.today():
        raise ValidationError(_("The last day to answer cannot be in the past."))
    missing = unverified_units(round_)
    if missing:
        raise ValidationError(
            _("Verify every unit first; not fully verified: %(units)s.")
            % {"units": ", ".join(str(u) for u in missing)}
        )
    before = {
        "published_at": _text_time(round_.verification_published_at),
        "answer_until": _text_time(round_.answer_until),
    }
    if round_.verification_published_at is not None and round_.answer_until == answer_until:
        return round_
    if round_.verification_published_at is None:
        round_.verification_published_at = timezone.now()
    round_.answer_until = answer_until
    round_.save(update_fields=["verification_published_at", "answer_until"])
    record(
        actor=actor,
        action=AuditAction.VERIFICATION_PUBLISHED,
        obj=round_,
        before=before,
        after={"answer_until": answer_until.isoformat()},
    )
    follow_cycle(actor, round_, CycleState.SCORED)
    return round_


def _text_time(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()
