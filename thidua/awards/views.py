"""Pages of the award register: the register, a decision, annulment, and the Excel import."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.org.models import Person, Unit
from thidua.org.permissions import Action, can
from thidua.org.selectors import agencies

from . import import_awards, selectors, services
from .forms import AwardRowFormSet, DecisionForm
from .models import AwardDecision, AwardForm

SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _issuing_agency(request: HttpRequest) -> Unit | None:
    """The first agency in which the user may record decisions."""
    return next((a for a in agencies() if can(request.user, Action.AWARD_RECORD, a)), None)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def register(request: HttpRequest) -> HttpResponse:
    params = request.GET
    unit_id, person_id = _int(params.get("unit")), _int(params.get("person"))
    criteria = selectors.RegisterFilter(
        unit=Unit.objects.filter(pk=unit_id).first() if unit_id else None,
        person=Person.objects.filter(pk=person_id).first() if person_id else None,
        form_code=params.get("form", "").strip(),
        year=_int(params.get("year")),
        issuer=params.get("issuer", "").strip(),
        text=params.get("q", "").strip(),
    )
    page = Paginator(selectors.register(criteria), 50).get_page(params.get("page"))
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
            "years": selectors.years_in_register(),
            "query": query.urlencode(),
            "may_record": _issuing_agency(request) is not None,
        },
    )


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        decision = selectors.decision_detail(pk)
    except AwardDecision.DoesNotExist as exc:
        raise Http404 from exc
    may_annul = not decision.is_annulled and can(request.user, Action.AWARD_RECORD, decision.agency)
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
        {"decision": decision, "may_annul": may_annul, "later_decisions": later},
    )


@login_required
@require_POST
def decision_annul(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(AwardDecision, pk=pk)
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
    decision = get_object_or_404(AwardDecision, pk=pk)
    if not decision.original_path:
        raise Http404
    root = (Path(settings.DATA_DIR) / "awards").resolve()
    path = (root / decision.original_path).resolve()
    if root not in path.parents or not path.is_file():
        raise Http404
    return FileResponse(
        path.open("rb"),
        content_type=decision.original_content_type,
        filename=decision.original_name or path.name,
    )


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
        awards = [
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


def _uploads_dir() -> Path:
    return Path(settings.DATA_DIR) / "awards" / "uploads"


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        import_awards.build_template(), content_type=import_awards.XLSX_CONTENT_TYPE
    )
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
                digest = hashlib.sha256(data).hexdigest()
                folder = _uploads_dir()
                folder.mkdir(parents=True, exist_ok=True)
                (folder / f"{digest}.xlsx").write_bytes(data)
                context.update(plan=plan, sha256=digest, file_name=Path(upload.name or "").name)
    return render(request, "awards/import.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    agency = _issuing_agency(request)
    if agency is None:
        raise PermissionDenied(_("You may not import awards."))
    digest = request.POST.get("sha256", "")
    path = _uploads_dir() / f"{digest}.xlsx"
    if not SHA256.match(digest) or not path.is_file():
        messages.error(request, _("The uploaded file is no longer available; upload it again."))
        return redirect("awards:import_upload")
    try:
        plan = import_awards.apply_import(
            actor=request.user,
            agency=agency,
            data=path.read_bytes(),
            file_name=request.POST.get("file_name", "")[:255],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("awards:import_upload")
    path.unlink(missing_ok=True)
    messages.success(
        request,
        _("Imported %(new)s awards; %(same)s were already in the register.")
        % {"new": plan.new_award_count, "same": plan.existing_award_count},
    )
    return redirect("awards:register")
