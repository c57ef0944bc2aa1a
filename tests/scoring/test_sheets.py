"""The Excel side of scoring, below the pages: the matrix workbook against the block's
results, and the offline scoring sheet filled as a user would in Excel (openpyxl), read back
with its problems per row, refused when made for something else, saved whole or not at all."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.lib.xlsx import TITLE_ROWS
from thidua.org.models import User
from thidua.reports.models import Period
from thidua.scoring import sheets
from thidua.scoring.models import ScoreEntry, ScoringRound
from thidua.scoring.selectors import results
from thidua.scoring.services import rounds, self_scores, verification
from thidua.scoring.services import tables as table_services

from ..reports.helpers import head_of
from .scores_helpers import all_points, leader, open_round, self_and_verify, unit

pytestmark = pytest.mark.django_db


def fill(
    data: bytes,
    values: dict[str, Any],
    reasons: dict[str, str] | None = None,
    edit: Callable[[Any], None] | None = None,
) -> bytes:
    """Type into the input (and reason) column of the rows with these codes, as in Excel."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook[sheets.SHEET_TITLE]
    rows = {
        sheet.cell(row=r, column=1).value: r for r in range(sheets.FIRST_ROW, sheet.max_row + 1)
    }
    for code, value in values.items():
        sheet[f"H{rows[code]}"] = value
    for code, reason in (reasons or {}).items():
        sheet[f"I{rows[code]}"] = reason
    if edit is not None:
        edit(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row_of(data: bytes, code: str) -> int:
    sheet = load_workbook(io.BytesIO(data))[sheets.SHEET_TITLE]
    return next(
        r for r in range(sheets.FIRST_ROW, sheet.max_row + 1) if sheet[f"A{r}"].value == code
    )


def verifier_of(code: str) -> User:
    return User.objects.get(username="hoa") if code == "QLVHGD" else leader()


# The matrix workbook ------------------------------------------------------------------------------


def test_the_exported_matrix_holds_the_block_results_as_numbers() -> None:
    round_ = open_round()
    points = all_points(round_)
    self_and_verify(round_, "QLDL", points)
    changed = {**points, "2.1": Decimal("7.5")}
    self_scores.self_score(actor=head_of("TTVH"), round_=round_, unit=unit("TTVH"), points=points)
    verification.verify(
        actor=leader(), round_=round_, unit=unit("TTVH"), points=changed, reasons={"2.1": "Thiếu"}
    )
    block = results.block_results(round_)
    workbook = load_workbook(io.BytesIO(sheets.matrix_workbook(block)))
    matrix = workbook.worksheets[0]
    first = TITLE_ROWS + 1  # the title block says what, whose, which year, when
    assert matrix["A1"].value.startswith("Ma trận điểm") and round_.table.name in matrix["A1"].value
    assert round_.table.agency.name in matrix["A2"].value
    assert str(round_.table.campaign.year) in matrix["A2"].value
    assert matrix.freeze_panes == f"E{first + 2}"
    header = [c.value for c in matrix[first]]
    assert header[:4] == ["Hạng", "Đồng hạng", "Mã đơn vị", "Đơn vị"]
    assert header[-4:] == ["Tổng tự chấm", "Tổng điểm", "Xếp loại", "Chưa đủ điểm"]
    lines = [[c.value for c in r] for r in matrix.iter_rows(min_row=first + 2)]
    assert [line[2] for line in lines] == [r.unit.code for r in block.rows]
    leaf_column = {item.code: 4 + 2 * i for i, item in enumerate(block.leaves)}
    for line, row in zip(lines, block.rows, strict=True):
        assert line[0] == row.rank
        assert line[1] == ("=" if row.tied else None)
        assert Decimal(str(line[-3])) == row.final.total
        assert Decimal(str(line[-4])) == row.self_score.total
        assert (line[-2] or "") == row.band
        final = row.final.by_code()
        for section_index, section in enumerate(block.sections):
            value = line[4 + 2 * len(block.leaves) + section_index]
            assert Decimal(str(value)) == final[section.code].points
        for item in block.leaves:
            entry = row.entries.get(item.pk)
            own, verified = line[leaf_column[item.code]], line[leaf_column[item.code] + 1]
            assert own == (None if entry is None else entry.self_points) or Decimal(str(own)) == (
                entry.self_points if entry else None
            )
            expected = sheets.final_value(entry, final.get(item.code))
            assert (verified is None) == (expected is None)
            if expected is not None:
                assert isinstance(verified, int | float) and Decimal(str(verified)) == expected
    qldl = next(line for line in lines if line[2] == "QLDL")
    assert isinstance(qldl[-3], int | float) and qldl[-3] > 0
    ttvh = next(line for line in lines if line[2] == "TTVH")
    assert ttvh[leaf_column["2.1"]] == 10 and ttvh[leaf_column["2.1"] + 1] == 7.5
    criteria = workbook["Tiêu chí"]
    assert [c.value for c in criteria[1]][:5] == [
        "Mã",
        "Nội dung",
        "Điểm tối đa",
        "Loại",
        "Công thức",
    ]
    codes = [r[0] for r in criteria.iter_rows(min_row=2, values_only=True)]
    assert len(codes) == len(block.leaves) + len(block.sections) and "8.1" in codes
    relative = next(r for r in criteria.iter_rows(min_row=2, values_only=True) if r[0] == "1.2")
    assert relative[2] == 10 and "best_value" in str(relative[4])


# The scoring sheet --------------------------------------------------------------------------------


def test_the_sheet_is_protected_with_bounds_and_only_input_cells_open() -> None:
    round_ = open_round()
    data = sheets.scoring_sheet(round_, unit("QLDL"), sheets.SELF)
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook[sheets.SHEET_TITLE]
    assert sheet.protection.sheet
    assert workbook[sheets.META_TITLE].sheet_state == "veryHidden"
    row = row_of(data, "2.1")
    assert sheet[f"A{row}"].protection.locked and sheet[f"E{row}"].protection.locked
    assert not sheet[f"H{row}"].protection.locked and not sheet[f"I{row}"].protection.locked
    assert sheet[f"D{row}"].value == 0 and sheet[f"E{row}"].value == 10
    rules = {str(r.sqref): r for r in sheet.data_validations.dataValidation}
    rule = rules[f"H{row}"]
    assert (rule.type, rule.operator, rule.formula1, rule.formula2) == (
        "decimal",
        "between",
        "0",
        "10.00",
    )
    penalty = rules[f"H{row_of(data, '8.1')}"]
    assert (penalty.operator, penalty.formula1) == ("lessThanOrEqual", "0")


def test_a_self_sheet_round_trip_saves_the_typed_scores() -> None:
    round_ = open_round()
    qldl = unit("QLDL")
    data = fill(
        sheets.scoring_sheet(round_, qldl, sheets.SELF),
        {"1.1": 9.5, "2.1": "8,25", "7.1": 5, "8.1": -2},
        {"2.1": "Có minh chứng"},
    )
    plan = sheets.read_scoring_sheet(data, round_, qldl, sheets.SELF)
    assert plan.problems == []
    assert plan.points == {
        "1.1": Decimal("9.5"),
        "2.1": Decimal("8.25"),
        "7.1": Decimal(5),
        "8.1": Decimal(-2),
    }
    assert not ScoreEntry.objects.exists()  # reading writes nothing
    sheets.sheet_save(actor=head_of("QLDL"), round_=round_, unit=qldl, mode=sheets.SELF, data=data)
    saved = dict(
        ScoreEntry.objects.filter(sheet__unit=qldl).values_list("item__code", "self_points")
    )
    assert saved == plan.points
    assert ScoreEntry.objects.get(item__code="2.1").self_note == "Có minh chứng"
    # The next download shows what is saved.
    again = load_workbook(io.BytesIO(sheets.scoring_sheet(round_, qldl, sheets.SELF)))
    assert again[sheets.SHEET_TITLE][f"G{row_of(data, '2.1')}"].value == 8.25


def test_every_bad_cell_is_named_by_row_and_code() -> None:
    round_ = open_round()
    qldl = unit("QLDL")
    blank = sheets.scoring_sheet(round_, qldl, sheets.SELF)
    r11, r12, r13, r21, r81 = (row_of(blank, c) for c in ("1.1", "1.2", "1.3", "2.1", "8.1"))
    r22 = row_of(blank, "2.2")

    def tamper(sheet: Any) -> None:
        sheet[f"A{r22}"] = "9.9"
        sheet[f"H{r22}"] = 1
        sheet[f"A{r13}"] = "1.1"
        sheet[f"H{r13}"] = 2

    data = fill(blank, {"1.1": "mười", "1.2": 11, "2.1": -1, "8.1": 3}, edit=tamper)
    problems = [str(p) for p in sheets.read_scoring_sheet(data, round_, qldl, sheets.SELF).problems]
    assert problems == [
        f"Row {r11} (1.1): “mười” is not a number.",
        f"Row {r12} (1.2): 11 is above the maximum 10.00.",
        f"Row {r13} (1.1): the item appears again (first in row {r11}).",
        f"Row {r21} (2.1): -1 is below the minimum 0.",
        f"Row {r22} (9.9): “9.9” is not an item of this table.",
        f"Row {r81} (8.1): 3 is above the maximum 0.",
    ]
    with pytest.raises(ValidationError):
        sheets.sheet_save(
            actor=head_of("QLDL"), round_=round_, unit=qldl, mode=sheets.SELF, data=data
        )
    assert not ScoreEntry.objects.exists()


def test_one_bad_row_saves_nothing_of_the_good_ones() -> None:
    round_ = open_round()
    qldl = unit("QLDL")
    points = {code: 8 for code in ("1.1", "1.2", "2.1", "2.2", "3.1")}
    data = fill(sheets.scoring_sheet(round_, qldl, sheets.SELF), {**points, "4.1": 12.345})
    with pytest.raises(ValidationError) as refused:
        sheets.sheet_save(
            actor=head_of("QLDL"), round_=round_, unit=qldl, mode=sheets.SELF, data=data
        )
    assert refused.value.messages == [
        f"Row {row_of(data, '4.1')} (4.1): 12.345 has more than two decimal places."
    ]
    assert not ScoreEntry.objects.exists()


def test_a_verification_sheet_needs_a_reason_for_each_change() -> None:
    round_ = open_round()
    qldl = unit("QLDL")
    points = all_points(round_)
    self_scores.self_score(actor=head_of("QLDL"), round_=round_, unit=qldl, points=points)
    blank = sheets.scoring_sheet(round_, qldl, sheets.VERIFY)
    # The input column starts from the self-score: uploading it unchanged confirms them all.
    assert (
        load_workbook(io.BytesIO(blank))[sheets.SHEET_TITLE][f"H{row_of(blank, '2.1')}"].value == 10
    )
    data = fill(blank, {"2.1": 6, "2.2": 7}, {"2.2": "Thiếu minh chứng"})
    plan = sheets.read_scoring_sheet(data, round_, qldl, sheets.VERIFY)
    assert [str(p) for p in plan.problems] == [
        f"Row {row_of(data, '2.1')} (2.1): give the reason for changing the self-score 10.00 to 6."
    ]
    with pytest.raises(ValidationError):
        sheets.sheet_save(actor=leader(), round_=round_, unit=qldl, mode=sheets.VERIFY, data=data)
    assert not ScoreEntry.objects.filter(verified_points__isnull=False).exists()
    data = fill(blank, {"2.1": 6, "2.2": 7}, {"2.1": "Chưa đạt", "2.2": "Thiếu minh chứng"})
    plan = sheets.sheet_save(
        actor=leader(), round_=round_, unit=qldl, mode=sheets.VERIFY, data=data
    )
    assert len(plan.changes) == len(points)
    verified = {
        e.item.code: (e.verified_points, e.verified_reason)
        for e in ScoreEntry.objects.filter(sheet__unit=qldl).select_related("item")
    }
    assert verified["2.1"] == (Decimal(6), "Chưa đạt")
    assert verified["1.1"] == (Decimal(10), "")
    # A verified self-score is closed in the unit's own sheet.
    own = sheets.scoring_sheet(round_, qldl, sheets.SELF)
    sheet = load_workbook(io.BytesIO(own))[sheets.SHEET_TITLE]
    assert sheet[f"H{row_of(own, '2.1')}"].protection.locked
    changed = fill(own, {"2.1": 9})
    assert [
        str(p) for p in sheets.read_scoring_sheet(changed, round_, qldl, sheets.SELF).problems
    ] == [f"Row {row_of(own, '2.1')} (2.1): already verified: its self-score cannot change."]


def test_a_sheet_made_for_another_unit_mode_round_or_table_version_is_refused(persona) -> None:
    round_ = open_round()
    qldl, ttvh = unit("QLDL"), unit("TTVH")
    data = fill(sheets.scoring_sheet(round_, qldl, sheets.SELF), {"1.1": 5})

    def refusal(round_: ScoringRound, target: Any, mode: str) -> str:
        with pytest.raises(ValidationError) as refused:
            sheets.read_scoring_sheet(data, round_, target, mode)
        return " ".join(refused.value.messages)

    assert refusal(round_, ttvh, sheets.SELF) == (
        "This sheet is for the unit QLDL, not for “" + str(ttvh) + "”."
    )
    assert refusal(round_, qldl, sheets.VERIFY) == (
        "This sheet is for “Self-score”, not for “Verification”: upload it on its own page."
    )
    midyear = rounds.round_open(actor=leader(), table=round_.table, period=Period.MIDYEAR)
    assert refusal(midyear, qldl, sheets.SELF) == (
        f"This sheet is for another scoring round ({Period.YEAREND.label}), "
        f"not for {midyear.period_label}."
    )
    # The table moves on to version 2 with a round of its own: the version-1 sheet is refused.
    self_scores.self_score(
        actor=head_of("QLDL"), round_=round_, unit=qldl, points={"1.1": Decimal(1)}
    )  # freezes version 1
    newer = table_services.table_new_version(actor=leader(), table=round_.table)
    newer_round = rounds.round_open(actor=leader(), table=newer, period=Period.YEAREND)
    assert refusal(newer_round, qldl, sheets.SELF) == (
        "This sheet was made from version 1 of a scoring table; this round uses version 2 of "
        f"“{newer.name}”: download the sheet again."
    )
    # An item changed in a draft table after the download.
    round_.table.items.filter(code="1.1").update(max_points=Decimal(20))
    assert refusal(round_, qldl, sheets.SELF) == (
        "The scoring table changed after this sheet was downloaded: download it again."
    )
    # A workbook that is not a scoring sheet at all.
    buffer = io.BytesIO()
    from openpyxl import Workbook

    Workbook().save(buffer)
    data = buffer.getvalue()
    assert refusal(round_, qldl, sheets.SELF).startswith(
        "This file is not a scoring sheet of this system"
    )


def test_saving_the_same_sheet_twice_changes_nothing_the_second_time() -> None:
    round_ = open_round()
    qldl = unit("QLDL")
    data = fill(sheets.scoring_sheet(round_, qldl, sheets.SELF), {"1.1": 7, "1.2": 8})
    first = sheets.sheet_save(
        actor=head_of("QLDL"), round_=round_, unit=qldl, mode=sheets.SELF, data=data
    )
    second = sheets.sheet_save(
        actor=head_of("QLDL"), round_=round_, unit=qldl, mode=sheets.SELF, data=data
    )
    assert len(first.changes) == 2 and second.changes == [] and second.unchanged == 2
    assert AuditEvent.objects.filter(action=AuditAction.SCORING_SELF_SCORED).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.SHEET_UPLOADED).count() == 1
    assert ScoreEntry.objects.filter(sheet__unit=qldl).count() == 2


def test_the_services_refuse_another_units_sheet_and_verifying_ones_own(persona) -> None:
    round_ = open_round()
    ttvh, qlvhgd = unit("TTVH"), unit("QLVHGD")
    data = fill(sheets.scoring_sheet(round_, ttvh, sheets.SELF), {"1.1": 7})
    with pytest.raises(PermissionDenied):
        sheets.sheet_save(
            actor=persona("tuan"), round_=round_, unit=ttvh, mode=sheets.SELF, data=data
        )
    self_and_verify(round_, "QLVHGD", all_points(round_))
    data = fill(sheets.scoring_sheet(round_, qlvhgd, sheets.VERIFY), {"1.1": 3}, {"1.1": "x"})
    with pytest.raises(PermissionDenied):
        sheets.sheet_save(
            actor=persona("minh"), round_=round_, unit=qlvhgd, mode=sheets.VERIFY, data=data
        )
    assert ScoreEntry.objects.get(sheet__unit=qlvhgd, item__code="1.1").verified_points == 10


def test_a_locked_round_takes_no_sheet() -> None:
    round_ = open_round()
    qldl = unit("QLDL")
    data = fill(sheets.scoring_sheet(round_, qldl, sheets.SELF), {"1.1": 7})
    rounds.round_lock(actor=leader(), round_=round_)
    round_.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        sheets.read_scoring_sheet(data, round_, qldl, sheets.SELF)
    assert refused.value.messages == ["The scores of this round are locked and cannot change."]


def test_a_peer_sheet_is_saved_through_the_peer_service_with_its_notes() -> None:
    from thidua.scoring.models import PeerAssignment, PeerScore

    round_ = open_round()
    qldl, ttvh = unit("QLDL"), unit("TTVH")
    self_scores.self_score(
        actor=head_of("TTVH"), round_=round_, unit=ttvh, points=all_points(round_)
    )
    PeerAssignment.objects.get_or_create(round=round_, scorer=qldl, scored=ttvh)
    data = fill(
        sheets.scoring_sheet(round_, ttvh, sheets.PEER, qldl),
        {"1.1": 6},
        {"1.1": "Thiếu minh chứng"},
    )
    with pytest.raises(ValidationError):
        sheets.read_scoring_sheet(data, round_, ttvh, sheets.PEER, unit("KHTC"))
    sheets.sheet_save(
        actor=head_of("QLDL"), round_=round_, unit=ttvh, mode=sheets.PEER, scorer=qldl, data=data
    )
    score = PeerScore.objects.get(scorer=qldl, item__code="1.1")
    assert (score.points, score.note) == (6, "Thiếu minh chứng")
    # The next sheet carries the note; changing only the note is a change to save.
    again = sheets.scoring_sheet(round_, ttvh, sheets.PEER, qldl)
    sheet = load_workbook(io.BytesIO(again))[sheets.SHEET_TITLE]
    assert sheet[f"I{row_of(again, '1.1')}"].value == "Thiếu minh chứng"
    renoted = fill(again, {}, {"1.1": "Thiếu biên bản"})
    plan = sheets.read_scoring_sheet(renoted, round_, ttvh, sheets.PEER, qldl)
    assert [c.code for c in plan.changes] == ["1.1"]
    sheets.sheet_save(
        actor=head_of("QLDL"), round_=round_, unit=ttvh, mode=sheets.PEER, scorer=qldl, data=renoted
    )
    score.refresh_from_db()
    assert (score.points, score.note) == (6, "Thiếu biên bản")
