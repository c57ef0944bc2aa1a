"""Every Excel workbook the system writes goes through here: streamed, and never a formula.

- **Streamed**: openpyxl's write-only workbooks. Rows go to a temporary file as they are
  appended, so an export's memory and its time per row stay flat whatever its size (a normal
  workbook keeps every cell, and `sheet.max_row` walks them all). Column widths, frozen panes
  and styles are declared before the first row, cells are styled one by one (`cell`).
- **Never a formula**: `cell` writes a text that starts with `=`, `+`, `-`, `@`, a tab or a
  carriage return as a plain string with Excel's *quote prefix* (the cell behaves as if typed
  with a leading apostrophe: shown as is, the text itself unchanged, not turned into a formula
  when edited). A name such as `=HYPERLINK("http://…"&A1,"x")` imported from a file or typed
  in a form is written back as that text, not as a live link or calculation.
- **Said what it is**: `title_block` opens an export with what it holds, for which agency and
  year, and when it was produced (the first `TITLE_ROWS` rows), then the column headers.

`workbook_bytes` gives the file as bytes (templates, jobs); `attachment` serves it over HTTP
from a temporary file, never holding the whole sheet in memory.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import FileResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .csvfile import FORMULA_STARTS, is_formula_like
from .filetypes import XLSX_CONTENT_TYPE

CONTENT_TYPE = XLSX_CONTENT_TYPE
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
DECIMAL_FORMAT = "0.00"
HEADER_FILL = "DDEBF7"
# What `title_block` writes above the column headers: what, scope, produced, a blank line.
TITLE_ROWS = 4

Sheet = WriteOnlyWorksheet


@dataclass(frozen=True)
class Style:
    bold: bool = False
    size: float | None = None
    fill: str | None = None
    wrap: bool = False
    center: bool = False
    number_format: str | None = None
    unlocked: bool = False


HEADER = Style(bold=True, fill=HEADER_FILL, wrap=True, center=True)
TITLE = Style(bold=True, size=14)


def cell(sheet: Sheet, value: Any, style: Style | None = None) -> Cell:
    """One cell for `sheet.append`: text that could start a formula stays text; dates and
    decimals get the system's formats unless `style` says otherwise."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.make_naive(value)  # Excel has no time zones: local time
    written = WriteOnlyCell(sheet, value=value)
    if is_formula_like(value):
        written.data_type = "s"  # openpyxl made "=…" a formula; a string it is
        written.quotePrefix = True
    if isinstance(value, dt.datetime):
        written.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        written.number_format = DATE_FORMAT
    elif isinstance(value, Decimal):
        written.number_format = DECIMAL_FORMAT
    if style is not None:
        _apply(written, style)
    return written


def _apply(written: Cell, style: Style) -> None:
    if style.bold or style.size:
        written.font = Font(bold=style.bold, size=style.size)
    if style.fill:
        written.fill = PatternFill("solid", fgColor=style.fill)
    if style.wrap or style.center:
        written.alignment = Alignment(
            wrap_text=style.wrap or None,
            vertical="center" if style.center else "top",
            horizontal="center" if style.center else None,
        )
    if style.number_format:
        written.number_format = style.number_format
    if style.unlocked:
        written.protection = Protection(locked=False)


def row(
    sheet: Sheet,
    values: Iterable[Any],
    style: Style | None = None,
    styles: Mapping[int, Style] | None = None,
) -> list[Any]:
    """A row for `sheet.append`: a cell (`cell`) wherever a style, a format or the formula
    guard is needed, the plain value elsewhere (openpyxl writes those through one reused
    cell: the common case stays cheap). `styles` by 0-based column overrides `style`."""
    styles = styles or {}
    written: list[Any] = []
    for index, value in enumerate(values):
        chosen = styles.get(index, style)
        if chosen is None and (value is None or _plain(value)):
            written.append(value)
        else:
            written.append(cell(sheet, value, chosen))
    return written


def _plain(value: object) -> bool:
    """Written as is by openpyxl, as the value it is: numbers, and text no formula starts."""
    if isinstance(value, str):
        return not value.startswith(FORMULA_STARTS)
    return isinstance(value, int | float)


def append(
    sheet: Sheet,
    values: Iterable[Any],
    style: Style | None = None,
    styles: Mapping[int, Style] | None = None,
) -> None:
    sheet.append(row(sheet, values, style, styles))


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def add_sheet(
    workbook: Workbook,
    title: str,
    *,
    widths: Sequence[float | None] | Mapping[int, float] = (),
    freeze: str | None = None,
    text_columns: Iterable[int] = (),
    date_columns: Iterable[int] = (),
) -> Sheet:
    """A streamed sheet with its column widths (by position from 1, or a sequence from
    column A) and frozen panes, set before any row is written. `text_columns` (from 1) are
    formatted as text, so what is typed in them later keeps its leading zeros;
    `date_columns` show dates as dd/mm/yyyy."""
    sheet: Sheet = workbook.create_sheet(title[:31])
    # Set up by openpyxl's Worksheet._setup; its stubs do not declare it on write-only sheets.
    columns: Any = sheet.column_dimensions  # type: ignore[attr-defined]
    items = widths.items() if isinstance(widths, Mapping) else enumerate(widths, start=1)
    for index, width in items:
        if width is not None:
            columns[get_column_letter(index)].width = width
    for index in text_columns:
        columns[get_column_letter(index)].number_format = "@"
    for index in date_columns:
        columns[get_column_letter(index)].number_format = DATE_FORMAT
    if freeze:
        sheet.freeze_panes = freeze
    return sheet


def title_block(
    sheet: Sheet,
    *,
    what: str,
    agency: str,
    year: int | str | None = None,
    produced_at: dt.datetime | None = None,
) -> None:
    """The first TITLE_ROWS rows of an export: what it holds; for which agency and year;
    when it was produced; a blank line."""
    moment = timezone.localtime(produced_at or timezone.now())
    scope = (
        _("Agency: %(agency)s — year %(year)s") % {"agency": agency, "year": year}
        if year
        else _("Agency: %(agency)s — every year") % {"agency": agency}
    )
    append(sheet, [what], TITLE)
    append(sheet, [scope])
    append(
        sheet,
        [_("Produced on %(when)s") % {"when": formats.date_format(moment, "d/m/Y H:i")}],
    )
    sheet.append([])


def workbook_bytes(workbook: Workbook) -> bytes:
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        return handle.read()


def attachment(workbook: Workbook, file_name: str) -> FileResponse:
    """The workbook as a download, streamed from a temporary file (deleted when closed)."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=file_name, content_type=CONTENT_TYPE)
