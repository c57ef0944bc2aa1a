"""`manage.py worker`: the database job worker (django-tasks-db's `db_worker`), named
`<host>:<pid>`, which first fails at once the jobs that a dead worker of this host left
"running" and lets their apps offer to run them again (thidua/lib/jobs.py)."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorker

from thidua.lib import jobs


class Command(DbWorker):
    help = (
        "Run the job worker; on start, jobs left running by a worker of this host that died "
        "are reported failed at once, and their pages offer to run them again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        recovered = jobs.recover_orphans()
        if recovered:
            self.stderr.write(f"{len(recovered)} orphaned job(s) of a stopped worker failed")
        options["worker_id"] = jobs.worker_id()
        super().handle(*args, **options)
