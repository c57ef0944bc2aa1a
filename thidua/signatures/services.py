"""The write path of token-signed PDFs: validate, keep the file and the result, audit.

`keep_signed_pdf` is the shared step (the covenant's token signing calls it after its own
checks); `document_signed_copy_upload` is the issued-document flow with its authorisation.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.documents.models import IssuedDocument
from thidua.lib import files
from thidua.lib.files import Area
from thidua.org.models import User
from thidua.org.permissions import Action, Actor, authorize

from .models import PdfSignature, SignedPdf
from .validation import Report, validate_signed_pdf


def check_size(data: bytes) -> None:
    if len(data) > settings.SIGNED_PDF_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)s MB.")
                % {"mb": settings.SIGNED_PDF_MAX_BYTES // (1024 * 1024)}
            }
        )


def _write(purpose: str, sha256: str, data: bytes) -> str:
    """Content-addressed, written durably; the same file uploaded twice is one file."""
    return files.keep(Area.SIGNED_PDFS, data, "pdf", folder=purpose).name


def read_signed_pdf(signed: SignedPdf) -> bytes:
    return files.read(Area.SIGNED_PDFS, signed.file_path)


def keep_signed_pdf(
    *,
    actor: User,
    data: bytes,
    file_name: str,
    report: Report,
    purpose: str,
    document: IssuedDocument | None = None,
    original_sha256: str = "",
) -> SignedPdf:
    """Store the file and what was found in it. The caller has authorised and decided that
    the report is worth keeping (a PDF with at least one signature)."""
    signed = SignedPdf.objects.create(
        purpose=purpose,
        document=document,
        file_path=_write(purpose, report.sha256, data),
        file_name=file_name[:255],
        sha256=report.sha256,
        size=report.size,
        original_sha256=original_sha256,
        is_valid=report.valid,
        reason=report.reason,
        uploaded_by=actor,
    )
    PdfSignature.objects.bulk_create(
        PdfSignature(
            signed_pdf=signed,
            order=order,
            field_name=check.field_name[:200],
            signer_name=check.signer_name[:300],
            signer_subject=check.signer_subject,
            serial=check.serial[:100],
            issuer=check.issuer,
            signed_at=check.signed_at,
            timestamp_at=check.timestamp_at,
            covers_whole_file=check.covers_whole_file,
            intact=check.intact,
            trusted=check.trusted,
            is_valid=check.valid,
            reason=check.reason,
        )
        for order, check in enumerate(report.signatures, start=1)
    )
    return signed


def issued_pdf(document: IssuedDocument) -> bytes | None:
    return files.read_if_exists(Area.DOCUMENTS, document.pdf_path)


@files.removed_on_failure()
@transaction.atomic
def document_signed_copy_upload(
    *, actor: Actor, document: IssuedDocument, data: bytes, file_name: str
) -> SignedPdf:
    """Whoever may issue the document uploads the copy the official signed with a token.

    A file that is not a signed PDF is refused and not kept. A signed PDF is kept with its
    result, valid or not, so the secretariat can see what was tried and why it failed; only
    a valid one counts as the signed copy on file. The same file twice is recorded once.
    """
    document = (
        IssuedDocument.objects.select_for_update()
        .select_related("issuer__unit")
        .get(pk=document.pk)
    )
    authorize(actor, Action.DOCUMENT_ISSUE, document.issuer.unit)
    if not isinstance(actor, User):
        raise ValidationError(_("Sign in to do this."))
    check_size(data)
    sha256 = hashlib.sha256(data).hexdigest()
    existing = SignedPdf.objects.filter(document=document, sha256=sha256).first()
    if existing is not None:
        return existing
    original = issued_pdf(document)
    report = validate_signed_pdf(data, original_pdf=original)
    if not report.signatures:
        raise ValidationError({"file": report.reason})
    signed = keep_signed_pdf(
        actor=actor,
        data=data,
        file_name=file_name,
        report=report,
        purpose=SignedPdf.Purpose.DOCUMENT,
        document=document,
        original_sha256=document.pdf_sha256 if original is not None else "",
    )
    first = report.signatures[0]
    record(
        actor=actor,
        action=AuditAction.SIGNATURES_DOCUMENT_SIGNED_COPY,
        obj=document,
        after={
            "sha256": signed.sha256,
            "valid": signed.is_valid,
            "signer": first.signer_name,
            "serial": first.serial,
            "signed_at": first.signed_at.isoformat() if first.signed_at else None,
        },
        extra={"reason": signed.reason},
    )
    return signed
