"""The council's list of overrides and the chair's form, on the demo year: the secretariat
reads the list, only the chair records, a short reason is refused next to the field."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from thidua.awards.models import AwardForm
from thidua.org.models import CouncilMember, CouncilRole, Person, Unit
from thidua.titles.models import Override

pytestmark = pytest.mark.django_db


def chair_username() -> str:
    seat = CouncilMember.objects.filter(role=CouncilRole.CHAIR).select_related("person").first()
    assert seat is not None
    return seat.person.user.username


def test_the_chair_records_an_override_and_the_council_reads_it(login: Any) -> None:
    agency = Unit.objects.get(code="SVHTTDL")
    url = reverse("titles:override_new", args=[agency.pk])
    assert login("lan").get(url).status_code == 403  # the secretariat drafts, not justifies
    chair = login(chair_username())
    post = {
        "year": "2021",
        "title": str(AwardForm.objects.get(code="LDTT").pk),
        "person_code": "NHTD-004",
        "reason": "ngắn",
    }
    refused = chair.post(url, post)
    assert refused.status_code == 400 and not Override.objects.exists()
    post["reason"] = "Kỷ luật đã được xóa theo quyết định của cấp trên, có văn bản kèm theo."
    done = chair.post(url, post)
    assert done.status_code == 302
    row = Override.objects.get()
    assert row.person == Person.objects.get(code="NHTD-004") and row.failing
    listing = login("lan").get(reverse("titles:overrides", args=[agency.pk]) + "?year=2021")
    html = listing.content.decode()
    assert "Kỷ luật đã được xóa" in html and "NHTD-004" in html
    assert login("mai").get(reverse("titles:overrides", args=[agency.pk])).status_code == 403
