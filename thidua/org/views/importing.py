"""Excel import of the organisation: template, upload, and the job page (preview, confirm,
result).

The upload is checked by content and stored (thidua.lib.files, area "uploads/imports"),
named by its SHA-256. The preview and the import run as background jobs (thidua.org.tasks)
that re-read the file from there, because a province-size file takes longer than a web
request may; the job page shows their progress and outcome, and keeps asking for it while
they run.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from thidua.lib.filetypes import XLSX_CONTENT_TYPE
from thidua.org.forms import ImportUploadForm
from thidua.org.importer import (
    build_template,
    importable_agencies,
    store_upload,
)
from thidua.org.models import ImportJob, User
from thidua.org.permissions import Action, can
from thidua.org.tasks import confirm_import, fail_stalled, run_again, start_import

TEMPLATE_FILE_NAME = "mau-nhap-to-chuc.xlsx"
RECENT_JOBS = 10


def _user(request: HttpRequest) -> User:
    # login_required has let only signed-in users through.
    assert isinstance(request.user, User)
    return request.user


def _job_or_403(request: HttpRequest, job_id: uuid.UUID) -> ImportJob:
    """The job, for its uploader or anyone who may import into its agency (a colleague
    covering); 403 for everyone else."""
    job = get_object_or_404(ImportJob.objects.select_related("agency", "user"), pk=job_id)
    if job.user_id != request.user.pk and not can(request.user, Action.ORG_IMPORT, job.agency):
        raise PermissionDenied
    return job


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
        job = start_import(
            user=_user(request),
            agency=form.cleaned_data["agency"],
            sha256=store_upload(form.cleaned_data["file"]),
            file_name=form.file_name,
        )
        return redirect("import_job", job_id=job.pk)
    jobs = list(
        ImportJob.objects.filter(user=_user(request)).select_related("agency")[:RECENT_JOBS]
    )
    fail_stalled(jobs)
    context = {
        "form": form,
        "max_mb": round(settings.IMPORT_MAX_BYTES / 1024 / 1024, 1),
        "jobs": jobs,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "org/import_upload.html", context, status=status)


@login_required
def import_job(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = _job_or_403(request, job_id)
    fail_stalled([job])
    # While the job runs, the page asks every few seconds (htmx) for the job's part alone.
    template = "org/import_job_state.html" if request.htmx else "org/import_job.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job})


@login_required
@require_POST
def import_job_confirm(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = _job_or_403(request, job_id)
    confirm_import(job, _user(request))
    # Confirmed now or by an earlier click: either way the job page shows where it stands.
    return redirect("import_job", job_id=job.pk)


@login_required
@require_POST
def import_job_run_again(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = _job_or_403(request, job_id)
    run_again(job, _user(request))
    # Run again now or by an earlier click: either way the job page shows where it stands.
    return redirect("import_job", job_id=job.pk)
