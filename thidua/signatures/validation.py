"""Validation of PDFs signed outside the system with a USB token (PAdES), through pyHanko.

Pure: bytes in, a `Report` out; nothing is read from or written to the database here. The
services decide what to keep. Every refusal carries a sentence for a person: officials see
it on the upload page, and it is what they quote when they call the secretariat.

What "valid" means here:
* the file is a PDF (by its content, not its name) and carries at least one signature;
* each signature is cryptographically intact (the signed bytes hash to the signed digest);
* nothing but allowed incremental updates (further signatures, timestamps, validation
  data, form filling) was appended after a signature: a changed page is reported;
* the signer's certificate chains to one of the configured trust roots
  (settings.THIDUA_TRUST_ROOTS) and was valid at the time the signature claims;
* when the issued PDF is known, the signed file is that PDF plus incremental updates: the
  original bytes are a prefix of every signed revision, so a signature on another PDF,
  however genuine, is refused.

Revocation is checked softly and without network access: a server in an agency network
usually cannot reach the CA's OCSP responder, and a refusal for that reason would block
every upload. The uploaded file is kept, so it can be re-checked with revocation later.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asn1crypto import pem, x509
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

CERT_SUFFIXES = (".pem", ".crt", ".cer", ".der")
# Updates a signer's tools legitimately append after signing: more signatures, document
# timestamps and revocation data (LTV), and filling in form fields.
_ALLOWED_LEVELS = ("NONE", "LTA_UPDATES", "FORM_FILLING")


@dataclass(frozen=True)
class TrustRoot:
    subject: str
    serial: str
    not_after: dt.datetime
    sha256: str
    file_name: str
    certificate: Any = field(repr=False, compare=False)


@dataclass
class SignatureCheck:
    """One signature of the file, as recorded and shown."""

    field_name: str
    signer_name: str = ""
    signer_subject: str = ""
    serial: str = ""
    issuer: str = ""
    signed_at: dt.datetime | None = None  # as the signer's software claims it
    timestamp_at: dt.datetime | None = None  # from a timestamp authority, if any
    covers_whole_file: bool = False
    intact: bool = False
    trusted: bool = False
    valid: bool = False
    reason: str = ""


@dataclass
class Report:
    sha256: str
    size: int
    is_pdf: bool = False
    signatures: list[SignatureCheck] = field(default_factory=list)
    reason: str = ""  # why the file is refused; empty when valid

    @property
    def valid(self) -> bool:
        return self.is_pdf and bool(self.signatures) and not self.reason

    @property
    def first_signer(self) -> SignatureCheck | None:
        return self.signatures[0] if self.signatures else None


def trust_roots_dir() -> Path:
    return Path(settings.THIDUA_TRUST_ROOTS)


def _certs_in(data: bytes) -> list[x509.Certificate]:
    if pem.detect(data):
        return [
            x509.Certificate.load(der)
            for kind, _headers, der in pem.unarmor(data, multiple=True)
            if kind == "CERTIFICATE"
        ]
    return [x509.Certificate.load(data)]


def load_trust_roots(directory: Path | None = None) -> list[TrustRoot]:
    """Every CA certificate (PEM or DER) in the trust-roots directory; a file that is not
    a certificate is logged and skipped so one stray file does not disable signing."""
    directory = directory or trust_roots_dir()
    roots: list[TrustRoot] = []
    if not directory.is_dir():
        return roots
    for path in sorted(directory.iterdir()):
        if path.suffix.lower() not in CERT_SUFFIXES or not path.is_file():
            continue
        try:
            certs = _certs_in(path.read_bytes())
            for cert in certs:
                cert.native  # noqa: B018 — parse fully now, not in the middle of validation
        except Exception:  # asn1crypto raises several types for garbage input
            logger.warning("Trust root %s is not a certificate; skipped", path)
            continue
        for cert in certs:
            roots.append(
                TrustRoot(
                    subject=cert.subject.human_friendly,
                    serial=format(cert.serial_number, "X"),
                    not_after=cert["tbs_certificate"]["validity"]["not_after"].native,
                    sha256=hashlib.sha256(cert.dump()).hexdigest(),
                    file_name=path.name,
                    certificate=cert,
                )
            )
    return roots


def _validation_context(roots: list[TrustRoot]) -> Any:
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(
        trust_roots=[root.certificate for root in roots],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )


def _common_name(name: x509.Name) -> str:
    native = name.native
    return str(native.get("common_name") or name.human_friendly)


def _within(cert: x509.Certificate, moment: dt.datetime) -> bool:
    validity = cert["tbs_certificate"]["validity"]
    return bool(validity["not_before"].native <= moment <= validity["not_after"].native)


def _describe(cert: x509.Certificate, check: SignatureCheck) -> None:
    check.signer_name = _common_name(cert.subject)
    check.signer_subject = cert.subject.human_friendly
    check.serial = format(cert.serial_number, "X")
    check.issuer = cert.issuer.human_friendly


def _judge(status: Any, embedded: Any, check: SignatureCheck) -> str:
    """The first reason, in the order a person needs it, or "" when the signature holds."""
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    check.intact = bool(status.intact and status.valid)
    check.covers_whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    check.trusted = bool(status.trusted)
    if not check.intact:
        return _(
            "The signature of %(signer)s does not match the file: it was changed after "
            "signing (tampered or damaged)."
        ) % {"signer": check.signer_name}
    if status.coverage not in (
        SignatureCoverageLevel.ENTIRE_FILE,
        SignatureCoverageLevel.ENTIRE_REVISION,
    ):
        return _("The signature of %(signer)s does not cover the document as a whole.") % {
            "signer": check.signer_name
        }
    level = status.modification_level
    if not check.covers_whole_file and (level is None or level.name not in _ALLOWED_LEVELS):
        return _(
            "The document was changed after %(signer)s signed it (content added or altered "
            "in a later revision)."
        ) % {"signer": check.signer_name}
    cert = embedded.signer_cert
    moment = check.timestamp_at or check.signed_at
    if moment is not None and not _within(cert, moment):
        validity = cert["tbs_certificate"]["validity"]
        return _(
            "The certificate of %(signer)s was not valid at the signing time %(at)s "
            "(valid from %(start)s to %(end)s)."
        ) % {
            "signer": check.signer_name,
            "at": f"{timezone.localtime(moment):%d/%m/%Y %H:%M}",
            "start": f"{validity['not_before'].native:%d/%m/%Y}",
            "end": f"{validity['not_after'].native:%d/%m/%Y}",
        }
    if not check.trusted:
        if status.revoked:
            return _("The certificate of %(signer)s has been revoked.") % {
                "signer": check.signer_name
            }
        if moment is None and not _within(cert, dt.datetime.now(dt.UTC)):
            return _("The certificate of %(signer)s is expired or not yet valid.") % {
                "signer": check.signer_name
            }
        return _(
            "The certificate of %(signer)s does not chain to a trusted root: it was issued "
            "by “%(issuer)s”, which is not among the configured trust roots."
        ) % {"signer": check.signer_name, "issuer": check.issuer}
    return ""


def _covers_original(embedded: Any, data: bytes, original: bytes) -> bool:
    """The signed revision starts with the original file, byte for byte: the signer added
    to the issued PDF (incremental update) rather than signing some other file."""
    byte_range = list(embedded.byte_range)
    signed_end = int(byte_range[2]) + int(byte_range[3])
    return signed_end >= len(original) and data[: len(original)] == original


def _check_one(embedded: Any, vc: Any, data: bytes, original: bytes | None) -> SignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature

    check = SignatureCheck(field_name=str(embedded.field_name))
    try:
        _describe(embedded.signer_cert, check)
        check.signed_at = embedded.self_reported_timestamp
        status = validate_pdf_signature(embedded, signer_validation_context=vc)
    except Exception as error:  # a malformed signature dictionary or CMS blob
        logger.info("Signature %s could not be validated: %r", check.field_name, error)
        check.reason = _("A signature in the file is malformed and cannot be checked.")
        return check
    if status.timestamp_validity is not None:
        check.timestamp_at = status.timestamp_validity.timestamp
    check.reason = _judge(status, embedded, check)
    if not check.reason and original is not None and not _covers_original(embedded, data, original):
        check.reason = _(
            "This is not the document that was issued: the signature of %(signer)s is on a "
            "different PDF."
        ) % {"signer": check.signer_name}
    check.valid = not check.reason
    return check


def validate_signed_pdf(
    data: bytes,
    *,
    original_pdf: bytes | None = None,
    trust_roots: list[TrustRoot] | None = None,
) -> Report:
    """Check `data` as a token-signed PDF; with `original_pdf`, also that it is that PDF
    signed. Never raises for bad input: the report says why it is refused."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    report = Report(sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    if data.lstrip(b"\r\n\t ")[:5] != b"%PDF-":
        report.reason = _("The file is not a PDF.")
        return report
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        logger.info("Unreadable PDF upload: %r", error)
        report.reason = _("The file is damaged and cannot be read as a PDF.")
        return report
    report.is_pdf = True
    if not embedded:
        report.reason = _("The file carries no digital signature.")
        return report
    if original_pdf is not None and data == original_pdf:
        report.reason = _("The file carries no digital signature.")
        return report
    roots = load_trust_roots() if trust_roots is None else trust_roots
    vc = _validation_context(roots)
    report.signatures = [_check_one(sig, vc, data, original_pdf) for sig in embedded]
    if not roots and report.signatures:
        report.reason = _(
            "No trust roots are configured on the server, so no signature can be trusted. "
            "Ask the administrator to install the national root CA."
        )
        for check in report.signatures:
            check.valid = False
            check.reason = check.reason or report.reason
        return report
    first_bad = next((c for c in report.signatures if c.reason), None)
    if first_bad is not None:
        report.reason = first_bad.reason
    return report
