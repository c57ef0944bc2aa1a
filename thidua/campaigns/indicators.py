"""Measurable criteria, evaluated from organisation data. Pure: plain numbers in, verdicts out.

Thresholds come from the criterion's configuration, never from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Indicator(StrEnum):
    STAFF_SHARE_RATED_AT_LEAST = "staff_share_rated_at_least"
    STAFF_DISCIPLINED_AT_LEAST = "staff_disciplined_at_least"
    UNIT_RATED_AT_LEAST = "unit_rated_at_least"
    REPORTED = "reported"


INDICATOR_LABELS = {
    Indicator.STAFF_SHARE_RATED_AT_LEAST: _("Share of staff (%) rated at least the given rating"),
    Indicator.STAFF_DISCIPLINED_AT_LEAST: _(
        "Number of staff disciplined at the given level or above"
    ),
    Indicator.UNIT_RATED_AT_LEAST: _("Unit rated at least the given rating (1 = yes, 0 = no)"),
    Indicator.REPORTED: _("Value reported by the unit"),
}

# Indicators computed from the organisation data (the others are reported by units).
COMPUTED = frozenset(
    {
        Indicator.STAFF_SHARE_RATED_AT_LEAST,
        Indicator.STAFF_DISCIPLINED_AT_LEAST,
        Indicator.UNIT_RATED_AT_LEAST,
    }
)


class Comparator(StrEnum):
    GTE = "gte"
    LTE = "lte"
    EQ = "eq"


COMPARATOR_SYMBOLS = {Comparator.GTE: "≥", Comparator.LTE: "≤", Comparator.EQ: "="}

PERCENT_QUANTUM = Decimal("0.01")


def percentage(part: int, whole: int) -> Decimal | None:
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(PERCENT_QUANTUM, ROUND_HALF_UP)


def count_at_least(ranks: Iterable[int | None], minimum: int) -> int:
    return sum(1 for rank in ranks if rank is not None and rank >= minimum)


def compare(value: Decimal, comparator: str, threshold: Decimal) -> bool:
    if comparator == Comparator.GTE:
        return value >= threshold
    if comparator == Comparator.LTE:
        return value <= threshold
    if comparator == Comparator.EQ:
        return value == threshold
    raise ValueError(f"unknown comparator {comparator!r}")


@dataclass(frozen=True)
class Evaluation:
    """A verdict with what it was computed from. `met` is None when there is no data."""

    met: bool | None
    value: Decimal | None
    threshold: Decimal
    comparator: str
    numerator: int | None = None
    denominator: int | None = None

    @property
    def symbol(self) -> str:
        return COMPARATOR_SYMBOLS.get(Comparator(self.comparator), self.comparator)


def evaluate_share(*, good: int, total: int, comparator: str, threshold: Decimal) -> Evaluation:
    value = percentage(good, total)
    met = None if value is None else compare(value, comparator, threshold)
    return Evaluation(met, value, threshold, comparator, numerator=good, denominator=total)


def evaluate_count(*, count: int, comparator: str, threshold: Decimal) -> Evaluation:
    value = Decimal(count)
    return Evaluation(
        compare(value, comparator, threshold), value, threshold, comparator, numerator=count
    )


def evaluate_flag(*, holds: bool | None, comparator: str, threshold: Decimal) -> Evaluation:
    if holds is None:
        return Evaluation(None, None, threshold, comparator)
    value = Decimal(1 if holds else 0)
    return Evaluation(compare(value, comparator, threshold), value, threshold, comparator)
