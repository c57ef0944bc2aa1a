"""The evaluation through the API and on the person's and unit's pages, for whoever may see
the record; on the demo year."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from thidua.org.models import Person, Unit

pytestmark = pytest.mark.django_db


def test_the_api_gives_the_same_evaluation_as_the_command(login: Any) -> None:
    response = login("lan").get("/api/v1/eligibility/NHTD-004/2021?title=LDTT")
    assert response.status_code == 200, response.content
    [ldtt] = response.json()["titles"]
    assert ldtt["verdict"] == "not_met"
    discipline = next(c for c in ldtt["conditions"] if c["key"] == "discipline")
    assert discipline["unverified"] is True
    assert discipline["inputs"]["records"] == [["NHTD-004", "canh_cao", "2021-08-16"]]


def test_the_api_refuses_who_may_not_see_the_record_and_unknown_codes(
    login: Any, client: Any
) -> None:
    assert client.get("/api/v1/eligibility/NHTD-004/2021").status_code == 401
    assert login("mai").get("/api/v1/eligibility/NHTD-004/2021").status_code == 403
    assert login("lan").get("/api/v1/eligibility/NOPE/2021").status_code == 404
    bad = login("lan").get("/api/v1/eligibility/NHTD-004/2021?title=NOPE")
    assert bad.status_code == 422


def test_the_person_page_shows_this_years_eligibility_with_reasons(login: Any) -> None:
    person = Person.objects.get(code="NHTD-004")
    html = login("lan").get(reverse("person_detail", args=[person.pk])).content.decode()
    section = html[html.index('id="title-eligibility"') :]
    assert "Điều kiện xét tặng năm 2021" in section
    assert "bị kỷ luật cảnh cáo năm 2021" in section
    # Someone who may not see the record does not see the section.
    other = login("mai").get(reverse("person_detail", args=[person.pk])).content.decode()
    assert 'id="title-eligibility"' not in other


def test_the_unit_page_shows_the_units_titles(login: Any) -> None:
    unit = Unit.objects.get(code="NHTD")
    html = login("lan").get(reverse("unit_detail", args=[unit.pk])).content.decode()
    section = html[html.index('id="title-eligibility"') :]
    assert "TTLĐTT" in section
