"""Issuing a campaign's plan and block-leaders decision, and downloading issued files.

Downloads need DOCUMENT_ISSUE on the issuer's unit (its secretariat and administrators):
the stored files are the registry's copies; everyone else checks a copy they were sent on
the public /verify/ page. Files are read from DATA_DIR by the row's path, never by a path
from the request.
"""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from thidua.awards import issuing as award_issuing
from thidua.awards.models import AwardDecision
from thidua.campaigns.models import Campaign
from thidua.covenants.permissions import may_see_dossier
from thidua.documents import awards_list, batches, services
from thidua.documents.models import DocumentBatch, IssuedDocument, PdfStatus
from thidua.lib import files
from thidua.lib.dates import today
from thidua.lib.files import Area
from thidua.lib.filetypes import DOCX_CONTENT_TYPE, XLSX_CONTENT_TYPE
from thidua.org.models import Block
from thidua.org.permissions import Action, can, require
from thidua.pages.forms import StyledForm, apply_service_errors

from . import issuing


@login_required
def campaign_document_preview(request: HttpRequest, pk: int, kind: str) -> HttpResponseBase:
    campaign = get_object_or_404(Campaign, pk=pk)
    require(request.user, Action.DOCUMENT_ISSUE, campaign.agency)
    if kind not in issuing.TEMPLATES:
        raise Http404
    try:
        data = issuing.preview_docx(campaign, kind)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("campaign_detail", args=[pk]) + "#documents")
    name = f"du-thao-{issuing.TYPE_CODES[kind]}-{campaign.agency.code}-{campaign.year}.docx"
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=name, content_type=DOCX_CONTENT_TYPE
    )


@login_required
@require_POST
def campaign_document_issue(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    require(request.user, Action.DOCUMENT_ISSUE, campaign.agency)
    done = reverse("campaign_detail", args=[pk]) + "#documents"
    try:
        document = issuing.issue(
            actor=request.user,
            campaign=campaign,
            kind=kind,
            token=request.POST.get("key", ""),
            issued_on=today(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _issued_message(request, document)
    return redirect(done)


def _issued_message(request: HttpRequest, document: IssuedDocument) -> None:
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
    require(request.user, Action.DOCUMENT_ISSUE, document.issuer.unit)
    relative = {"docx": document.docx_path, "pdf": document.pdf_path}.get(extension)
    if not relative:
        raise Http404
    return files.file_response(
        Area.DOCUMENTS,
        relative,
        filename=issuing.download_name(document, extension),
        content_type=DOCX_CONTENT_TYPE if extension == "docx" else "application/pdf",
    )


@login_required
@require_POST
def document_pdf_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the PDF of an issued document again; a second click queues nothing more."""
    document = get_object_or_404(IssuedDocument.objects.select_related("issuer__unit"), pk=pk)
    require(request.user, Action.DOCUMENT_ISSUE, document.issuer.unit)
    try:
        queued = services.document_pdf_retry(actor=request.user, document=document)
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


@login_required
def campaign_documents_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's issued documents with their PDF status, polled while a PDF or a
    batch is being made."""
    campaign = get_object_or_404(Campaign, pk=pk)
    require(request.user, Action.DOCUMENT_ISSUE, campaign.agency)
    documents = issuing.campaign_documents(campaign)
    pending = any(d.pdf_status == PdfStatus.PENDING for d in documents) or any(
        batches.is_running(b) for b in campaign.document_batches.all()
    )
    context = {
        "campaign": campaign,
        "documents": documents,
        "key": secrets.token_urlsafe(16),
        "pending": pending,
        "polled": True,
    }
    return render(request, "documents/_campaign_documents.html", context)


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
        and can(request.user, Action.DOCUMENT_ISSUE, batch.issuer.unit),
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
        filename=Path(batch.result_path).name,
        content_type="application/zip",
    )


@login_required
def block_dossier_start(request: HttpRequest, pk: int, block_pk: int) -> HttpResponse:
    """A block's dossiers for the campaign (GET), and building a new one (POST; a double
    click builds one). For the secretariat and the block's leader and deputy."""
    campaign = get_object_or_404(Campaign.objects.select_related("agency"), pk=pk)
    block = get_object_or_404(Block, pk=block_pk, agency=campaign.agency)
    if not may_see_dossier(request.user, campaign, block):
        raise PermissionDenied
    if request.method != "POST":
        dossiers = DocumentBatch.objects.filter(
            kind=DocumentBatch.Kind.DOSSIER, campaign=campaign, block=block
        )
        batches.fail_stalled(list(dossiers))
        context = {
            "campaign": campaign,
            # Not "block": inside a {% block %} that name is the template block itself.
            "competition_block": block,
            "dossiers": dossiers,
            "key": secrets.token_urlsafe(16),
        }
        return render(request, "documents/block_dossier.html", context)
    token = request.POST.get("key", "")
    if not issuing.valid_token(token):
        messages.error(request, _("The request key is missing or malformed; reload the page."))
        return redirect("block_dossier_start", pk=pk, block_pk=block_pk)
    batch = batches.batch_start(
        actor=request.user,
        kind=DocumentBatch.Kind.DOSSIER,
        title=_("Dossier of %(block)s, %(year)s") % {"block": block, "year": campaign.year},
        items=[],
        issuer=None,
        campaign=campaign,
        block=block,
        idempotency_key=f"dossier:{campaign.pk}:{block.pk}:{token}",
    )
    return redirect("document_batch", pk=batch.pk)


# The award decision from an Excel list, and all its certificates -----------------------------


class AwardDecisionForm(StyledForm):
    file = forms.FileField(
        label=gettext_lazy("List of recipients (Excel .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    summary = forms.CharField(label=gettext_lazy("Summary"), max_length=500)
    authority = forms.CharField(label=gettext_lazy("Awarding authority"), max_length=300)
    reason = forms.CharField(label=gettext_lazy("Achievement"), max_length=500)
    key = forms.CharField(widget=forms.HiddenInput)

    def clean_file(self) -> list[dict[str, str]]:
        upload = self.cleaned_data["file"]
        if (upload.size or 0) > awards_list.MAX_BYTES:
            raise ValidationError(_("The file is too large."))
        try:
            return awards_list.parse_award_list(b"".join(upload.chunks()))
        except awards_list.AwardListError as error:
            self.cell_errors = error.cell_errors
            raise ValidationError(_("The list has errors; nothing was issued.")) from error

    cell_errors: list[awards_list.CellError] = []


@login_required
def award_list_template(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    require(request.user, Action.DOCUMENT_ISSUE, campaign.agency)
    response = HttpResponse(awards_list.build_template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{awards_list.TEMPLATE_FILE_NAME}"'
    return response


@login_required
def award_decision_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload the list and issue the award decision (Quyết định khen thưởng) with it."""
    campaign = get_object_or_404(Campaign, pk=pk)
    require(request.user, Action.DOCUMENT_ISSUE, campaign.agency)
    try:
        initial = {**issuing.award_defaults(campaign), "key": secrets.token_urlsafe(16)}
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("campaign_detail", args=[pk]) + "#documents")
    form = AwardDecisionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = issuing.issue_award_decision(
                actor=request.user,
                campaign=campaign,
                awards=data["file"],
                summary=data["summary"],
                reason=data["reason"],
                authority=data["authority"],
                token=data["key"],
                issued_on=today(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            _issued_message(request, document)
            return redirect("document_detail", pk=document.pk)
    status = 400 if request.method == "POST" else 200
    context = {"campaign": campaign, "form": form, "cell_errors": form.cell_errors}
    return render(request, "documents/award_decision_form.html", context, status=status)


def _register_decision(document: IssuedDocument) -> AwardDecision | None:
    """The award register's decision issued as this document, if it was recorded there."""
    return AwardDecision.objects.filter(document=document).first()


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An issued document for its issuer's secretariat: files, PDF, and for an award
    decision with its list, the certificates."""
    document = get_object_or_404(
        IssuedDocument.objects.select_related("issuer__unit", "doc_type", "campaign", "block"),
        pk=pk,
    )
    require(request.user, Action.DOCUMENT_ISSUE, document.issuer.unit)
    annex = awards_list.read_annex(document)
    register = _register_decision(document)
    context = {
        "document": document,
        "annex": annex,
        # On the register, certificates follow its award rows: an annulled decision has none.
        "annulled": register is not None and register.is_annulled,
        "batches": document.batches.all(),
        "key": secrets.token_urlsafe(16),
    }
    return render(request, "documents/document_detail.html", context)


@login_required
@require_POST
def decision_certificates_start(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(IssuedDocument.objects.select_related("issuer__unit"), pk=pk)
    require(request.user, Action.DOCUMENT_ISSUE, document.issuer.unit)
    mode = request.POST.get("mode", "blank")
    register = _register_decision(document)
    try:
        if register is not None:
            batch = award_issuing.certificates_start(
                actor=request.user, decision=register, token=request.POST.get("key", ""), mode=mode
            )
        else:
            batch = awards_list.certificates_start(
                actor=request.user,
                decision=document,
                token=request.POST.get("key", ""),
                params={"mode": mode if mode in ("blank", "full") else "blank"},
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("document_detail", pk=pk)
    return redirect("document_batch", pk=batch.pk)
