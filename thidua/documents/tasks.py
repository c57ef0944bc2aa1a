"""Background work of the registry (django-tasks; `manage.py db_worker` runs it).

* `document_pdf_task`: the archival PDF (PDF/A-2b) of one issued document, made from its
  stored DOCX after the issue committed. LibreOffice crashing or taking too long is retried
  with a growing pause, up to settings.PDF_MAX_ATTEMPTS conversions; then the document says
  why, and a DOCUMENT_ISSUE holder may queue it again (services.pdfs.document_pdf_retry).
* `batch_run_task`: a DocumentBatch (documents.batches), many documents or one ZIP.

Tasks take ids, never rows: a row serialised into the queue would be stale when it runs.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task, task_backends

from thidua.lib import files, jobs
from thidua.lib.files import Area

from . import pdf
from .models import IssuedDocument, PdfStatus
from .services import pdfs

logger = logging.getLogger(__name__)


def max_attempts() -> int:
    return max(1, int(getattr(settings, "PDF_MAX_ATTEMPTS", 3)))


def retry_delay(attempt: int) -> dt.timedelta:
    """The pause before conversion `attempt + 1`: doubled each time, so a LibreOffice that
    is restarting or short of memory gets room instead of being hammered."""
    base = float(getattr(settings, "PDF_RETRY_BASE_SECONDS", 30))
    return dt.timedelta(seconds=base * 2 ** max(0, attempt - 1))


def enqueue_pdf(
    document_id: int, *, delay: dt.timedelta | None = None, language: str | None = None
) -> None:
    """Queue the PDF of a document. A backend that cannot defer (the immediate backend of
    the tests) runs it at once: the attempts are counted either way, so retries end.
    `language` (default: the active one) is the language of the reason stored on failure."""
    queued = document_pdf_task
    backend = task_backends[queued.backend]
    if delay and backend.supports_defer:
        queued = queued.using(run_after=timezone.now() + delay)
    queued.enqueue(document_id, language or translation.get_language() or settings.LANGUAGE_CODE)


@task()
def document_pdf_task(document_id: int, language: str = "") -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return make_pdf(document_id)


def make_pdf(document_id: int) -> str:
    """One conversion attempt; returns what happened ("ready", "retrying", "failed",
    "skipped")."""
    document = IssuedDocument.objects.filter(pk=document_id).first()
    if document is None or document.pdf_status != PdfStatus.PENDING:
        # Deleted, already made by an earlier run, or given up: nothing to do.
        return "skipped"
    docx = files.read_if_exists(Area.DOCUMENTS, document.docx_path)
    if docx is None:
        pdfs.pdf_failed(document_id, _("The Word file of this document is missing on the server."))
        return "failed"
    try:
        data = pdf.docx_to_pdf(docx, archive=True)
    except pdf.PdfUnavailable as missing:
        # Retrying cannot help until an administrator installs LibreOffice.
        pdfs.pdf_failed(document_id, missing.reason, attempts=document.pdf_attempts + 1)
        return "failed"
    except pdf.PdfConversionFailed as failure:
        return conversion_failed(document, failure.reason)
    pdfs.store_pdf(document_id, data)
    return "ready"


def conversion_failed(document: IssuedDocument, reason: str) -> str:
    """Count a failed conversion; queue the next attempt after a pause, or give up."""
    attempts = document.pdf_attempts + 1
    if attempts >= max_attempts():
        pdfs.pdf_failed(
            document.pk,
            _("%(reason)s (gave up after %(count)s attempts)")
            % {"reason": reason, "count": attempts},
            attempts=attempts,
        )
        return "failed"
    moved = IssuedDocument.objects.filter(pk=document.pk, pdf_status=PdfStatus.PENDING).update(
        pdf_attempts=attempts, pdf_error=reason.strip()
    )
    if moved:
        logger.warning("PDF of document %s failed (attempt %s): %s", document.pk, attempts, reason)
        enqueue_pdf(document.pk, delay=retry_delay(attempts))
    return "retrying"


@task()
def batch_run_task(batch_id: int) -> str:
    from .batches import run_batch

    return run_batch(batch_id)


def _batch_orphaned(args: list[Any], kwargs: dict[str, Any]) -> None:
    """The worker running the batch stopped (thidua.lib.jobs): the batch failed, now, and
    its page offers to run it again (items already issued are not issued twice)."""
    from .batches import fail_orphaned

    fail_orphaned(int((args or [kwargs.get("batch_id")])[0]))


jobs.on_orphaned(batch_run_task.module_path)(_batch_orphaned)
