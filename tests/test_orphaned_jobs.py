"""Every kind of background job whose worker dies is failed as soon as a worker restarts on
that host (thidua/lib/jobs.py), and its page then offers to run it again: document batches
(resumed without issuing twice) and a board's report export, on an agency of their own
(the import jobs: tests/importer/test_orphaned_jobs.py)."""

from __future__ import annotations

from typing import Any

from django_tasks_db.models import DBTaskResult

from tests.campaigns.factories import make_block_cycle
from tests.org.factories import make_admin
from thidua.documents.models import DocumentBatch
from thidua.documents.tasks import batch_run_task
from thidua.lib import jobs
from thidua.reports.models import ReportExport
from thidua.reports.tasks import report_export_task

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DEAD_PID = 2**22 + 12345


def _left_running(task: Any, *args: Any) -> None:
    result = task.using(backend="default").enqueue(*args)
    DBTaskResult.objects.get(pk=result.id).claim(jobs.worker_id(DEAD_PID))


def test_a_batch_whose_worker_died_is_failed_at_once_and_may_be_resumed(db: Any, settings: Any):
    settings.TASKS = DB_TASKS
    batch = DocumentBatch.objects.create(
        kind=DocumentBatch.Kind.CERTIFICATES,
        title="Giấy khen Sở Tư pháp Hậu Giang",
        status=DocumentBatch.Status.RUNNING,
        idempotency_key="orphan-batch-1",
        created_by=make_admin(),
    )
    _left_running(batch_run_task, batch.pk)

    assert len(jobs.recover_orphans()) == 1

    batch.refresh_from_db()
    assert batch.status == DocumentBatch.Status.FAILED  # the page's "run it again" applies
    assert batch.error and batch.finished_at is not None


def test_a_report_export_whose_worker_died_is_failed_at_once(db: Any, settings: Any):
    settings.TASKS = DB_TASKS
    export = ReportExport.objects.create(
        cycle=make_block_cycle(),
        period="yearend",
        requested_by=make_admin(),
        status=ReportExport.Status.RUNNING,
    )
    _left_running(report_export_task, export.pk, "en")

    assert len(jobs.recover_orphans()) == 1

    export.refresh_from_db()
    assert export.status == ReportExport.Status.FAILED
    assert export.error == "The worker stopped before the ZIP was finished."
