"""The import as background jobs: a job seen before its task ran, enqueues that wait for the
commit and happen once, crashes and stalled workers that must not leave a job "in progress"
for ever, and messages written in the uploader's language.

Here the task backend is django_tasks' DummyBackend, which queues and never runs, so a test
can look at a job before its task and then run the task itself, as the worker would."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from thidua.org.models import ImportJob, ImportStage, Person, RoleAssignment, Unit
from thidua.org.tasks import import_apply_task, import_preview_task

from .conftest import (
    AGENCY,
    DUMMY_TASKS,
    committed,
    confirm,
    data_counts,
    fill_template,
    good_file,
    job_of,
    job_url,
    upload,
)

HTMX = {"HX-Request": "true"}
WRITES = {"INSERT", "UPDATE", "DELETE"}


@pytest.fixture
def agency(db):
    return Unit.objects.get(code=AGENCY)


@pytest.fixture
def queued(settings):
    """Tasks are queued and not run; returns the queued (task name, job id) pairs."""
    settings.TASKS = DUMMY_TASKS

    def pairs() -> list[tuple[str, str]]:
        return [(r.task.name, r.args[0]) for r in default_task_backend.results]  # type: ignore[attr-defined]

    return pairs


def test_a_job_polled_before_its_task_ran_says_in_progress_then_shows_the_result(
    login, english, agency, queued
):
    client = login("lan")
    job = job_of(upload(client, agency, good_file()))
    assert queued() == [("import_preview_task", str(job.pk))]

    page = client.get(job_url(job)).content.decode()
    fragment = client.get(job_url(job), headers=HTMX).content.decode()

    assert job.stage == ImportStage.PREVIEW
    for html in (page, fragment):
        assert "In progress" in html
        assert f'hx-get="{job_url(job)}" hx-trigger="every 2s"' in html
        assert "You may leave this page and come back later" in html
    assert "<!doctype html>" in page and "<!doctype html>" not in fragment
    assert "<h1" not in fragment  # the fragment is the job's part alone

    import_preview_task.call(str(job.pk))  # what the worker does

    fragment = client.get(job_url(job), headers=HTMX).content.decode()
    assert "Confirm the import" in fragment
    assert "In progress" not in fragment
    assert 'hx-trigger="every 2s"' not in fragment  # the swap ends the polling


def test_the_preview_is_enqueued_only_once_the_job_row_is_committed(
    login, agency, queued, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("to-chuc.xlsx", good_file())
    with django_capture_on_commit_callbacks() as callbacks:
        login("lan").post(reverse("import_upload"), {"agency": agency.pk, "file": file})
        # A worker could pick the task up before the job row existed for it.
        assert queued() == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert queued() == [("import_preview_task", str(ImportJob.objects.get().pk))]


def test_a_double_confirmation_enqueues_one_import(login, english, agency, settings):
    client = login("lan")
    job = job_of(upload(client, agency, good_file()))  # previewed at once (ImmediateBackend)
    settings.TASKS = DUMMY_TASKS
    url = reverse("import_job_confirm", kwargs={"job_id": job.pk})

    with committed():
        first = client.post(url)
        second = client.post(url)

    applies = [r for r in default_task_backend.results if r.task.name == "import_apply_task"]  # type: ignore[attr-defined]
    assert [r.args for r in applies] == [[str(job.pk)]]
    assert first["Location"] == second["Location"] == job_url(job)
    job.refresh_from_db()
    assert job.stage == ImportStage.IMPORTING
    assert "In progress" in client.get(job_url(job)).content.decode()

    import_apply_task.call(str(job.pk))
    after_first = data_counts()
    assert import_apply_task.call(str(job.pk)) == "skipped"  # a retried task: job already done

    job.refresh_from_db()
    assert (job.stage, job.result["created"]) == (ImportStage.DONE, 4)
    assert Person.objects.filter(code="NV-900").count() == 1
    assert data_counts() == after_first


def test_a_task_whose_file_is_gone_marks_the_job_failed(login, english, agency, queued, settings):
    client = login("lan")
    job = job_of(upload(client, agency, good_file()))
    (settings.DATA_DIR / "uploads" / "imports" / f"{job.sha256}.xlsx").unlink()

    assert import_preview_task.call(str(job.pk)) == ImportStage.FAILED

    job.refresh_from_db()
    assert job.stage == ImportStage.FAILED and not job.is_running
    message = "The uploaded file is no longer stored on the server; please upload it again."
    assert job.message == message
    html = client.get(job_url(job)).content.decode()
    assert message in html and "In progress" not in html


def test_an_import_that_crashes_writes_nothing_and_marks_the_job_failed(
    login, english, agency, queued, settings
):
    client = login("lan")
    job = job_of(upload(client, agency, good_file()))
    import_preview_task.call(str(job.pk))
    confirm(client, job)
    (settings.DATA_DIR / "uploads" / "imports" / f"{job.sha256}.xlsx").unlink()
    before = data_counts()

    import_apply_task.call(str(job.pk))

    job.refresh_from_db()
    assert job.stage == ImportStage.FAILED
    assert "no longer stored" in job.message
    assert data_counts() == before


def test_an_unexpected_error_is_logged_and_told_plainly(
    login, english, agency, queued, monkeypatch, caplog
):
    job = job_of(upload(login("lan"), agency, good_file()))

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("thidua.org.tasks.parse_workbook", broken)
    with caplog.at_level(logging.ERROR, logger="thidua.org.tasks"):
        import_preview_task.call(str(job.pk))

    job.refresh_from_db()
    assert job.stage == ImportStage.FAILED
    assert job.message.startswith("The job stopped on an unexpected error (RuntimeError)")
    assert "disk on fire" not in job.message  # details are for the log, not the page
    assert "disk on fire" in caplog.text


def test_a_job_whose_worker_died_is_reported_failed(login, english, agency, queued):
    client = login("lan")
    job = job_of(upload(client, agency, good_file()))
    long_ago = timezone.now() - dt.timedelta(hours=2)
    ImportJob.objects.filter(pk=job.pk).update(updated_at=long_ago)

    html = client.get(job_url(job)).content.decode()

    job.refresh_from_db()
    assert job.stage == ImportStage.FAILED
    assert "The job stopped without finishing" in html
    # A task turning up late finds the job no longer waiting for it, and leaves it alone.
    assert import_preview_task.call(str(job.pk)) == "skipped"
    assert ImportJob.objects.get(pk=job.pk).stage == ImportStage.FAILED


def test_polling_a_running_job_only_reads(login, agency, queued):
    # On SQLite a write would wait for any import transaction in progress (minutes for a
    # province), and time out: the polled page must not write while the job is healthy.
    client = login("lan")
    job = job_of(upload(client, agency, good_file()))
    for url in (job_url(job), reverse("import_upload")):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, headers=HTMX).status_code == 200
        writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in WRITES]
        assert writes == [], writes


def test_the_import_task_runs_only_for_a_confirmed_job(login, english, agency, queued):
    job = job_of(upload(login("lan"), agency, good_file()))
    import_preview_task.call(str(job.pk))
    before = data_counts()
    assert import_apply_task.call(str(job.pk)) == "skipped"  # awaiting, not confirmed
    assert data_counts() == before


def test_the_import_is_authorised_again_when_it_runs(login, english, agency, queued):
    # Confirmed by an officer who lost the right before the worker got to it.
    client = login("lan")
    job = job_of(upload(client, agency, good_file()))
    import_preview_task.call(str(job.pk))
    confirm(client, job)
    RoleAssignment.objects.filter(user__username="lan").delete()
    before = data_counts()

    import_apply_task.call(str(job.pk))

    job.refresh_from_db()
    assert job.stage == ImportStage.REFUSED
    assert job.message.startswith("You do not have permission")
    assert data_counts() == before
    # The uploader still sees their own job, and why it was refused.
    assert job.message in client.get(job_url(job)).content.decode()


def test_messages_are_written_in_the_uploaders_language(login, agency):
    # No language cookie: the site's Vietnamese. The worker writes outside any request.
    job = job_of(
        upload(login("lan"), agency, fill_template(ratings=[["VP-001", "x", "HTTNV", ""]]))
    )
    assert job.language == "vi"
    assert [e["message"] for e in job.plan["errors"]] == ["“x” không phải là năm."]
