"""A job worker killed mid-job (out of memory, `kill -9`, a restart) leaves its task
"running": the next worker started on that host (`manage.py worker`) fails it at once —
not an hour later — and the job page offers to run it again, which resumes where it was."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from thidua.lib import jobs
from thidua.org.models import ImportJob, ImportStage, Unit
from thidua.org.tasks import import_preview_task

from .conftest import AGENCY, DUMMY_TASKS, good_file, job_of, job_url, upload

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DEAD_PID = 2**22 + 12345  # above the kernel's pid_max on any usual system


@pytest.fixture
def agency(db: Any) -> Unit:
    return Unit.objects.get(code=AGENCY)


def _running_task(job: ImportJob, worker: str) -> DBTaskResult:
    """The job's preview task as a worker that claimed it left it in the queue."""
    result = import_preview_task.using(backend="default").enqueue(str(job.pk))
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker)
    return row


def test_a_restarted_worker_fails_the_orphaned_job_at_once_and_it_can_run_again(
    login: Any, english: Any, agency: Unit, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = login("lan")
    settings.TASKS = DUMMY_TASKS
    job = job_of(upload(client, agency, good_file()))
    settings.TASKS = DB_TASKS
    task = _running_task(job, jobs.worker_id(DEAD_PID))
    assert ImportJob.objects.get(pk=job.pk).stage == ImportStage.PREVIEW

    assert jobs.recover_orphans() == [str(task.pk)]

    job.refresh_from_db()
    assert (job.stage, job.interrupted_stage) == (ImportStage.FAILED, ImportStage.PREVIEW)
    assert DBTaskResult.objects.get(pk=task.pk).status == "FAILED"
    html = client.get(job_url(job)).content.decode()
    assert "The job worker stopped while this job was running" in html
    assert 'id="run-again"' in html

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{job_url(job)}run-again/")
    job.refresh_from_db()
    assert job.stage == ImportStage.AWAITING  # the preview ran again, to its end
    assert not job.can_run_again
    assert jobs.recover_orphans() == []  # nothing left to recover, twice is harmless


def test_jobs_of_live_workers_and_of_other_hosts_are_left_alone(
    login: Any, agency: Unit, settings: Any
) -> None:
    client = login("lan")
    settings.TASKS = DUMMY_TASKS
    first = job_of(upload(client, agency, good_file()))
    second = job_of(upload(client, agency, good_file(), name="khac.xlsx"))
    settings.TASKS = DB_TASKS
    _running_task(first, jobs.worker_id(os.getppid()))  # alive
    _running_task(second, f"another-host:{DEAD_PID}")

    assert jobs.recover_orphans() == []
    assert ImportJob.objects.filter(stage=ImportStage.PREVIEW).count() >= 2


def test_the_worker_command_recovers_before_it_starts_and_names_itself(
    login: Any, agency: Unit, settings: Any, monkeypatch: Any
) -> None:
    from django_tasks_db.management.commands import db_worker

    started: list[str] = []
    monkeypatch.setattr(db_worker.Worker, "run", lambda self: started.append(self.worker_id))
    client = login("lan")
    settings.TASKS = DUMMY_TASKS
    job = job_of(upload(client, agency, good_file()))
    settings.TASKS = DB_TASKS
    _running_task(job, jobs.worker_id(DEAD_PID))

    call_command("worker", "--no-reload", "--no-startup-delay")

    assert ImportJob.objects.get(pk=job.pk).stage == ImportStage.FAILED
    assert started == [jobs.worker_id()]
