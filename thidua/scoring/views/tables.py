"""Scoring table pages: thin wrappers around the selectors and services."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.campaigns.models import BlockCycle
from thidua.pages.forms import apply_service_errors
from thidua.pages.views import form_page, post_action

from .. import engine, forms, permissions
from ..formula import FormulaError, parse
from ..models import Band, ScoringItem, ScoringTable
from ..selectors import tables as table_selectors
from ..services import tables as table_services


def _table(pk: int) -> ScoringTable:
    return get_object_or_404(table_selectors.table_queryset(), pk=pk)


def _item(pk: int) -> ScoringItem:
    return get_object_or_404(ScoringItem.objects.select_related("table__campaign__agency"), pk=pk)


def _url(table: ScoringTable) -> str:
    return reverse("scoring_table", args=[table.pk])


def _require_edit(request: HttpRequest, table: ScoringTable) -> None:
    if not permissions.may_edit(request.user, table):
        raise PermissionDenied


def _cycle(pk: int) -> BlockCycle:
    return get_object_or_404(
        BlockCycle.objects.select_related("campaign__agency", "term__block"), pk=pk
    )


@login_required
def scoring_for_cycle(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    """A block's year: its table if there is one, else the leader starts one."""
    cycle = _cycle(cycle_pk)
    campaign, block = cycle.campaign, cycle.term.block
    table = table_selectors.current_table(campaign, block)
    if table is not None:
        return redirect(_url(table))
    may_edit = permissions.may_edit_block(request.user, campaign, block)
    if request.method == "POST" and may_edit:
        table = table_services.table_create(actor=request.user, campaign=campaign, block=block)
        messages.success(request, _("The scoring table was started from the campaign's criteria."))
        return redirect(_url(table))
    context = {
        "cycle": cycle,
        "may_edit": may_edit,
        "sources": table_selectors.copy_sources(campaign.agency_id) if may_edit else [],
    }
    return render(request, "scoring/start.html", context)


@login_required
def scoring_copy(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle = _cycle(cycle_pk)
    campaign, block = cycle.campaign, cycle.term.block
    if not permissions.may_edit_block(request.user, campaign, block):
        raise PermissionDenied
    form = forms.CopyForm(
        request.POST or None, sources=table_selectors.copy_sources(campaign.agency_id)
    )
    return form_page(
        request,
        form,
        title=_("Copy a scoring table"),
        intro=_("A new draft for %(block)s, %(year)s, copied from the table you choose.")
        % {"block": block.name, "year": campaign.year},
        save=lambda data: table_services.table_copy(
            actor=request.user, source=data["source"], campaign=campaign, block=block
        ),
        success=_url,
        success_message=_("The table was copied into a new draft."),
        cancel_url=reverse("scoring_for_cycle", args=[cycle.pk]),
        extra={"submit_label": _("Copy")},
    )


@login_required
def table_detail(request: HttpRequest, pk: int) -> HttpResponse:
    table = _table(pk)
    if not permissions.may_view(request.user, table):
        raise PermissionDenied
    rows = table_selectors.tree_rows(table)
    may_edit = permissions.may_edit(request.user, table)
    context = {
        "table": table,
        "rows": rows,
        "maximum": table_selectors.table_maximum(table_selectors.engine_table(table)),
        "bands": list(table.bands.all()),
        "versions": table_selectors.tables_for_block(table.campaign, table.block),
        "may_edit": may_edit,
        "problems": table_services.freeze_problems(table) if may_edit and table.is_draft else [],
        "try_form": forms.TryForm(),
    }
    return render(request, "scoring/table.html", context)


@login_required
def table_settings(request: HttpRequest, pk: int) -> HttpResponse:
    table = _table(pk)
    _require_edit(request, table)
    form = forms.TableSettingsForm(
        request.POST or None,
        initial={
            "name": table.name,
            "rounding_places": table.rounding_places,
            "rounding_mode": table.rounding_mode,
        },
    )
    return form_page(
        request,
        form,
        title=_("Scoring table settings"),
        intro=str(table),
        save=lambda data: table_services.table_update(actor=request.user, table=table, **data),
        success=_url,
        success_message=_("The table was saved."),
        cancel_url=_url(table),
    )


def _button(request: HttpRequest, table: ScoringTable, call: Any, message: str) -> HttpResponse:
    result: list[ScoringTable] = []
    response = post_action(
        request,
        lambda: result.append(call(actor=request.user, table=table)),
        success_message=message,
        done_url=_url(table),
    )
    if result and result[0].pk != table.pk:
        return redirect(_url(result[0]))
    return response


@login_required
@require_POST
def table_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    table = _table(pk)
    _require_edit(request, table)
    return _button(request, table, table_services.table_freeze, _("The table was frozen."))


@login_required
@require_POST
def table_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    table = _table(pk)
    _require_edit(request, table)
    return _button(
        request, table, table_services.table_new_version, _("A new version was opened for editing.")
    )


def formula_marker(text: str) -> dict[str, Any] | None:
    """The formula split around the error's position, to underline it on the form."""
    try:
        parse(text)
    except FormulaError as error:
        if error.position is None:
            return None
        at = error.position - 1
        return {"before": text[:at], "at": text[at : at + 1] or " ", "after": text[at + 1 :]}
    return None


def _item_page(
    request: HttpRequest,
    table: ScoringTable,
    form: forms.ItemForm,
    *,
    title: str,
    save: Any,
    message: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(form.to_input(), form.cleaned_data["parent"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, message)
            return redirect(_url(table))
    marker = None
    if form.is_bound and form.errors.get("formula"):
        marker = formula_marker(form.data.get("formula", ""))
    context = {"form": form, "table": table, "title": title, "marker": marker}
    status = 400 if request.method == "POST" else 200
    return render(request, "scoring/item_form.html", context, status=status)


@login_required
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    table = _table(pk)
    _require_edit(request, table)
    parent_id = request.GET.get("parent")
    form = forms.ItemForm(
        request.POST or None,
        table=table,
        initial={"parent": parent_id, "kind": engine.Kind.PASS_FAIL},
    )
    return _item_page(
        request,
        table,
        form,
        title=_("Add an item"),
        save=lambda data, parent: table_services.item_add(
            actor=request.user, table=table, parent=parent, data=data
        ),
        message=_("The item was added."),
    )


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(pk)
    table = item.table
    _require_edit(request, table)
    initial = {
        name: getattr(item, name)
        for name in forms.ItemForm.base_fields
        if name not in ("parent", "criterion")
    }
    initial.update({"parent": item.parent_id, "criterion": item.criterion_id})
    form = forms.ItemForm(request.POST or None, table=table, item=item, initial=initial)
    return _item_page(
        request,
        table,
        form,
        title=_("Edit item %(code)s") % {"code": item.code},
        save=lambda data, parent: table_services.item_update(
            actor=request.user, item=item, data=data, parent=parent
        ),
        message=_("The item was saved."),
    )


@login_required
@require_POST
def item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(pk)
    _require_edit(request, item.table)
    up = request.POST.get("direction") == "up"
    return post_action(
        request,
        lambda: table_services.item_move(actor=request.user, item=item, up=up),
        success_message=_("The item was moved."),
        done_url=_url(item.table),
    )


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(pk)
    _require_edit(request, item.table)
    return post_action(
        request,
        lambda: table_services.item_delete(actor=request.user, item=item),
        success_message=_("The item was deleted."),
        done_url=_url(item.table),
    )


@login_required
def formula_check(request: HttpRequest) -> HttpResponse:
    """The formula field's live check (an htmx fragment): fine, or the error and where."""
    text = request.GET.get("formula", "")
    error = ""
    if text.strip():
        try:
            parse(text)
        except FormulaError as problem:
            error = problem.message
    context = {"text": text, "error": error, "marker": formula_marker(text) if error else None}
    return render(request, "scoring/formula_check.html", context)


@login_required
def item_try(request: HttpRequest, pk: int) -> HttpResponse:
    """The "try it" box: one leaf's points for sample values (an htmx fragment)."""
    item = _item(pk)
    if not permissions.may_view(request.user, item.table):
        raise PermissionDenied
    form = forms.TryForm(request.POST or request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        leaf = table_selectors.engine_item(item)
        if data["target"] is not None:
            leaf = replace(leaf, target=data["target"])
        stats = engine.Stats(
            data["block_max"], data["block_min"], data["block_avg"], data["best_value"], 0
        )
        result = engine.try_leaf(
            leaf,
            value=data["value"],
            stats=stats,
            places=item.table.rounding_places,
            rounding=engine.Rounding(item.table.rounding_mode),
        )
    context = {"item": item, "form": form, "result": result}
    return render(request, "scoring/try.html", context)


@login_required
def band_add(request: HttpRequest, pk: int) -> HttpResponse:
    table = _table(pk)
    _require_edit(request, table)
    return _band_page(request, table, None)


@login_required
def band_edit(request: HttpRequest, pk: int) -> HttpResponse:
    band = get_object_or_404(Band.objects.select_related("table"), pk=pk)
    table = _table(band.table_id)
    _require_edit(request, table)
    return _band_page(request, table, band)


def _band_page(request: HttpRequest, table: ScoringTable, band: Band | None) -> HttpResponse:
    initial = (
        {"name": band.name, "min_total": band.min_total, "eligible_for": band.eligible_for}
        if band
        else {}
    )
    form = forms.BandForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        title=_("Classification band"),
        intro=str(table),
        save=lambda data: table_services.band_save(
            actor=request.user, table=table, band=band, **data
        ),
        success=lambda _band: _url(table),
        success_message=_("The band was saved."),
        cancel_url=_url(table),
    )


@login_required
@require_POST
def band_delete(request: HttpRequest, pk: int) -> HttpResponse:
    band = get_object_or_404(Band.objects.select_related("table"), pk=pk)
    table = _table(band.table_id)
    _require_edit(request, table)
    return post_action(
        request,
        lambda: table_services.band_delete(actor=request.user, band=band),
        success_message=_("The band was deleted."),
        done_url=_url(table),
    )
