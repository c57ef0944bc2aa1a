"""The award decision issued from the secretariat's Excel list for a campaign, an issued
document's page (with the certificates of a decision), and starting the certificates.

The document's page shows a decision's annex and register entry, which are the award
register's data, so it lives here rather than in documents. For those who may issue for the
agency (DOCUMENT_ISSUE)."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from thidua.campaigns.models import Campaign
from thidua.documents.models import IssuedDocument
from thidua.documents.registry_views import issued_message
from thidua.lib.dates import today
from thidua.lib.filetypes import XLSX_CONTENT_TYPE
from thidua.org.permissions import Action, require
from thidua.pages.forms import apply_service_errors

from . import award_list as awards_list
from . import issuing
from .certificates import certificates_start
from .decision_defaults import list_defaults
from .forms import AwardDecisionForm
from .models import AwardDecision


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
        initial = {**list_defaults(campaign), "key": secrets.token_urlsafe(16)}
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("campaign_detail", args=[pk]) + "#documents")
    form = AwardDecisionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = issuing.list_decision_issue(
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
            issued_message(request, document)
            return redirect("document_detail", pk=document.pk)
    status = 400 if request.method == "POST" else 200
    context = {"campaign": campaign, "form": form, "cell_errors": form.cell_errors}
    return render(request, "awards/list_decision_form.html", context, status=status)


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
    return render(request, "awards/document_detail.html", context)


@login_required
@require_POST
def decision_certificates_start(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(IssuedDocument.objects.select_related("issuer__unit"), pk=pk)
    require(request.user, Action.DOCUMENT_ISSUE, document.issuer.unit)
    mode = request.POST.get("mode", "blank")
    register = _register_decision(document)
    try:
        if register is not None:
            batch = certificates_start(
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
