"""Many documents at once, in the job worker: all certificates of a decision, a block's
dossier as one ZIP.

A DocumentBatch and its items are written in one transaction and the worker is queued when
it commits. The worker issues each pending item through `services.document_issue` with a key
made of the batch and the item's position, so a worker that dies part-way and is run again
(or two workers on one batch) never issues an item twice: the registry hands back the
document the first run issued. A failed item is recorded with its reason and named on the
batch page; the others go on. PDFs are made per chunk with one LibreOffice process
(`pdf.docx_to_pdf_many`); a file that fails there is handed to the single-document task,
which retries it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import zipfile
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from thidua.audit.services import record
from thidua.lib import files
from thidua.lib.files import Area
from thidua.org.models import Block, BlockTerm
from thidua.org.permissions import Action, Actor, authorize, can, headed_unit_ids

from . import pdf, services
from .models import DocumentBatch, DocumentBatchItem, IssuedDocument, IssuingBody, PdfStatus

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
    block: Block | None = None,
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
    if kind != Kind.DOSSIER:
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
            created_by=services.user_or_none(actor),
        )
        DocumentBatchItem.objects.bulk_create(
            DocumentBatchItem(batch=batch, position=i, label=label[:300], context=context)
            for i, (label, context) in enumerate(items, start=1)
        )
        record(
            actor=actor,
            action="document.batch_started",
            obj=batch,
            after={"kind": kind, "title": batch.title, "total": batch.total},
        )
        transaction.on_commit(partial(_enqueue, batch.pk))
    return batch


def _enqueue(batch_id: int) -> None:
    from .tasks import batch_run_task

    batch_run_task.enqueue(batch_id)


def _authorise_start(
    actor: Actor, kind: str, issuer: IssuingBody | None, campaign: Any, block: Block | None
) -> None:
    if kind not in Kind.values:
        raise ValidationError(_("Unknown kind of batch."))
    if kind == Kind.DOSSIER:
        if campaign is None or block is None:
            raise ValidationError(_("A dossier needs a campaign and a block."))
        if not may_see_dossier(actor, campaign, block):
            raise PermissionDenied(_("Only the secretariat and the block's leader may do this."))
        return
    if issuer is None:
        raise ValidationError(_("An issuing body is required."))
    authorize(actor, Action.DOCUMENT_ISSUE, issuer.unit)


def _check_items(items: Sequence[tuple[str, dict[str, Any]]]) -> None:
    if not items:
        raise ValidationError(_("There is nothing to issue."))
    if len(items) > MAX_ITEMS:
        raise ValidationError(
            _("At most %(count)s documents are issued in one batch.") % {"count": MAX_ITEMS}
        )


def may_see_dossier(actor: Actor, campaign: Any, block: Block) -> bool:
    """The agency's secretariat (DOCUMENT_ISSUE) and the block's leader and deputy units'
    heads for the campaign's year."""
    if can(actor, Action.DOCUMENT_ISSUE, campaign.agency):
        return True
    term = BlockTerm.objects.filter(block=block, year=campaign.year).first()
    if term is None:
        return False
    heads = headed_unit_ids(actor)
    return term.leader_id in heads or (term.deputy_id is not None and term.deputy_id in heads)


def may_see_batch(actor: Actor, batch: DocumentBatch) -> bool:
    if batch.kind == Kind.DOSSIER and batch.campaign is not None and batch.block is not None:
        return may_see_dossier(actor, batch.campaign, batch.block)
    return batch.issuer is not None and can(actor, Action.DOCUMENT_ISSUE, batch.issuer.unit)


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


def batch_resume(*, actor: Actor, batch: DocumentBatch) -> bool:
    """Queue a stopped batch again; the items already issued are not issued twice."""
    if not may_see_batch(actor, batch):
        raise PermissionDenied
    with transaction.atomic():
        moved = DocumentBatch.objects.filter(pk=batch.pk, status=Status.FAILED).update(
            status=Status.QUEUED, error="", finished_at=None, heartbeat_at=timezone.now()
        )
        if moved:
            record(actor=actor, action="document.batch_resumed", obj=batch)
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
            if batch.kind == Kind.DOSSIER:
                build_dossier(batch)
            else:
                issue_items(batch)
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


def _beat(batch: DocumentBatch, **counts: Any) -> None:
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
        record_, content = services.choose_template(renderer.template, batch.issuer)
        document = services.document_issue(
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
        _beat(batch, failed_count=F("failed_count") + moved)
        return
    moved = DocumentBatchItem.objects.filter(pk=item.pk, status=ItemStatus.PENDING).update(
        status=ItemStatus.DONE, document=document, error=""
    )
    _beat(batch, done_count=F("done_count") + moved)


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
            services.pdf_failed(document.pk, reason, attempts=document.pdf_attempts + 1)
        return
    sources: list[tuple[IssuedDocument, bytes]] = []
    for document in documents:
        docx = files.read_if_exists(Area.DOCUMENTS, document.docx_path)
        if docx is None:
            services.pdf_failed(
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
            services.pdf_failed(document.pk, missing.reason, attempts=document.pdf_attempts + 1)
        return
    for (document, _docx), result in zip(sources, results, strict=True):
        if isinstance(result, bytes):
            services.store_pdf(document.pk, result)
        else:
            # That file alone goes to the retrying single-document task.
            conversion_failed(document, getattr(result, "reason", str(result)))
    _beat(batch)


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
            docx = services.render_template(
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


# The block dossier -----------------------------------------------------------------------------


def dossier_documents(campaign: Any, block: Block) -> list[IssuedDocument]:
    """Every issued document of the campaign that concerns the block: those linked to it
    and those linked to the campaign as a whole (the plan, the block-leaders decision)."""
    return list(
        IssuedDocument.objects.filter(campaign=campaign)
        .filter(Q(block=block) | Q(block__isnull=True))
        .select_related("doc_type", "issuer")
        .order_by("issued_on", "pk")
    )


def build_dossier(batch: DocumentBatch) -> None:
    if batch.campaign is None or batch.block is None:
        raise BatchError(_("A dossier needs a campaign and a block."))
    entries: list[tuple[str, str, str, str, str, bytes]] = []  # name, type, number, date, note
    notes: list[str] = []
    documents = dossier_documents(batch.campaign, batch.block)
    DocumentBatch.objects.filter(pk=batch.pk).update(total=len(documents), done_count=0)
    for index, document in enumerate(documents, start=1):
        data, extension = _document_file(document)
        if data is None:
            notes.append(
                _("%(document)s: its file is missing on the server.") % {"document": document}
            )
            _beat(batch, failed_count=F("failed_count") + 1)
            continue
        label = document.symbol or document.verification_code
        name = f"{index:03d}-{_safe(document.doc_type.code)}-{_safe(label)}.{extension}"
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
        _beat(batch, done_count=F("done_count") + 1)
    entries.extend(_covenant_entries(batch, notes))
    archive = _zip(entries, notes)
    relative = f"{batch.pk}/ho-so-{_safe(batch.block.code)}-{batch.campaign.year}.zip"
    files.write(Area.DOSSIERS, relative, archive)
    DocumentBatch.objects.filter(pk=batch.pk).update(
        result_path=relative, result_sha256=services.sha256_hex(archive)
    )


def _document_file(document: IssuedDocument) -> tuple[bytes | None, str]:
    if document.pdf_path:
        data = files.read_if_exists(Area.DOCUMENTS, document.pdf_path)
        if data is not None:
            return data, "pdf"
    return files.read_if_exists(Area.DOCUMENTS, document.docx_path), "docx"


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text).strip("-")[:60]


def _covenant_entries(
    batch: DocumentBatch, notes: list[str]
) -> list[tuple[str, str, str, str, str, bytes]]:
    """The covenant's frozen PDF and the token-signed copies, when the covenants app keeps
    them; otherwise a note in the manifest says what is not in the ZIP."""
    try:
        from thidua.covenants import files as covenant_files
        from thidua.covenants.models import Covenant
    except ImportError:  # pragma: no cover - the covenants app always ships today
        notes.append(_("The covenant is not included: covenants are not available."))
        return []
    assert batch.campaign is not None and batch.block is not None
    covenant = (
        Covenant.objects.filter(term__block=batch.block, cycle__campaign=batch.campaign)
        .order_by("-version")
        .first()
    )
    if covenant is None:
        notes.append(_("The block has no covenant for this campaign."))
        return []
    entries: list[tuple[str, str, str, str, str, bytes]] = []
    revision = covenant.revisions.exclude(pdf_path="").order_by("-revision").first()
    if revision is None:
        notes.append(_("The covenant has no frozen PDF yet, so it is not included."))
    else:
        data = _read_covenant_file(covenant_files, revision.pdf_path)
        if data is None:
            notes.append(_("The covenant's frozen PDF is missing on the server."))
        else:
            entries.append(
                (
                    f"giao-uoc-v{covenant.version}-r{revision.revision}.pdf",
                    _("Covenant"),
                    "",
                    timezone.localtime(revision.created_at).strftime("%d/%m/%Y"),
                    _("frozen text, revision %(revision)s") % {"revision": revision.revision},
                    data,
                )
            )
    entries.extend(_signature_entries(covenant, notes))
    return entries


def _read_covenant_file(module: Any, relative: str) -> bytes | None:
    try:
        return bytes(module.read(relative))
    except (OSError, ValueError):
        return None


def _signature_entries(
    covenant: Any, notes: list[str]
) -> list[tuple[str, str, str, str, str, bytes]]:
    entries: list[tuple[str, str, str, str, str, bytes]] = []
    rows = [["unit", "signer", "method", "revision", "signed_at"]]
    for signature in covenant.signatures.filter(invalidated_at__isnull=True).select_related(
        "unit", "signer"
    ):
        when = timezone.localtime(signature.signed_at)
        rows.append(
            [
                str(signature.unit),
                str(signature.signer),
                signature.get_method_display(),
                str(signature.revision),
                when.strftime("%d/%m/%Y %H:%M"),
            ]
        )
        signed = getattr(signature, "signed_pdf", None)
        if signed is None:
            continue
        try:
            from thidua.signatures.services import read_signed_pdf

            data = read_signed_pdf(signed)
        except Exception:  # a missing file is a note, not a failed dossier
            notes.append(
                _("The token-signed PDF of %(unit)s is missing on the server.")
                % {"unit": signature.unit}
            )
            continue
        entries.append(
            (
                f"giao-uoc-ky-so-{_safe(signature.unit.code)}.pdf",
                _("Covenant signed with a USB token"),
                "",
                when.strftime("%d/%m/%Y"),
                str(signature.unit),
                data,
            )
        )
    if len(rows) > 1:
        entries.append(("chu-ky-giao-uoc.csv", _("Covenant signatures"), "", "", "", _csv(rows)))
    return entries


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    # With a BOM, so Excel opens the Vietnamese text as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _zip(entries: list[tuple[str, str, str, str, str, bytes]], notes: list[str]) -> bytes:
    rows = [["file", "type", "number", "date", "sha256", "note"]]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, kind, number, date, note, data in entries:
            archive.writestr(name, data)
            rows.append([name, kind, number, date, services.sha256_hex(data), note])
        for note in notes:
            rows.append(["", "", "", "", "", note])
        archive.writestr("manifest.csv", _csv(rows))
    return buffer.getvalue()
