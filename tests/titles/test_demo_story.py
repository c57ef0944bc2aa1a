"""The issue's three bad cases on the demo year, through the one issue path: each recipient is
refused with the reasons an officer reads, and nothing is issued."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from thidua.awards import issuing
from thidua.awards.decision_defaults import draft_defaults
from thidua.awards.models import AwardDecision, AwardForm
from thidua.awards.services import AwardInput
from thidua.org.models import Person, Unit

pytestmark = pytest.mark.django_db


def test_the_three_bad_cases_are_refused_with_reasons(persona: Any, settings: Any) -> None:
    settings.THIDUA_TODAY = "2022-01-20"
    agency = Unit.objects.get(code="SVHTTDL")
    on = dt.date(2022, 1, 15)
    defaults = draft_defaults(agency, on)

    def form(code: str) -> AwardForm:
        return AwardForm.objects.get(code=code)

    warned = Person.objects.get(code="NHTD-004")  # cảnh cáo on 16/08/2021
    good_only = Person.objects.get(code="TTXTDL-002")  # HTTNV, no initiative
    completed = Person.objects.get(code="QLTDTT-002")  # HTNV in 2021
    data = issuing.DraftInput(
        agency=agency,
        issued_on=on,
        achievement_year=2021,
        signer_name="Nguyễn Khánh Tùng",
        signer_title="Giám đốc",
        summary=defaults["summary"],
        authority=defaults["authority"],
        achievement=defaults["achievement"],
        legal_bases=defaults["legal_bases"].splitlines(),
        awards=[
            AwardInput(form=form("LDTT"), person=warned),
            AwardInput(form=form("CSTDCS"), person=good_only),
            AwardInput(form=form("LDTT"), person=completed),
        ],
    )
    with pytest.raises(ValidationError) as refused:
        issuing.decision_issue(actor=persona("lan"), data=data, idempotency_key="story-key-01")
    first, second, third = refused.value.messages
    assert first.startswith(f"Row 1: “{warned.full_name}” does not meet the conditions of LĐTT")
    assert "disciplined with cảnh cáo in 2021" in first and "[UNVERIFIED]" in first
    assert second.startswith(f"Row 2: “{good_only.full_name}” does not meet the conditions")
    assert "0 initiative(s) recognised at cơ sở scope or above in 2021–2021" in second
    assert third.startswith(f"Row 3: “{completed.full_name}” does not meet")
    assert "rated HTNV in 2021, at least HTTNV required" in third
    assert not AwardDecision.objects.filter(issued_on=on).exists()
