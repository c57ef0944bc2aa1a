"""Report pages: thin wrappers around the selectors and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.campaigns.models import BlockCycle, Criterion
from thidua.campaigns.selectors import campaign_current
from thidua.lib import files
from thidua.lib.dates import days_left
from thidua.lib.files import Area
from thidua.org.models import Unit
from thidua.org.permissions import headed_unit_ids, member_unit_ids
from thidua.pages.forms import apply_service_errors
from thidua.pages.views import post_action

from . import evidence, export, forms, permissions, selectors, services
from .models import Evidence, Period, Report, ReportExport, ReportVersion


def _report(pk: int) -> Report:
    return get_object_or_404(selectors.report_queryset(), pk=pk)


def _viewable(request: HttpRequest, pk: int) -> tuple[Report, selectors.Viewer]:
    report = _report(pk)
    viewer = selectors.viewer_of(request.user, report)
    if not viewer.may_view:
        raise PermissionDenied
    return report, viewer


def _detail_url(report: Report) -> str:
    return reverse("report_detail", args=[report.pk])


def _cycle(cycle_pk: int, period: str) -> BlockCycle:
    if period not in Period.values:
        raise Http404
    return get_object_or_404(
        BlockCycle.objects.select_related("campaign", "term__block__agency", "term__leader"),
        pk=cycle_pk,
    )


@login_required
def report_home(request: HttpRequest) -> HttpResponse:
    """Where a unit head, staff member or block leader starts: their units' reports and the
    boards they may follow, for the current campaign."""
    campaign = campaign_current()
    mine: list[dict[str, Any]] = []
    boards: list[BlockCycle] = []
    if campaign is not None:
        pairs = selectors.my_reports(request.user, campaign)
        reports = {
            (r.cycle_id, r.unit_id, r.period): r
            for r in Report.objects.filter(cycle__campaign=campaign)
        }
        for cycle, unit in pairs:
            for period in Period:
                mine.append(
                    {
                        "cycle": cycle,
                        "unit": unit,
                        "period": period,
                        "report": reports.get((cycle.pk, unit.pk, period.value)),
                        "deadline": selectors.period_deadline(campaign, period),
                    }
                )
        boards = selectors.boards_for(request.user, campaign)
    context = {"campaign": campaign, "mine": mine, "boards": boards, "periods": list(Period)}
    return render(request, "reports/home.html", context)


@login_required
def report_for_unit(request: HttpRequest, cycle_pk: int, period: str, unit_pk: int) -> HttpResponse:
    """The unit's report for the period; its head may start it here."""
    cycle = _cycle(cycle_pk, period)
    unit = get_object_or_404(Unit, pk=unit_pk)
    report = Report.objects.filter(cycle=cycle, unit=unit, period=period).first()
    if report is not None:
        return redirect(_detail_url(report))
    is_member = unit.pk in member_unit_ids(request.user)
    if not (is_member or permissions.may_see_board(request.user, cycle)):
        raise PermissionDenied
    may_start = unit.pk in headed_unit_ids(request.user)
    if request.method == "POST" and may_start:
        try:
            report = services.report_open(actor=request.user, cycle=cycle, unit=unit, period=period)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return redirect(_detail_url(report))
    context = {
        "cycle": cycle,
        "unit": unit,
        "period": Period(period),
        "may_start": may_start,
        "deadline": selectors.period_deadline(cycle.campaign, period),
    }
    return render(request, "reports/start.html", context)


def _criteria_with_evidence(report: Report, items: list[Evidence]) -> list[dict[str, Any]]:
    by_criterion: dict[int, list[Evidence]] = {}
    for item in items:
        by_criterion.setdefault(item.criterion_id, []).append(item)
    criteria = Criterion.objects.filter(group__campaign=report.cycle.campaign).select_related(
        "group"
    )
    return [
        {"criterion": c, "files": by_criterion.get(c.pk, [])}
        for c in criteria.order_by("group__order", "order")
    ]


def _form(report: Report, data: Any = None) -> forms.ReportForm:
    campaign = report.cycle.campaign
    reported = [c for c in selectors.measurable_criteria(campaign) if not c.is_computed]
    return forms.ReportForm(
        data, report=report, groups=selectors.groups_of(campaign), reported=reported
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's form (head, while the draft is open), otherwise the latest submission."""
    report, viewer = _viewable(request, pk)
    editing = selectors.report_actions(viewer, report).edit
    form = _form(report, request.POST or None) if editing else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.report_save_draft(
                    actor=request.user,
                    report=report,
                    narratives=form.narratives(),
                    values=form.values(),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The draft was saved."))
                return redirect(_detail_url(report))
    return _detail_page(request, report, viewer, form)


def _detail_page(
    request: HttpRequest,
    report: Report,
    viewer: selectors.Viewer,
    form: forms.ReportForm | None,
    evidence_form: forms.EvidenceForm | None = None,
    status: int | None = None,
) -> HttpResponse:
    latest = selectors.latest_version(report)
    editing = form is not None
    values = form.typed_values() if form is not None else None
    shown = selectors.report_contents(report, latest, editing=editing, values=values)
    # Until a version is submitted, the draft is the unit's own work in progress.
    hidden = not editing and latest is None and not viewer.is_member
    returns = list(report.returns.all())
    version = None if editing else latest
    sections = [] if hidden else _sections(report, form, version, shown.indicators)
    context = {
        "report": report,
        "viewer": viewer,
        "actions": selectors.report_actions(viewer, report),
        "form": form,
        "editing": editing,
        "latest": latest,
        "sections": sections,
        "hidden_draft": hidden,
        "last_return": returns[-1] if returns else None,
        "criteria": _criteria_with_evidence(
            report, shown.draft_files if editing else shown.version_files
        ),
        "evidence_form": evidence_form or forms.EvidenceForm(),
        "version_files": shown.version_files,
        "max_mb": round(evidence.max_bytes() / 1024 / 1024, 1),
        **_deadline(report),
    }
    if status is None:
        status = 400 if request.method == "POST" else 200
    return render(request, "reports/detail.html", context, status=status)


def _deadline(report: Report) -> dict[str, Any]:
    left = days_left(report.due_on)
    overdue = -left if left is not None else None
    return {"deadline": report.due_on, "days_left": left, "days_overdue": overdue}


def _sections(
    report: Report,
    form: forms.ReportForm | None,
    version: ReportVersion | None,
    indicators: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Per content group: its narrative (a form field while editing, else the submitted
    text) and its indicators with how each was obtained."""
    if version is not None:
        groups = [(n["group_id"], n["code"], n["title"], n["text"]) for n in version.narratives]
    else:
        groups = [
            (g.pk, g.code, g.title, report.narratives.get(str(g.pk), ""))
            for g in selectors.groups_of(report.cycle.campaign)
        ]
    sections = []
    for group_id, code, title, text in groups:
        rows = []
        for row in indicators:
            if row["group_id"] != group_id:
                continue
            field = None
            if form is not None and not row["computed"]:
                field = form[f"value_{row['criterion_id']}"]
            rows.append({"row": row, "how": selectors.explain(row), "field": field})
        sections.append(
            {
                "code": code,
                "title": title,
                "text": text,
                "field": form[f"narrative_{group_id}"] if form is not None else None,
                "indicators": rows,
            }
        )
    return sections


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    report, viewer = _viewable(request, pk)
    if not viewer.is_head:
        raise PermissionDenied
    form = forms.EvidenceForm(request.POST, request.FILES)
    # Uploaded from the page through htmx, so the unsaved text of the form is not reloaded.
    htmx = request.headers.get("HX-Request") == "true"
    if form.is_valid():
        criterion = Criterion.objects.filter(
            pk=form.cleaned_data["criterion"], group__campaign=report.cycle.campaign
        ).first()
        upload = form.cleaned_data["file"]
        try:
            if criterion is None:
                raise ValidationError(_("This criterion is not part of the report's campaign."))
            services.evidence_add(
                actor=request.user,
                report=report,
                criterion=criterion,
                data=upload.read(),
                name=upload.name or "",
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if not htmx:  # htmx swaps only the evidence panel, where the file now shows
                messages.success(
                    request,
                    _("“%(name)s” was attached to %(code)s.")
                    % {"name": evidence.clean_name(upload.name or ""), "code": criterion.code},
                )
            return redirect(_detail_url(report) + "#evidence")
    page_form = _form(report) if report.is_editable else None
    # htmx swaps only 2xx responses; the refusal is shown inside the evidence panel.
    return _detail_page(request, report, viewer, page_form, form, status=200 if htmx else 400)


@login_required
def evidence_download(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    """Served only through here, to those who may see the report, always as an attachment."""
    report, _viewer = _viewable(request, pk)
    item = get_object_or_404(Evidence, pk=evidence_pk, report=report)
    try:
        data = evidence.read(item.path)
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = HttpResponse(data, content_type=item.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(True, item.original_name) or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    report, viewer = _viewable(request, pk)
    if not viewer.is_head:
        raise PermissionDenied
    item = get_object_or_404(Evidence, pk=evidence_pk, report=report)
    return post_action(
        request,
        lambda: services.evidence_remove(actor=request.user, report=report, evidence=item),
        success_message=_("The file was removed from the draft."),
        done_url=_detail_url(report) + "#evidence",
    )


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report, viewer = _viewable(request, pk)
    if not viewer.is_head:
        raise PermissionDenied
    return post_action(
        request,
        lambda: services.report_submit(actor=request.user, report=report),
        success_message=_("The report was submitted to the block leader."),
        done_url=_detail_url(report),
    )


@login_required
@require_POST
def report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    report, viewer = _viewable(request, pk)
    if not viewer.may_review:
        raise PermissionDenied
    return post_action(
        request,
        lambda: services.report_accept(actor=request.user, report=report),
        success_message=_("The report was accepted."),
        done_url=_detail_url(report),
    )


@login_required
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    report, viewer = _viewable(request, pk)
    if not viewer.may_review:
        raise PermissionDenied
    form = forms.ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_return(
                actor=request.user, report=report, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The report was returned to the unit."))
            return redirect(_detail_url(report))
    context = {
        "form": form,
        "title": _("Return the report to the unit"),
        "intro": str(report),
        "cancel_url": _detail_url(report),
        "submit_label": _("Return"),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "pages/form.html", context, status=status)


@login_required
def report_versions(request: HttpRequest, pk: int) -> HttpResponse:
    """Every submitted version, newest first, each with what changed from the one before."""
    report, viewer = _viewable(request, pk)
    versions = list(report.versions.all())
    returns = {r.version_id: r for r in report.returns.all()}
    history = []
    previous: ReportVersion | None = None
    for version in versions:
        history.append(
            {
                "version": version,
                "changes": selectors.version_changes(previous, version),
                "returned": returns.get(version.pk),
            }
        )
        previous = version
    history.reverse()
    context = {"report": report, "viewer": viewer, "history": history}
    return render(request, "reports/versions.html", context)


@login_required
def report_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One version, printable on A4."""
    report, _viewer = _viewable(request, pk)
    version = get_object_or_404(ReportVersion, report=report, number=number)
    context = {
        "report": report,
        "version": version,
        "indicators": [(i, selectors.explain(i)) for i in version.indicators],
        "evidence": selectors.version_evidence(version),
        "standalone": False,
    }
    return render(request, "reports/version.html", context)


@login_required
def report_board(request: HttpRequest, cycle_pk: int, period: str) -> HttpResponse:
    cycle = _cycle(cycle_pk, period)
    if not permissions.may_see_board(request.user, cycle):
        raise PermissionDenied
    board = selectors.board(cycle, period)
    source, target = services.COLLECTION_STEP[Period(period)]
    context = {
        "cycle": cycle,
        "period": Period(period),
        "board": board,
        "periods": list(Period),
        "may_close": cycle.state == source
        and permissions.may_close_collection(request.user, cycle, period),
        "closed": cycle.state == target,
        "not_in": [row.unit for row in board.rows if row.state not in IN_STATES],
        "export": export.latest_for(cycle, period),
    }
    return render(request, "reports/board.html", context)


# Board states that count as "sent" (selectors.BoardRow.state).
IN_STATES = ("submitted", "late", "accepted")


@login_required
@require_POST
def report_collection_close(request: HttpRequest, cycle_pk: int, period: str) -> HttpResponse:
    """The leader closes the year-end collection (the deputy records the mid-year review);
    who has not sent their report is named in the message."""
    cycle = _cycle(cycle_pk, period)
    board_url = reverse("report_board", args=[cycle.pk, period])
    try:
        missing = services.report_collection_close(actor=request.user, cycle=cycle, period=period)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(board_url)
    messages.success(
        request,
        _("The collection is closed and the block's year moved on.")
        if period == Period.YEAREND
        else _("The mid-year review is recorded and the block's year moved on."),
    )
    if missing:
        messages.warning(
            request,
            _("Not sent yet: %(units)s. They can still send it, marked late.")
            % {"units": ", ".join(unit.name for unit in missing)},
        )
    return redirect(board_url)


@login_required
@require_POST
def report_export(request: HttpRequest, cycle_pk: int, period: str) -> HttpResponse:
    """Queue the board's ZIP (or join the export already running); htmx gets the export's
    state to poll, a plain form the board again."""
    cycle = _cycle(cycle_pk, period)
    job = export.export_request(actor=request.user, cycle=cycle, period=period)
    if request.htmx:  # type: ignore[attr-defined]
        return _export_state(request, job)
    return redirect(reverse("report_board", args=[cycle.pk, period]))


def _export_job(request: HttpRequest, pk: int) -> ReportExport:
    job = get_object_or_404(
        ReportExport.objects.select_related("cycle__term__block__agency", "cycle__campaign"),
        pk=pk,
    )
    if not permissions.may_see_board(request.user, job.cycle):
        raise PermissionDenied
    return job


def _export_state(request: HttpRequest, job: ReportExport) -> HttpResponse:
    context = {"export": job, "cycle": job.cycle, "period": Period(job.period)}
    return render(request, "reports/_export_state.html", context)


@login_required
def report_export_state(request: HttpRequest, pk: int) -> HttpResponse:
    """The export's state, polled by the board while it runs."""
    return _export_state(request, _export_job(request, pk))


@login_required
def report_export_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = _export_job(request, pk)
    if job.status != ReportExport.Status.DONE or not job.path:
        raise Http404
    return files.file_response(
        Area.REPORT_EXPORTS, job.path, filename=job.file_name, content_type="application/zip"
    )
