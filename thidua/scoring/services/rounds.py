"""The write path of scores: open a round, self-score, verify, lock, publish a ranking and
correct it. Each service: authorise → validate → write → audit, in one transaction.

Rules enforced here, not only in the pages: a unit's head self-scores only their own unit;
a unit scores another only where assigned (never itself); nobody verifies their own unit;
points stay within each item's bounds; a change on verification or second review needs a
reason; a unit answers (giải trình) a changed score only within the published window; the
round is not locked while an answer waits for its second review; nothing changes once the
round is locked, except a correction by the leader with a reason, which must then be
published as a new snapshot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.campaigns.cycle import CycleState
from thidua.campaigns.models import BlockCycle
from thidua.campaigns.services import block_cycle_follow
from thidua.lib import dates
from thidua.lib.hashing import canonical_digest
from thidua.org.models import Unit
from thidua.org.permissions import Actor, acting_user
from thidua.reports.models import Period

from .. import permissions, ranking
from ..models import (
    FinalMethod,
    PeerAssignment,
    PeerScore,
    RankingSnapshot,
    ScoreEntry,
    Scorers,
    ScoreSheet,
    ScoringItem,
    ScoringRound,
    ScoringTable,
)
from ..selectors import results
from ..selectors import tables as table_selectors
from ..services import tables as table_services


def _lock_round(round_: ScoringRound) -> ScoringRound:
    return (
        ScoringRound.objects.select_for_update(of=("self",))
        .select_related("table__campaign__agency", "table__block")
        .get(pk=round_.pk)
    )


def _require_open(round_: ScoringRound) -> None:
    if round_.is_locked:
        raise ValidationError(_("The scores of this round are locked and cannot change."))


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
    scorers: str = Scorers.LEADER_TEAM,
) -> ScoringRound:
    """The round of a period (idempotent). The leader or the secretariat sets its method,
    who scores whom and the tie-break items; a unit head's first self-score opens it with
    the defaults. Who scores whom is materialised as assignments at once (none for assigned
    pairs, until the leader sets them)."""
    if period not in Period.values:
        raise ValidationError(_("Unknown report period."))
    if table.block_id is None:
        raise ValidationError(_("A template is not scored: use a block's table."))
    existing = ScoringRound.objects.filter(table=table, period=period).first()
    if existing is not None:
        return existing
    if method not in FinalMethod.values:
        raise ValidationError(_("Unknown final score method."))
    if scorers not in Scorers.values:
        raise ValidationError(_("Unknown choice of who scores whom."))
    codes = set(table.items.values_list("code", flat=True))
    unknown = [c for c in tie_break or [] if c not in codes]
    if unknown:
        raise ValidationError(
            _("Tie-break items not in the table: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    round_ = ScoringRound.objects.create(
        table=table,
        period=period,
        method=method,
        scorers=scorers,
        tie_break=list(tie_break or []),
    )
    count = _materialise(round_)
    record(
        actor=actor,
        action=AuditAction.ROUND_OPENED,
        obj=round_,
        after={
            "period": period,
            "method": method,
            "scorers": scorers,
            "tie_break": round_.tie_break,
            "assignments": count,
        },
    )
    return round_


def _team_pairs(round_: ScoringRound) -> list[tuple[int, int]]:
    """The (scorer, scored) pairs the round's `scorers` mode implies."""
    members = table_selectors.block_unit_ids(round_.table)
    if round_.scorers == Scorers.ALL_PEERS:
        return [(a, b) for a in members for b in members if a != b]
    if round_.scorers == Scorers.LEADER_TEAM:
        term = table_selectors.block_term(round_.table.campaign, round_.table.block)
        if term is None:
            return []
        team = list(dict.fromkeys(u for u in (term.leader_id, term.deputy_id) if u))
        return [(a, b) for a in team for b in members if a != b]
    return []  # assigned pairs: set by the leader


def _materialise(round_: ScoringRound) -> int:
    round_.assignments.all().delete()
    pairs = _team_pairs(round_)
    PeerAssignment.objects.bulk_create(
        PeerAssignment(round=round_, scorer_id=a, scored_id=b) for a, b in pairs
    )
    return len(pairs)


def _require_not_published(round_: ScoringRound) -> None:
    if round_.verification_published_at is not None:
        raise ValidationError(
            _("The verification is published: a score now changes only by the second review.")
        )


@transaction.atomic
def round_configure(
    *, actor: Actor, round_: ScoringRound, method: str, scorers: str
) -> ScoringRound:
    """Change the round's final score method and who scores whom, before the verification
    is published; who scores whom only while no peer score exists."""
    round_ = _lock_round(round_)
    permissions.require_editor(actor, round_)
    _require_open(round_)
    _require_not_published(round_)
    if method not in FinalMethod.values:
        raise ValidationError(_("Unknown final score method."))
    if scorers not in Scorers.values:
        raise ValidationError(_("Unknown choice of who scores whom."))
    before = {"method": round_.method, "scorers": round_.scorers}
    if before == {"method": method, "scorers": scorers}:
        return round_
    if scorers != round_.scorers:
        if PeerScore.objects.filter(sheet__round=round_).exists():
            raise ValidationError(
                _("Units have already scored each other: who scores whom cannot change.")
            )
        round_.scorers = scorers
        _materialise(round_)
    round_.method = method
    round_.save(update_fields=["method", "scorers"])
    record(
        actor=actor,
        action=AuditAction.ROUND_CONFIGURED,
        obj=round_,
        before=before,
        after={"method": method, "scorers": scorers},
    )
    return round_


@transaction.atomic
def assignments_set(*, actor: Actor, round_: ScoringRound, pairs: Iterable[tuple[int, int]]) -> int:
    """The leader's assigned pairs (scorer unit id, scored unit id), replacing the previous
    set; refused once any peer score exists. Returns how many pairs are assigned."""
    round_ = _lock_round(round_)
    permissions.require_editor(actor, round_)
    _require_open(round_)
    if round_.scorers != Scorers.PAIRS:
        raise ValidationError(_("Pairs are assigned only when the round scores assigned pairs."))
    if PeerScore.objects.filter(sheet__round=round_).exists():
        raise ValidationError(_("Units have already scored each other: the pairs cannot change."))
    wanted = sorted({(int(a), int(b)) for a, b in pairs})
    members = set(table_selectors.block_unit_ids(round_.table))
    named = Unit.objects.in_bulk({u for pair in wanted for u in pair})
    problems: list[str] = []
    for a, b in wanted:
        if a == b:
            problems.append(_("“%(unit)s” cannot score itself.") % {"unit": named.get(a, a)})
    outside = sorted({str(named.get(u, u)) for pair in wanted for u in pair if u not in members})
    if outside:
        problems.append(_("Not members of this block: %(units)s.") % {"units": ", ".join(outside)})
    if problems:
        raise ValidationError(problems)
    before = sorted(round_.assignments.values_list("scorer_id", "scored_id"))
    if before == wanted:
        return len(wanted)
    round_.assignments.all().delete()
    PeerAssignment.objects.bulk_create(
        PeerAssignment(round=round_, scorer_id=a, scored_id=b) for a, b in wanted
    )
    record(
        actor=actor,
        action=AuditAction.ASSIGNMENTS_SET,
        obj=round_,
        before={"pairs": [list(p) for p in before]},
        after={"pairs": [list(p) for p in wanted]},
    )
    return len(wanted)


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
    round_ = _lock_round(round_)
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
    _require_open(round_)
    _require_not_published(round_)
    if round_.table.is_draft:
        table_services.table_freeze(actor=actor, table=round_.table, in_use=True)
    items = _leaves(round_)
    _check_points(items, points)
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
    before = {code: _text(existing[code].points) for code in changed if code in existing}
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
            "points": {c: _text(v) for c, v in changed.items()},
            "notes": renoted,
        },
    )
    return sheet


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
    user = acting_user(actor)
    if not permissions.may_self_score(user, unit.pk):
        raise PermissionDenied(
            _("Only the head of “%(unit)s” may enter its self-score.") % {"unit": unit}
        )
    if unit.pk not in table_selectors.block_unit_ids(round_.table):
        raise PermissionDenied(_("“%(unit)s” is not a member of this block.") % {"unit": unit})
    _require_open(round_)
    if round_.table.is_draft:
        table_services.table_freeze(actor=actor, table=round_.table, in_use=True)
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
        action=AuditAction.SCORING_SELF_SCORED,
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
    item's score: the self-score, or under a peer method the peers' aggregate when peers
    scored the item."""
    round_ = _lock_round(round_)
    user = acting_user(actor)
    if not permissions.may_verify(user, round_, unit.pk):
        raise PermissionDenied(
            _("You may not verify the scores of “%(unit)s”: a unit never verifies its own.")
            % {"unit": unit}
        )
    _require_open(round_)
    _require_not_published(round_)
    items = _leaves(round_)
    _check_points(items, points)
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
            "self": _text(entry.self_points),
            "proposed": _text(reference.get(code)),
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


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _follow(actor: Actor, round_: ScoringRound, target: CycleState) -> None:
    """The year-end round moves the block's year along (scored, then scores final)."""
    if round_.period != Period.YEAREND:
        return
    term = table_selectors.block_term(round_.table.campaign, round_.table.block)
    cycle = BlockCycle.objects.filter(campaign=round_.table.campaign, term=term).first()
    if cycle is not None:
        block_cycle_follow(actor=actor, cycle=cycle, target=target, via="scoring")


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
    round_ = _lock_round(round_)
    permissions.require_leader(actor, round_)
    _require_open(round_)
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
    _follow(actor, round_, CycleState.SCORED)
    return round_


def _text_time(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def answer_open(round_: ScoringRound) -> bool:
    return (
        round_.verification_published_at is not None
        and not round_.is_locked
        and round_.answer_until is not None
        and dates.today() <= round_.answer_until
    )


@transaction.atomic
def answer(
    *, actor: Actor, round_: ScoringRound, unit: Unit, answers: Mapping[str, str]
) -> ScoreSheet:
    """The unit's head answers (giải trình) its changed scores, within the window. A blank
    answer is not sent; answering again replaces the text until the second review."""
    round_ = _lock_round(round_)
    user = acting_user(actor)
    if not permissions.may_self_score(user, unit.pk):
        raise PermissionDenied(
            _("Only the head of “%(unit)s” may answer its verified scores.") % {"unit": unit}
        )
    _require_open(round_)
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


def may_review(round_: ScoringRound, entries: Iterable[ScoreEntry]) -> bool:
    """The second review starts when the window has closed, or once the unit has answered
    every changed score."""
    if round_.verification_published_at is None or round_.is_locked:
        return False
    if round_.answer_until is not None and dates.today() > round_.answer_until:
        return True
    changed = [e for e in entries if e.changed]
    return bool(changed) and all(e.answer for e in changed)


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
    round_ = _lock_round(round_)
    user = acting_user(actor)
    if not permissions.may_verify(user, round_, unit.pk):
        raise PermissionDenied(
            _("You may not review the scores of “%(unit)s”: a unit never reviews its own.")
            % {"unit": unit}
        )
    _require_open(round_)
    if round_.verification_published_at is None:
        raise ValidationError(_("The verification is not published yet."))
    items = _leaves(round_)
    _check_points(items, points)
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
        changes[code] = {"verified": _text(entry.verified_points), "review": str(value)}
        entry.review_points = value
        entry.review_reason = (
            "" if value == entry.verified_points else (reasons.get(code) or "").strip()
        )
        entry.reviewed_by, entry.reviewed_at = user, now
        entry.save(update_fields=["review_points", "review_reason", "reviewed_by", "reviewed_at"])
    record(actor=actor, action=AuditAction.SCORING_REVIEWED, obj=sheet, after=changes)
    return sheet


def unreviewed_answers(round_: ScoringRound) -> dict[str, list[str]]:
    """Answered scores still waiting for the second review: item codes by unit name."""
    found: dict[str, list[str]] = {}
    rows = (
        ScoreEntry.objects.filter(sheet__round=round_, reviewed_at__isnull=True)
        .exclude(answer="")
        .order_by("sheet__unit__path", "item__code")
        .values_list("sheet__unit__name", "item__code")
    )
    for name, code in rows:
        found.setdefault(name, []).append(code)
    return found


@transaction.atomic
def round_lock(*, actor: Actor, round_: ScoringRound) -> ScoringRound:
    """The scores are final: no self-score or verification changes after this. Refused while
    an answer waits for its second review."""
    round_ = _lock_round(round_)
    permissions.require_leader(actor, round_)
    if round_.is_locked:
        return round_
    waiting = unreviewed_answers(round_)
    if waiting:
        raise ValidationError(
            _("Answers wait for the second review: %(items)s.")
            % {
                "items": "; ".join(
                    f"{name} ({', '.join(codes)})" for name, codes in waiting.items()
                )
            }
        )
    if answer_open(round_):
        # The window is a right of the units: it closes early only when nothing is left.
        unanswered = sorted(
            set(
                ScoreEntry.objects.filter(
                    sheet__round=round_, verified_points__isnull=False, answer=""
                )
                .filter(Q(self_points__isnull=True) | ~Q(verified_points=F("self_points")))
                .values_list("sheet__unit__name", flat=True)
            )
        )
        if unanswered:
            raise ValidationError(
                _("Units may answer until %(day)s; not answered yet: %(units)s.")
                % {
                    "day": round_.answer_until.strftime("%d/%m/%Y") if round_.answer_until else "",
                    "units": ", ".join(unanswered),
                }
            )
    round_.locked_at = timezone.now()
    round_.locked_by = acting_user(actor)
    round_.save(update_fields=["locked_at", "locked_by"])
    record(actor=actor, action=AuditAction.ROUND_LOCKED, obj=round_)
    _follow(actor, round_, CycleState.SCORES_FINAL)
    return round_


@transaction.atomic
def correct(
    *, actor: Actor, round_: ScoringRound, unit: Unit, code: str, points: Decimal, reason: str
) -> ScoreEntry:
    """After the lock, the leader corrects one verified score with a reason; the ranking
    must then be published again as a corrected snapshot."""
    round_ = _lock_round(round_)
    permissions.require_leader(actor, round_)
    if not permissions.may_verify(actor, round_, unit.pk):
        raise PermissionDenied(_("A unit never corrects its own scores."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the correction."))
    items = _leaves(round_)
    _check_points(items, {code: points})
    sheet, _created = ScoreSheet.objects.get_or_create(round=round_, unit=unit)
    entry, _new = ScoreEntry.objects.select_for_update().get_or_create(
        sheet=sheet, item=items[code]
    )
    before = {"verified": _text(entry.verified_points), "review": _text(entry.review_points)}
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
    round_ = _lock_round(round_)
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
