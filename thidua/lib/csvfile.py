"""The one way the system writes CSV: UTF-8 with a BOM (so Excel reads Vietnamese), and no
cell that a spreadsheet would run as a formula.

A CSV file has no cell types, so text that starts like a formula (FORMULA_STARTS below) is
written with a leading apostrophe, as OWASP recommends against CSV injection: Excel and
LibreOffice then show it as text. Numbers are written as they are."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

# What Excel, LibreOffice and Google Sheets may take for the start of a formula (OWASP's list
# for CSV injection, which applies to any cell a person may edit).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_value(value: object) -> object:
    return f"'{value}" if is_formula_like(value) else value


def csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([safe_value(value) for value in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
