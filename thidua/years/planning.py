"""What starting a year from the last one creates: pure rules over plain data, no database.

- `shift_date`: a date of last year's plan moved to the same day and month of the new year,
  with the reason it needs a person's review (29/02 that the new year lacks, a weekend);
- `propose_leaders`: the leader and deputy of a block's new term by the agency's rule
  (keep last year's, rotate to the next member in order, or last year's leading unit),
  saying why whenever it had to depart from the rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

K = TypeVar("K", bound=Hashable)


class LeaderRuleKind(StrEnum):
    KEEP = "keep"
    ROTATE = "rotate"
    LEADING_UNIT = "leading_unit"


RULE_LABELS = {
    LeaderRuleKind.KEEP: gettext_lazy("Keep last year's leader and deputy"),
    LeaderRuleKind.ROTATE: gettext_lazy("Rotate to the next member in order"),
    LeaderRuleKind.LEADING_UNIT: gettext_lazy("Last year's leading unit leads"),
}


@dataclass(frozen=True)
class ShiftedDate:
    day: dt.date
    review: str  # why a person should look at it; empty when nothing stands out


def shift_date(day: dt.date, years: int) -> ShiftedDate:
    """`day` moved `years` years on, to the same day and month; a 29/02 the target year
    lacks becomes 28/02. The result is flagged when it was moved off 29/02 or falls on a
    weekend (a deadline on a Saturday or Sunday is usually moved by the plan's author)."""
    reasons: list[str] = []
    year = day.year + years
    try:
        moved = day.replace(year=year)
    except ValueError:  # 29/02 into a year without it
        moved = dt.date(year, 2, 28)
        reasons.append(_("29/02 does not exist in %(year)s: moved to 28/02.") % {"year": year})
    if moved.weekday() == 5:
        reasons.append(_("Falls on a Saturday."))
    elif moved.weekday() == 6:
        reasons.append(_("Falls on a Sunday."))
    return ShiftedDate(moved, " ".join(reasons))


def next_after(order: Sequence[K], current: K | None, eligible: Collection[K]) -> K | None:
    """The first of `eligible` after `current` in `order`, going round; from the start when
    `current` is not in `order`. None when no member of `order` is eligible."""
    if not order:
        return None
    start = order.index(current) + 1 if current in order else 0
    for step in range(len(order)):
        candidate = order[(start + step) % len(order)]
        if candidate in eligible:
            return candidate
    return None


@dataclass(frozen=True)
class LeaderProposal(Generic[K]):
    leader: K | None
    deputy: K | None
    notes: tuple[str, ...]


def propose_leaders(
    *,
    rule: LeaderRuleKind,
    order: Sequence[K],
    continuing: Collection[K],
    last_leader: K,
    last_deputy: K | None,
    leading_unit: K | None = None,
) -> LeaderProposal[K]:
    """The new term's leader and deputy among the `continuing` members of last year's
    `order` (last year's members in the term's order).

    - keep: last year's leader and deputy;
    - rotate: the member after last year's leader leads, the member after it deputises;
    - leading unit: last year's leading unit leads, last year's deputy stays deputy.

    A leader or deputy who has left is replaced by the next member in order, with a note;
    a block that had no deputy gets none. The leader and deputy always continue and are
    never the same unit."""
    notes: list[str] = []
    eligible = [k for k in order if k in continuing]
    if not eligible:
        return LeaderProposal(None, None, (_("No member of last year continues."),))
    if rule == LeaderRuleKind.ROTATE:
        leader = next_after(order, last_leader, eligible)
    elif rule == LeaderRuleKind.LEADING_UNIT and leading_unit in eligible:
        leader = leading_unit
    else:
        if rule == LeaderRuleKind.LEADING_UNIT:
            notes.append(
                _("No leading unit of last year is recorded: last year's leader kept.")
                if leading_unit is None
                else _("Last year's leading unit is no longer a member: last year's leader kept.")
            )
        leader = last_leader if last_leader in eligible else None
        if leader is None:
            leader = next_after(order, last_leader, eligible)
            notes.append(_("Last year's leader has left the block: the next member leads."))
    deputy: K | None = None
    if last_deputy is not None:
        others = [k for k in eligible if k != leader]
        if rule == LeaderRuleKind.ROTATE:
            deputy = next_after(order, leader, others)
        elif last_deputy in others:
            deputy = last_deputy
        else:
            deputy = next_after(order, leader, others)
            if last_deputy not in eligible:
                notes.append(_("Last year's deputy has left the block: the next member deputises."))
            else:
                notes.append(_("Last year's deputy now leads: the next member deputises."))
    return LeaderProposal(leader, deputy, tuple(notes))
