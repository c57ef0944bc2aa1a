"""The award register as an Excel workbook: what the register page shows under its current
filter, one row per award, with the names as on the decision and today's. Streamed
(thidua.lib.xlsx): time and memory per row stay flat however long the register is."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from thidua.lib import xlsx
from thidua.org.models import Unit

from .models import Award
from .selectors import RegisterFilter, visible_agency_ids

FILE_NAME = "so-khen-thuong.xlsx"
WIDTHS = (12, 18, 36, 36, 36, 36, 36, 40, 14, 48, 12)


def register_workbook(awards: Iterable[Award], *, agency: str, year: int | None = None) -> Workbook:
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
    if isinstance(awards, QuerySet):
        awards = awards.iterator(chunk_size=2000)  # no cache of every award
    in_force, revoked = _("In force"), _("revoked")
    for award in awards:
        today_name = award.unit.name if award.unit else award.person.full_name  # type: ignore[union-attr]
        xlsx.append(
            sheet,
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
                revoked if award.revoked else in_force,
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
