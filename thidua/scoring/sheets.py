"""Excel for scores: the block's matrix as a workbook, and the offline scoring sheet of one
unit (download, fill in Excel, upload, preview, confirm).

A scoring sheet carries, on a very hidden sheet, what it was made for: the round, the unit,
the mode (self-score, verification, a peer's score), the scorer, the table and a fingerprint
of its items. An upload made for anything else is refused as a whole before any cell is read,
so a sheet filled for last year's table or for another unit can never land on this one.

The workbook texts (headers, sheet names) are the format itself and stay Vietnamese whatever
the user's language, like the import workbooks; the messages about an upload are translated.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.lib import xlsx
from thidua.org.import_workbook import check_upload
from thidua.org.models import Unit
from thidua.org.permissions import Actor
from thidua.reports.models import Period

from . import engine, permissions
from .models import KIND_LABELS, PeerScore, ScoreEntry, ScoringItem, ScoringRound
from .selectors import results
from .services import peer_scores, self_scores, verification

SELF, VERIFY, PEER = "self", "verify", "peer"
MODES = (SELF, VERIFY, PEER)
MODE_LABELS = {
    SELF: gettext_lazy("Self-score"),
    VERIFY: gettext_lazy("Verification"),
    PEER: gettext_lazy("Peer score"),
}
# Vietnamese, as written in the workbook.
MODE_TITLES = {SELF: "Tự chấm điểm", VERIFY: "Thẩm định điểm", PEER: "Chấm chéo"}

FORMAT = "thidua-scoring-sheet/1"
SHEET_TITLE = "Phiếu chấm"
META_TITLE = "_thidua"
HEADER_ROW = 6
FIRST_ROW = HEADER_ROW + 1
# One column per field of a row; the letters are the format, checked again on upload.
COLUMNS = {
    "code": "A",
    "text": "B",
    "kind": "C",
    "min": "D",
    "max": "E",
    "self": "F",
    "current": "G",
    "input": "H",
    "reason": "I",
}
REASON_HEADERS = {
    SELF: "Giải trình, ghi chú",
    VERIFY: "Lý do thay đổi (bắt buộc khi khác điểm tự chấm)",
    PEER: "Ghi chú",
}
INPUT_HEADERS = {
    SELF: "Điểm tự chấm (nhập)",
    VERIFY: "Điểm thẩm định (nhập)",
    PEER: "Điểm chấm (nhập)",
}
MAX_ROWS = 2000
PLACES = Decimal("0.01")  # the score fields keep two decimals


# Helpers -----------------------------------------------------------------------------------------


def _kind_label(kind: str) -> str:
    with translation.override("vi"):
        label = KIND_LABELS.get(engine.Kind(kind)) if kind in set(engine.Kind) else None
        return str(label) if label is not None else kind


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _number(value: Any) -> Decimal | None:
    """A cell as a number: Excel numbers, or text typed with a comma or a dot."""
    if isinstance(value, bool):
        raise InvalidOperation
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = _text(value).replace(" ", "").replace(",", ".")
    if not text:
        return None
    number = Decimal(text)
    if not number.is_finite():
        raise InvalidOperation
    return number


# The matrix ---------------------------------------------------------------------------------------


def final_value(entry: ScoreEntry | None, final: engine.Result | None) -> Decimal | None:
    """A leaf's final points as the matrix shows them: verified, or computed by the engine;
    nothing for an item still waiting for its score."""
    if final is None:
        return None
    if (entry is not None and entry.verified_points is not None) or final.computed:
        return final.points
    return None


def matrix_workbook(block: results.BlockResults) -> bytes:
    """Units × leaves, self-score and final side by side, then the sections, the totals, the
    band, the rank and the tie mark; a second sheet with the criteria. The title block
    (xlsx.TITLE_ROWS rows) comes first, then two header rows."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange

    head = ["Hạng", "Đồng hạng", "Mã đơn vị", "Đơn vị"]
    first = xlsx.TITLE_ROWS + 1  # the first header row
    leaves_end = len(head) + 2 * len(block.leaves)
    last = leaves_end + len(block.sections) + 4
    workbook = xlsx.new_workbook()
    sheet = xlsx.add_sheet(
        workbook,
        "Ma trận điểm",
        widths={4: 36, **{column: 10 for column in range(len(head) + 1, last + 1)}},
        freeze=f"{get_column_letter(len(head) + 1)}{first + 2}",
    )
    round_, table = block.round, block.round.table
    with translation.override("vi"):
        period = str(dict(Period.choices).get(round_.period, round_.period))
        xlsx.title_block(
            sheet,
            what=f"Ma trận điểm — {table.name} — {period}",
            agency=table.agency.name,
            year=table.campaign.year,
        )
    xlsx.append(
        sheet,
        head
        + [value for item in block.leaves for value in (item.code, None)]
        + [f"Mục {s.code}" for s in block.sections]
        + ["Tổng tự chấm", "Tổng điểm", "Xếp loại", "Chưa đủ điểm"],
        xlsx.HEADER,
    )
    xlsx.append(
        sheet,
        [None] * len(head)
        + ["Tự chấm", "Kết quả"] * len(block.leaves)
        + [None] * (len(block.sections) + 4),
        xlsx.HEADER,
    )
    merged: Any = sheet.merged_cells  # type: ignore[attr-defined]
    for column in range(len(head) + 1, leaves_end + 1, 2):
        merged.add(CellRange(min_col=column, min_row=first, max_col=column + 1, max_row=first))
    for column in [*range(1, len(head) + 1), *range(last - len(block.sections) - 3, last + 1)]:
        merged.add(CellRange(min_col=column, min_row=first, max_col=column, max_row=first + 1))
    for row, line in block.cells():
        values: list[Any] = [
            row.rank,
            "=" if row.tied else None,  # text, never a formula (xlsx.cell)
            row.unit.code,
            row.unit.short_name or row.unit.name,
        ]
        for _item, entry, _self, final in line:
            values.append(entry.self_points if entry else None)
            values.append(final_value(entry, final))
        by_code = row.final.by_code()
        values.extend(by_code[s.code].points if s.code in by_code else None for s in block.sections)
        values.extend(
            [row.self_score.total, row.final.total, row.band, "x" if row.final.incomplete else None]
        )
        xlsx.append(sheet, values)

    criteria = xlsx.add_sheet(workbook, "Tiêu chí", widths={2: 70, 4: 22, 5: 40}, freeze="A2")
    xlsx.append(
        criteria, ["Mã", "Nội dung", "Điểm tối đa", "Loại", "Công thức", "Mục cha"], xlsx.HEADER
    )
    parents = {s.pk: s.code for s in block.sections}
    for item in sorted([*block.sections, *block.leaves], key=lambda i: _code_key(i.code)):
        xlsx.append(
            criteria,
            [
                item.code,
                item.text,
                item.max_points,
                _kind_label(item.kind),
                item.formula or None,
                parents.get(item.parent_id) if item.parent_id else None,
            ],
        )
    return xlsx.workbook_bytes(workbook)


def _code_key(code: str) -> tuple[Any, ...]:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.split("."))


# The scoring sheet of one unit --------------------------------------------------------------------


def _leaves(round_: ScoringRound) -> list[ScoringItem]:
    from .selectors import tables as table_selectors

    return [r.item for r in table_selectors.tree_rows(round_.table) if not r.item.is_section]


def fingerprint(leaves: Iterable[ScoringItem]) -> str:
    """What the rows of a sheet mean: each leaf's code, kind and maximum."""
    text = "\n".join(f"{i.code}|{i.kind}|{i.max_points}" for i in leaves)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Line:
    """One leaf with the values a sheet shows for it."""

    item: ScoringItem
    low: Decimal | None
    high: Decimal | None
    self_points: Decimal | None
    current: Decimal | None  # what the mode has saved so far
    prefill: Decimal | None
    note: str
    editable: bool
    proposed: Decimal | None = None  # what keeping confirms, in the verification sheet


def sheet_lines(
    round_: ScoringRound, unit: Unit, mode: str, scorer: Unit | None = None
) -> list[Line]:
    entries = {
        e.item_id: e for e in ScoreEntry.objects.filter(sheet__round=round_, sheet__unit=unit)
    }
    peer: dict[int, tuple[Decimal, str]] = {}
    peers: dict[int, list[Decimal]] = {}
    if mode == VERIFY:
        for item_id, points in PeerScore.objects.filter(
            sheet__round=round_, sheet__unit=unit
        ).values_list("item_id", "points"):
            peers.setdefault(item_id, []).append(points)
    if mode == PEER and scorer is not None:
        peer = {
            item_id: (points, note)
            for item_id, points, note in PeerScore.objects.filter(
                sheet__round=round_, sheet__unit=unit, scorer=scorer
            ).values_list("item_id", "points", "note")
        }
    lines: list[Line] = []
    for item in _leaves(round_):
        entry = entries.get(item.pk)
        low, high = results.bounds(item)
        own = entry.self_points if entry else None
        verified = entry.verified_points if entry else None
        proposed: Decimal | None = None
        if mode == SELF:
            current, prefill, note = own, own, entry.self_note if entry else ""
            editable = verified is None
        elif mode == VERIFY:
            current, note = verified, entry.verified_reason if entry else ""
            proposed = results.proposed_points(
                round_.table, round_.method, own, peers.get(item.pk, [])
            )
            prefill = results.verifier_value(verified, proposed)
            editable = True
        else:
            current, note = peer.get(item.pk, (None, ""))
            prefill, editable = current, verified is None
        lines.append(
            Line(
                item,
                low,
                high,
                own,
                current,
                prefill,
                note,
                editable and not round_.is_locked,
                proposed,
            )
        )
    return lines


def _validation(line: Line) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    low, high = line.low, line.high
    if low is not None and high is not None:
        rule = DataValidation(
            type="decimal", operator="between", formula1=f"{low:f}", formula2=f"{high:f}"
        )
        message = f"Nhập một số từ {low:f} đến {high:f}."
    elif low is not None:
        rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1=f"{low:f}")
        message = f"Nhập một số không nhỏ hơn {low:f}."
    elif high is not None:
        rule = DataValidation(type="decimal", operator="lessThanOrEqual", formula1=f"{high:f}")
        message = f"Nhập một số không lớn hơn {high:f}."
    else:
        return None
    rule.allow_blank = True
    rule.showErrorMessage = True
    rule.errorTitle = "Điểm không hợp lệ"
    rule.error = message
    rule.showInputMessage = True
    rule.prompt = message
    return rule


def scoring_sheet(round_: ScoringRound, unit: Unit, mode: str, scorer: Unit | None = None) -> bytes:
    """The sheet to fill offline: one row per leaf, only the input and reason cells open."""
    if mode not in MODES or (mode == PEER) != (scorer is not None):
        raise ValueError(f"bad sheet mode {mode!r} / scorer {scorer!r}")
    table = round_.table
    lines = sheet_lines(round_, unit, mode, scorer)
    workbook = xlsx.new_workbook()
    sheet = xlsx.add_sheet(
        workbook,
        SHEET_TITLE,
        widths={1: 8, 2: 60, 3: 18, 8: 14, 9: 40},
        freeze=f"A{FIRST_ROW}",
    )
    period = dict(Period.choices).get(round_.period, round_.period)
    with translation.override("vi"):
        period_text = str(period)
    target = f"Đơn vị được chấm: {unit.name} ({unit.code})"
    if scorer is not None:
        target = f"{target} — Đơn vị chấm: {scorer.name} ({scorer.code})"
    xlsx.append(sheet, [f"PHIẾU {MODE_TITLES[mode].upper()}"], xlsx.TITLE)
    xlsx.append(sheet, [target])
    xlsx.append(sheet, [f"{table.name} — phiên bản {table.version} — {period_text}"])
    xlsx.append(
        sheet,
        [
            "Chỉ nhập vào cột “điểm (nhập)” và cột lý do/ghi chú; để trống là không thay đổi. "
            "Điểm trừ nhập số âm. Không sửa mã và không thêm dòng; tải lên lại trong hệ thống "
            "để xem trước rồi xác nhận."
        ],
    )
    for _blank in range(HEADER_ROW - 5):
        sheet.append([])
    header = [
        "Mã",
        "Nội dung",
        "Loại",
        "Điểm tối thiểu",
        "Điểm tối đa",
        "Điểm tự chấm",
        "Điểm đã lưu",
        INPUT_HEADERS[mode],
        REASON_HEADERS[mode],
    ]
    xlsx.append(sheet, header, xlsx.HEADER)
    wrapped = xlsx.Style(wrap=True)
    open_cell = xlsx.Style(fill="FFF2CC", unlocked=True)
    input_index = ord(COLUMNS["input"]) - ord("A")
    reason_index = ord(COLUMNS["reason"]) - ord("A")
    validations: Any = sheet.data_validations  # type: ignore[attr-defined]
    for number, line in enumerate(lines, start=FIRST_ROW):
        item = line.item
        styles = {1: wrapped}
        if line.editable:
            styles |= {input_index: open_cell, reason_index: open_cell}
            rule = _validation(line)
            if rule is not None:
                rule.add(f"{COLUMNS['input']}{number}")
                validations.append(rule)
        xlsx.append(
            sheet,
            [
                item.code,
                item.text,
                _kind_label(item.kind),
                line.low,
                line.high,
                line.self_points,
                line.current,
                line.prefill,
                line.note or None,
            ],
            styles=styles,
        )
    protection: Any = sheet.protection  # type: ignore[attr-defined]
    protection.sheet = True
    protection.formatColumns = False  # widening a column is fine

    meta = xlsx.add_sheet(workbook, META_TITLE)
    for key, value in _metadata(round_, unit, mode, scorer, lines).items():
        xlsx.append(meta, [key, value])
    meta.sheet_state = "veryHidden"  # type: ignore[attr-defined]
    meta_protection: Any = meta.protection  # type: ignore[attr-defined]
    meta_protection.sheet = True
    return xlsx.workbook_bytes(workbook)


def _metadata(
    round_: ScoringRound, unit: Unit, mode: str, scorer: Unit | None, lines: list[Line]
) -> dict[str, str]:
    return {
        "format": FORMAT,
        "round": str(round_.pk),
        "period": round_.period,
        "unit": str(unit.pk),
        "unit_code": unit.code,
        "mode": mode,
        "scorer": str(scorer.pk) if scorer else "",
        "table": str(round_.table_id),
        "table_version": str(round_.table.version),
        "items": fingerprint(line.item for line in lines),
    }


def sheet_file_name(round_: ScoringRound, unit: Unit, mode: str, scorer: Unit | None) -> str:
    scorer_part = f"-{scorer.code}" if scorer else ""
    return f"phieu-{mode}{scorer_part}-{unit.code}-{round_.period}-v{round_.table.version}.xlsx"


# Reading an uploaded sheet ------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    row: int
    code: str
    message: str

    def __str__(self) -> str:
        if self.code:
            return _("Row %(row)s (%(code)s): %(message)s") % {
                "row": self.row,
                "code": self.code,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass(frozen=True)
class Change:
    row: int
    code: str
    text: str
    old: Decimal | None
    new: Decimal
    self_points: Decimal | None
    reason: str


@dataclass
class SheetPlan:
    mode: str
    problems: list[RowProblem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0

    @property
    def points(self) -> dict[str, Decimal]:
        return {c.code: c.new for c in self.changes}

    @property
    def reasons(self) -> dict[str, str]:
        return {c.code: c.reason for c in self.changes}


def _read_meta(workbook: Any) -> dict[str, str]:
    if META_TITLE not in workbook.sheetnames or SHEET_TITLE not in workbook.sheetnames:
        raise ValidationError(
            _(
                "This file is not a scoring sheet of this system: download the sheet from the "
                "system, fill it in and upload it again."
            )
        )
    meta: dict[str, str] = {}
    for row in workbook[META_TITLE].iter_rows(min_col=1, max_col=2, values_only=True):
        if row and row[0] is not None:
            meta[_text(row[0])] = _text(row[1])
    if meta.get("format") != FORMAT:
        raise ValidationError(_("This scoring sheet has an unknown format: download it again."))
    return meta


def _check_meta(
    meta: dict[str, str],
    round_: ScoringRound,
    unit: Unit,
    mode: str,
    scorer: Unit | None,
    leaves: list[ScoringItem],
) -> None:
    """Refuse a sheet made for another mode, unit, scorer, table or round, saying which."""
    if meta.get("mode") != mode:
        other = MODE_LABELS.get(meta.get("mode", ""), meta.get("mode", ""))
        raise ValidationError(
            _("This sheet is for “%(other)s”, not for “%(mode)s”: upload it on its own page.")
            % {"other": other, "mode": MODE_LABELS[mode]}
        )
    if meta.get("unit") != str(unit.pk):
        raise ValidationError(
            _("This sheet is for the unit %(other)s, not for “%(unit)s”.")
            % {"other": meta.get("unit_code", "?"), "unit": unit}
        )
    if meta.get("scorer", "") != (str(scorer.pk) if scorer else ""):
        raise ValidationError(_("This sheet was made for another scoring unit."))
    table = round_.table
    if meta.get("table") != str(table.pk) or meta.get("table_version") != str(table.version):
        raise ValidationError(
            _(
                "This sheet was made from version %(other)s of a scoring table; this round "
                "uses version %(version)s of “%(table)s”: download the sheet again."
            )
            % {
                "other": meta.get("table_version", "?"),
                "version": table.version,
                "table": table.name,
            }
        )
    if meta.get("round") != str(round_.pk):
        period = dict(Period.choices).get(meta.get("period", ""), meta.get("period", "?"))
        raise ValidationError(
            _("This sheet is for another scoring round (%(other)s), not for %(round)s.")
            % {"other": period, "round": round_.period_label}
        )
    if meta.get("items") != fingerprint(leaves):
        raise ValidationError(
            _("The scoring table changed after this sheet was downloaded: download it again.")
        )


def _rows(workbook: Any) -> list[tuple[int, tuple[Any, ...]]]:
    sheet = workbook[SHEET_TITLE]
    width = len(COLUMNS)
    found: list[tuple[int, tuple[Any, ...]]] = []
    for number, values in enumerate(
        sheet.iter_rows(min_row=FIRST_ROW, max_col=width, values_only=True), start=FIRST_ROW
    ):
        cells = tuple(values) + (None,) * (width - len(values))
        if all(_text(v) == "" for v in cells):
            continue
        found.append((number, cells))
        if len(found) > MAX_ROWS:
            raise ValidationError(_("The file has more than %(count)s rows.") % {"count": MAX_ROWS})
    return found


def read_scoring_sheet(
    data: bytes, round_: ScoringRound, unit: Unit, mode: str, scorer: Unit | None = None
) -> SheetPlan:
    """Check an uploaded sheet cell by cell: the problems by row and code, and the values
    that would change. Writes nothing."""
    from openpyxl import load_workbook

    check_upload(data)
    if round_.is_locked:
        raise ValidationError(_("The scores of this round are locked and cannot change."))
    leaves = _leaves(round_)
    workbook = load_workbook(io.BytesIO(data), data_only=True)
    try:
        meta = _read_meta(workbook)
        _check_meta(meta, round_, unit, mode, scorer, leaves)
        rows = _rows(workbook)
    finally:
        workbook.close()
    lines = {line.item.code: line for line in sheet_lines(round_, unit, mode, scorer)}
    index = {name: position for position, name in enumerate(COLUMNS)}
    plan = SheetPlan(mode)
    seen: dict[str, int] = {}
    for number, cells in rows:
        code = _text(cells[index["code"]])
        raw, reason = cells[index["input"]], _text(cells[index["reason"]])

        def problem(message: str, number: int = number, code: str = code) -> None:
            plan.problems.append(RowProblem(number, code, message))

        if not code:
            if _text(raw):
                problem(_("a value without an item code."))
            continue
        line = lines.get(code)
        if line is None:
            problem(_("“%(code)s” is not an item of this table.") % {"code": code})
            continue
        if code in seen:
            problem(_("the item appears again (first in row %(row)s).") % {"row": seen[code]})
            continue
        seen[code] = number
        try:
            value = _number(raw)
        except InvalidOperation:
            problem(_("“%(value)s” is not a number.") % {"value": _text(raw)})
            continue
        if value is None:
            continue
        if value != value.quantize(PLACES):
            problem(_("%(value)s has more than two decimal places.") % {"value": value})
            continue
        if line.high is not None and value > line.high:
            problem(
                _("%(value)s is above the maximum %(max)s.") % {"value": value, "max": line.high}
            )
            continue
        if line.low is not None and value < line.low:
            problem(
                _("%(value)s is below the minimum %(min)s.") % {"value": value, "min": line.low}
            )
            continue
        renoted = mode == PEER and bool(reason) and reason != line.note
        if value == line.current and not renoted:
            plan.unchanged += 1
            continue
        if not line.editable:
            if mode == PEER:
                problem(_("already verified: the peer score cannot change."))
            else:
                problem(_("already verified: its self-score cannot change."))
            continue
        if mode == VERIFY and value != line.proposed and not reason:
            if line.proposed is not None and line.proposed != line.self_points:
                problem(
                    _("give the reason for changing the peers' result %(proposed)s to %(value)s.")
                    % {"proposed": line.proposed, "value": value}
                )
            else:
                problem(
                    _("give the reason for changing the self-score %(self)s to %(value)s.")
                    % {
                        "self": "—" if line.self_points is None else line.self_points,
                        "value": value,
                    }
                )
            continue
        plan.changes.append(
            Change(number, code, line.item.text, line.current, value, line.self_points, reason)
        )
    return plan


# Saving -------------------------------------------------------------------------------------------


@transaction.atomic
def sheet_save(
    *,
    actor: Actor,
    round_: ScoringRound,
    unit: Unit,
    mode: str,
    scorer: Unit | None = None,
    data: bytes,
    file_name: str = "",
) -> SheetPlan:
    """Check the sheet again and save every changed row through the score service, or
    nothing: one bad row refuses the whole sheet. Saving the same sheet twice changes
    nothing the second time (only rows that differ from what is saved are sent)."""
    if not permissions.may_download_sheet(actor, round_, unit, mode, scorer):
        raise PermissionDenied(_("You may not save this scoring sheet."))
    plan = read_scoring_sheet(data, round_, unit, mode, scorer)
    if plan.problems:
        raise ValidationError([str(p) for p in plan.problems])
    if not plan.changes:
        return plan
    if mode == SELF:
        notes = {code: text for code, text in plan.reasons.items() if text}
        sheet = self_scores.self_score(
            actor=actor, round_=round_, unit=unit, points=plan.points, notes=notes
        )
    elif mode == VERIFY:
        sheet = verification.verify(
            actor=actor, round_=round_, unit=unit, points=plan.points, reasons=plan.reasons
        )
    else:
        assert scorer is not None  # may_download_sheet refuses a peer sheet without its scorer
        sheet = peer_scores.peer_score(
            actor=actor,
            round_=round_,
            scorer=scorer,
            unit=unit,
            points=plan.points,
            notes={c: r for c, r in plan.reasons.items() if r} or None,
        )
    record(
        actor=actor,
        action=AuditAction.SHEET_UPLOADED,
        obj=sheet,
        extra={
            "mode": mode,
            "scorer": scorer.code if scorer else None,
            "file": file_name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "rows": len(plan.changes),
        },
    )
    return plan
