"""Money on pages is grouped by thousands, Vietnamese style ("1.200.000"), wherever it is
shown: the decision page, the register, and a unit's award history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from thidua.awards.services import AwardInput
from thidua.awards.vn_money import format_money

D = dt.date


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "0"),
        (999, "999"),
        (1000, "1.000"),
        (1_200_000, "1.200.000"),
        (11_920_000, "11.920.000"),
        (Decimal("1490000.00"), "1.490.000"),
        (-45_000, "-45.000"),
    ],
)
def test_known_amounts(amount: Decimal | int, text: str) -> None:
    assert format_money(amount) == text


@given(st.integers(min_value=0, max_value=10**15))
def test_groups_are_three_digits_and_read_back(n: int) -> None:
    text = format_money(n)
    groups = text.split(".")
    assert int("".join(groups)) == n
    assert 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def render(amount: Any, language: str) -> str:
    with translation.override(language):
        return Template("{% load awards %}{{ amount|money }}").render(Context({"amount": amount}))


def test_the_filter_follows_the_language_and_shows_a_dash_for_no_amount() -> None:
    assert render(Decimal(11_920_000), "vi") == "11.920.000"
    assert render(Decimal(11_920_000), "en") == "11,920,000"
    assert render(None, "vi") == "—"


@pytest.mark.django_db
def test_pages_show_grouped_amounts(decide: Any, form: Any, unit: Any, login: Any) -> None:
    decision = decide(
        [AwardInput(form=form("TTLDTT"), unit=unit("QLDL"))],
        symbol="9/QĐ-SVHTTDL",
        on=D(2021, 1, 4),
        issuer="Sở Văn hóa, Thể thao và Du lịch",
    )
    assert decision.awards.get().amount == Decimal(1_200_000)
    client = login("lan")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    pages = {
        "decision": reverse("awards:decision_detail", args=[decision.pk]),
        "register": reverse("awards:register"),
        "unit": reverse("unit_detail", args=[unit("QLDL").pk]),
    }
    for name, url in pages.items():
        html = client.get(url).content.decode()
        assert "1.200.000" in html, name
        assert "1200000" not in html, name
