"""The registry's own pages: an issued document's files and its PDF, and the pages of a
batch (progress, resume, its result file).

Downloads need the right to issue for the document's issuer (its secretariat and
administrators: documents.permissions): the stored files are the registry's copies; everyone
else checks a copy they were sent on the public /verify/ page. Files are read from DATA_DIR
by the row's path, never by a path from the request. The pages that need a domain app's
data live in that app (campaigns.document_views, covenants.dossier_views,
awards.list_views).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.lib import files
from thidua.lib.files import Area
from thidua.lib.filetypes import CONTENT_TYPES

from . import batches
from .models import DocumentBatch, IssuedDocument, PdfStatus
from .permissions import Permission, can, require
from .services import numbering, pdfs


def issued_message(request: HttpRequest, document: IssuedDocument) -> None:
    symbol = document.symbol or str(document)
    if document.pdf_status == PdfStatus.FAILED:
        messages.warning(
            request,
            _("Issued %(symbol)s as a Word file; its PDF could not be made: %(reason)s")
            % {"symbol": symbol, "reason": document.pdf_error},
        )
    elif document.pdf_status == PdfStatus.PENDING:
        messages.success(
            request,
            _("Issued %(symbol)s. Its PDF is being made and appears in the list when ready.")
            % {"symbol": symbol},
        )
    else:
        messages.success(request, _("Issued %(symbol)s.") % {"symbol": symbol})


@login_required
def document_download(request: HttpRequest, pk: int, extension: str) -> HttpResponseBase:
    document = get_object_or_404(IssuedDocument.objects.select_related("issuer__unit"), pk=pk)
    require(request.user, Permission.ISSUE, document.issuer.unit)
    relative = {"docx": document.docx_path, "pdf": document.pdf_path}.get(extension)
    if not relative:
        raise Http404
    return files.file_response(
        Area.DOCUMENTS,
        relative,
        filename=numbering.download_name(document, extension),
        content_type=CONTENT_TYPES[extension],
    )


@login_required
@require_POST
def document_pdf_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the PDF of an issued document again; a second click queues nothing more."""
    document = get_object_or_404(IssuedDocument.objects.select_related("issuer__unit"), pk=pk)
    require(request.user, Permission.ISSUE, document.issuer.unit)
    try:
        queued = pdfs.document_pdf_retry(actor=request.user, document=document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if queued:
            messages.success(
                request, _("The PDF of %(document)s is being made again.") % {"document": document}
            )
    return redirect(_back(request, document))


def _back(request: HttpRequest, document: IssuedDocument) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    if document.campaign_id:
        return reverse("campaign_detail", args=[document.campaign_id]) + "#documents"
    return reverse("dashboard")


# Batches -------------------------------------------------------------------------------------


def _batch_or_403(request: HttpRequest, pk: int) -> DocumentBatch:
    batch = get_object_or_404(
        DocumentBatch.objects.select_related("issuer__unit", "campaign__agency", "block", "source"),
        pk=pk,
    )
    if not batches.may_see_batch(request.user, batch):
        raise PermissionDenied
    return batch


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_or_403(request, pk)
    batches.fail_stalled([batch])
    # While it runs, the page asks every few seconds (htmx) for the batch's part alone.
    template = (
        "documents/_batch_state.html" if request.htmx else "documents/batch_detail.html"  # type: ignore[attr-defined]
    )
    items = batch.items.select_related("document").order_by("position")
    context = {
        "batch": batch,
        "running": batches.is_running(batch),
        "failed_items": [item for item in items if item.status == "failed"],
        "items": items,
        "percent": round(100 * (batch.done_count + batch.failed_count) / batch.total)
        if batch.total
        else (100 if not batches.is_running(batch) else 0),
        "may_issue": batch.issuer is not None
        and can(request.user, Permission.ISSUE, batch.issuer.unit),
    }
    return render(request, template, context)


@login_required
@require_POST
def batch_resume(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_or_403(request, pk)
    batches.batch_resume(actor=request.user, batch=batch)
    return redirect("document_batch", pk=batch.pk)


@login_required
def batch_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    batch = _batch_or_403(request, pk)
    if not batch.result_path:
        raise Http404
    return files.file_response(
        Area.DOSSIERS,
        batch.result_path,
        filename=PurePosixPath(batch.result_path).name,
        content_type="application/zip",
    )
