"""A unit's scores of another unit, where the round assigns it (never itself), with notes the
verifier reads."""

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
from ..models import PeerScore, ScoreSheet, ScoringRound
from ..services import tables as table_services
from .rounds import (
    check_points,
    leaf_items,
    lock_round,
    points_text,
    require_not_published,
    require_open,
)


@transaction.atomic
def peer_score(
    *,
    actor: Actor,
    round_: ScoringRound,
    scorer: Unit,
    unit: Unit,
    points: Mapping[str, Decimal | None],
    notes: Mapping[str, str] | None = None,
) -> ScoreSheet:
    """The scorer unit's head scores another unit's items, where assigned. A blank (None)
    removes that item's peer score; the same points again change nothing. A note (why these
    points) is kept with the score and shown to the verifier; it needs points to go with."""
    round_ = lock_round(round_)
    user = acting_user(actor)
    if not permissions.may_self_score(user, scorer.pk):
        raise PermissionDenied(
            _("Only the head of “%(unit)s” may enter its scores of other units.") % {"unit": scorer}
        )
    if scorer.pk == unit.pk:
        raise PermissionDenied(
            _("A unit scores itself only in its self-score: “%(unit)s”.") % {"unit": unit}
        )
    if not round_.assignments.filter(scorer=scorer, scored=unit).exists():
        raise PermissionDenied(
            _("“%(scorer)s” is not assigned to score “%(unit)s” in this round.")
            % {"scorer": scorer, "unit": unit}
        )
    require_open(round_)
    require_not_published(round_)
    if round_.table.is_draft:
        table_services.table_freeze(actor=actor, table=round_.table, in_use=True)
    items = leaf_items(round_)
    check_points(items, points)
    sheet, _created = ScoreSheet.objects.get_or_create(round=round_, unit=unit)
    existing = {
        p.item.code: p
        for p in PeerScore.objects.filter(sheet=sheet, scorer=scorer).select_related("item")
    }

    def kept(code: str) -> Decimal | None:
        return existing[code].points if code in existing else None

    changed = {code: value for code, value in points.items() if value != kept(code)}
    texts = {code: " ".join(text.split()) for code, text in (notes or {}).items() if code in items}
    points_after = {code: points[code] if code in points else kept(code) for code in texts}
    orphans = sorted(code for code, text in texts.items() if text and points_after[code] is None)
    if orphans:
        raise ValidationError(
            _("A note goes with points: give points for %(codes)s, or remove the note.")
            % {"codes": ", ".join(orphans)}
        )
    renoted = {
        code: text
        for code, text in texts.items()
        if points_after[code] is not None
        and text != (existing[code].note if code in existing else "")
    }
    touched = sorted(set(changed) | set(renoted))
    verified = set(
        sheet.entries.filter(verified_points__isnull=False).values_list("item__code", flat=True)
    )
    settled = [code for code in touched if code in verified]
    if settled:
        raise ValidationError(
            _("Already verified, the peer scores cannot change: %(codes)s.")
            % {"codes": ", ".join(settled)}
        )
    if not touched:
        return sheet  # a retry, or the same sheet uploaded again
    before = {code: points_text(existing[code].points) for code in changed if code in existing}
    now = timezone.now()
    for code in touched:
        found = existing.get(code)
        value = changed[code] if code in changed else kept(code)
        note = renoted.get(code, found.note if found is not None else "")
        if value is None:
            if found is not None:
                found.delete()
        elif found is None:
            PeerScore.objects.create(
                sheet=sheet,
                item=items[code],
                scorer=scorer,
                points=value,
                note=note,
                scored_by=user,
                scored_at=now,
            )
        else:
            found.points, found.note, found.scored_by, found.scored_at = value, note, user, now
            found.save(update_fields=["points", "note", "scored_by", "scored_at"])
    record(
        actor=actor,
        action=AuditAction.SCORING_PEER_SCORED,
        obj=sheet,
        before=before,
        after={
            "scorer": scorer.code,
            "points": {c: points_text(v) for c, v in changed.items()},
            "notes": renoted,
        },
    )
    return sheet
