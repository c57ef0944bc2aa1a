"""Reading the Excel files the secretariat uploads to awards (the list of a decision's
recipients, the import of past awards): one set of checks for both, every problem named by
row and column."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from thidua.org.import_workbook import check_upload


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


def _header_text(value: Any) -> str:
    return " ".join(str(value).split()).casefold() if value is not None else ""


def read_rows(
    data: bytes,
    *,
    headers: Sequence[str],
    max_rows: int,
    max_bytes: int,
    too_many: str | None = None,
) -> list[tuple[int, tuple[Any, ...]]]:
    """The data rows of the first sheet as (row number, its cells padded to the header's
    width), blank rows left out, once the file has passed the checks: at most `max_bytes`, an
    xlsx workbook by content (zip, workbook part, no zip bomb), the template's header row,
    at most `max_rows` data rows (`too_many` says so in the caller's words)."""
    from openpyxl import load_workbook

    check_upload(data, max_bytes=max_bytes)
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    width = len(headers)
    try:
        sheet_rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(sheet_rows, None)
        if header is None:
            raise ValidationError(_("The file is empty."))
        if [_header_text(v) for v in (tuple(header) + (None,) * width)[:width]] != [
            _header_text(h) for h in headers
        ]:
            raise ValidationError(
                _("The first row must be the header of the template: %(headers)s.")
                % {"headers": " | ".join(headers)}
            )
        rows: list[tuple[int, tuple[Any, ...]]] = []
        for number, values in enumerate(sheet_rows, start=2):
            cells = (tuple(values) + (None,) * width)[:width]
            if all(v is None or str(v).strip() == "" for v in cells):
                continue  # blank lines between groups are common and harmless
            rows.append((number, cells))
            if len(rows) > max_rows:
                raise ValidationError(
                    too_many or _("The file has more than %(count)s rows.") % {"count": max_rows}
                )
        return rows
    finally:
        workbook.close()
