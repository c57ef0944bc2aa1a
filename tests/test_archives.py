"""Every upload path that opens a zip package (xlsx imports, award lists, scoring sheets,
Office evidence, Word templates) refuses one that would inflate past
UPLOAD_MAX_UNPACKED_BYTES, through the one check of thidua/lib/archives.py."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.org.factories import make_unit
from thidua.awards import award_list, import_awards
from thidua.documents import template_versions
from thidua.lib import archives
from thidua.org import import_workbook
from thidua.reports import evidence
from thidua.scoring.sheets import read_scoring_sheet

XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml")
DOCX_PARTS = ("[Content_Types].xml", "word/document.xml")


def bomb(parts: tuple[str, ...], inflated: int) -> bytes:
    """A small package whose last part unpacks to `inflated` bytes of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in parts[:-1]:
            archive.writestr(name, "<x/>")
        with archive.open(parts[-1], "w") as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(inflated // len(chunk)):
                member.write(chunk)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _one_megabyte(settings: Any) -> Iterator[None]:
    settings.UPLOAD_MAX_UNPACKED_BYTES = 1 << 20
    with translation.override("en"):
        yield


def _import_awards(data: bytes) -> Any:
    return import_awards.plan_import(data, make_unit())


PATHS: dict[str, tuple[tuple[str, ...], Callable[[bytes], Any]]] = {
    "organisation import": (XLSX_PARTS, import_workbook.check_upload),
    "organisation import, read by the job": (XLSX_PARTS, import_workbook.read_workbook),
    "past awards import": (XLSX_PARTS, _import_awards),
    "award list of a decision": (XLSX_PARTS, award_list.parse_award_list),
    "scoring sheet": (XLSX_PARTS, lambda data: read_scoring_sheet(data, None, None, "self")),  # type: ignore[arg-type]
    "report evidence": (XLSX_PARTS, lambda data: evidence.check(data, "bang-so-lieu.xlsx")),
    "Word template": (DOCX_PARTS, template_versions.check_package),
}


def _message(call: Callable[[bytes], Any], data: bytes) -> str:
    try:
        result = call(data)
    except ValidationError as refusal:
        return " ".join(refusal.messages)
    if isinstance(result, list):  # template check: a list of messages
        return " ".join(result)
    return " ".join(error.message for error in result.errors.items)  # the import's rows


@pytest.mark.parametrize("path", sorted(PATHS))
def test_a_package_inflating_past_the_limit_is_refused(path: str, db: Any) -> None:
    parts, call = PATHS[path]
    data = bomb(parts, 2 << 20)
    assert len(data) < 20_000

    assert "unpacks to more than 1.0 MB" in _message(call, data)


def test_declared_sizes_bound_what_zipfile_inflates() -> None:
    # A part that lies about its size is cut at the declared size by zipfile (bad CRC), so
    # bounding the declared sizes bounds the memory of every reader going through zipfile.
    data = bytearray(bomb(DOCX_PARTS, 2 << 20))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("word/document.xml")
    info.file_size = 1000
    with pytest.raises(zipfile.BadZipFile), archive.open(info) as member:
        assert len(member.read()) <= 1000
        member.read()


def test_too_many_parts_are_refused(settings: Any) -> None:
    settings.UPLOAD_MAX_ZIP_MEMBERS = 3
    data = bomb(("a", "b", "c", "d"), 0)
    with pytest.raises(archives.ArchiveRefused) as caught:
        archives.check_package(data)
    assert "more than 3 parts" in caught.value.message
