"""The archival PDF of an issued document, made after the issue by a background task:
recorded when ready, given up with a reason, queued again on request."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.lib.files import sha256_hex

from .. import pdf as pdf_tools
from ..models import IssuedDocument, PdfStatus
from ..permissions import Actor, Permission, authorize
from .issuing import remove_files, store_file


def document_pdf_retry(*, actor: Actor, document: IssuedDocument) -> bool:
    """Queue the PDF of an issued document again after it failed (or was never made). True
    when queued by this call; False when it is already queued, being made or ready, so a
    double click queues it once."""
    authorize(actor, Permission.ISSUE, document.issuer.unit)
    if not document.docx_path:
        raise ValidationError(_("This document has no Word file to make a PDF from."))
    available, reason = pdf_tools.pdf_available()
    if not available:
        raise ValidationError(reason)
    with transaction.atomic():
        # One conditional UPDATE: of two concurrent clicks, exactly one moves the row.
        moved = IssuedDocument.objects.filter(
            pk=document.pk, pdf_status__in=[PdfStatus.FAILED, PdfStatus.NONE]
        ).update(pdf_status=PdfStatus.PENDING, pdf_error="", pdf_attempts=0)
        if not moved:
            return False
        document.refresh_from_db()
        record(
            actor=actor,
            action=AuditAction.DOCUMENT_PDF_REQUEUED,
            obj=document,
            after={"pdf_status": document.pdf_status},
        )
        from ..tasks import enqueue_pdf

        transaction.on_commit(partial(enqueue_pdf, document.pk, language=get_language()))
    return True


def store_pdf(document_id: int, data: bytes) -> IssuedDocument | None:
    """Record a PDF made for a document whose PDF is pending: write the file, set its hash
    and status, audit. None (and nothing written) when the document is no longer pending,
    e.g. another worker finished it first: its file, whose hash is registered, stays."""
    written: list[str] = []
    try:
        with transaction.atomic():
            document = (
                IssuedDocument.objects.select_for_update()
                .select_related("issuer")
                .filter(pk=document_id, pdf_status=PdfStatus.PENDING)
                .first()
            )
            if document is None:
                return None
            document.pdf_path = store_file(document, "pdf", data, written)
            document.pdf_sha256 = sha256_hex(data)
            document.pdf_status = PdfStatus.READY
            document.pdf_error = ""
            document.save(update_fields=["pdf_path", "pdf_sha256", "pdf_status", "pdf_error"])
            record(
                actor=None,
                action=AuditAction.DOCUMENT_PDF_READY,
                obj=document,
                after={"pdf_sha256": document.pdf_sha256, "pdf_path": document.pdf_path},
            )
            return document
    except BaseException:
        remove_files(written)
        raise


def pdf_failed(document_id: int, reason: str, *, attempts: int | None = None) -> None:
    """Give up on a pending PDF, with the reason a person can act on; audited, because the
    register then lacks the archival copy."""
    with transaction.atomic():
        document = (
            IssuedDocument.objects.select_for_update()
            .filter(pk=document_id, pdf_status=PdfStatus.PENDING)
            .first()
        )
        if document is None:
            return
        document.pdf_status = PdfStatus.FAILED
        document.pdf_error = reason
        fields = ["pdf_status", "pdf_error"]
        if attempts is not None:
            document.pdf_attempts = attempts
            fields.append("pdf_attempts")
        document.save(update_fields=fields)
        record(
            actor=None,
            action=AuditAction.DOCUMENT_PDF_FAILED,
            obj=document,
            after={"pdf_error": reason, "pdf_attempts": document.pdf_attempts},
        )
