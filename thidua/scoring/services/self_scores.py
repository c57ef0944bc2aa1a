"""A unit head's self-score of their own unit, tied to the unit's latest submitted report."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.org.models import Unit
from thidua.org.permissions import Actor, acting_user

from .. import permissions
from ..models import ScoreEntry, ScoreSheet, ScoringRound
from ..selectors import results
from ..selectors import tables as table_selectors
from ..services import tables as table_services
from .rounds import (
    check_points,
    leaf_items,
    lock_round,
    require_open,
)


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
    round_ = lock_round(round_)
    user = acting_user(actor)
    if not permissions.may_self_score(user, unit.pk):
        raise PermissionDenied(
            _("Only the head of “%(unit)s” may enter its self-score.") % {"unit": unit}
        )
    if unit.pk not in table_selectors.block_unit_ids(round_.table):
        raise PermissionDenied(_("“%(unit)s” is not a member of this block.") % {"unit": unit})
    require_open(round_)
    if round_.table.is_draft:
        table_services.table_freeze(actor=actor, table=round_.table, in_use=True)
    items = leaf_items(round_)
    check_points(items, points)
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
        action=AuditAction.SCORING_SELF_SCORED,
        obj=sheet,
        before=before,
        after={
            "points": {c: None if v is None else str(v) for c, v in points.items()},
            "report_version": version.number if version else None,
        },
    )
    return sheet
