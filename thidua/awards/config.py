"""Dated configuration lookups and the bonus arithmetic.

Rounding rule (ND 152/2025 Art. 49(2), legal-2025.md Q7): "Tiền thưởng sau khi nhân với hệ
số mức lương cơ sở được làm tròn số lên hàng chục nghìn đồng" — multiple × base salary,
rounded UP to the next 10 000 đồng (the rate row's `rounding_step`, dated with the
multiple). The same rule is applied to decisions dated before ND
152 (the rule there is [UNVERIFIED]); the computed amount is stored with the award, so a later
change of rule never alters a recorded decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from thidua.lib.dated import valid_on

from .models import AwardForm, AwardFormRate, BaseSalary
from .vn_money import amount_in_words


def base_salary_on(day: dt.date) -> BaseSalary | None:
    return BaseSalary.objects.filter(valid_on(day)).order_by("-valid_from").first()


def rate_on(form: AwardForm, recipient_kind: str, day: dt.date) -> AwardFormRate | None:
    return (
        AwardFormRate.objects.filter(valid_on(day), form=form, recipient_kind=recipient_kind)
        .order_by("-valid_from")
        .first()
    )


def round_bonus(value: Decimal, step: int) -> Decimal:
    """Round up to the next multiple of `step` đồng (the rate's configured rounding)."""
    unit = Decimal(step)
    return (value / unit).to_integral_value(rounding=ROUND_CEILING) * unit


@dataclass(frozen=True)
class Bonus:
    multiple: Decimal | None
    base_salary: int | None
    amount: Decimal | None
    words: str


def bonus_for(form: AwardForm, recipient_kind: str, day: dt.date) -> Bonus:
    """The bonus of a form for a recipient kind on a decision dated `day`; no amount when
    either the multiple or the base salary is not configured for that day."""
    rate = rate_on(form, recipient_kind, day)
    salary = base_salary_on(day)
    if rate is None or salary is None:
        return Bonus(rate.multiple if rate else None, salary.amount if salary else None, None, "")
    amount = round_bonus(rate.multiple * Decimal(salary.amount), rate.rounding_step)
    return Bonus(rate.multiple, salary.amount, amount, amount_in_words(int(amount)))
