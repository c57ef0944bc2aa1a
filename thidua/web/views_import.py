"""Excel import of the organisation: template, upload, preview, confirm.

The upload is checked by content and stored under UPLOAD_DIR, named by its SHA-256; the
preview and the confirmation re-read it from there, so a retry or a second click works on
the same bytes, and the service decides everything else.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from thidua.org.importer import (
    XLSX_CONTENT_TYPE,
    build_template,
    check_upload,
    import_apply,
    importable_agencies,
    load_upload,
    parse_workbook,
    store_upload,
)
from thidua.org.models import Unit, UnitKind
from thidua.org.permissions import Action, can

from .forms import StyledForm, UnitChoiceField

TEMPLATE_FILE_NAME = "mau-nhap-to-chuc.xlsx"


class ImportUploadForm(StyledForm):
    agency = UnitChoiceField(label=gettext_lazy("Import into"), queryset=Unit.objects.none())
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = importable_agencies(user)  # type: ignore[attr-defined]

    def clean_file(self) -> bytes:
        upload: UploadedFile = self.cleaned_data["file"]
        # Refuse by the declared size before reading a byte; the content check follows.
        if (upload.size or 0) > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than the %(size)s MB allowed.")
                % {"size": round(settings.IMPORT_MAX_BYTES / 1024 / 1024, 1)}
            )
        data = b"".join(upload.chunks())
        check_upload(data)
        return data


def _agency_or_403(user: Any, pk: str | None) -> Unit:
    if not (pk or "").isdigit():
        raise Http404
    agency = get_object_or_404(Unit, pk=pk, kind=UnitKind.AGENCY)
    if not can(user, Action.ORG_IMPORT, agency):
        raise PermissionDenied
    return agency


def _upload_or_404(sha: str) -> bytes:
    data = load_upload(sha)
    if data is None:
        raise Http404
    return data


def _preview_url(sha: str, agency: Unit) -> str:
    return f"{reverse('import_preview', kwargs={'sha': sha})}?agency={agency.pk}"


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    if not importable_agencies(request.user).exists():
        raise PermissionDenied
    response = HttpResponse(build_template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_FILE_NAME}"'
    return response


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    if not importable_agencies(request.user).exists():
        raise PermissionDenied
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        sha = store_upload(form.cleaned_data["file"])
        return redirect(_preview_url(sha, form.cleaned_data["agency"]))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "max_mb": round(settings.IMPORT_MAX_BYTES / 1024 / 1024, 1)}
    return render(request, "web/import_upload.html", context, status=status)


@login_required
def import_preview(request: HttpRequest, sha: str) -> HttpResponse:
    agency = _agency_or_403(request.user, request.GET.get("agency"))
    plan = parse_workbook(_upload_or_404(sha), agency=agency)
    return render(request, "web/import_preview.html", {"plan": plan, "agency": agency, "sha": sha})


@login_required
@require_POST
def import_confirm(request: HttpRequest, sha: str) -> HttpResponse:
    agency = _agency_or_403(request.user, request.POST.get("agency"))
    data = _upload_or_404(sha)
    try:
        result = import_apply(actor=request.user, agency=agency, data=data)
    except ValidationError as error:  # ImportRefused, or a clash with a concurrent writer
        messages.error(request, " ".join(error.messages))
        return redirect(_preview_url(sha, agency))
    if result.changed:
        messages.success(
            request,
            _("Imported into %(agency)s: %(created)s rows added, %(updated)s rows updated.")
            % {"agency": agency, "created": result.created, "updated": result.updated},
        )
    else:
        messages.info(request, _("Nothing to change: the data already matches this file."))
    return redirect("import_upload")
