"""The award register as an Excel workbook (openpyxl): what the register page shows under
its current filter, one row per award, with the names as on the decision and today's."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from .models import Award

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_NAME = "so-khen-thuong.xlsx"


def register_workbook(awards: Iterable[Award]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Award register")[:31]
    headers = [
        _("Date"),
        _("Decision"),
        _("Issuing body"),
        _("Title or form"),
        _("Recipient as named then"),
        _("Unit then"),
        _("Name today"),
        _("Reason"),
        _("Bonus (VND)"),
        _("In words"),
        _("Status"),
    ]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for award in awards:
        today_name = award.unit.name if award.unit else award.person.full_name  # type: ignore[union-attr]
        sheet.append(
            [
                award.decision.issued_on,
                award.decision.symbol,
                award.decision.issuer_name,
                award.form.name,
                award.recipient_name,
                award.recipient_unit_name,
                today_name,
                award.reason,
                int(award.amount) if award.amount is not None else None,
                award.amount_in_words,
                _("revoked") if award.revoked else _("In force"),
            ]
        )
        sheet.cell(row=sheet.max_row, column=1).number_format = "DD/MM/YYYY"
    widths = (12, 18, 36, 36, 36, 36, 36, 40, 14, 48, 12)
    for column, width in zip("ABCDEFGHIJK", widths, strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
