"""Loading the demo twice duplicates nothing and undoes nothing a user changed."""

from __future__ import annotations

from thidua.audit.models import AuditEvent
from thidua.org import services
from thidua.org.demo import load_demo
from thidua.org.models import Person, StaffRating, Unit, User


def test_loading_the_demo_again_changes_nothing(db):
    counts = {m.__name__: m.objects.count() for m in (Unit, Person, StaffRating, User)}
    events = AuditEvent.objects.count()
    load_demo()
    assert {m.__name__: m.objects.count() for m in (Unit, Person, StaffRating, User)} == counts
    assert AuditEvent.objects.count() == events


def test_loading_the_demo_again_keeps_a_rating_someone_changed(persona):
    person = Person.objects.get(code="QLDL-001")
    services.staff_rating_set(actor=persona("lan"), person=person, year=2021, rating="HTNV")
    load_demo()
    assert StaffRating.objects.get(person=person, year=2021).rating == "HTNV"
