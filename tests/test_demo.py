"""Loading the demo twice duplicates nothing and undoes nothing a user changed."""

from __future__ import annotations

from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.campaigns.models import BlockCycle, CycleStep
from thidua.covenants.models import Covenant, CovenantItem, Signature
from thidua.demo.loader import load_demo
from thidua.org.models import Person, StaffRating, Unit, User
from thidua.org.services.ratings import staff_rating_set

MODELS = (Unit, Person, StaffRating, User, Covenant, CovenantItem, Signature, CycleStep)


def test_loading_the_demo_again_changes_nothing(db):
    counts = {m.__name__: m.objects.count() for m in MODELS}
    states = dict(BlockCycle.objects.values_list("term__block__code", "state"))
    events = AuditEvent.objects.count()
    load_demo()
    assert {m.__name__: m.objects.count() for m in MODELS} == counts
    assert dict(BlockCycle.objects.values_list("term__block__code", "state")) == states
    assert AuditEvent.objects.count() == events


def test_the_demo_covenant_of_khoi_1_went_out_through_the_covenant_services(db):
    covenant = Covenant.objects.get(term__block__code="K1", term__year=2021)
    assert covenant.status == Covenant.Status.SIGNING
    assert covenant.cycle.state == "covenant_signing"
    signed = set(
        Signature.objects.filter(covenant=covenant, invalidated_at__isnull=True).values_list(
            "unit__code", flat=True
        )
    )
    assert signed == {"QLVHGD", "TTVH"}  # minh and hoa; tuan (QLDL) still has to sign
    assert AuditEvent.objects.filter(action=AuditAction.COVENANT_CIRCULATED).exists()
    assert not Covenant.objects.filter(term__block__code="K2").exists()


def test_loading_the_demo_again_keeps_a_rating_someone_changed(persona):
    person = Person.objects.get(code="QLDL-001")
    staff_rating_set(actor=persona("lan"), person=person, year=2021, rating="HTNV")
    load_demo()
    assert StaffRating.objects.get(person=person, year=2021).rating == "HTNV"


def test_demo_k1_waits_for_signatures_and_k2_for_its_draft(db):
    # Moved from tests/campaigns/test_cycle_service.py, which now runs on factories.
    def cycle(block: str) -> BlockCycle:
        return BlockCycle.objects.get(term__block__code=block, campaign__year=2021)

    assert cycle("K1").state == "covenant_signing"
    assert cycle("K2").state == "covenant_draft"
