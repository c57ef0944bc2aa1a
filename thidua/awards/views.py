"""Pages of the award register: the register and its Excel export, a decision (with its
certificates), annulment, drafting and issuing the agency's own decision, and the Excel
import. Every page shows only the decisions of the user's agencies (selectors)."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.lib import files, xlsx
from thidua.lib.dates import parse_day, today
from thidua.lib.files import Area
from thidua.lib.filetypes import XLSX_CONTENT_TYPE
from thidua.org.models import Person, Unit, UnitStatus
from thidua.org.permissions import Action, can
from thidua.org.selectors import agencies

from . import certificates, decision_defaults, export, import_awards, issuing, selectors, services
from .config import Bonus, bonus_for
from .forms import AwardRowFormSet, DecisionForm, DraftForm, DraftRowFormSet
from .models import AwardDecision, AwardForm, RecipientKind


def _issuing_agency(request: HttpRequest) -> Unit | None:
    """The first agency in which the user may record decisions."""
    return next((a for a in agencies() if can(request.user, Action.AWARD_RECORD, a)), None)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _criteria(params: QueryDict) -> selectors.RegisterFilter:
    unit_id, person_id = _int(params.get("unit")), _int(params.get("person"))
    return selectors.RegisterFilter(
        unit=Unit.objects.filter(pk=unit_id).first() if unit_id else None,
        person=Person.objects.filter(pk=person_id).first() if person_id else None,
        form_code=params.get("form", "").strip(),
        year=_int(params.get("year")),
        issuer=params.get("issuer", "").strip(),
        text=params.get("q", "").strip(),
    )


@login_required
def register(request: HttpRequest) -> HttpResponse:
    params = request.GET
    criteria = _criteria(params)
    awards = selectors.register(criteria, user=request.user)
    page = Paginator(awards, 50).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    return render(
        request,
        "awards/register.html",
        {
            "page": page,
            "criteria": criteria,
            "units": Unit.objects.order_by("name"),
            "forms": AwardForm.objects.all(),
            "years": selectors.years_in_register(request.user),
            "query": query.urlencode(),
            "may_record": _issuing_agency(request) is not None,
        },
    )


@login_required
def register_export(request: HttpRequest) -> FileResponse:
    """The register under the page's current filter, as an Excel workbook."""
    criteria = _criteria(request.GET)
    awards = selectors.register(criteria, user=request.user)
    agency = export.agency_label(criteria, request.user)
    workbook = export.register_workbook(awards, agency=agency, year=criteria.year)
    return xlsx.attachment(workbook, export.FILE_NAME)


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        decision = selectors.decision_detail(pk, user=request.user)
    except AwardDecision.DoesNotExist as exc:
        raise Http404 from exc
    may_record = can(request.user, Action.AWARD_RECORD, decision.agency)
    may_annul = not decision.is_annulled and may_record
    later = (
        AwardDecision.objects.filter(
            agency=decision.agency, issued_on__gte=decision.issued_on, status="in_force"
        ).exclude(pk=decision.pk)
        if may_annul
        else AwardDecision.objects.none()
    )
    return render(
        request,
        "awards/decision_detail.html",
        {
            "decision": decision,
            "may_annul": may_annul,
            "later_decisions": later,
            "may_print": may_record and decision.document_id is not None,
            "key": secrets.token_urlsafe(16),
        },
    )


@login_required
@require_POST
def decision_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    """ "In giấy khen": one certificate per award of the decision, in the background."""
    decision = get_object_or_404(
        selectors.decisions_for(request.user).select_related("agency", "document__issuer__unit"),
        pk=pk,
    )
    try:
        batch = certificates.certificates_start(
            actor=request.user,
            decision=decision,
            token=request.POST.get("key", ""),
            mode=request.POST.get("mode", "blank"),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("awards:decision_detail", pk=pk)
    return redirect("document_batch", pk=batch.pk)


@login_required
@require_POST
def decision_annul(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(selectors.decisions_for(request.user), pk=pk)
    by_pk = _int(request.POST.get("by"))
    by = AwardDecision.objects.filter(pk=by_pk).first() if by_pk else None
    if by is None:
        messages.error(request, _("Choose the decision that annuls this one."))
        return redirect("awards:decision_detail", pk=pk)
    try:
        services.annul_decision(
            actor=request.user, decision=decision, by=by, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The decision is annulled; its awards are marked revoked."))
    return redirect("awards:decision_detail", pk=pk)


@login_required
def decision_original(request: HttpRequest, pk: int) -> FileResponse:
    decision = get_object_or_404(selectors.decisions_for(request.user), pk=pk)
    if not decision.original_path:
        raise Http404
    return files.file_response(
        Area.AWARDS,
        decision.original_path,
        content_type=decision.original_content_type,
        filename=decision.original_name or Path(decision.original_path).name,
        as_attachment=False,
    )


def _award_inputs(rows: Any) -> list[services.AwardInput]:
    """The filled rows of an awards formset, numbered as the user sees them."""
    return [
        services.AwardInput(
            form=row.cleaned_data["form"],
            unit=row.cleaned_data.get("unit"),
            person=row.cleaned_data.get("person_code"),
            reason=row.cleaned_data.get("reason", ""),
            row=index,
        )
        for index, row in enumerate(rows.forms, start=1)
        if not row.is_blank
    ]


@login_required
def decision_record(request: HttpRequest) -> HttpResponse:
    """Record a decision by hand: typically one received from the level above, with its
    scanned or signed original."""
    agency = _issuing_agency(request)
    if agency is None:
        raise PermissionDenied(_("You may not record award decisions."))
    form = DecisionForm(request.POST or None, request.FILES or None)
    rows = AwardRowFormSet(request.POST or None, prefix="awards")
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        data = form.cleaned_data
        awards = _award_inputs(rows)
        upload = data.get("original")
        try:
            decision = services.record_decision(
                actor=request.user,
                data=services.DecisionInput(
                    agency=agency,
                    issuer_name=data["issuer_name"],
                    symbol=data["symbol"],
                    issued_on=data["issued_on"],
                    signer=data["signer"],
                    legal_bases=data["legal_bases"],
                    received_from_above=data["received_from_above"],
                    awards=awards,
                ),
                original=upload.read() if upload else None,
                original_name=upload.name if upload else "",
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("awards:decision_detail", pk=decision.pk)
    return render(request, "awards/decision_form.html", {"form": form, "rows": rows})


# Drafting and issuing the agency's own decision ------------------------------------------------


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return parse_day(str(value or "")) or today()


def _initial_rows(params: QueryDict, agency: Unit) -> list[dict[str, Any]]:
    """Rows from `?unit=…&person=…&form=…&reason=…` (each repeated), as the proposals page
    links here. When `unit` and `person` come in equal numbers with exactly one of each pair
    filled (`unit=5&person=&unit=&person=9`), they pair up row by row; otherwise the units
    come first, then the people. `form` (a code) and `reason` follow the rows in order."""
    units, people = params.getlist("unit"), params.getlist("person")
    paired = len(units) == len(people) and all(
        bool(u.strip()) != bool(p.strip()) for u, p in zip(units, people, strict=True)
    )
    if units and paired:
        pairs = list(zip(units, people, strict=True))
    else:
        pairs = [(u, "") for u in units if u.strip()] + [("", p) for p in people if p.strip()]
    forms, reasons = params.getlist("form"), params.getlist("reason")
    own_units = Unit.objects.filter(path__startswith=agency.path)
    rows: list[dict[str, Any]] = []
    for index, (unit_id, person_id) in enumerate(pairs):
        row: dict[str, Any] = {}
        unit_pk, person_pk = _int(unit_id), _int(person_id)
        unit = own_units.filter(pk=unit_pk).first() if unit_pk else None
        person = Person.objects.filter(pk=person_pk).first() if person_pk else None
        if unit is not None:
            row["unit"] = unit.pk
        elif person is not None:
            row["person_code"] = person.code
        code = forms[index] if index < len(forms) else ""
        form = AwardForm.objects.filter(code=code).first() if code else None
        if form is not None:
            row["form"] = form.pk
        if index < len(reasons):
            row["reason"] = reasons[index]
        if row:
            rows.append(row)
    return rows


def _bonus(form_id: Any, unit_id: Any, person_code: Any, day: dt.date) -> Bonus | None:
    """The bonus a row will carry, from what is typed so far; None until the row says its
    form and its kind of recipient."""
    form_pk = _int(str(form_id or ""))
    form = AwardForm.objects.filter(pk=form_pk).first() if form_pk else None
    if form is None:
        return None
    if unit_id:
        kind = RecipientKind.COLLECTIVE
    elif person_code:
        kind = RecipientKind.INDIVIDUAL
    else:
        return None
    return bonus_for(form, kind, day)


def _draft_rows(agency: Unit, data: Any = None, initial: Any = None) -> Any:
    return DraftRowFormSet(
        data,
        initial=initial,
        prefix="awards",
        form_kwargs={
            "forms_queryset": decision_defaults.awardable_forms(agency),
            "units_queryset": Unit.objects.filter(
                path__startswith=agency.path, status=UnitStatus.ACTIVE
            ).order_by("path"),
        },
    )


def _draft_input(agency: Unit, form: DraftForm, rows: Any) -> issuing.DraftInput:
    data = form.cleaned_data
    return issuing.DraftInput(
        agency=agency,
        issued_on=data["issued_on"],
        signer_name=data["signer_name"],
        signer_title=data["signer_title"],
        signer_authority=data["signer_authority"],
        summary=data["summary"],
        authority=data["authority"],
        achievement=data["achievement"],
        proposal=data["proposal"],
        legal_bases=data["legal_bases"],
        awards=_award_inputs(rows),
    )


def _issue_draft(request: HttpRequest, agency: Unit, form: DraftForm, rows: Any) -> Any:
    """The decision issued from a valid draft, or None with the refusal on the form."""
    draft = _draft_input(agency, form, rows)
    try:
        decision = issuing.decision_issue(
            actor=request.user, data=draft, idempotency_key=form.cleaned_data["key"]
        )
    except ValidationError as error:
        form.add_error(None, error.messages)
        return None
    messages.success(
        request,
        _("Decision %(symbol)s is issued and its awards are in the register.")
        % {"symbol": decision.symbol},
    )
    return decision


def _draft_page(request: HttpRequest, form: DraftForm, rows: Any) -> HttpResponse:
    day = _day(form["issued_on"].value())
    bonuses = [
        _bonus(row["form"].value(), row["unit"].value(), row["person_code"].value(), day)
        for row in rows.forms
    ]
    return render(
        request,
        "awards/decision_draft.html",
        {"form": form, "rows": rows, "row_bonuses": list(zip(rows.forms, bonuses, strict=True))},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def decision_draft(request: HttpRequest) -> HttpResponse:
    """Draft the agency's own decision from the register's data and issue it: the number
    from the registry, the decision and its annex, and the awards in the register."""
    agency = _issuing_agency(request)
    if agency is None:
        raise PermissionDenied(_("You may not issue award decisions."))
    try:
        defaults = decision_defaults.draft_defaults(agency, today())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("awards:register")
    initial = {**defaults, "issued_on": today(), "key": secrets.token_urlsafe(16)}
    if request.method != "POST":
        rows = _draft_rows(agency, initial=_initial_rows(request.GET, agency))
        return _draft_page(request, DraftForm(initial=initial), rows)
    form = DraftForm(request.POST, initial=initial)
    rows = _draft_rows(agency, request.POST)
    if form.is_valid() and rows.is_valid():
        decision = _issue_draft(request, agency, form, rows)
        if decision is not None:
            return redirect("awards:decision_detail", pk=decision.pk)
    return _draft_page(request, form, rows)


@login_required
def decision_bonus(request: HttpRequest) -> HttpResponse:
    """One row's bonus and its amount in words, for the draft page as the row is filled."""
    if _issuing_agency(request) is None:
        raise PermissionDenied
    prefix = f"awards-{_int(request.GET.get('row')) or 0}-"
    params = request.GET
    bonus = _bonus(
        params.get(prefix + "form"),
        params.get(prefix + "unit"),
        params.get(prefix + "person_code", "").strip(),
        _day(params.get("issued_on")),
    )
    return render(request, "awards/_bonus.html", {"bonus": bonus})


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(import_awards.build_template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{import_awards.TEMPLATE_FILE_NAME}"'
    return response


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    agency = _issuing_agency(request)
    if agency is None:
        raise PermissionDenied(_("You may not import awards."))
    context: dict = {"agency": agency}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["upload_error"] = _("Choose a file.")
        else:
            data = upload.read()
            try:
                plan = import_awards.plan_import(data, agency)
            except ValidationError as error:
                context["upload_error"] = " ".join(error.messages)
            else:
                digest = files.keep_upload(Area.AWARD_IMPORTS, data)
                context.update(plan=plan, sha256=digest, file_name=Path(upload.name or "").name)
    return render(request, "awards/import.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    agency = _issuing_agency(request)
    if agency is None:
        raise PermissionDenied(_("You may not import awards."))
    digest = request.POST.get("sha256", "")
    data = files.read_upload(Area.AWARD_IMPORTS, digest)
    if data is None:
        messages.error(request, _("The uploaded file is no longer available; upload it again."))
        return redirect("awards:import_upload")
    try:
        plan = import_awards.apply_import(
            actor=request.user,
            agency=agency,
            data=data,
            file_name=request.POST.get("file_name", "")[:255],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("awards:import_upload")
    files.drop_upload(Area.AWARD_IMPORTS, digest)
    messages.success(
        request,
        _("Imported %(new)s awards; %(same)s were already in the register.")
        % {"new": plan.new_award_count, "same": plan.existing_award_count},
    )
    return redirect("awards:register")
