"""Proposal pages: thin wrappers around the selectors and services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.awards.models import AwardForm
from thidua.campaigns.models import BlockCycle, Campaign
from thidua.documents import services as documents
from thidua.lib.dates import parse_day, today
from thidua.lib.filetypes import DOCX_CONTENT_TYPE
from thidua.org.permissions import is_council_member_of
from thidua.pages.views import post_action
from thidua.voting.models import Meeting

from . import permissions, selectors, storage
from .documents import PROPOSAL_TEMPLATE, dossier_proposal_context
from .models import FILE_KINDS, Dossier, DossierFile, UpwardProposal
from .services import dossiers as dossier_services
from .services import upward as upward_services


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year") or request.POST.get("year") or today().year)
    except ValueError:
        return today().year


def _act(request: HttpRequest, call: Any, success: str, url: str) -> HttpResponse:
    return post_action(request, call, success_message=success, done_url=url)


def _dossier(request: HttpRequest, pk: int) -> Dossier:
    dossier = get_object_or_404(selectors.dossier_queryset(), pk=pk)
    if not permissions.may_view(request.user, dossier):
        raise PermissionDenied
    return dossier


def _date(value: str) -> dt.date | None:
    return parse_day(value)


def _upward_choices(reviewed: list[Any], year: int) -> list[tuple[AwardForm, list[Dossier]]]:
    """Per title decided above the Department: the approved dossiers no proposal carries."""
    choices = []
    for agency in reviewed:
        for form in AwardForm.objects.filter(level__in=["provincial", "national"]):
            dossiers = selectors.approved_for_upward(agency, year, form)
            if dossiers:
                choices.append((form, dossiers))
    return choices


@login_required
def index(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    user = request.user
    reviewed = selectors.reviewed_agencies(user)
    dossiers = list(selectors.dossiers_for(user, year))
    rows = [(d, selectors.council_result(d)) for d in dossiers]
    pending = [p for a in reviewed for p in selectors.own_decision_pending(a, year)]
    context = {
        "year": year,
        "years": sorted(
            set(Campaign.objects.values_list("year", flat=True)) | {year}, reverse=True
        ),
        "rows": rows,
        "cycles": selectors.cycles_to_prepare(user, year),
        "forms": selectors.forms_with_checklist(),
        "reviewer": bool(reviewed),
        "sessions": [m for a in reviewed for m in selectors.open_council_sessions(a)],
        "pending": pending,
        "pending_all_url": selectors.decision_draft_url(pending),
        "pending_links": [(d, selectors.decision_draft_url([d])) for d in pending],
        "upward": selectors.upward_for(user, year),
        "upward_choices": _upward_choices(reviewed, year),
    }
    return render(request, "proposals/index.html", context)


@login_required
@require_POST
def dossier_prepare(request: HttpRequest) -> HttpResponse:
    cycle = get_object_or_404(BlockCycle, pk=request.POST.get("cycle") or 0)
    form = get_object_or_404(AwardForm, code=request.POST.get("form", ""))
    try:
        dossier = dossier_services.dossier_prepare(actor=request.user, cycle=cycle, form=form)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(f"{reverse('proposals:index')}?year={cycle.campaign.year}")
    return redirect("proposals:dossier", pk=dossier.pk)


@login_required
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk)
    actions = selectors.dossier_actions(request.user, dossier)
    context = {
        "dossier": dossier,
        "lines": selectors.checklist_lines(dossier),
        "file_items": [
            line for line in selectors.checklist_lines(dossier) if line.kind in FILE_KINDS
        ],
        "files": list(dossier.files.all()),
        "reports": list(
            dossier.member_reports.select_related("report__unit").order_by("report__unit__name")
        ),
        "events": list(dossier.events.select_related("actor")),
        "result": selectors.council_result(dossier),
        "actions": actions,
        "draft_url": selectors.decision_draft_url([dossier]) if actions.draft_decision else "",
    }
    return render(request, "proposals/dossier.html", context)


@login_required
@require_POST
def dossier_submit(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk)
    return _act(
        request,
        lambda: dossier_services.dossier_submit(actor=request.user, dossier=dossier),
        _("The dossier is sent to the standing body."),
        reverse("proposals:dossier", args=[pk]),
    )


@login_required
@require_POST
def dossier_accept(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk)
    return _act(
        request,
        lambda: dossier_services.dossier_accept(actor=request.user, dossier=dossier),
        _("The dossier is accepted."),
        reverse("proposals:dossier", args=[pk]),
    )


@login_required
@require_POST
def dossier_return(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk)
    return _act(
        request,
        lambda: dossier_services.dossier_return(
            actor=request.user, dossier=dossier, reason=request.POST.get("reason", "")
        ),
        _("The dossier is returned to the block."),
        reverse("proposals:dossier", args=[pk]),
    )


@login_required
@require_POST
def dossier_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk)
    upload = request.FILES.get("file")
    url = reverse("proposals:dossier", args=[pk])
    if upload is None:
        messages.error(request, _("Choose a file to upload."))
        return redirect(url)
    return _act(
        request,
        lambda: dossier_services.dossier_file_add(
            actor=request.user,
            dossier=dossier,
            requirement_code=request.POST.get("item", ""),
            name=upload.name or "file",
            data=upload.read(),
        ),
        _("The file is attached."),
        url,
    )


@login_required
def dossier_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    dossier = _dossier(request, pk)
    item = get_object_or_404(DossierFile, pk=file_pk, dossier=dossier)
    response = HttpResponse(storage.read_file(item), content_type=item.content_type)
    response["Content-Disposition"] = f'attachment; filename="{item.name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def dossier_proposal_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The block's tờ trình filled from the dossier, for the leader to sign and upload. Not
    numbered: a block is not an issuing body of the registry."""
    dossier = _dossier(request, pk)
    term, year = dossier.cycle.term, dossier.cycle.campaign.year
    context = dossier_proposal_context(dossier)
    context.update({"verification_code": "", "verification_url": ""})
    data = documents.render_template(PROPOSAL_TEMPLATE, None, context)
    response = HttpResponse(
        data,
        content_type=DOCX_CONTENT_TYPE,
    )
    response["Content-Disposition"] = (
        f'attachment; filename="to-trinh-{term.block.code}-{year}.docx"'
    )
    return response


@login_required
@require_POST
def council_agenda(request: HttpRequest) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=request.POST.get("meeting") or 0)
    year = _year(request)
    return _act(
        request,
        lambda: dossier_services.council_agenda_add(actor=request.user, meeting=meeting, year=year),
        _("The accepted dossiers are on the council's agenda."),
        f"{reverse('proposals:index')}?year={year}",
    )


@login_required
@require_POST
def upward_create(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    form = get_object_or_404(AwardForm, code=request.POST.get("form", ""))
    dossiers = list(Dossier.objects.filter(pk__in=request.POST.getlist("dossiers") or [0]))
    agency = dossiers[0].cycle.campaign.agency if dossiers else None
    if agency is None:
        messages.error(request, _("Choose at least one dossier the council approved."))
        return redirect(f"{reverse('proposals:index')}?year={year}")
    try:
        proposal = upward_services.upward_create(
            actor=request.user,
            agency=agency,
            year=year,
            form=form,
            level_above=request.POST.get("level_above", ""),
            dossiers=dossiers,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(f"{reverse('proposals:index')}?year={year}")
    return redirect("proposals:upward", pk=proposal.pk)


def _upward(request: HttpRequest, pk: int) -> UpwardProposal:
    proposal = get_object_or_404(
        UpwardProposal.objects.select_related("agency", "form", "document", "decision"), pk=pk
    )
    reviewed = [a.pk for a in selectors.reviewed_agencies(request.user)]
    if proposal.agency_id not in reviewed and not is_council_member_of(
        request.user, proposal.agency
    ):
        raise PermissionDenied
    return proposal


@login_required
def upward_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _upward(request, pk)
    actions = selectors.upward_actions(request.user, proposal)
    context = {
        "proposal": proposal,
        "dossiers": list(proposal.dossiers.select_related("unit", "cycle__term__block")),
        "events": list(proposal.events.select_related("recorded_by")),
        "actions": actions,
        "next_statuses": [(s, UpwardProposal.Status(s).label) for s in actions.next_statuses],
        "today": today(),
    }
    return render(request, "proposals/upward.html", context)


@login_required
@require_POST
def upward_issue(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _upward(request, pk)
    return _act(
        request,
        lambda: upward_services.upward_issue(
            actor=request.user,
            proposal=proposal,
            signer_name=request.POST.get("signer_name", ""),
            signer_title=request.POST.get("signer_title", ""),
            signer_authority=request.POST.get("signer_authority", ""),
        ),
        _("The proposal is numbered and issued."),
        reverse("proposals:upward", args=[pk]),
    )


@login_required
@require_POST
def upward_status(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _upward(request, pk)
    url = reverse("proposals:upward", args=[pk])
    on = _date(request.POST.get("on", ""))
    if on is None:
        messages.error(request, _("Give the date."))
        return redirect(url)
    return _act(
        request,
        lambda: upward_services.upward_status_record(
            actor=request.user,
            proposal=proposal,
            status=request.POST.get("status", ""),
            on=on,
            number=request.POST.get("number", ""),
            note=request.POST.get("note", ""),
        ),
        _("The status is recorded."),
        url,
    )


@login_required
@require_POST
def upward_answer(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _upward(request, pk)
    url = reverse("proposals:upward", args=[pk])
    issued_on = _date(request.POST.get("issued_on", ""))
    if issued_on is None:
        messages.error(request, _("Give the date of the decision."))
        return redirect(url)
    upload = request.FILES.get("original")
    awarded = list(proposal.dossiers.filter(pk__in=request.POST.getlist("awarded") or [0]))
    return _act(
        request,
        lambda: upward_services.upward_answer_record(
            actor=request.user,
            proposal=proposal,
            awarded=awarded,
            issuer_name=request.POST.get("issuer_name", ""),
            symbol=request.POST.get("symbol", ""),
            issued_on=issued_on,
            signer=request.POST.get("signer", ""),
            original=upload.read() if upload is not None else None,
            original_name=(upload.name or "") if upload is not None else "",
            note=request.POST.get("note", ""),
        ),
        _("The answer from the level above is recorded."),
        url,
    )
