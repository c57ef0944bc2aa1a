"""A campaign's documents: the draft and the issue of its plan and block-leaders decision
(campaigns.issuing), and the panel of its issued documents, polled while a PDF or a batch
is being made. For those who may issue for the agency (DOCUMENT_ISSUE)."""

from __future__ import annotations

import io
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from thidua.documents import batches
from thidua.documents.models import PdfStatus
from thidua.documents.registry_views import issued_message
from thidua.lib.dates import today
from thidua.lib.filetypes import CONTENT_TYPES
from thidua.org.permissions import Action, require

from . import issuing, selectors
from .models import Campaign


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
        io.BytesIO(data), as_attachment=True, filename=name, content_type=CONTENT_TYPES["docx"]
    )


@login_required
@require_POST
def campaign_document_issue(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    require(request.user, Action.DOCUMENT_ISSUE, campaign.agency)
    done = reverse("campaign_detail", args=[pk]) + "#documents"
    try:
        document = issuing.campaign_document_issue(
            actor=request.user,
            campaign=campaign,
            kind=kind,
            token=request.POST.get("key", ""),
            issued_on=today(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        issued_message(request, document)
    return redirect(done)


@login_required
def campaign_documents_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's issued documents with their PDF status, polled while a PDF or a
    batch is being made."""
    campaign = get_object_or_404(Campaign, pk=pk)
    require(request.user, Action.DOCUMENT_ISSUE, campaign.agency)
    documents = selectors.campaign_documents(campaign)
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
    return render(request, "campaigns/_campaign_documents.html", context)
