"""Many documents at once, in the job worker: all certificates of a decision, a block's
dossier as one ZIP.

A DocumentBatch and its items are written in one transaction and the worker is queued when
it commits. The worker issues each pending item through `services.issuing.document_issue` with a key
made of the batch and the item's position, so a worker that dies part-way and is run again
(or two workers on one batch) never issues an item twice: the registry hands back the
document the first run issued. A failed item is recorded with its reason and named on the
batch page; the others go on. PDFs are made per chunk with one LibreOffice process
(`pdf.docx_to_pdf_many`); a file that fails there is handed to the single-document task,
which retries it.

Which kinds of batch exist is learnt by registration, not by import: documents knows its
own kinds (certificates and documents, issued item by item for an issuing body); an app
with a kind of its own calls `register_kind` in its AppConfig.ready with who may start and
see such a batch and how it runs (covenants registers the block dossier, a ZIP of the
block's papers). The helpers such a run needs — the documents of a campaign and block,
their files, a ZIP with a manifest of hashes — are here.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.lib import files
from thidua.lib.csvfile import csv_bytes
from thidua.lib.files import Area, sha256_hex

from . import pdf
from .models import DocumentBatch, DocumentBatchItem, IssuedDocument, IssuingBody, PdfStatus
from .permissions import Actor, Permission, authorize, can
from .services import issuing, pdfs, templates

logger = logging.getLogger(__name__)

Kind = DocumentBatch.Kind
Status = DocumentBatch.Status
ItemStatus = DocumentBatchItem.Status

# A batch with no news for this long is reported as failed (ImportJob's rule): the worker
# was stopped or the server restarted.
STALLED_AFTER = dt.timedelta(hours=1)
# Items issued before their PDFs are made together by one LibreOffice process.
PDF_CHUNK = 25
MAX_ITEMS = 5000
KEY_MAX = 100
CERTIFICATE_TEMPLATE = "giay_khen.docx"
# What an item's context must say for the registry; `fields` fill the template.
ITEM_KEYS = ("doc_type_code", "issued_on", "summary", "signer_name", "signer_title")


class BatchError(Exception):
    """A failure of the whole batch whose message is meant for the user as it is."""


# Kinds of batch ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchKind:
    """How one kind of batch is authorised and run.

    `authorise(actor, issuer, campaign, block)` raises PermissionDenied or ValidationError
    before anything is written; `may_see(actor, batch)` guards its page and file; `run(batch)`
    does the work in the job worker (raise BatchError for a message meant for the user);
    `takes_items`: the batch is a list of items to issue (checked non-empty and bounded).
    """

    authorise: Callable[[Actor, IssuingBody | None, Any, Any], None]
    may_see: Callable[[Actor, DocumentBatch], bool]
    run: Callable[[DocumentBatch], None]
    takes_items: bool = True


_KINDS: dict[str, BatchKind] = {}


def register_kind(kind: str, spec: BatchKind) -> None:
    """Make `kind` (one of DocumentBatch.Kind) known; the owning app calls this in its
    AppConfig.ready. Registering a kind again replaces it."""
    if kind not in Kind.values:
        raise ValueError(f"{kind!r} is not a DocumentBatch.Kind")
    _KINDS[kind] = spec


def _authorise_issue(actor: Actor, issuer: IssuingBody | None, campaign: Any, block: Any) -> None:
    if issuer is None:
        raise ValidationError(_("An issuing body is required."))
    authorize(actor, Permission.ISSUE, issuer.unit)


def _may_see_issued(actor: Actor, batch: DocumentBatch) -> bool:
    return batch.issuer is not None and can(actor, Permission.ISSUE, batch.issuer.unit)


# Starting ------------------------------------------------------------------------------------


def batch_start(
    *,
    actor: Actor,
    kind: str,
    title: str,
    items: Sequence[tuple[str, dict[str, Any]]],
    issuer: IssuingBody | None,
    idempotency_key: str,
    campaign: Any = None,
    block: Any = None,
    source: IssuedDocument | None = None,
    params: dict[str, Any] | None = None,
) -> DocumentBatch:
    """Record a batch and its items and queue the worker when they commit. A second call
    with the same key (a double submit) returns the first call's batch and queues nothing."""
    key = idempotency_key.strip()
    if not key:
        raise ValidationError(_("The request key is missing or malformed; reload the page."))
    if len(key) > KEY_MAX:
        raise ValidationError(_("The request key is too long."))
    _authorise_start(actor, kind, issuer, campaign, block)
    existing = DocumentBatch.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    if _KINDS[kind].takes_items:
        _check_items(items)
    with transaction.atomic():
        batch = DocumentBatch.objects.create(
            kind=kind,
            title=title.strip()[:300],
            issuer=issuer,
            campaign=campaign,
            block=block,
            source=source,
            params={
                **(params or {}),
                "language": translation.get_language() or settings.LANGUAGE_CODE,
            },
            total=len(items),
            idempotency_key=key,
            created_by=issuing.user_or_none(actor),
        )
        DocumentBatchItem.objects.bulk_create(
            DocumentBatchItem(batch=batch, position=i, label=label[:300], context=context)
            for i, (label, context) in enumerate(items, start=1)
        )
        record(
            actor=actor,
            action=AuditAction.DOCUMENT_BATCH_STARTED,
            obj=batch,
            after={"kind": kind, "title": batch.title, "total": batch.total},
        )
        transaction.on_commit(partial(_enqueue, batch.pk))
    return batch


def _enqueue(batch_id: int) -> None:
    from .tasks import batch_run_task

    batch_run_task.enqueue(batch_id)


def _authorise_start(
    actor: Actor, kind: str, issuer: IssuingBody | None, campaign: Any, block: Any
) -> None:
    if kind not in _KINDS:
        raise ValidationError(_("Unknown kind of batch."))
    _KINDS[kind].authorise(actor, issuer, campaign, block)


def _check_items(items: Sequence[tuple[str, dict[str, Any]]]) -> None:
    if not items:
        raise ValidationError(_("There is nothing to issue."))
    if len(items) > MAX_ITEMS:
        raise ValidationError(
            _("At most %(count)s documents are issued in one batch.") % {"count": MAX_ITEMS}
        )


def may_see_batch(actor: Actor, batch: DocumentBatch) -> bool:
    spec = _KINDS.get(batch.kind)
    return spec is not None and spec.may_see(actor, batch)


# Stalled batches -----------------------------------------------------------------------------


def is_running(batch: DocumentBatch) -> bool:
    return batch.status in (Status.QUEUED, Status.RUNNING)


def is_stalled(batch: DocumentBatch) -> bool:
    last = batch.heartbeat_at or batch.created_at
    return is_running(batch) and last < timezone.now() - STALLED_AFTER


def fail_stalled(batches: Sequence[DocumentBatch]) -> None:
    """Report as failed those of `batches` silent for STALLED_AFTER, and reload them."""
    stalled = [batch for batch in batches if is_stalled(batch)]
    if not stalled:
        return
    limit = timezone.now() - STALLED_AFTER
    DocumentBatch.objects.filter(
        pk__in=[batch.pk for batch in stalled], status__in=[Status.QUEUED, Status.RUNNING]
    ).filter(Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, created_at__lt=limit)).update(
        status=Status.FAILED,
        error=_(
            "The job stopped without finishing (the server may have been restarted). "
            "Documents already issued stay issued; run it again to finish the rest."
        ),
        finished_at=timezone.now(),
    )
    for batch in stalled:
        batch.refresh_from_db()


def fail_orphaned(batch_id: int) -> None:
    """The worker running the batch stopped under it: failed at once, to be run again."""
    DocumentBatch.objects.filter(pk=batch_id, status__in=[Status.QUEUED, Status.RUNNING]).update(
        status=Status.FAILED,
        error=_(
            "The job worker stopped while this job was running (it was restarted). Documents "
            "already issued stay issued; run it again to finish the rest."
        ),
        finished_at=timezone.now(),
    )


def batch_resume(*, actor: Actor, batch: DocumentBatch) -> bool:
    """Queue a stopped batch again; the items already issued are not issued twice."""
    if not may_see_batch(actor, batch):
        raise PermissionDenied
    with transaction.atomic():
        moved = DocumentBatch.objects.filter(pk=batch.pk, status=Status.FAILED).update(
            status=Status.QUEUED, error="", finished_at=None, heartbeat_at=timezone.now()
        )
        if moved:
            record(actor=actor, action=AuditAction.DOCUMENT_BATCH_RESUMED, obj=batch)
            transaction.on_commit(partial(_enqueue, batch.pk))
    return bool(moved)


# The worker ----------------------------------------------------------------------------------


def run_batch(batch_id: int) -> str:
    """Run (or resume) a batch; returns its final status or "skipped"."""
    batch = (
        DocumentBatch.objects.select_related("issuer__unit", "campaign", "block", "created_by")
        .filter(pk=batch_id)
        .first()
    )
    if batch is None or not is_running(batch):
        return "skipped"
    now = timezone.now()
    DocumentBatch.objects.filter(pk=batch.pk).update(
        status=Status.RUNNING, started_at=batch.started_at or now, heartbeat_at=now
    )
    with translation.override(batch.params.get("language") or settings.LANGUAGE_CODE):
        try:
            spec = _KINDS.get(batch.kind)
            if spec is None:
                raise BatchError(_("Unknown kind of batch."))
            spec.run(batch)
        except Exception as exc:
            logger.exception("Document batch %s failed", batch.pk)
            _finish(batch, Status.FAILED, _failure(exc))
            return Status.FAILED
    _finish(batch, Status.DONE, "")
    return Status.DONE


def _failure(exc: Exception) -> str:
    if isinstance(exc, BatchError):
        return str(exc)
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    # The details are in the log; the user gets what happened and what to do.
    return _(
        "The job stopped on an unexpected error (%(error)s). Documents already issued stay "
        "issued; run it again to finish the rest."
    ) % {"error": type(exc).__name__}


def _finish(batch: DocumentBatch, status: str, error: str) -> None:
    DocumentBatch.objects.filter(pk=batch.pk).update(
        status=status, error=error, finished_at=timezone.now(), heartbeat_at=timezone.now()
    )


def beat(batch: DocumentBatch, **counts: Any) -> None:
    DocumentBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now(), **counts)


def item_key(batch: DocumentBatch, item: DocumentBatchItem) -> str:
    """The registry's key for one item: the same on every run of the batch."""
    return f"batch:{batch.pk}:{item.position}"


def issue_items(batch: DocumentBatch) -> None:
    if batch.issuer is None:
        raise BatchError(_("An issuing body is required."))
    actor = batch.created_by
    renderer = _renderer_for(batch)
    pending = list(batch.items.filter(status=ItemStatus.PENDING).order_by("position"))
    for start in range(0, len(pending), PDF_CHUNK):
        for item in pending[start : start + PDF_CHUNK]:
            _issue_one(batch, item, actor, renderer)
        _make_pdfs(batch)
    # Documents issued by an earlier run that died before making their PDFs.
    _make_pdfs(batch)


def _issue_one(
    batch: DocumentBatch, item: DocumentBatchItem, actor: Any, renderer: ItemRenderer
) -> None:
    assert batch.issuer is not None
    try:
        context = item.context
        missing = [key for key in ITEM_KEYS if not context.get(key)]
        if missing:
            raise ValidationError(_("Missing data: %(fields)s.") % {"fields": ", ".join(missing)})
        record_, content = templates.choose_template(renderer.template, batch.issuer)
        document = issuing.document_issue(
            actor=actor,
            issuer=batch.issuer,
            doc_type_code=context["doc_type_code"],
            issued_on=dt.date.fromisoformat(str(context["issued_on"])),
            summary=str(context["summary"]),
            signer_name=str(context["signer_name"]),
            signer_title=str(context["signer_title"]),
            idempotency_key=item_key(batch, item),
            render=partial(renderer, dict(context.get("fields") or {}), content),
            campaign=batch.campaign,
            block=batch.block,
            template=record_,
        )
    except Exception as exc:  # one item's failure never stops the others
        reason = _reason(exc)
        logger.info("Batch %s item %s failed: %s", batch.pk, item.position, reason)
        moved = DocumentBatchItem.objects.filter(pk=item.pk, status=ItemStatus.PENDING).update(
            status=ItemStatus.FAILED, error=reason
        )
        beat(batch, failed_count=F("failed_count") + moved)
        return
    moved = DocumentBatchItem.objects.filter(pk=item.pk, status=ItemStatus.PENDING).update(
        status=ItemStatus.DONE, document=document, error=""
    )
    beat(batch, done_count=F("done_count") + moved)


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, PermissionDenied):
        return str(exc) or _("You are not allowed to issue this document.")
    # A template field the data lacks (StrictUndefined), data that is not plain, a bad date:
    # the message names the field, which is what the secretariat has to correct.
    return f"{type(exc).__name__}: {exc}"


def _make_pdfs(batch: DocumentBatch) -> None:
    """The PDFs of this batch's issued documents that have none yet, one LibreOffice
    process per chunk. LibreOffice missing: each says so at once."""
    ids = list(
        DocumentBatchItem.objects.filter(
            batch=batch, status=ItemStatus.DONE, document__pdf_status=PdfStatus.NONE
        ).values_list("document_id", flat=True)
    )
    if not ids:
        return
    IssuedDocument.objects.filter(pk__in=ids, pdf_status=PdfStatus.NONE).update(
        pdf_status=PdfStatus.PENDING
    )
    documents = list(IssuedDocument.objects.filter(pk__in=ids, pdf_status=PdfStatus.PENDING))
    available, reason = pdf.pdf_available()
    if not available:
        for document in documents:
            pdfs.pdf_failed(document.pk, reason, attempts=document.pdf_attempts + 1)
        return
    sources: list[tuple[IssuedDocument, bytes]] = []
    for document in documents:
        docx = files.read_if_exists(Area.DOCUMENTS, document.docx_path)
        if docx is None:
            pdfs.pdf_failed(
                document.pk, _("The Word file of this document is missing on the server.")
            )
        else:
            sources.append((document, docx))
    if not sources:
        return
    from .tasks import conversion_failed

    try:
        results = pdf.docx_to_pdf_many([docx for _doc, docx in sources], archive=True)
    except pdf.PdfUnavailable as missing:
        for document, _docx in sources:
            pdfs.pdf_failed(document.pk, missing.reason, attempts=document.pdf_attempts + 1)
        return
    for (document, _docx), result in zip(sources, results, strict=True):
        if isinstance(result, bytes):
            pdfs.store_pdf(document.pk, result)
        else:
            # That file alone goes to the retrying single-document task.
            conversion_failed(document, getattr(result, "reason", str(result)))
    beat(batch)


# Renderers for the items ---------------------------------------------------------------------


class ItemRenderer:
    """Fills an item's `fields` with what the registry gives (number, date, code, QR) and
    renders the DOCX; the PDF is made later, for the whole chunk at once."""

    def __init__(self, template: str, place: str, params: dict[str, Any]) -> None:
        self.template = template
        self.place = place
        self.params = params

    def __call__(
        self, fields: dict[str, Any], content: bytes | None, issued: dict[str, Any]
    ) -> tuple[bytes, bytes | None]:
        from .vn_format import place_date_line

        filled = {
            **fields,
            "number_symbol": issued["symbol"],
            "verification_code": issued["verification_code"],
            "verification_url": issued["verification_url"],
        }
        filled.setdefault("place_date", place_date_line(self.place, issued["issued_on"]))
        if self.template == CERTIFICATE_TEMPLATE:
            from .certificate import render_certificate

            filled["verification_qr_png"] = issued["verification_qr_png"]
            offset = self.params.get("offset_mm") or (0, 0)
            docx = render_certificate(
                filled,
                mode=self.params.get("mode", "blank"),
                offset_mm=tuple(offset),
                content=content,
            )
        else:
            docx = templates.render_template(
                self.template,
                content,
                filled,
                images={"verification_qr": issued["verification_qr_png"]},
            )
        return docx, None


def _renderer_for(batch: DocumentBatch) -> ItemRenderer:
    assert batch.issuer is not None
    template = str(batch.params.get("template") or CERTIFICATE_TEMPLATE)
    return ItemRenderer(template, batch.issuer.place, batch.params)


# Helpers for batches that build a ZIP --------------------------------------------------------


# One file of a ZIP: name, type, number, date, note, bytes.
Entry = tuple[str, str, str, str, str, bytes]


def dossier_documents(campaign: Any, block: Any) -> list[IssuedDocument]:
    """Every issued document of the campaign that concerns the block: those linked to it
    and those linked to the campaign as a whole (the plan, the block-leaders decision)."""
    return list(
        IssuedDocument.objects.filter(campaign=campaign)
        .filter(Q(block=block) | Q(block__isnull=True))
        .select_related("doc_type", "issuer")
        .order_by("issued_on", "pk")
    )


def document_file(document: IssuedDocument) -> tuple[bytes | None, str]:
    if document.pdf_path:
        data = files.read_if_exists(Area.DOCUMENTS, document.pdf_path)
        if data is not None:
            return data, "pdf"
    return files.read_if_exists(Area.DOCUMENTS, document.docx_path), "docx"


def safe_name(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text).strip("-")[:60]


def zip_with_manifest(entries: list[Entry], notes: list[str]) -> bytes:
    rows = [["file", "type", "number", "date", "sha256", "note"]]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, kind, number, date, note, data in entries:
            archive.writestr(name, data)
            rows.append([name, kind, number, date, sha256_hex(data), note])
        for note in notes:
            rows.append(["", "", "", "", "", note])
        archive.writestr("manifest.csv", csv_bytes(rows))
    return buffer.getvalue()


def document_entries(
    batch: DocumentBatch, documents: Sequence[IssuedDocument], notes: list[str]
) -> list[Entry]:
    """The issued documents' files (the PDF, else the DOCX), numbered in order; a missing
    file is a note in the manifest and a failed item of the batch."""
    entries: list[Entry] = []
    DocumentBatch.objects.filter(pk=batch.pk).update(total=len(documents), done_count=0)
    for index, document in enumerate(documents, start=1):
        data, extension = document_file(document)
        if data is None:
            notes.append(
                _("%(document)s: its file is missing on the server.") % {"document": document}
            )
            beat(batch, failed_count=F("failed_count") + 1)
            continue
        label = document.symbol or document.verification_code
        name = f"{index:03d}-{safe_name(document.doc_type.code)}-{safe_name(label)}.{extension}"
        entries.append(
            (
                name,
                document.doc_type.name,
                document.symbol,
                document.issued_on.strftime("%d/%m/%Y"),
                "",
                data,
            )
        )
        beat(batch, done_count=F("done_count") + 1)
    return entries


def store_result(batch: DocumentBatch, relative: str, data: bytes) -> None:
    """Write the batch's result file (the dossiers area) and record it on the batch."""
    files.write(Area.DOSSIERS, relative, data)
    DocumentBatch.objects.filter(pk=batch.pk).update(
        result_path=relative, result_sha256=sha256_hex(data)
    )


# The kinds documents runs itself: issued item by item for an issuing body.
for _kind in (Kind.CERTIFICATES, Kind.DOCUMENTS):
    register_kind(
        _kind, BatchKind(authorise=_authorise_issue, may_see=_may_see_issued, run=issue_items)
    )
