"""The "Start a year" pages: choose the agency and the year, then the preview of
everything that will be created, editable, and one button that creates it all."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from thidua.lib.dates import today
from thidua.org.models import Unit
from thidua.org.permissions import Action, require
from thidua.pages.forms import apply_service_errors
from thidua.pages.views import form_page

from . import forms, selectors, services


def _preview_url(data: dict) -> str:
    url = reverse("year_start_preview", args=[data["agency"].pk, data["year"]])
    return f"{url}?from={data['from_year']}" if data.get("from_year") else url


def _check(request: HttpRequest, data: dict) -> dict:
    require(request.user, Action.CAMPAIGN_MANAGE, data["agency"])
    selectors.source_year(data["agency"], data["year"], data.get("from_year"))
    return data


@login_required
def year_start(request: HttpRequest) -> HttpResponse:
    initial = {
        "agency": request.GET.get("agency"),
        "year": request.GET.get("year") or today().year + 1,
    }
    form = forms.YearChoiceForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        title=_("Start a year"),
        save=lambda d: _check(request, d),
        success=_preview_url,
        success_message=_("Check what will be created, change what you need, then confirm."),
        intro=_(
            "The new year starts from the last one: its plan as a draft, the blocks and their "
            "members, and each block's scoring table. Nothing is created before you confirm."
        ),
        extra={"submit_label": _("Preview")},
    )


@login_required
def year_start_preview(request: HttpRequest, agency_pk: int, year: int) -> HttpResponse:
    agency = get_object_or_404(Unit, pk=agency_pk)
    require(request.user, Action.CAMPAIGN_MANAGE, agency)
    from_year = int(request.GET["from"]) if request.GET.get("from", "").isdigit() else None
    try:
        preview = selectors.year_preview(agency, year, from_year)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(f"{reverse('year_start')}?agency={agency.pk}&year={year}")
    form = forms.year_start_form(preview, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.year_start(
                actor=request.user,
                agency=agency,
                year=year,
                from_year=from_year,
                changes=form.changes(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The year %(year)s was started. Check the plan, then open the blocks' years.")
                % {"year": year},
            )
            return redirect(reverse("campaign_detail", args=[campaign.pk]) + "#blocks")
    status = 400 if request.method == "POST" else 200
    return render(request, "years/preview.html", {"preview": preview, "form": form}, status=status)
