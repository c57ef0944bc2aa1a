"""The checkpoint publication as a job of the job worker (`manage.py db_worker`).

`audit.record` queues one, due AUDIT_CHECKPOINT_MINUTES later, when it writes the first
event after the last publication: a checkpoint follows any event within that interval, and
an idle system queues nothing. `manage.py publish_audit_checkpoint` does the same from cron.
"""

from __future__ import annotations

import datetime as dt
import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def publish_checkpoint_task() -> int | None:
    from .checkpoints import checkpoint_publish

    checkpoint = checkpoint_publish()
    return checkpoint.number if checkpoint is not None else None


def schedule_checkpoint(due: dt.datetime) -> None:
    """Queue the publication for `due`, on backends that can defer a job (the database
    queue); the tests' immediate backend cannot, and tests publish explicitly."""
    if not publish_checkpoint_task.get_backend().supports_defer:
        return
    publish_checkpoint_task.using(run_after=due).enqueue()
