"""Issuing a campaign's plan and block-leaders decision, and downloading issued files.

Downloads need DOCUMENT_ISSUE on the issuer's unit (its secretariat and administrators):
the stored files are the registry's copies; everyone else checks a copy they were sent on
the public /verify/ page. Files are read from DATA_DIR by the row's path, never by a path
from the request.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.campaigns.models import Campaign
from thidua.documents import pdf, services
from thidua.documents.models import IssuedDocument
from thidua.lib.dates import today
from thidua.org.permissions import Action

from . import issuing
from .utils import require

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=name, content_type=DOCX_TYPE)


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
    except pdf.PdfConversionFailed as error:
        messages.error(request, _("Nothing was issued: %(reason)s") % {"reason": error.reason})
    else:
        messages.success(request, _("Issued %(symbol)s.") % {"symbol": document.symbol})
    return redirect(done)


@login_required
def document_download(request: HttpRequest, pk: int, extension: str) -> HttpResponseBase:
    document = get_object_or_404(IssuedDocument.objects.select_related("issuer__unit"), pk=pk)
    require(request.user, Action.DOCUMENT_ISSUE, document.issuer.unit)
    relative = {"docx": document.docx_path, "pdf": document.pdf_path}.get(extension)
    if not relative:
        raise Http404
    path = services.documents_dir() / relative
    if not path.is_file():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=issuing.download_name(document, extension),
        content_type=DOCX_TYPE if extension == "docx" else "application/pdf",
    )
