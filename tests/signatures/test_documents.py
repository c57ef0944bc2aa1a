"""An issued document's token-signed copy: uploaded, validated, kept, and visible."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.documents.helpers import DAY
from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.documents import services as documents
from thidua.documents.models import IssuedDocument
from thidua.org.demo_issuers import ensure_demo_issuers
from thidua.signatures import services
from thidua.signatures.models import SignedPdf

from .pki import Pki, change_page_after_signing, flip_byte_in_signed_range, minimal_pdf, sign_pdf


@pytest.fixture
def document(persona, original) -> IssuedDocument:
    """An issued plan whose PDF is `original`, issued by the department (SVHTTDL)."""
    issuer = {b.symbol: b for b in ensure_demo_issuers()}["SVHTTDL"]
    return documents.document_issue(
        actor=persona("lan"),
        issuer=issuer,
        doc_type_code="KH",
        issued_on=DAY,
        summary="Tổ chức phong trào thi đua năm 2021",
        signer_name="Nguyễn Văn Minh",
        signer_title="Giám đốc",
        idempotency_key=uuid.uuid4().hex,
        render=lambda context: (b"DOCX", original),
    )


def vi(text: str) -> str:
    """Pages are in Vietnamese (LANGUAGE_CODE, no locale middleware), whatever the test's
    language; this is the string they show, translated or not yet."""
    with translation.override("vi"):
        return gettext(text)


def upload(client: Any, document: IssuedDocument, data: bytes, name: str = "signed.pdf") -> Any:
    return client.post(
        reverse("signatures_document", args=[document.pk]),
        {"file": SimpleUploadedFile(name, data, content_type="application/pdf")},
    )


def test_a_valid_signed_copy_is_kept_and_shown(login, document, signed, data_dir):
    client = login("lan")
    response = upload(client, document, signed)
    assert response.status_code == 302
    kept = SignedPdf.objects.get(document=document)
    assert kept.is_valid and kept.reason == ""
    assert kept.original_sha256 == document.pdf_sha256
    assert (data_dir / "signed-pdfs" / kept.file_path).read_bytes() == signed
    signature = kept.signatures.get()
    assert signature.signer_name == "Nguyễn Văn Minh" and signature.trusted
    assert signature.signed_at is not None
    page = client.get(response.url).content.decode()
    assert vi("The signed copy was validated and recorded.") in page
    assert vi("signed copy on file") in page and "Nguyễn Văn Minh" in page
    assert AuditEvent.objects.filter(action=AuditAction.SIGNATURES_DOCUMENT_SIGNED_COPY).exists()
    # the same file again is the same record
    assert upload(client, document, signed).status_code == 302
    assert SignedPdf.objects.filter(document=document).count() == 1


def test_an_unsigned_file_is_refused_and_not_kept(login, document, original):
    response = upload(login("lan"), document, original)
    assert response.status_code == 400
    assert vi("The file carries no digital signature.") in response.content.decode()
    assert not SignedPdf.objects.exists()


def test_a_tampered_copy_is_kept_as_refused_with_its_reason(login, document, signed):
    client = login("lan")
    response = upload(client, document, flip_byte_in_signed_range(signed))
    kept = SignedPdf.objects.get(document=document)
    assert not kept.is_valid and kept.reason
    assert kept.signatures.get().intact is False
    page = client.get(response.url).content.decode()
    assert kept.reason in page and vi("refused") in page


def test_a_signature_on_another_pdf_is_not_the_issued_document(persona, document, pki: Pki):
    other = sign_pdf(minimal_pdf("Other text"), pki.official)
    kept = services.document_signed_copy_upload(
        actor=persona("lan"), document=document, data=other, file_name="x.pdf"
    )
    assert not kept.is_valid
    assert kept.reason.startswith("This is not the document that was issued")


def test_an_untrusted_signer_and_a_later_change_are_both_refused(
    persona, document, original, signed, pki: Pki
):
    lan = persona("lan")
    stranger = services.document_signed_copy_upload(
        actor=lan, document=document, data=sign_pdf(original, pki.stranger), file_name="a.pdf"
    )
    assert not stranger.is_valid and "Unknown Root CA" in stranger.reason
    changed = services.document_signed_copy_upload(
        actor=lan, document=document, data=change_page_after_signing(signed), file_name="b.pdf"
    )
    assert not changed.is_valid and "changed after" in changed.reason


@pytest.mark.parametrize("who", ["minh", "tuan", "mai"])
def test_only_who_may_issue_uploads(login, persona, document, signed, who):
    assert upload(login(who), document, signed).status_code == 403
    with pytest.raises(PermissionDenied):
        services.document_signed_copy_upload(
            actor=persona(who), document=document, data=signed, file_name="s.pdf"
        )
    assert not SignedPdf.objects.exists()


def test_the_public_verify_page_says_whether_a_signed_copy_is_on_file(
    client, persona, document, signed
):
    url = reverse("document_verify", args=[document.verification_code])
    page = client.get(url).content.decode()
    assert vi("No digitally signed copy has been recorded.") in page
    kept = services.document_signed_copy_upload(
        actor=persona("lan"), document=document, data=signed, file_name="s.pdf"
    )
    page = client.get(url).content.decode()
    assert vi("signed copy on file") in page and kept.sha256 in page
    # leak-free: nothing about the certificate or the stored file
    signature = kept.signatures.get()
    assert signature.serial not in page and kept.file_path not in page
    assert reverse("signatures_file", args=[kept.pk]) not in page


def test_an_oversized_file_is_refused(persona, document, signed, settings):
    settings.SIGNED_PDF_MAX_BYTES = 100
    with pytest.raises(ValidationError):
        services.document_signed_copy_upload(
            actor=persona("lan"), document=document, data=signed, file_name="s.pdf"
        )


def test_the_stored_copy_is_downloadable_only_by_who_may_issue(login, persona, document, signed):
    kept = services.document_signed_copy_upload(
        actor=persona("lan"), document=document, data=signed, file_name="ky-so.pdf"
    )
    url = reverse("signatures_file", args=[kept.pk])
    response = login("lan").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == signed
    assert login("tuan").get(url).status_code == 403


def test_the_trust_roots_page_lists_the_roots_for_admin_and_secretariat(login, settings):
    url = reverse("signatures_trust_roots")
    page = login("lan").get(url).content.decode()
    assert "Test Root CA" in page
    assert login("tuan").get(url).status_code == 403
    settings.THIDUA_TRUST_ROOTS = settings.DATA_DIR / "none"
    page = login("khoa").get(url).content.decode()
    assert 'id="no-trust-roots"' in page
