"""The board's ZIP is made in the job worker: a click queues an export (a second click joins
it), the board polls its state, the file is offered when ready and only to those who may
see the board; a failure shows its reason and a retry."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from thidua.lib import files
from thidua.lib.files import Area
from thidua.reports import export, services
from thidua.reports.models import ReportExport
from thidua.reports.tasks import report_export_task

from . import helpers

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _submit(code: str) -> None:
    user = helpers.head_of(code)
    report = helpers.fill(user, helpers.open_report(user, code=code), text=f"Báo cáo {code}.")
    services.report_submit(actor=user, report=report)


def _export_url() -> str:
    return reverse("report_export", args=[helpers.cycle().pk, "yearend"])


def _board_url() -> str:
    return reverse("report_board", args=[helpers.cycle().pk, "yearend"])


def _jobs() -> list[ReportExport]:
    return list(ReportExport.objects.filter(cycle=helpers.cycle(), period="yearend"))


def _content(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_a_click_queues_one_export_and_a_second_click_joins_it(login: Any, settings: Any) -> None:
    settings.TASKS = DUMMY_TASKS  # the worker has not picked it up yet
    client = login("minh")
    with TestCase.captureOnCommitCallbacks(execute=True):
        first = client.post(_export_url())
        client.post(_export_url(), HTTP_HX_REQUEST="true")
    assert first.status_code == 302 and first["Location"] == _board_url()
    jobs = _jobs()
    assert len(jobs) == 1 and jobs[0].status == ReportExport.Status.QUEUED
    page = client.get(_board_url()).content.decode()
    # The board polls the waiting export and offers no second button meanwhile.
    assert reverse("report_export_state", args=[jobs[0].pk]) in page
    assert 'hx-trigger="every 2s"' in page and 'id="export-zip"' not in page
    state = client.get(reverse("report_export_state", args=[jobs[0].pk])).content.decode()
    assert 'data-status="queued"' in state


def test_the_worker_builds_the_zip_outside_the_web_root_for_the_board_only(
    login: Any, persona: Any
) -> None:
    _submit("QLDL")
    client = login("minh")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(_export_url(), HTTP_HX_REQUEST="true")
    (job,) = _jobs()
    assert job.status == ReportExport.Status.DONE and job.size and len(job.sha256) == 64
    # The htmx answer is the state to poll; polled once the worker is done, it is ready:
    # a download link, nothing left to poll.
    assert reverse("report_export_state", args=[job.pk]) in response.content.decode()
    body = client.get(reverse("report_export_state", args=[job.pk])).content.decode()
    assert reverse("report_export_download", args=[job.pk]) in body and "every 2s" not in body
    stored = files.local_path(Area.REPORT_EXPORTS, job.path)
    assert stored.is_file()
    assert Path(django_settings.DATA_DIR) in stored.parents
    for public in (django_settings.STATIC_ROOT, django_settings.MEDIA_ROOT):
        assert Path(public) not in stored.parents
    download = client.get(reverse("report_export_download", args=[job.pk]))
    assert download.status_code == 200
    assert "bao-cao-K1-2021-yearend.zip" in download["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(_content(download)))
    names = archive.namelist()
    assert "tong-hop.csv" in names and any(n.startswith("QLDL-") for n in names)
    # The worker ran LibreOffice: the report is in the ZIP as a real PDF.
    (pdf_name,) = [n for n in names if n.startswith("QLDL-") and n.endswith(".pdf")]
    assert archive.read(pdf_name).startswith(b"%PDF-")
    # tuan heads a member unit but does not follow the board: no file, no state, no export.
    tuan = login("tuan")
    assert tuan.get(reverse("report_export_download", args=[job.pk])).status_code == 403
    assert tuan.get(reverse("report_export_state", args=[job.pk])).status_code == 403
    assert tuan.post(_export_url()).status_code == 403
    assert len(_jobs()) == 1


def test_a_failed_export_shows_why_and_a_retry_makes_a_new_one(
    login: Any, monkeypatch: Any
) -> None:
    _submit("QLDL")
    real = export.export_zip

    def broken(_board: Any) -> tuple[str, bytes]:
        raise OSError("No space left on device")

    monkeypatch.setattr(export, "export_zip", broken)
    client = login("minh")
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(_export_url())
    (failed,) = _jobs()
    assert failed.status == ReportExport.Status.FAILED
    assert "No space left on device" in failed.error and failed.path == ""
    page = client.get(_board_url()).content.decode()
    assert 'id="export-error"' in page and "No space left on device" in page
    assert "Thử lại" in page  # the retry button, in the default Vietnamese
    assert client.get(reverse("report_export_download", args=[failed.pk])).status_code == 404

    monkeypatch.setattr(export, "export_zip", real)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(_export_url())
    jobs = _jobs()
    assert len(jobs) == 2 and jobs[0].status == ReportExport.Status.DONE
    assert 'id="export-download"' in client.get(_board_url()).content.decode()


def test_a_task_run_twice_builds_once_and_a_stalled_export_is_replaced(
    persona: Any, settings: Any
) -> None:
    settings.TASKS = DUMMY_TASKS
    minh = persona("minh")
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = export.export_request(actor=minh, cycle=helpers.cycle(), period="yearend")
    assert report_export_task.call(job.pk, "en") == "done"
    assert report_export_task.call(job.pk, "en") == "skipped"

    with TestCase.captureOnCommitCallbacks(execute=True):
        stuck = export.export_request(actor=minh, cycle=helpers.cycle(), period="yearend")
    assert stuck.pk != job.pk  # the first one was finished: a new export
    ReportExport.objects.filter(pk=stuck.pk).update(
        status=ReportExport.Status.RUNNING, started_at=timezone.now() - dt.timedelta(hours=2)
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        fresh = export.export_request(actor=minh, cycle=helpers.cycle(), period="yearend")
    assert fresh.pk != stuck.pk
    stuck.refresh_from_db()
    assert stuck.status == ReportExport.Status.FAILED and "worker stopped" in stuck.error
