"""Fixtures for the Excel import: uploads in a temporary folder, messages in English, a
helper that fills the downloadable template the way an officer would, and helpers for the
background jobs (uploading through the page, running what waits for a commit)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import resolve, reverse
from django.utils import translation
from openpyxl import load_workbook

from tests.org.helpers import row_counts
from thidua.org.importer import build_template
from thidua.org.models import ImportJob

AGENCY = "SVHTTDL"


@pytest.fixture(autouse=True)
def _uploads(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # Messages are asserted in English, whatever the Vietnamese catalogue says.
    with translation.override("en"):
        yield


@pytest.fixture
def english(client: Any, settings: Any) -> Any:
    """Pages in English (the site is Vietnamese unless the user switches)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


Row = Sequence[Any]


def fill_template(
    *,
    units: Sequence[Row] = (),
    people: Sequence[Row] = (),
    employments: Sequence[Row] = (),
    ratings: Sequence[Row] = (),
) -> bytes:
    """The downloaded template with rows typed into its four sheets from row 2 down, over
    the example row, as an officer does."""
    workbook = load_workbook(io.BytesIO(build_template()))
    for title, rows in (
        ("Đơn vị", units),
        ("Nhân sự", people),
        ("Công tác", employments),
        ("Xếp loại", ratings),
    ):
        workbook[title].delete_rows(2)
        for row in rows:
            workbook[title].append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def day(text: str) -> dt.datetime:
    """A real Excel date cell (openpyxl writes datetimes as dates)."""
    return dt.datetime.strptime(text, "%d/%m/%Y")


def good_file() -> bytes:
    """A valid file adding one of each: a unit, a person, their employment and a rating."""
    return fill_template(
        units=[
            ["TTPHIM", "Trung tâm Phát hành Phim", "", "Đơn vị sự nghiệp", AGENCY, "01/01/2016"]
        ],
        people=[["NV-900", "Đặng Ngọc Đạt", None, None]],
        employments=[["NV-900", "TTPHIM", "", "", "01/06/2018", None]],
        ratings=[["NV-900", 2020, "HTXSNV", ""]],
    )


def bad_file() -> bytes:
    # VP-001 joined the Văn phòng in 2015, so cannot be rated for 2014.
    return fill_template(ratings=[["VP-001", 2014, "HTXSNV", ""]])


DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@contextmanager
def committed() -> Iterator[None]:
    """Run, at the end of the block, the on-commit callbacks (the enqueues) registered in it,
    as a real commit would: tests run inside a transaction that is never committed. With the
    ImmediateBackend the tasks then run at once."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield


def upload(client: Any, agency: Any, data: bytes, name: str = "to-chuc.xlsx") -> Any:
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    with committed():
        return client.post(reverse("import_upload"), {"agency": agency.pk, "file": file})


def confirm(client: Any, job: ImportJob) -> Any:
    """POST the confirmation; then, its import having run, the job page (or the refusal)."""
    with committed():
        response = client.post(reverse("import_job_confirm", kwargs={"job_id": job.pk}))
    return client.get(response["Location"]) if response.status_code == 302 else response


def job_of(response: Any) -> ImportJob:
    """The job an upload redirected to."""
    return ImportJob.objects.get(pk=resolve(response["Location"]).kwargs["job_id"])


def job_url(job: ImportJob) -> str:
    return reverse("import_job", kwargs={"job_id": job.pk})


def data_counts() -> dict[str, int]:
    """Rows per model of the foundation's apps, leaving out the import jobs themselves: an
    upload records a job, and that is not data written."""
    counts = row_counts()
    del counts["org.ImportJob"]
    return counts
