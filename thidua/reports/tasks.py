"""Background work of reports (django-tasks; `manage.py worker` runs it).

* `report_export_task`: a block's reports for one period as one ZIP (reports.export).

Tasks take ids, never rows: a row serialised into the queue would be stale when it runs.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from thidua.lib import jobs

from .export import fail, run_export


@task()
def report_export_task(job_id: int, language: str = "") -> str:
    # The reason of a failure is stored in the language of the one who asked.
    with translation.override(language or settings.LANGUAGE_CODE):
        return run_export(job_id)


def _export_orphaned(args: list[Any], kwargs: dict[str, Any]) -> None:
    """The worker making the ZIP stopped (thidua.lib.jobs): failed at once; the board
    offers a new export."""
    language = (args[1:2] or [kwargs.get("language", "")])[0]
    with translation.override(language or settings.LANGUAGE_CODE):
        fail(
            int((args or [kwargs.get("job_id")])[0]),
            _("The worker stopped before the ZIP was finished."),
        )


jobs.on_orphaned(report_export_task.module_path)(_export_orphaned)
