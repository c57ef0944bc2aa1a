"""The award register as an Excel workbook: what the register page shows under its current
filter, one row per award, with the names as on the decision and today's. Streamed
(thidua.lib.xlsx): time and memory per row stay flat however long the register is."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from thidua.lib import xlsx
from thidua.org.models import Unit

from .models import Award
from .selectors import RegisterFilter, visible_agency_ids

FILE_NAME = "so-khen-thuong.xlsx"
WIDTHS = (12, 18, 36, 36, 36, 36, 36, 40, 14, 48, 12)
FIELDS = (
    "decision__issued_on",
    "decision__symbol",
    "decision__issuer_name",
    "form__name",
    "recipient_name",
    "recipient_unit_name",
    "unit__name",
    "person__full_name",
    "reason",
    "amount",
    "amount_in_words",
    "revoked",
)


def register_workbook(awards: QuerySet[Award], *, agency: str, year: int | None = None) -> Workbook:
    """The register's workbook, written (not yet saved): `xlsx.attachment` or
    `xlsx.workbook_bytes` save it."""
    workbook = xlsx.new_workbook()
    sheet = xlsx.add_sheet(
        workbook, _("Award register"), widths=WIDTHS, freeze=f"A{xlsx.TITLE_ROWS + 2}"
    )
    xlsx.title_block(sheet, what=_("Award register"), agency=agency, year=year)
    xlsx.append(
        sheet,
        [
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
        ],
        xlsx.HEADER,
    )
    in_force, revoked = _("In force"), _("revoked")
    # Plain values, not model instances, read in chunks: nothing cached, little per row.
    for row in awards.values_list(*FIELDS).iterator(chunk_size=2000):
        (issued_on, symbol, issuer, form, named, unit_then, unit, person, reason, amount,
         words, is_revoked) = row  # fmt: skip
        xlsx.append(
            sheet,
            [
                issued_on,
                symbol,
                issuer,
                form,
                named,
                unit_then,
                unit if unit is not None else person,  # the name today
                reason,
                int(amount) if amount is not None else None,
                words,
                revoked if is_revoked else in_force,
            ],
        )
    return workbook


def agency_label(criteria: RegisterFilter, user: object) -> str:
    """Whose register the export is: the agencies `user` sees (and the unit filtered on)."""
    ids = visible_agency_ids(user)
    if ids is None:
        label = _("every agency")
    else:
        label = "; ".join(
            Unit.objects.filter(pk__in=ids).order_by("name").values_list("name", flat=True)
        )
    if criteria.unit is not None:
        label = f"{label} — {criteria.unit.name}"
    return label
