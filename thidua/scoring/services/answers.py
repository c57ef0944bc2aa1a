"""A unit's answers (giải trình) to its changed scores, and the verifier's second review of
them."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.org.models import Unit
from thidua.org.permissions import Actor, acting_user

from .. import permissions
from ..models import ScoreSheet, ScoringRound
from .rounds import (
    answer_open,
    check_points,
    leaf_items,
    lock_round,
    may_review,
    points_text,
    require_open,
)


@transaction.atomic
def answer(
    *, actor: Actor, round_: ScoringRound, unit: Unit, answers: Mapping[str, str]
) -> ScoreSheet:
    """The unit's head answers (giải trình) its changed scores, within the window. A blank
    answer is not sent; answering again replaces the text until the second review."""
    round_ = lock_round(round_)
    user = acting_user(actor)
    if not permissions.may_self_score(user, unit.pk):
        raise PermissionDenied(
            _("Only the head of “%(unit)s” may answer its verified scores.") % {"unit": unit}
        )
    require_open(round_)
    if round_.verification_published_at is None:
        raise ValidationError(_("The verification is not published yet."))
    if not answer_open(round_):
        raise ValidationError(
            _("The time to answer ended on %(day)s.")
            % {"day": round_.answer_until.strftime("%d/%m/%Y") if round_.answer_until else ""}
        )
    given = {code: text.strip() for code, text in answers.items() if text and text.strip()}
    if not given:
        raise ValidationError(_("Write the answer for at least one changed score."))
    sheet = ScoreSheet.objects.filter(round=round_, unit=unit).first()
    entries = {e.item.code: e for e in sheet.entries.select_related("item")} if sheet else {}
    problems: list[str] = []
    for code in given:
        entry = entries.get(code)
        if entry is None or not entry.changed:
            problems.append(
                _("%(code)s: only a score the verification changed can be answered.")
                % {"code": code}
            )
        elif entry.reviewed_at is not None:
            problems.append(_("%(code)s: the second review has settled it.") % {"code": code})
    if problems:
        raise ValidationError(problems)
    assert sheet is not None
    now = timezone.now()
    before = {code: entries[code].answer for code in given}
    for code, text in given.items():
        entry = entries[code]
        if entry.answer == text:
            continue
        entry.answer, entry.answered_by, entry.answered_at = text, user, now
        entry.save(update_fields=["answer", "answered_by", "answered_at"])
    record(actor=actor, action=AuditAction.SCORING_ANSWERED, obj=sheet, before=before, after=given)
    return sheet


@transaction.atomic
def second_review(
    *,
    actor: Actor,
    round_: ScoringRound,
    unit: Unit,
    points: Mapping[str, Decimal],
    reasons: Mapping[str, str] | None = None,
) -> ScoreSheet:
    """The verifier settles each answered score: keeps the verified points or changes them
    with a reason."""
    round_ = lock_round(round_)
    user = acting_user(actor)
    if not permissions.may_verify(user, round_, unit.pk):
        raise PermissionDenied(
            _("You may not review the scores of “%(unit)s”: a unit never reviews its own.")
            % {"unit": unit}
        )
    require_open(round_)
    if round_.verification_published_at is None:
        raise ValidationError(_("The verification is not published yet."))
    items = leaf_items(round_)
    check_points(items, points)
    sheet = ScoreSheet.objects.filter(round=round_, unit=unit).first()
    entries = {e.item.code: e for e in sheet.entries.select_related("item")} if sheet else {}
    if not may_review(round_, entries.values()):
        raise ValidationError(
            _("The second review waits until the time to answer ends or every answer is in.")
        )
    reasons = reasons or {}
    problems: list[str] = []
    for code, value in points.items():
        entry = entries.get(code)
        if entry is None or not entry.answer:
            problems.append(_("%(code)s has no answer to review.") % {"code": code})
        elif value != entry.verified_points and not (reasons.get(code) or "").strip():
            problems.append(
                _("%(code)s: give the reason for changing the verified score.") % {"code": code}
            )
    if problems:
        raise ValidationError(problems)
    assert sheet is not None
    now = timezone.now()
    changes: dict[str, Any] = {}
    for code, value in points.items():
        entry = entries[code]
        changes[code] = {"verified": points_text(entry.verified_points), "review": str(value)}
        entry.review_points = value
        entry.review_reason = (
            "" if value == entry.verified_points else (reasons.get(code) or "").strip()
        )
        entry.reviewed_by, entry.reviewed_at = user, now
        entry.save(update_fields=["review_points", "review_reason", "reviewed_by", "reviewed_at"])
    record(actor=actor, action=AuditAction.SCORING_REVIEWED, obj=sheet, after=changes)
    return sheet
