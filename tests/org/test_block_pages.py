"""The block pages: the block term form."""

from __future__ import annotations

from thidua.audit.models import AuditEvent
from thidua.org.models import BlockTerm, Unit


def test_block_term_form_refuses_a_leader_outside_the_block_next_to_the_field(login):
    client = login("lan")
    term = BlockTerm.objects.get(year=2021, block__code="K1")
    members = [m.unit_id for m in term.memberships.all()]
    outsider = Unit.objects.get(code="TVIEN")
    events = AuditEvent.objects.count()
    response = client.post(
        f"/blocks/terms/{term.pk}/edit/",
        {"members": members, "leader": outsider.pk, "deputy": term.deputy_id},
    )
    assert response.status_code == 400
    assert "phải là thành viên của khối" in response.content.decode()
    assert BlockTerm.objects.get(pk=term.pk).leader_id == term.leader_id
    assert AuditEvent.objects.count() == events
