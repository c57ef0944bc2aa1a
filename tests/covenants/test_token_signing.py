"""Signing the covenant with a USB token: the frozen PDF of the revision, signed outside the
system and uploaded back, validated against it and the trust roots.

The PDF conversion is replaced by a small hand-made PDF per text (LibreOffice takes seconds
and is tested once, at the end, with the real template)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tests.signatures.pki import (
    Pki,
    build_pki,
    change_page_after_signing,
    flip_byte_in_signed_range,
    minimal_pdf,
    sign_pdf,
)
from thidua.covenants import files, services
from thidua.covenants.models import Covenant, CovenantRevision, Signature
from thidua.signatures.models import SignedPdf

from .helpers import PASSWORD, cycle, fresh, heads


@pytest.fixture(scope="module")
def pki() -> Pki:
    return build_pki()


@pytest.fixture(autouse=True)
def _trust_roots(settings, tmp_path, pki) -> None:  # type: ignore[no-untyped-def]
    settings.THIDUA_TRUST_ROOTS = tmp_path / "trust-roots"
    pki.install_roots(settings.THIDUA_TRUST_ROOTS)


@pytest.fixture
def fake_files(monkeypatch) -> list[bytes]:  # type: ignore[no-untyped-def]
    """DOCX = the text hash; PDF = a one-page PDF printing it. Returns the conversions."""
    conversions: list[bytes] = []

    def render(covenant: Covenant) -> bytes:
        return b"DOCX " + services.covenant_text_hash(covenant).encode()

    def convert(docx: bytes, *, archive: bool = False, timeout: float | None = None) -> bytes:
        conversions.append(docx)
        return minimal_pdf(docx[5:21].decode())

    monkeypatch.setattr(files, "render_docx", render)
    monkeypatch.setattr("thidua.documents.pdf.docx_to_pdf", convert)
    monkeypatch.setattr("thidua.covenants.views.pdf_available", lambda: (True, ""))
    return conversions


def unit_of(covenant: Covenant, code: str) -> Any:
    return covenant.term.memberships.get(unit__code=code).unit


def circulated(persona: Any) -> tuple[Covenant, dict[str, Any]]:
    signers = heads("K1", PASSWORD)
    minh = persona("minh")
    covenant = services.covenant_start(actor=minh, cycle=cycle("K1"))
    services.covenant_circulate(actor=minh, covenant=covenant)
    return fresh(covenant), signers


def upload(client: Any, covenant: Covenant, unit: Any, data: bytes) -> Any:
    return client.post(
        reverse("covenant_sign_token", args=[covenant.pk]),
        {"unit": unit.pk, "file": SimpleUploadedFile("ky.pdf", data, "application/pdf")},
    )


def test_a_member_head_signs_with_a_token_from_download_to_acceptance(
    persona, client, fake_files, pki: Pki, tmp_path: Path
):
    covenant, signers = circulated(persona)
    frozen = CovenantRevision.objects.get(covenant=covenant, revision=1)
    assert frozen.text_hash == covenant.text_hash and frozen.docx_sha256
    assert (tmp_path / "covenants" / frozen.docx_path).is_file()

    tuan = signers["QLDL"]
    client.force_login(tuan)
    detail = client.get(reverse("covenant_detail", args=[covenant.pk])).content.decode()
    assert reverse("covenant_sign_token", args=[covenant.pk]) in detail
    pdf = client.get(reverse("covenant_file", args=[covenant.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # the second download is the same stored file, not a new conversion
    assert client.get(reverse("covenant_file", args=[covenant.pk, "pdf"])).content == pdf.content
    assert len(fake_files) == 1
    frozen.refresh_from_db()
    assert frozen.pdf_sha256 == hashlib.sha256(pdf.content).hexdigest()
    docx = client.get(reverse("covenant_file", args=[covenant.pk, "docx"]))
    assert docx.content.startswith(b"DOCX ")

    response = upload(
        client, covenant, unit_of(covenant, "QLDL"), sign_pdf(pdf.content, pki.official)
    )
    assert response.status_code == 302, response.content.decode()
    signature = Signature.objects.get(covenant=covenant, unit__code="QLDL")
    assert signature.method == Signature.Method.TOKEN and signature.signer == tuan
    assert signature.revision == 1 and signature.ip_address == "127.0.0.1"
    kept = signature.signed_pdf
    assert kept is not None and kept.is_valid and kept.original_sha256 == frozen.pdf_sha256
    assert kept.signatures.get().signer_name == "Nguyễn Văn Minh"
    detail = client.get(reverse("covenant_detail", args=[covenant.pk])).content.decode()
    with translation.override("vi"):  # the pages' language
        method = str(Signature.Method.TOKEN.label)
    assert method in detail and "Nguyễn Văn Minh" in detail
    stored = client.get(reverse("covenant_signed_file", args=[covenant.pk, signature.pk]))
    assert stored.status_code == 200 and stored.content == files_bytes(kept)

    for code, user in signers.items():
        if code != "QLDL":
            services.covenant_sign(
                actor=user, covenant=covenant, unit=unit_of(covenant, code), password=PASSWORD
            )
    services.covenant_submit(actor=persona("minh"), covenant=covenant)
    services.covenant_accept(actor=persona("lan"), covenant=covenant)
    assert fresh(covenant).status == Covenant.Status.ACCEPTED
    # the accepted covenant keeps its frozen PDF; a correction gets its own
    correction = services.covenant_correct(actor=persona("minh"), covenant=covenant)
    services.covenant_circulate(actor=persona("minh"), covenant=correction)
    assert CovenantRevision.objects.filter(covenant=correction, revision=1).exists()
    files.revision_pdf(fresh(correction))
    frozen_again = CovenantRevision.objects.get(pk=frozen.pk)
    assert frozen_again.pdf_sha256 == frozen.pdf_sha256
    assert files.read(frozen_again.pdf_path) == pdf.content
    assert client.get(reverse("covenant_file", args=[covenant.pk, "pdf"])).content == pdf.content


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda pdf, pki: pdf, "The file carries no digital signature."),
        (lambda pdf, pki: b"not a pdf", "The file is not a PDF."),
        (
            lambda pdf, pki: flip_byte_in_signed_range(sign_pdf(pdf, pki.official), b"BT"),
            "changed after signing",
        ),
        (lambda pdf, pki: sign_pdf(pdf, pki.stranger), "Unknown Root CA"),
        (lambda pdf, pki: sign_pdf(pdf, pki.expired), "was not valid at the signing time"),
        (
            lambda pdf, pki: sign_pdf(minimal_pdf("another text"), pki.official),
            "This is not the document that was issued",
        ),
        (
            lambda pdf, pki: change_page_after_signing(sign_pdf(pdf, pki.official)),
            "changed after Nguyễn Văn Minh signed it",
        ),
    ],
    ids=["unsigned", "not-pdf", "tampered", "untrusted", "expired", "other-pdf", "changed"],
)
def test_a_bad_file_signs_nothing_and_says_why(persona, fake_files, pki, make, reason):
    covenant, signers = circulated(persona)
    _, pdf = files.revision_pdf(covenant)
    with pytest.raises(ValidationError) as refused:
        services.covenant_sign_token(
            actor=signers["QLDL"],
            covenant=covenant,
            unit=unit_of(covenant, "QLDL"),
            data=make(pdf, pki),
        )
    assert reason in " ".join(refused.value.messages)
    assert not Signature.objects.filter(covenant=covenant, unit__code="QLDL").exists()
    assert not SignedPdf.objects.exists()


def test_a_file_signed_on_an_older_revision_is_refused_and_a_changed_text_invalidates(
    persona, fake_files, pki: Pki
):
    covenant, signers = circulated(persona)
    tuan, hoa, minh = signers["QLDL"], signers["TTVH"], persona("minh")
    _, first_pdf = files.revision_pdf(covenant)
    signed_first = sign_pdf(first_pdf, pki.official)
    token = services.covenant_sign_token(
        actor=tuan, covenant=covenant, unit=unit_of(covenant, "QLDL"), data=signed_first
    )
    # the same upload twice is one signature
    again = services.covenant_sign_token(
        actor=tuan, covenant=covenant, unit=unit_of(covenant, "QLDL"), data=signed_first
    )
    assert again.pk == token.pk

    services.covenant_return(
        actor=hoa, covenant=covenant, unit=unit_of(covenant, "TTVH"), reason="Sửa chỉ tiêu"
    )
    item = covenant.items.order_by("order").first()
    services.covenant_update(
        actor=minh, covenant=covenant, commitments="Cam kết mới", targets={item.pk: "Mới"}
    )
    services.covenant_circulate(actor=minh, covenant=covenant)
    covenant = fresh(covenant)
    assert covenant.revision == 2
    token.refresh_from_db()
    assert not token.is_valid and "revision 2" in token.invalidated_note

    with pytest.raises(ValidationError) as refused:
        services.covenant_sign_token(
            actor=tuan, covenant=covenant, unit=unit_of(covenant, "QLDL"), data=signed_first
        )
    message = " ".join(refused.value.messages)
    assert "signs revision 1 of the covenant" in message and "revision 2" in message

    _, second_pdf = files.revision_pdf(covenant)
    assert second_pdf != first_pdf
    fresh_token = services.covenant_sign_token(
        actor=tuan,
        covenant=covenant,
        unit=unit_of(covenant, "QLDL"),
        data=sign_pdf(second_pdf, pki.official),
    )
    assert fresh_token.is_valid and fresh_token.revision == 2


def test_a_member_cannot_upload_for_another_unit(persona, login, fake_files, pki: Pki):
    covenant, signers = circulated(persona)
    _, pdf = files.revision_pdf(covenant)
    signed = sign_pdf(pdf, pki.official)
    with pytest.raises(PermissionDenied):
        services.covenant_sign_token(
            actor=signers["QLDL"], covenant=covenant, unit=unit_of(covenant, "TTVH"), data=signed
        )
    client = login("tuan")
    response = upload(client, covenant, unit_of(covenant, "TTVH"), signed)
    assert response.status_code == 400  # not among the choices offered to tuan
    assert not Signature.objects.filter(covenant=covenant, unit__code="TTVH").exists()
    assert login("lan").get(reverse("covenant_sign_token", args=[covenant.pk])).status_code == 403


def test_without_libreoffice_only_the_password_signature_is_offered(
    persona, login, monkeypatch, settings
):
    settings.SOFFICE_PATH = "/nonexistent/soffice"
    monkeypatch.setattr(files, "render_docx", lambda covenant: b"DOCX")
    covenant, signers = circulated(persona)
    page = login("tuan").get(reverse("covenant_sign_token", args=[covenant.pk]))
    assert 'id="pdf-unavailable"' in page.content.decode()
    with pytest.raises(ValidationError) as refused:
        services.covenant_sign_token(
            actor=signers["QLDL"], covenant=covenant, unit=unit_of(covenant, "QLDL"), data=b"%PDF"
        )
    assert "Sign in the system instead" in " ".join(refused.value.messages)
    services.covenant_sign(
        actor=signers["QLDL"], covenant=covenant, unit=unit_of(covenant, "QLDL"), password=PASSWORD
    )


def test_circulation_without_the_template_still_works(persona, monkeypatch):
    def broken(covenant: Covenant) -> bytes:
        raise FileNotFoundError("giao_uoc.docx")

    monkeypatch.setattr(files, "render_docx", broken)
    covenant, _ = circulated(persona)
    assert covenant.status == Covenant.Status.SIGNING
    frozen = CovenantRevision.objects.get(covenant=covenant)
    assert frozen.docx_path == "" and "could not be rendered" in frozen.error


def files_bytes(kept: SignedPdf) -> bytes:
    from thidua.signatures.services import read_signed_pdf

    return read_signed_pdf(kept)


def test_the_real_template_and_libreoffice_make_a_signable_frozen_pdf(persona, pki: Pki):
    """One real conversion: the giao_uoc.docx template, LibreOffice's PDF/A, a token
    signature appended to it, validated against it."""
    covenant, signers = circulated(persona)
    frozen = CovenantRevision.objects.get(covenant=covenant)
    assert frozen.docx_path and not frozen.error
    row, pdf = files.revision_pdf(covenant)
    assert pdf.startswith(b"%PDF-") and row.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    signature = services.covenant_sign_token(
        actor=signers["QLDL"],
        covenant=covenant,
        unit=unit_of(covenant, "QLDL"),
        data=sign_pdf(pdf, pki.official),
    )
    assert signature.signed_pdf is not None and signature.signed_pdf.is_valid
