"""`manage.py eligibility CODE YEAR`: the same evaluation for operators, as text or JSON, for
an agency and year other than the demo's."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.org.factories import make_person, make_unit
from tests.titles.factories import rate, rate_unit

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("eligibility", *args, stdout=out)
    return out.getvalue()


def test_a_person_as_json_lists_each_title_and_condition(later: None) -> None:
    person = make_person(unit=make_unit(parent=make_unit()), code="NV-TEST-1")
    rate(person, 2025, "HTNV")
    data = json.loads(run("NV-TEST-1", "2025", "--json"))
    assert data["subject"] == {"kind": "person", "code": "NV-TEST-1", "name": person.full_name}
    titles = {t["code"]: t for t in data["titles"]}
    ldtt = titles["LDTT"]
    assert ldtt["verdict"] == "not_met"
    [rating] = ldtt["conditions"]
    assert rating["rule"] == {"rating": "HTTNV"} and rating["inputs"]["rating"] == "HTNV"
    assert rating["legal_basis"] == "điểm a khoản 1 Điều 24 Luật Thi đua, khen thưởng 2022"
    # CSTĐCS: not LĐTT's standard, and no initiative in the register.
    assert titles["CSTDCS"]["verdict"] == "not_met"
    assert "TTLDTT" not in titles  # a collective title is not offered to a person


def test_a_unit_as_text_for_one_title(later: None) -> None:
    unit = make_unit(parent=make_unit(), code="PHONG-TEST")
    rate_unit(unit, 2025, "HTXSNV")
    text = run("PHONG-TEST", "2025", "--title", "TTLDTT")
    assert "TTLĐTT: Not met" in text or "TTLĐTT: Unknown" in text
    assert "no members on 31/12/2025 to count" in text


def test_an_unknown_code_is_refused() -> None:
    with pytest.raises(CommandError, match="No person or unit has the code “NOPE”"):
        run("NOPE", "2025")
