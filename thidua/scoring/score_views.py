"""Score pages: the unit's self-score form, the leader's verification matrix and form, the
lock, publishing, and the published ranking with every number's inputs."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.org.models import Unit
from thidua.org.permissions import Action, can, headed_unit_ids, is_council_member_of
from thidua.reports.models import Period
from thidua.web.utils import post_action

from . import report_document, results, scores, selectors
from .models import RankingSnapshot, ScoringItem, ScoringRound, ScoringTable


def _round(pk: int) -> ScoringRound:
    return get_object_or_404(
        ScoringRound.objects.select_related("table__campaign__agency", "table__block"), pk=pk
    )


def _matrix_url(round_: ScoringRound) -> str:
    return reverse("scoring_matrix", args=[round_.table_id, round_.period])


def may_see_matrix(user: Any, round_: ScoringRound) -> bool:
    return (
        results.may_verify_any(user, round_)
        or selectors.may_edit(user, round_.table)
        or is_council_member_of(user, round_.table.agency)
    )


def _parse(request: HttpRequest, items: list[ScoringItem], prefix: str) -> dict[str, Decimal]:
    """The points typed per item ("points-1.2"); a blank cell is not sent to the service."""
    found: dict[str, Decimal] = {}
    bad: list[str] = []
    for item in items:
        text = request.POST.get(f"{prefix}-{item.code}", "").strip().replace(",", ".")
        if not text:
            continue
        try:
            found[item.code] = Decimal(text)
        except InvalidOperation:
            bad.append(item.code)
    if bad:
        raise ValidationError(_("Not a number: %(codes)s.") % {"codes": ", ".join(bad)})
    return found


def _texts(request: HttpRequest, items: list[ScoringItem], prefix: str) -> dict[str, str]:
    return {i.code: request.POST.get(f"{prefix}-{i.code}", "").strip() for i in items}


@login_required
def score_matrix(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    """The round of a period: the matrix for the leader's team; a unit head goes to their
    own self-score form. The leader opens the round here."""
    table = get_object_or_404(selectors.table_queryset(), pk=pk)
    if period not in Period.values:
        raise Http404
    round_ = ScoringRound.objects.filter(table=table, period=period).first()
    if round_ is None:
        if not selectors.may_edit(request.user, table):
            raise PermissionDenied
        if request.method == "POST":
            scores.round_open(actor=request.user, table=table, period=period)
            messages.success(request, _("The scoring round is open."))
            return redirect(request.path)
        return render(request, "scoring/round_start.html", {"table": table, "period": period})
    round_.table = table
    if not may_see_matrix(request.user, round_):
        own = headed_unit_ids(request.user)
        mine = [u for u in selectors.block_unit_ids(table) if u in own]
        if mine:
            return redirect("scoring_self", round_.pk, mine[0])
        raise PermissionDenied
    block = results.block_results(round_)
    context = {
        "round": round_,
        "table": table,
        "results": block,
        "cells": results.matrix_cells(block),
        "snapshots": list(round_.snapshots.order_by("-number")),
        "is_leader": results.may_verify_any(request.user, round_),
        "verifiable": results.verifiable_unit_ids(
            request.user, round_, [row.unit.pk for row in block.rows]
        ),
    }
    return render(request, "scoring/matrix.html", context)


def _unit_page(
    request: HttpRequest, round_: ScoringRound, unit: Unit, template: str, extra: dict[str, Any]
) -> HttpResponse:
    block = results.block_results(round_)
    row = next((r for r in block.rows if r.unit.pk == unit.pk), None)
    if row is None:
        raise Http404
    self_codes, final_codes, computed_codes = (
        row.self_score.by_code(),
        row.final.by_code(),
        row.computed.by_code(),
    )
    lines = [
        {
            "item": item,
            "entry": row.entries.get(item.pk),
            "self": self_codes.get(item.code),
            "final": final_codes.get(item.code),
            "computed": computed_codes.get(item.code),
        }
        for item in block.leaves
    ]
    context = {"round": round_, "table": round_.table, "unit": unit, "row": row, "lines": lines}
    context.update(extra)
    status = 400 if request.method == "POST" else 200
    return render(request, template, context, status=status)


@login_required
def self_score(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    round_ = _round(pk)
    unit = get_object_or_404(Unit, pk=unit_pk)
    if not results.may_self_score(request.user, unit.pk):
        raise PermissionDenied
    errors: list[str] = []
    if request.method == "POST":
        items = list(round_.table.items.exclude(kind="section"))
        try:
            scores.self_score(
                actor=request.user,
                round_=round_,
                unit=unit,
                points=_parse(request, items, "points"),
                notes=_texts(request, items, "note"),
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("The self-score was saved."))
            return redirect(request.path)
    return _unit_page(request, round_, unit, "scoring/self_score.html", {"errors": errors})


@login_required
def verify(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    round_ = _round(pk)
    unit = get_object_or_404(Unit, pk=unit_pk)
    if not results.may_verify(request.user, round_, unit.pk):
        raise PermissionDenied
    errors: list[str] = []
    if request.method == "POST":
        items = list(round_.table.items.exclude(kind="section"))
        try:
            scores.verify(
                actor=request.user,
                round_=round_,
                unit=unit,
                points=_parse(request, items, "verified"),
                reasons=_texts(request, items, "reason"),
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("The verified scores were saved."))
            return redirect(_matrix_url(round_))
    return _unit_page(request, round_, unit, "scoring/verify.html", {"errors": errors})


@login_required
@require_POST
def round_lock(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(pk)
    return post_action(
        request,
        lambda: scores.round_lock(actor=request.user, round_=round_),
        success_message=_("The scores are locked."),
        done_url=_matrix_url(round_),
    )


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(pk)
    try:
        snapshot = scores.publish(
            actor=request.user, round_=round_, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_matrix_url(round_))
    messages.success(request, _("The ranking was published."))
    return redirect("scoring_snapshot", snapshot.pk)


@login_required
def snapshot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = get_object_or_404(
        RankingSnapshot.objects.select_related(
            "round__table__campaign__agency", "round__table__block", "replaces", "published_by"
        ),
        pk=pk,
    )
    table: ScoringTable = snapshot.round.table
    if not selectors.may_view(request.user, table):
        raise PermissionDenied
    context = {
        "snapshot": snapshot,
        "table": table,
        "round": snapshot.round,
        "report": report_document.report_of(snapshot),
        "may_issue_report": can(request.user, Action.DOCUMENT_ISSUE, table.campaign.agency),
    }
    return render(request, "scoring/snapshot.html", context)


@login_required
@require_POST
def snapshot_report_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the block's report (Báo cáo) from this published ranking."""
    snapshot = get_object_or_404(RankingSnapshot.objects.select_related("round__table"), pk=pk)
    try:
        document = report_document.report_issue(actor=request.user, snapshot=snapshot)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Report %(symbol)s issued.") % {"symbol": document.symbol or document}
        )
    return redirect("scoring_snapshot", pk=snapshot.pk)
