"""The admin edits the catalogue through the services and shows issued documents read-only."""

from __future__ import annotations

import pytest

from tests.documents.helpers import issue
from tests.org.helpers import events_after, last_seq
from thidua.audit.actions import AuditAction
from thidua.documents.models import DocumentType, IssuingBody
from thidua.org.demo_issuers import ensure_demo_issuers
from thidua.org.models import Unit


@pytest.fixture
def admin_client(login):
    return login("khoa")


@pytest.mark.parametrize(
    "url",
    [
        "/admin/documents/documenttype/",
        "/admin/documents/issuingbody/",
        "/admin/documents/issueddocument/",
        "/admin/documents/numbercounter/",
        "/admin/documents/issuingbody/add/",
    ],
)
def test_the_admin_pages_open(admin_client, url):
    ensure_demo_issuers()
    assert admin_client.get(url).status_code == 200


def test_an_issuing_body_added_in_the_admin_is_saved_through_the_service(admin_client):
    unit = Unit.objects.get(code="SVHTTDL")
    IssuingBody.objects.filter(unit=unit).delete()  # the demo already set it up
    seq = last_seq()
    response = admin_client.post(
        "/admin/documents/issuingbody/add/",
        {
            "unit": unit.pk,
            "symbol": "SVHTTDL",
            "place": "Cần Thơ",
            "printed_name": "",
            "governing_body_name": "",
        },
    )
    assert response.status_code == 302
    assert IssuingBody.objects.get(unit=unit).symbol == "SVHTTDL"
    assert [e.action for e in events_after(seq)] == [AuditAction.DOCUMENT_ISSUER_SAVED]


def test_a_document_type_changed_in_the_admin_is_audited(admin_client):
    doc_type = DocumentType.objects.get(code="GK")
    seq = last_seq()
    response = admin_client.post(
        f"/admin/documents/documenttype/{doc_type.pk}/change/",
        {
            "code": "GK",
            "name": "Giấy khen",
            "is_nd30_type": "",
            "legal_basis": doc_type.legal_basis,
            "order": 60,
        },
    )
    assert response.status_code == 302
    assert DocumentType.objects.get(pk=doc_type.pk).is_numbered is False
    [event] = events_after(seq)
    assert event.action == AuditAction.DOCUMENT_TYPE_SAVED
    assert event.data["before"]["is_numbered"] is True


def test_issued_documents_cannot_be_changed_or_deleted_in_the_admin(admin_client, persona):
    body = {b.symbol: b for b in ensure_demo_issuers()}["SVHTTDL"]
    document = issue(persona("lan"), body)
    url = f"/admin/documents/issueddocument/{document.pk}/"
    assert admin_client.get(url + "change/").status_code == 200  # view only
    assert admin_client.post(url + "delete/").status_code == 403
    assert admin_client.post(url + "change/", {"summary": "sửa"}).status_code == 403
