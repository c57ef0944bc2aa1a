"""The Excel import as background jobs: the preview and the import run in the job worker
(`manage.py db_worker`), because a province-size file takes minutes, well past the web
server's request timeout.

An ImportJob row carries the work from the upload to the result: the page polls it, so the
user may leave and come back. The tasks only call the importer (`parse_workbook`,
`import_apply`), which keeps every guarantee of its own: the import authorises, locks the
agency, re-plans and writes in one transaction, or writes nothing.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from thidua.lib import jobs

from .import_plan import ImportPlan, SheetCounts
from .importer import (
    ImportRefused,
    ImportResult,
    Progress,
    import_apply,
    load_upload,
    parse_workbook,
)
from .models import ImportJob, ImportStage, Unit, User

logger = logging.getLogger(__name__)


class JobError(Exception):
    """A failure whose message is meant for the user as it is."""


# Starting and confirming (called by the views) ----------------------------------------------


def start_import(*, user: User, agency: Unit, sha256: str, file_name: str) -> ImportJob:
    """Record a job for a stored upload and queue its preview once the job row is committed
    (a worker picking the task up earlier would not find it)."""
    job = ImportJob.objects.create(
        agency=agency,
        user=user,
        sha256=sha256,
        file_name=file_name[:255],
        language=translation.get_language() or settings.LANGUAGE_CODE,
        progress=_("Waiting for the job worker…"),
    )
    transaction.on_commit(partial(import_preview_task.enqueue, str(job.pk)))
    return job


def confirm_import(job: ImportJob, user: User) -> bool:
    """Move an awaiting job on to importing and queue the import; False when the job had
    already moved on (a second click, a retried request), so the import is queued once."""
    # One conditional UPDATE: of two concurrent confirmations, the database lets exactly one
    # change the row.
    moved = ImportJob.objects.filter(pk=job.pk, stage=ImportStage.AWAITING).update(
        stage=ImportStage.IMPORTING,
        confirmed_by=user,
        message="",
        progress=_("Waiting for the job worker…"),
        updated_at=timezone.now(),
    )
    if moved:
        transaction.on_commit(partial(import_apply_task.enqueue, str(job.pk)))
    return moved == 1


def fail_stalled(jobs: Sequence[ImportJob]) -> None:
    """Report as failed those of `jobs` that have been running without news for
    ImportJob.STALLED_AFTER, and reload them."""
    # Checked on the rows in hand first, so a page polling a healthy job only reads: on SQLite
    # a write would wait for whatever import transaction is in progress.
    stalled = [job for job in jobs if job.is_stalled]
    if not stalled:
        return
    ImportJob.objects.filter(
        pk__in=[job.pk for job in stalled],
        stage__in=ImportJob.RUNNING,
        updated_at__lt=timezone.now() - ImportJob.STALLED_AFTER,
    ).update(
        stage=ImportStage.FAILED,
        interrupted_stage=F("stage"),
        progress="",
        message=_(
            "The job stopped without finishing (the server may have been restarted). An "
            "unfinished import writes nothing; please upload the file again."
        ),
        updated_at=timezone.now(),
    )
    for job in stalled:
        job.refresh_from_db()


def fail_orphaned(args: list[Any], kwargs: dict[str, Any]) -> None:
    """The worker running this job's task stopped (thidua.lib.jobs): the job failed, now,
    and its page offers to run it again."""
    job = ImportJob.objects.filter(pk=(args or [kwargs.get("job_id")])[0]).first()
    if job is None:
        return
    with translation.override(job.language):
        message = _(
            "The job worker stopped while this job was running (it was restarted); nothing "
            "was written. You can run the job again."
        )
    ImportJob.objects.filter(pk=job.pk, stage__in=ImportJob.RUNNING).update(
        stage=ImportStage.FAILED,
        interrupted_stage=F("stage"),
        progress="",
        message=message,
        updated_at=timezone.now(),
    )


def run_again(job: ImportJob, user: User) -> bool:
    """Queue again the stage an interrupted job was at; False when it is not such a job
    (run again already, by a second click) or its file is gone."""
    if not job.can_run_again or load_upload(job.sha256) is None:
        return False
    stage = job.interrupted_stage
    moved = ImportJob.objects.filter(
        pk=job.pk, stage=ImportStage.FAILED, interrupted_stage=stage
    ).update(
        stage=stage,
        interrupted_stage="",
        message="",
        progress=_("Waiting for the job worker…"),
        updated_at=timezone.now(),
    )
    if moved:
        task = import_preview_task if stage == ImportStage.PREVIEW else import_apply_task
        transaction.on_commit(partial(task.enqueue, str(job.pk)))
        logger.info("Import job %s run again at stage %s by %s", job.pk, stage, user.pk)
    return moved == 1


# Plain data for the job row ----------------------------------------------------------------


def _sheets(counts: dict[str, SheetCounts]) -> list[dict[str, Any]]:
    return [{"key": c.key, "title": c.title, **c.as_dict()} for c in counts.values()]


def plan_data(plan: ImportPlan) -> dict[str, Any]:
    """What the preview page shows: the counts per sheet and the errors (at most 1,000)."""
    return {
        "sha256": plan.sha256,
        "sheets": _sheets(plan.counts),
        "errors": [dataclasses.asdict(error) for error in plan.errors],
        "error_count": plan.error_count,
        "has_changes": plan.has_changes,
    }


def result_data(result: ImportResult) -> dict[str, Any]:
    return {
        "sheets": _sheets(result.counts),
        "created": result.created,
        "updated": result.updated,
    }


# The tasks ----------------------------------------------------------------------------------


@task()
def import_preview_task(job_id: str) -> str:
    """Read and check the upload against the database; record the plan. Writes no data."""
    job = _job_at(job_id, ImportStage.PREVIEW)
    if job is None:
        return "skipped"
    with translation.override(job.language):
        try:
            plan = parse_workbook(_upload(job), agency=job.agency, progress=_reporter(job))
        except Exception as exc:
            _failed(job, exc)
        else:
            job.plan = plan_data(plan)
            if not plan.is_valid:
                job.stage, job.message = ImportStage.REFUSED, _refusal(plan)
            elif not plan.has_changes:
                # Nothing to confirm: the data already matches the file.
                job.stage = ImportStage.DONE
                job.result = {"sheets": job.plan["sheets"], "created": 0, "updated": 0}
            else:
                job.stage = ImportStage.AWAITING
        _finish(job)
    return job.stage


@task()
def import_apply_task(job_id: str) -> str:
    """Import the upload in one transaction, as whoever confirmed it; record the outcome."""
    job = _job_at(job_id, ImportStage.IMPORTING)
    if job is None:
        return "skipped"
    # The import is the act of whoever confirmed it: it is authorised and audited as them,
    # as it was when the confirmation wrote in the request.
    actor = job.confirmed_by or job.user
    with translation.override(job.language):
        try:
            result = import_apply(
                actor=actor, agency=job.agency, data=_upload(job), progress=_reporter(job)
            )
        except ImportRefused as refused:
            # The data changed since the preview and the file no longer fits it.
            job.stage, job.plan = ImportStage.REFUSED, plan_data(refused.plan)
            job.message = _refusal(refused.plan)
        except PermissionDenied as denied:
            job.stage, job.message = ImportStage.REFUSED, str(denied)
        except ValidationError as clash:
            # Another writer took a code at the same moment; the rollback left nothing, and the
            # same file may simply be confirmed again.
            job.stage, job.message = ImportStage.AWAITING, " ".join(clash.messages)
        except Exception as exc:
            _failed(job, exc)
        else:
            job.stage, job.result = ImportStage.DONE, result_data(result)
        _finish(job)
    return job.stage


def _job_at(job_id: str, stage: ImportStage) -> ImportJob | None:
    job = (
        ImportJob.objects.select_related("agency", "user", "confirmed_by").filter(pk=job_id).first()
    )
    if job is None or job.stage != stage:
        # Deleted, reported stalled, or already run by an earlier attempt: nothing to do.
        logger.warning("Import job %s is not at stage %s; task skipped", job_id, stage)
        return None
    return job


def _upload(job: ImportJob) -> bytes:
    data = load_upload(job.sha256)
    if data is None:
        raise JobError(
            _("The uploaded file is no longer stored on the server; please upload it again.")
        )
    return data


def _reporter(job: ImportJob) -> Progress:
    def report(message: str) -> None:
        # An UPDATE of its own (the importer calls this outside its transaction), so the page
        # polling the job sees it at once. Only news: a failure to record it (a lock held too
        # long by another writer) must not stop the import.
        try:
            ImportJob.objects.filter(pk=job.pk).update(
                progress=message[:255], updated_at=timezone.now()
            )
        except DatabaseError:
            logger.warning("Import job %s: progress not recorded", job.pk, exc_info=True)

    return report


def _refusal(plan: ImportPlan) -> str:
    return " ".join(ImportRefused(plan).messages)


def _failed(job: ImportJob, exc: Exception) -> None:
    logger.exception("Import job %s failed at stage %s", job.pk, job.stage)
    job.stage = ImportStage.FAILED
    if isinstance(exc, JobError):
        job.message = str(exc)
    else:
        # The details are in the log; the user gets what happened and what to do.
        job.message = _(
            "The job stopped on an unexpected error (%(error)s); nothing was written. Please "
            "try again, or tell the administrator the time shown on this page."
        ) % {"error": type(exc).__name__}


def _finish(job: ImportJob) -> None:
    job.progress = ""
    job.save(update_fields=["stage", "message", "plan", "result", "progress", "updated_at"])


jobs.on_orphaned(import_preview_task.module_path)(fail_orphaned)
jobs.on_orphaned(import_apply_task.module_path)(fail_orphaned)
