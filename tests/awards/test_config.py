"""Dated configuration: the multiple and the base salary in force on the decision's date, and
the ND 152/2025 Art. 49(2) round-up to 10 000 đồng."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from thidua.awards.config import base_salary_on, bonus_for, rate_on, round_bonus
from thidua.awards.models import AwardFormRate, RecipientKind

D = dt.date
pytestmark = pytest.mark.django_db


def test_base_salary_by_date() -> None:
    assert base_salary_on(D(2024, 6, 30)).amount == 1_800_000  # type: ignore[union-attr]
    assert base_salary_on(D(2024, 7, 1)).amount == 2_340_000  # type: ignore[union-attr]
    assert base_salary_on(D(2026, 7, 1)).amount == 2_530_000  # type: ignore[union-attr]
    assert base_salary_on(D(2010, 1, 1)) is None


def test_multiples_differ_by_recipient_and_end_with_nd152(form: Any) -> None:
    gk = form("GK_SO")
    assert rate_on(gk, RecipientKind.INDIVIDUAL, D(2025, 8, 1)).multiple == Decimal("0.3")  # type: ignore[union-attr]
    assert rate_on(gk, RecipientKind.COLLECTIVE, D(2025, 8, 1)).multiple == Decimal("0.6")  # type: ignore[union-attr]
    # ND 152/2025 lapses on 01/03/2027 (Art. 60(1)); nothing is configured after it.
    assert rate_on(gk, RecipientKind.INDIVIDUAL, D(2027, 3, 1)) is None
    # A flag is never an individual's.
    assert rate_on(form("CTD_TINH"), RecipientKind.INDIVIDUAL, D(2025, 8, 1)) is None


IND, COL = RecipientKind.INDIVIDUAL, RecipientKind.COLLECTIVE


@pytest.mark.parametrize(
    ("code", "kind", "day", "amount", "words"),
    [
        ("LDTT", IND, D(2025, 8, 1), 710_000, "Bảy trăm mười nghìn đồng"),
        ("TTLDTT", COL, D(2025, 8, 1), 1_880_000, "Một triệu tám trăm tám mươi nghìn đồng"),
        (
            "CTD_TINH",
            COL,
            D(2026, 12, 1),
            20_240_000,
            "Hai mươi triệu hai trăm bốn mươi nghìn đồng",
        ),
        (
            "CTD_TINH",
            COL,
            D(2020, 12, 30),
            11_920_000,
            "Mười một triệu chín trăm hai mươi nghìn đồng",
        ),
        ("BK_TINH", COL, D(2026, 7, 1), 7_590_000, "Bảy triệu năm trăm chín mươi nghìn đồng"),
    ],
)
def test_bonus_matches_legal_2025_table(
    form: Any, code: str, kind: str, day: dt.date, amount: int, words: str
) -> None:
    bonus = bonus_for(form(code), kind, day)
    assert bonus.amount == amount
    assert bonus.words == words


def test_round_up_not_half() -> None:
    # 0.3 × 2 340 000 = 702 000 → 710 000 (the Q&A articles' 702 000 ignores Art. 49(2)).
    step = AwardFormRate.objects.filter(legal_basis__contains="152").first().rounding_step  # type: ignore[union-attr]
    assert step == 10_000  # Art. 49(2), carried by the dated rate
    assert round_bonus(Decimal("702000"), step) == 710_000
    assert round_bonus(Decimal("700000"), step) == 700_000
    assert round_bonus(Decimal("700001"), step) == 710_000


def test_no_amount_without_configuration(form: Any) -> None:
    bonus = bonus_for(form("GK_SO"), RecipientKind.INDIVIDUAL, D(2027, 6, 1))
    assert bonus.amount is None and bonus.words == ""
