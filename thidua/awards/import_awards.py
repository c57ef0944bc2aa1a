"""Excel import of past awards, so an agency brings its register in on day one.

One row per award; rows with the same issuing body, number/symbol and date form one decision.
The flow is the org import's: read and check every cell (errors by row and column), preview,
then write everything in one transaction or nothing. Identity is the decision (agency,
issuing body, symbol, date) and, inside it, the recipient and form — so importing the same
file again finds every award already there and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.lib import xlsx
from thidua.org.models import Person, Unit
from thidua.org.permissions import Action, Actor, authorize

from .models import Award, AwardDecision, AwardForm, RecipientKind
from .services import AwardInput, _award_from, decision_snapshot, recipient_problem
from .workbooks import CellError, read_rows

TEMPLATE_FILE_NAME = "mau-nhap-khen-thuong.xlsx"
MAX_ROWS = 5000
MAX_BYTES = settings.IMPORT_MAX_BYTES
# The header row is the format itself (Vietnamese whatever the user's language), like the org
# import workbook's.
HEADERS = (
    "Số, ký hiệu quyết định",
    "Ngày quyết định",
    "Cơ quan ban hành",
    "Người ký",
    "Mã đơn vị (tập thể)",
    "Mã cán bộ (cá nhân)",
    "Mã danh hiệu / hình thức",
    "Lý do (thành tích)",
)
COLUMNS = "ABCDEFGH"


@dataclass
class PlannedDecision:
    issuer_name: str
    symbol: str
    issued_on: dt.date
    signer: str
    existing: AwardDecision | None
    new_awards: list[AwardInput] = field(default_factory=list)
    existing_awards: int = 0


@dataclass
class ImportPlan:
    errors: list[CellError] = field(default_factory=list)
    decisions: list[PlannedDecision] = field(default_factory=list)

    @property
    def new_award_count(self) -> int:
        return sum(len(d.new_awards) for d in self.decisions)

    @property
    def existing_award_count(self) -> int:
        return sum(d.existing_awards for d in self.decisions)

    @property
    def new_decision_count(self) -> int:
        return sum(1 for d in self.decisions if d.existing is None and d.new_awards)


def build_template() -> bytes:
    workbook = xlsx.new_workbook()
    sheet = xlsx.add_sheet(workbook, "Khen thưởng")
    xlsx.append(sheet, HEADERS, xlsx.Style(bold=True))
    xlsx.append(
        sheet,
        [
            "123/QĐ-UBND",
            dt.date(2020, 12, 30),
            "Ủy ban nhân dân thành phố Cần Thơ",
            "Chủ tịch",
            "TTVH",
            "",
            "CTD_TINH",
            "Đã dẫn đầu phong trào thi đua năm 2020",
        ],
    )
    forms = xlsx.add_sheet(workbook, "Danh mục")
    xlsx.append(forms, ["Mã", "Danh hiệu / hình thức", "Tặng cho"])
    for form in AwardForm.objects.all():
        xlsx.append(forms, [form.code, form.name, str(form.get_recipient_kind_display())])
    return xlsx.workbook_bytes(workbook)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def plan_import(data: bytes, agency: Unit) -> ImportPlan:
    """Check every row against the catalogue, the organisation and the register."""
    plan = ImportPlan()
    units = {u.code: u for u in Unit.objects.all()}
    people = {p.code: p for p in Person.objects.all()}
    forms = {f.code: f for f in AwardForm.objects.all()}
    by_key: dict[tuple[str, str, dt.date], PlannedDecision] = {}
    seen: set[tuple[tuple[str, str, dt.date], str, int, int]] = set()
    rows = read_rows(data, headers=HEADERS, max_rows=MAX_ROWS, max_bytes=MAX_BYTES)
    for number, cells in rows:
        symbol, day_cell, issuer, signer, unit_code, person_code, form_code, reason = cells
        errors: list[CellError] = []

        def error(
            column: str, message: str, number: int = number, sink: list[CellError] = errors
        ) -> None:
            sink.append(CellError(number, column, message))

        symbol_text, issuer_text = _text(symbol), _text(issuer)
        if not symbol_text:
            error("A", _("The number and symbol are required."))
        day = _date(day_cell)
        if day is None:
            error("B", _("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": _text(day_cell)})
        if not issuer_text:
            error("C", _("The issuing body is required."))
        unit_text, person_text = _text(unit_code), _text(person_code)
        unit = person = None
        if bool(unit_text) == bool(person_text):
            error("E", _("Give either a unit code or a staff code, not both."))
        elif unit_text:
            unit = units.get(unit_text)
            if unit is None:
                error("E", _("Unknown unit code “%(code)s”.") % {"code": unit_text})
        else:
            person = people.get(person_text)
            if person is None:
                error("F", _("Unknown staff code “%(code)s”.") % {"code": person_text})
        form = forms.get(_text(form_code))
        if form is None:
            error("G", _("Unknown title or form “%(code)s”.") % {"code": _text(form_code)})
        if day is not None and (unit or person):
            problem = recipient_problem(unit, person, day)
            if problem:
                error("E" if unit else "F", problem)
        if form is not None and (unit or person):
            kind = RecipientKind.COLLECTIVE if unit else RecipientKind.INDIVIDUAL
            if not form.accepts(kind):
                error(
                    "G", _("“%(form)s” is not awarded to this kind of recipient.") % {"form": form}
                )
        if errors or day is None or form is None:
            plan.errors.extend(errors)
            continue
        key = (issuer_text, symbol_text, day)
        planned = by_key.get(key)
        if planned is None:
            existing = AwardDecision.objects.filter(
                agency=agency, issuer_name=issuer_text, symbol=symbol_text, issued_on=day
            ).first()
            planned = PlannedDecision(issuer_text, symbol_text, day, _text(signer), existing)
            by_key[key] = planned
            plan.decisions.append(planned)
        identity = (key, "u" if unit else "p", (unit or person).pk, form.pk)  # type: ignore[union-attr]
        if identity in seen:
            error("A", _("The same award appears twice in the file."))
            plan.errors.extend(errors)
            continue
        seen.add(identity)
        already = planned.existing is not None and (
            Award.objects.filter(
                decision=planned.existing, form=form, unit=unit, person=person
            ).exists()
        )
        if already:
            planned.existing_awards += 1
        else:
            planned.new_awards.append(
                AwardInput(form=form, unit=unit, person=person, reason=_text(reason), row=number)
            )
    return plan


@transaction.atomic
def apply_import(*, actor: Actor, agency: Unit, data: bytes, file_name: str) -> ImportPlan:
    """Re-check the file and write it whole, or refuse it whole."""
    authorize(actor, Action.AWARD_RECORD, agency)
    plan = plan_import(data, agency)
    if plan.errors:
        raise ValidationError([str(e) for e in plan.errors])
    for planned in plan.decisions:
        if not planned.new_awards:
            continue
        decision = planned.existing
        if decision is None:
            decision = AwardDecision.objects.create(
                agency=agency,
                issuer_name=planned.issuer_name,
                symbol=planned.symbol,
                issued_on=planned.issued_on,
                signer=planned.signer,
            )
        Award.objects.bulk_create([_award_from(decision, item) for item in planned.new_awards])
        record(
            actor=actor,
            action=AuditAction.DECISION_IMPORTED,
            obj=decision,
            after=decision_snapshot(decision),
            extra={"file": file_name, "new_awards": len(planned.new_awards)},
        )
    return plan
