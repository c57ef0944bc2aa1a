"""The person pages: who may see a person's ratings."""

from __future__ import annotations

from thidua.org.models import Person


def test_person_ratings_are_hidden_from_other_units_staff(login):
    person = Person.objects.get(code="NHTD-001")
    html = login("mai").get(f"/person/{person.pk}/".replace("/person/", "/org/people/")).content
    assert "HTTNV" not in html.decode() and "HTXSNV" not in html.decode()
    html = login("lan").get(f"/org/people/{person.pk}/").content.decode()
    assert "Xếp loại" in html
