"""The initiative pages: the register, registering one, its page with its papers, and the
forms of the review and the decisions. Thin: parse, call a service or selector, render."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.documents.models import IssuedDocument
from thidua.lib import files
from thidua.lib.dates import today
from thidua.lib.files import Area
from thidua.lib.filetypes import CONTENT_TYPES
from thidua.org.models import Unit
from thidua.pages.views import form_page, post_action

from . import pages, selectors
from .forms import EvidenceForm, InitiativeForm, ReceivedForm, RecognitionForm, ReviewForm
from .models import Initiative, InitiativeScope
from .services import decisions, registration


def _token() -> str:
    return secrets.token_urlsafe(16)


def _initiative(request: HttpRequest, pk: int) -> Initiative:
    try:
        return selectors.initiative_detail(pk, user=request.user)
    except Initiative.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def register(request: HttpRequest) -> HttpResponse:
    criteria = pages.criteria(request.GET)
    rows = selectors.register(criteria, user=request.user)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "initiatives/register.html",
        {
            "page": page,
            "criteria": criteria,
            "units": Unit.objects.filter(initiatives__isnull=False).distinct().order_by("path"),
            "years": selectors.register_years(request.user),
            "scopes": InitiativeScope.choices,
            "query": query.urlencode(),
            "may_register": selectors.registrable_units(request.user).exists(),
        },
    )


@login_required
def initiative_new(request: HttpRequest) -> HttpResponse:
    units = selectors.registrable_units(request.user)
    if not units.exists():
        raise PermissionDenied
    initial = {"year": today().year, "token": _token(), "requested_scope": "co_so"}
    form = InitiativeForm(request.POST or None, units=units, initial=initial)

    def save(data: dict[str, Any]) -> Initiative:
        fields = {k: v for k, v in data.items() if k != "token"}
        return registration.initiative_register(
            actor=request.user,
            data=registration.InitiativeInput(**fields),
            idempotency_key=f"initiative-form:{request.user.pk}:{data['token']}",
        )

    return form_page(
        request,
        form,
        title=_("Register an initiative"),
        save=save,
        success=lambda initiative: reverse("initiatives:detail", args=[initiative.pk]),
        success_message=_("The initiative is registered."),
        cancel_url=reverse("initiatives:register"),
        intro=_("Authors must work in the unit; their shares must add up to 100%."),
    )


@login_required
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    return render(
        request,
        "initiatives/detail.html",
        {
            **pages.detail_context(initiative, request.user),
            "evidence_form": EvidenceForm(),
            "token": _token(),
        },
    )


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    upload = request.FILES.get("file")

    def call() -> Any:
        if not form.is_valid() or upload is None:
            raise ValidationError(_("Choose a file to attach."))
        return registration.initiative_evidence_add(
            actor=request.user, initiative=initiative, data=upload.read(), name=upload.name or ""
        )

    done = reverse("initiatives:detail", args=[pk])
    return post_action(request, call, success_message=_("The file is attached."), done_url=done)


@login_required
def evidence_download(request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
    initiative = _initiative(request, pk)
    item = get_object_or_404(initiative.evidence, pk=file_pk)
    return files.file_response(
        Area.INITIATIVE_EVIDENCE, item.path, filename=item.name, content_type=item.content_type
    )


@login_required
def paper_download(request: HttpRequest, pk: int, doc_pk: int, extension: str) -> HttpResponseBase:
    """A paper of the initiative (request, minutes, decision) for whoever may see it."""
    initiative = _initiative(request, pk)
    if doc_pk not in pages.paper_ids(initiative):
        raise Http404
    document = get_object_or_404(IssuedDocument, pk=doc_pk)
    relative = {"docx": document.docx_path, "pdf": document.pdf_path}.get(extension)
    if not relative:
        raise Http404
    return files.file_response(
        Area.DOCUMENTS,
        relative,
        filename=f"{document.doc_type_id}-{document.verification_code}.{extension}",
        content_type=CONTENT_TYPES[extension],
    )


@login_required
@require_POST
def request_file(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    return post_action(
        request,
        lambda: registration.initiative_request(
            actor=request.user, initiative=initiative, idempotency_key=request.POST.get("token", "")
        ),
        success_message=_("The request for recognition is filed."),
        done_url=reverse("initiatives:detail", args=[pk]),
    )


@login_required
def review(request: HttpRequest, pk: int, scope: str) -> HttpResponse:
    initiative = _initiative(request, pk)
    pages.require_scope(scope)
    initial = {"reviewed_on": today(), "token": _token(), **pages.review_initial(initiative, scope)}
    form = ReviewForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        title=_("Review at the scope “%(scope)s”") % {"scope": InitiativeScope(scope).label},
        save=lambda data: decisions.initiative_review_record(
            actor=request.user,
            initiative=initiative,
            data=pages.review_input(scope, data),
            idempotency_key=data["token"],
        ),
        success=lambda _review: reverse("initiatives:detail", args=[pk]),
        success_message=_("The review is recorded and its minutes issued."),
        cancel_url=reverse("initiatives:detail", args=[pk]),
        intro=initiative.title,
    )


@login_required
def recognise(request: HttpRequest, pk: int, scope: str) -> HttpResponse:
    initiative = _initiative(request, pk)
    pages.require_scope(scope)
    initial = {"token": _token(), **pages.decision_initial(initiative, scope)}
    form = RecognitionForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        title=_("Recognition decision at the scope “%(scope)s”")
        % {"scope": InitiativeScope(scope).label},
        save=lambda data: decisions.initiative_recognise(
            actor=request.user,
            initiative=initiative,
            data=pages.recognition_input(scope, data),
            idempotency_key=data["token"],
        ),
        success=lambda _r: reverse("initiatives:detail", args=[pk]),
        success_message=_("The recognition decision is issued."),
        cancel_url=reverse("initiatives:detail", args=[pk]),
        intro=initiative.title,
    )


@login_required
def received(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative(request, pk)
    form = ReceivedForm(request.POST or None, initial={"scope": InitiativeScope.TINH_BO})
    return form_page(
        request,
        form,
        title=_("Record a decision received from the level above"),
        save=lambda data: decisions.recognition_record_received(
            actor=request.user, initiative=initiative, **data
        ),
        success=lambda _r: reverse("initiatives:detail", args=[pk]),
        success_message=_("The decision is recorded."),
        cancel_url=reverse("initiatives:detail", args=[pk]),
        intro=initiative.title,
    )
