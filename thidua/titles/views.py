"""The agency's overrides: the council's printable list for a year, and the chair's form."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from thidua.lib.dates import today
from thidua.org.models import Unit
from thidua.pages.views import form_page

from . import services
from .forms import OverrideForm
from .permissions import may_override, may_see_overrides
from .selectors import overrides_of


@login_required
def overrides(request: HttpRequest, agency_pk: int) -> HttpResponse:
    agency = get_object_or_404(Unit, pk=agency_pk)
    if not may_see_overrides(request.user, agency):
        raise PermissionDenied
    year = int(request.GET.get("year") or today().year)
    context = {
        "agency": agency,
        "year": year,
        "rows": overrides_of(agency, year),
        "may_record": may_override(request.user, agency),
    }
    return render(request, "titles/overrides.html", context)


@login_required
def override_new(request: HttpRequest, agency_pk: int) -> HttpResponse:
    agency = get_object_or_404(Unit, pk=agency_pk)
    if not may_override(request.user, agency):
        raise PermissionDenied
    form = OverrideForm(request.POST or None, agency=agency, initial={"year": today().year})
    list_url = reverse("titles:overrides", args=[agency.pk])
    return form_page(
        request,
        form,
        title=_("Record an override"),
        intro=_("Awarding a recipient who fails a title's conditions needs a written reason."),
        save=lambda data: services.override_record(
            actor=request.user,
            agency=agency,
            year=data["year"],
            title=data["title"],
            person=data["person_code"],
            unit=data["unit"],
            reason=data["reason"],
        ),
        success=lambda row: f"{list_url}?year={row.year}",
        success_message=_("The override was recorded."),
        cancel_url=list_url,
    )
