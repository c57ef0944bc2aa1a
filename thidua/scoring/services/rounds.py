"""A table's scoring round: opening it, who scores whom, the answer window, the lock.

Rules enforced here and in the sibling modules, not only in the pages: a unit's head
self-scores only their own unit (`self_scores`); a unit scores another only where assigned,
never itself (`peer_scores`); nobody verifies their own unit (`verification`); points stay
within each item's bounds; a change on verification or second review needs a reason; a unit
answers (giải trình) a changed score only within the published window (`answers`); the round
is not locked while an answer waits for its second review; nothing changes once the round is
locked, except a correction by the leader with a reason, which must then be published as a
new snapshot (`rankings`). Each service: authorise → validate → write → audit, in one
transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.campaigns.cycle import CycleState
from thidua.campaigns.models import BlockCycle
from thidua.campaigns.services import block_cycle_follow
from thidua.lib import dates
from thidua.org.models import Unit
from thidua.org.permissions import Actor, acting_user
from thidua.reports.models import Period

from .. import permissions
from ..models import (
    FinalMethod,
    PeerAssignment,
    PeerScore,
    ScoreEntry,
    Scorers,
    ScoringItem,
    ScoringRound,
    ScoringTable,
)
from ..selectors import results
from ..selectors import tables as table_selectors


def lock_round(round_: ScoringRound) -> ScoringRound:
    return (
        ScoringRound.objects.select_for_update(of=("self",))
        .select_related("table__campaign__agency", "table__block")
        .get(pk=round_.pk)
    )


def require_open(round_: ScoringRound) -> None:
    if round_.is_locked:
        raise ValidationError(_("The scores of this round are locked and cannot change."))


def require_not_published(round_: ScoringRound) -> None:
    if round_.verification_published_at is not None:
        raise ValidationError(
            _("The verification is published: a score now changes only by the second review.")
        )


def leaf_items(round_: ScoringRound) -> dict[str, ScoringItem]:
    return {
        i.code: i for i in round_.table.items.exclude(kind="section").select_related("criterion")
    }


def check_points(items: Mapping[str, ScoringItem], points: Mapping[str, Decimal | None]) -> None:
    problems: list[str] = []
    for code, value in points.items():
        item = items.get(code)
        if item is None:
            problems.append(_("%(code)s is not a scored item of this table.") % {"code": code})
        elif value is not None and (message := results.out_of_bounds(item, value)):
            problems.append(message)
    if problems:
        raise ValidationError(problems)


def points_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def follow_cycle(actor: Actor, round_: ScoringRound, target: CycleState) -> None:
    """The year-end round moves the block's year along (scored, then scores final)."""
    if round_.period != Period.YEAREND:
        return
    term = table_selectors.block_term(round_.table.campaign, round_.table.block)
    cycle = BlockCycle.objects.filter(campaign=round_.table.campaign, term=term).first()
    if cycle is not None:
        block_cycle_follow(actor=actor, cycle=cycle, target=target, via="scoring")


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


@transaction.atomic
def round_configure(
    *, actor: Actor, round_: ScoringRound, method: str, scorers: str
) -> ScoringRound:
    """Change the round's final score method and who scores whom, before the verification
    is published; who scores whom only while no peer score exists."""
    round_ = lock_round(round_)
    permissions.require_editor(actor, round_)
    require_open(round_)
    require_not_published(round_)
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
    round_ = lock_round(round_)
    permissions.require_editor(actor, round_)
    require_open(round_)
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


def answer_open(round_: ScoringRound) -> bool:
    return (
        round_.verification_published_at is not None
        and not round_.is_locked
        and round_.answer_until is not None
        and dates.today() <= round_.answer_until
    )


def may_review(round_: ScoringRound, entries: Iterable[ScoreEntry]) -> bool:
    """The second review starts when the window has closed, or once the unit has answered
    every changed score."""
    if round_.verification_published_at is None or round_.is_locked:
        return False
    if round_.answer_until is not None and dates.today() > round_.answer_until:
        return True
    changed = [e for e in entries if e.changed]
    return bool(changed) and all(e.answer for e in changed)


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
    round_ = lock_round(round_)
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
    follow_cycle(actor, round_, CycleState.SCORES_FINAL)
    return round_
