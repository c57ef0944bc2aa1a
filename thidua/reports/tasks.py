"""Background work of reports (django-tasks; `manage.py db_worker` runs it).

* `report_export_task`: a block's reports for one period as one ZIP (reports.export).

Tasks take ids, never rows: a row serialised into the queue would be stale when it runs.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django_tasks import task

from .export import run_export


@task()
def report_export_task(job_id: int, language: str = "") -> str:
    # The reason of a failure is stored in the language of the one who asked.
    with translation.override(language or settings.LANGUAGE_CODE):
        return run_export(job_id)
