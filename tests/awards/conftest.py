"""Fixtures for the award register tests: English messages, a fresh data folder, and helpers
to record decisions on the demo organisation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from thidua.awards.models import AwardForm
from thidua.awards.services import AwardInput, DecisionInput, record_decision
from thidua.org.demo import AGENCY_CODE
from thidua.org.models import Person, Unit


@pytest.fixture(autouse=True)
def _english(client: Any, settings: Any) -> Iterator[None]:
    # Messages and pages are asserted in English; pages follow the visitor's language
    # cookie (Vietnamese without one).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, settings: Any) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def agency(db: Any) -> Unit:
    return Unit.objects.get(code=AGENCY_CODE)


@pytest.fixture
def unit(db: Any) -> Any:
    return lambda code: Unit.objects.get(code=code)


@pytest.fixture
def form(db: Any) -> Any:
    return lambda code: AwardForm.objects.get(code=code)


@pytest.fixture
def person_of(persona: Any) -> Any:
    return lambda username: Person.objects.get(user=persona(username))


@pytest.fixture
def decide(persona: Any, agency: Unit) -> Any:
    """decide(awards, symbol=…, on=…) → a recorded decision, as lan (secretariat)."""

    def make(
        awards: list[AwardInput],
        *,
        symbol: str = "15/QĐ-UBND",
        on: dt.date = dt.date(2020, 12, 30),
        issuer: str = "Ủy ban nhân dân thành phố Cần Thơ",
        **extra: Any,
    ) -> Any:
        data = DecisionInput(
            agency=agency, issuer_name=issuer, symbol=symbol, issued_on=on, awards=awards
        )
        original = extra.pop("original", None)
        for key, value in extra.items():
            setattr(data, key, value)
        return record_decision(
            actor=persona("lan"), data=data, original=original, original_name="qd.pdf"
        )

    return make
