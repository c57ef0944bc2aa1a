"""Organisation pages: the tree (now or on a past day), units and their history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from thidua.lib.dates import parse_day, today
from thidua.org import forms, selectors
from thidua.org.models import Unit, UnitStatus
from thidua.org.permissions import Action, can, require
from thidua.org.services import ratings as rating_services
from thidua.org.services import units as unit_services
from thidua.pages.views import form_page, post_action


def _parse_day(value: str | None) -> dt.date | None:
    return parse_day(value)


@login_required
def org_tree(request: HttpRequest) -> HttpResponse:
    on = _parse_day(request.GET.get("on"))
    include_closed = request.GET.get("closed") == "1"
    nodes = selectors.flatten(selectors.org_tree(on=on, include_closed=include_closed))
    return render(
        request,
        "org/org_tree.html",
        {"nodes": nodes, "on": on, "include_closed": include_closed},
    )


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=pk)
    unit = selectors.unit_detail(unit.pk)
    on = _parse_day(request.GET.get("on")) or today()
    may_manage = can(request.user, Action.UNIT_MANAGE, unit)
    context = {
        "unit": unit,
        "on": on,
        "version_on": selectors.unit_version_on(unit, on),
        "term_on": selectors.unit_block_on(unit, on),
        "staff": selectors.unit_staff(unit, on=on),
        "may_manage": may_manage and unit.status == UnitStatus.ACTIVE,
        "may_add_person": can(request.user, Action.PERSON_MANAGE, unit),
        "may_see_ratings": can(request.user, Action.RATING_MANAGE, unit),
    }
    return render(request, "org/unit_detail.html", context)


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    form = forms.UnitCreateForm(request.POST or None, initial={"valid_from": today()})
    if request.method == "POST" and form.is_valid():
        require(request.user, Action.UNIT_MANAGE, form.cleaned_data["parent"])
    return form_page(
        request,
        form,
        title=_("New unit"),
        save=lambda d: unit_services.unit_create(actor=request.user, **d),
        success=lambda unit: reverse("unit_detail", args=[unit.pk]),
        success_message=_("The unit was created."),
        cancel_url=reverse("org_tree"),
    )


UNIT_OPERATIONS: dict[str, tuple[type[forms.StyledForm], str | Promise, Callable[..., Unit]]] = {
    "rename": (forms.UnitRenameForm, gettext_lazy("Rename"), unit_services.unit_rename),
    "move": (forms.UnitMoveForm, gettext_lazy("Move to another parent"), unit_services.unit_move),
    "dissolve": (forms.UnitCloseForm, gettext_lazy("Dissolve"), unit_services.unit_dissolve),
    "archive": (forms.UnitCloseForm, gettext_lazy("Archive"), unit_services.unit_archive),
}


@login_required
def unit_operation(request: HttpRequest, pk: int, operation: str) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=pk)
    require(request.user, Action.UNIT_MANAGE, unit)
    if operation == "merge":
        return _unit_merge(request, unit)
    if operation not in UNIT_OPERATIONS:
        raise PermissionDenied
    form_class, label, service = UNIT_OPERATIONS[operation]
    initial = {
        "on": today(),
        "name": unit.name,
        "short_name": unit.short_name,
        "parent": unit.parent_id,
    }
    form = form_class(request.POST or None, initial=initial)

    def save(data: dict) -> Unit:
        if operation == "archive":
            return service(actor=request.user, unit=unit, on=data["on"])
        return service(actor=request.user, unit=unit, **data)

    return form_page(
        request,
        form,
        title=f"{label}: {unit.name}",
        save=save,
        success=lambda _unit: reverse("unit_detail", args=[unit.pk]),
        success_message=_("Saved. The previous state stays in the unit's history."),
        cancel_url=reverse("unit_detail", args=[unit.pk]),
    )


def _unit_merge(request: HttpRequest, unit: Unit) -> HttpResponse:
    form = forms.UnitMergeForm(request.POST or None, initial={"on": today()})
    return form_page(
        request,
        form,
        title=_("Merge %(unit)s into another unit") % {"unit": unit.name},
        save=lambda d: unit_services.unit_merge(actor=request.user, sources=[unit], **d),
        success=lambda target: reverse("unit_detail", args=[target.pk]),
        success_message=_("The units were merged; their staff now belong to the target unit."),
        cancel_url=reverse("unit_detail", args=[unit.pk]),
        intro=_("The merged unit closes; its history, ratings and blocks stay queryable."),
    )


@login_required
def unit_rating_set(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=pk)
    require(request.user, Action.UNIT_MANAGE, unit)
    form = forms.UnitRatingForm(request.POST or None, initial={"year": today().year})
    return form_page(
        request,
        form,
        title=_("Unit rating: %(unit)s") % {"unit": unit.name},
        save=lambda d: rating_services.unit_rating_set(actor=request.user, unit=unit, **d),
        success=lambda r: reverse("unit_detail", args=[unit.pk]),
        success_message=_("Saved."),
        cancel_url=reverse("unit_detail", args=[unit.pk]),
    )


@login_required
@require_POST
def unit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=pk)
    return post_action(
        request,
        lambda: unit_services.unit_delete(actor=request.user, unit=unit),
        success_message=_("The unit was deleted."),
        done_url=reverse("org_tree"),
        refused_url=reverse("unit_detail", args=[unit.pk]),
    )
