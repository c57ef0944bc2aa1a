"""Excel and chart pages of a scoring round: the matrix as a workbook, each unit's scoring
sheet (download → fill in Excel → upload → preview → confirm), the ranking chart and a unit's
profile against the block average.

The upload follows the award import: the file is checked by content, kept under its SHA-256
until the user confirms, and nothing is written before the confirmation, which checks the
file again and saves it whole or not at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.lib import files
from thidua.lib.files import Area
from thidua.lib.filetypes import XLSX_CONTENT_TYPE, sniff
from thidua.org.models import Unit
from thidua.org.permissions import headed_unit_ids

from .. import charts, permissions, sheets
from ..models import PeerAssignment, ScoringRound
from ..permissions import may_see_matrix
from ..selectors import results
from ..selectors import tables as table_selectors


def _round(pk: int) -> ScoringRound:
    return get_object_or_404(
        ScoringRound.objects.select_related("table__campaign__agency", "table__block"), pk=pk
    )


def _attachment(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _target(
    request: HttpRequest, pk: int, unit_pk: int, mode: str
) -> tuple[ScoringRound, Unit, Unit | None]:
    """The round, the scored unit and (peer mode) the scoring unit, if the user may fill
    that sheet; otherwise 403, so nobody sees another unit's sheet."""
    if mode not in sheets.MODES:
        raise Http404
    round_ = _round(pk)
    unit = get_object_or_404(Unit, pk=unit_pk)
    scorer = None
    if mode == sheets.PEER:
        scorer_pk = request.POST.get("scorer") or request.GET.get("scorer") or ""
        if not scorer_pk.isdigit():
            raise Http404
        scorer = get_object_or_404(Unit, pk=int(scorer_pk))
    if unit.pk not in table_selectors.block_unit_ids(round_.table):
        raise Http404
    if not permissions.may_download_sheet(request.user, round_, unit, mode, scorer):
        raise PermissionDenied
    return round_, unit, scorer


def _done_url(round_: ScoringRound, unit: Unit, mode: str) -> str:
    if mode == sheets.SELF:
        return reverse("scoring_self", args=[round_.pk, unit.pk])
    if mode == sheets.VERIFY:
        return reverse("scoring_matrix", args=[round_.table_id, round_.period])
    return reverse("scoring_sheet_index", args=[round_.pk])


@login_required
def sheets_index(request: HttpRequest, pk: int) -> HttpResponse:
    """Every sheet this user may fill in this round, and the matrix tools if they see it."""
    round_ = _round(pk)
    unit_ids = table_selectors.block_unit_ids(round_.table)
    units = Unit.objects.in_bulk(unit_ids)
    own = [units[u] for u in unit_ids if u in headed_unit_ids(request.user)]
    verifiable = permissions.verifiable_unit_ids(request.user, round_, unit_ids)
    peers = list(
        PeerAssignment.objects.filter(
            round=round_, scorer__in=[u.pk for u in own], scored__in=unit_ids
        ).select_related("scorer", "scored")
    )
    sees_matrix = may_see_matrix(request.user, round_)
    if not (own or verifiable or peers or sees_matrix):
        raise PermissionDenied
    context = {
        "round": round_,
        "table": round_.table,
        "own": own,
        "verifiable": [units[u] for u in unit_ids if u in verifiable],
        "peers": peers,
        "sees_matrix": sees_matrix,
    }
    return render(request, "scoring/sheets/index.html", context)


@login_required
def matrix_export(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(pk)
    if not may_see_matrix(request.user, round_):
        raise PermissionDenied
    block_code = round_.table.block.code if round_.table.block else "mau"
    name = f"ma-tran-diem-{block_code}-{round_.period}-v{round_.table.version}.xlsx"
    return _attachment(sheets.matrix_workbook(results.block_results(round_)), name)


@login_required
def sheet_download(request: HttpRequest, pk: int, mode: str, unit_pk: int) -> HttpResponse:
    round_, unit, scorer = _target(request, pk, unit_pk, mode)
    data = sheets.scoring_sheet(round_, unit, mode, scorer)
    return _attachment(data, sheets.sheet_file_name(round_, unit, mode, scorer))


@login_required
def sheet_upload(request: HttpRequest, pk: int, mode: str, unit_pk: int) -> HttpResponse:
    """Upload a filled sheet and see what would change, with every problem; writes nothing
    but the file kept for the confirmation."""
    round_, unit, scorer = _target(request, pk, unit_pk, mode)
    context: dict[str, Any] = {
        "round": round_,
        "table": round_.table,
        "unit": unit,
        "scorer": scorer,
        "mode": mode,
        "mode_label": sheets.MODE_LABELS[mode],
        "done_url": _done_url(round_, unit, mode),
        "scorer_query": f"?scorer={scorer.pk}" if scorer else "",
    }
    status = 200
    if request.method == "POST":
        found = _read_upload(request.FILES.get("file"), round_, unit, mode, scorer)
        context.update(found)
        status = 400 if "upload_error" in found else 200
    return render(request, "scoring/sheets/upload.html", context, status=status)


def _read_upload(
    upload: Any, round_: ScoringRound, unit: Unit, mode: str, scorer: Unit | None
) -> dict[str, Any]:
    """Check an uploaded sheet: its plan of changes and problems, or why it cannot be read.
    The file is kept (by its SHA-256) only when there is something to confirm."""
    data = upload.read() if upload is not None else b""
    try:
        if upload is None:
            raise ValidationError(_("Choose a file."))
        if sniff(data) != "zip":
            raise ValidationError(
                _(
                    "This is not an Excel .xlsx file. "
                    "Save it from Excel as “Excel Workbook (.xlsx)”."
                )
            )
        plan = sheets.read_scoring_sheet(data, round_, unit, mode, scorer)
    except ValidationError as error:
        return {"upload_error": " ".join(error.messages)}
    digest = files.sha256_hex(data)
    if plan.changes and not plan.problems:
        files.keep_upload(Area.SCORING_SHEETS, data)
    return {"plan": plan, "sha256": digest, "file_name": Path(upload.name or "").name}


@login_required
@require_POST
def sheet_confirm(request: HttpRequest, pk: int, mode: str, unit_pk: int) -> HttpResponse:
    round_, unit, scorer = _target(request, pk, unit_pk, mode)
    upload_url = reverse("scoring_sheet_upload", args=[round_.pk, mode, unit.pk])
    if scorer is not None:
        upload_url += f"?scorer={scorer.pk}"
    digest = request.POST.get("sha256", "")
    data = files.read_upload(Area.SCORING_SHEETS, digest)
    if data is None:
        messages.error(request, _("The uploaded file is no longer available; upload it again."))
        return redirect(upload_url)
    try:
        plan = sheets.sheet_save(
            actor=request.user,
            round_=round_,
            unit=unit,
            mode=mode,
            scorer=scorer,
            data=data,
            file_name=request.POST.get("file_name", "")[:255],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(upload_url)
    files.drop_upload(Area.SCORING_SHEETS, digest)
    messages.success(
        request,
        _("Saved %(count)s scores from the sheet of %(unit)s.")
        % {"count": len(plan.changes), "unit": unit},
    )
    return redirect(_done_url(round_, unit, mode))


@login_required
def ranking_chart(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(pk)
    if not may_see_matrix(request.user, round_):
        raise PermissionDenied
    block = results.block_results(round_)
    bars, bands = charts.ranking_data(block)
    context = {
        "round": round_,
        "table": round_.table,
        "results": block,
        "svg": charts.ranking_svg(bars, bands),
        "bands": [(name, charts.band_colour(name, bands)) for name in bands],
    }
    return render(request, "scoring/sheets/ranking.html", context)


@login_required
def unit_profile(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """A unit's points per content group against the block average: for the matrix's
    readers and for the unit's own head."""
    round_ = _round(pk)
    unit = get_object_or_404(Unit, pk=unit_pk)
    if not (may_see_matrix(request.user, round_) or unit.pk in headed_unit_ids(request.user)):
        raise PermissionDenied
    block = results.block_results(round_)
    row = next((r for r in block.rows if r.unit.pk == unit.pk), None)
    if row is None:
        raise Http404
    groups = charts.profile_data(block, unit.pk)
    label = unit.short_name or unit.code
    context = {
        "round": round_,
        "table": round_.table,
        "unit": unit,
        "row": row,
        "groups": groups,
        "svg": charts.profile_svg(groups, label),
        "sees_matrix": may_see_matrix(request.user, round_),
    }
    return render(request, "scoring/sheets/profile.html", context)
