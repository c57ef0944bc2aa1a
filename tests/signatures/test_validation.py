"""validate_signed_pdf against a real PKI built for the test and PDFs signed by pyHanko."""

from __future__ import annotations

import datetime as dt

from thidua.signatures.validation import load_trust_roots, validate_signed_pdf

from .pki import (
    Pki,
    change_page_after_signing,
    flip_byte_in_signed_range,
    minimal_pdf,
    sign_pdf,
)


def test_a_trusted_signature_on_the_issued_pdf_is_valid(signed, original):
    report = validate_signed_pdf(signed, original_pdf=original)
    assert report.valid, report.reason
    check = report.first_signer
    assert check is not None
    assert check.signer_name == "Nguyễn Văn Minh"
    assert "Test Licensed CA" in check.issuer
    assert check.serial and check.intact and check.trusted and check.covers_whole_file
    assert check.signed_at is not None
    assert abs(check.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(hours=1)


def test_an_unsigned_pdf_is_refused(original):
    report = validate_signed_pdf(original)
    assert not report.valid and report.is_pdf
    assert report.reason == "The file carries no digital signature."


def test_a_file_that_is_not_a_pdf_is_refused_by_its_content():
    report = validate_signed_pdf(b"PK\x03\x04 a docx renamed to .pdf")
    assert not report.valid and report.reason == "The file is not a PDF."


def test_a_byte_changed_inside_the_signed_range_is_refused_as_tampered(signed):
    report = validate_signed_pdf(flip_byte_in_signed_range(signed))
    assert not report.valid
    assert "changed after signing" in report.reason
    assert report.first_signer is not None and not report.first_signer.intact


def test_a_certificate_from_an_unknown_root_is_refused_naming_the_issuer(original, pki: Pki):
    report = validate_signed_pdf(sign_pdf(original, pki.stranger))
    assert not report.valid
    assert "does not chain to a trusted root" in report.reason
    assert "Unknown Root CA" in report.reason
    assert report.first_signer is not None and report.first_signer.intact
    assert not report.first_signer.trusted


def test_an_expired_certificate_is_refused(original, pki: Pki):
    report = validate_signed_pdf(sign_pdf(original, pki.expired))
    assert not report.valid
    assert "was not valid at the signing time" in report.reason


def test_a_genuine_signature_on_another_pdf_is_not_the_issued_document(original, pki: Pki):
    other = sign_pdf(minimal_pdf("Other text"), pki.official)
    assert validate_signed_pdf(other).valid  # fine on its own...
    report = validate_signed_pdf(other, original_pdf=original)
    assert not report.valid  # ...but not a signature on the issued PDF
    assert report.reason.startswith("This is not the document that was issued")


def test_content_added_after_signing_is_reported(signed, original):
    report = validate_signed_pdf(change_page_after_signing(signed), original_pdf=original)
    assert not report.valid
    assert "changed after Nguyễn Văn Minh signed it" in report.reason
    assert report.first_signer is not None and not report.first_signer.covers_whole_file


def test_a_second_signature_appended_keeps_both_valid(signed, original, pki: Pki):
    report = validate_signed_pdf(
        sign_pdf(signed, pki.official, field_name="Signature2"), original_pdf=original
    )
    assert report.valid, report.reason
    assert len(report.signatures) == 2
    assert not report.signatures[0].covers_whole_file  # a later signature followed it


def test_without_configured_roots_nothing_is_trusted(signed, settings, tmp_path):
    settings.THIDUA_TRUST_ROOTS = tmp_path / "empty"
    report = validate_signed_pdf(signed)
    assert not report.valid
    assert "No trust roots are configured" in report.reason


def test_trust_roots_are_read_from_pem_and_der_and_junk_is_skipped(settings, pki: Pki):
    from cryptography.hazmat.primitives import serialization

    directory = settings.THIDUA_TRUST_ROOTS
    (directory / "other.cer").write_bytes(
        pki.other_root.cert.public_bytes(serialization.Encoding.DER)
    )
    (directory / "broken.crt").write_bytes(b"not a certificate")
    (directory / "README.txt").write_text("ignored")
    subjects = sorted(root.subject for root in load_trust_roots())
    assert len(subjects) == 2
    assert "Test Root CA" in subjects[0] and "Unknown Root CA" in subjects[1]
