"""Fixtures for the Excel import: uploads in a temporary folder, messages in English, and a
helper that fills the downloadable template the way an officer would."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from django.utils import translation
from openpyxl import load_workbook

from thidua.org.importer import build_template

AGENCY = "SVHTTDL"


@pytest.fixture(autouse=True)
def _uploads(settings: Any, tmp_path: Any) -> None:
    settings.UPLOAD_DIR = tmp_path / "uploads"


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
    """The downloaded template with rows typed into its four sheets (from row 2 down)."""
    workbook = load_workbook(io.BytesIO(build_template()))
    for title, rows in (
        ("Đơn vị", units),
        ("Nhân sự", people),
        ("Công tác", employments),
        ("Xếp loại", ratings),
    ):
        for row in rows:
            workbook[title].append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def day(text: str) -> dt.datetime:
    """A real Excel date cell (openpyxl writes datetimes as dates)."""
    return dt.datetime.strptime(text, "%d/%m/%Y")
