"""The import workbook: its sheets and columns, the downloadable template, and reading.

Reading turns the xlsx into typed rows and checks each cell on its own, without the
database; `import_plan` then checks the rows against each other and the database.

The sheet names, column headers and the guide sheet are Vietnamese data (the workbook is a
document for Vietnamese officers); every message shown in the application is a gettext msgid.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from thidua.lib import archives, xlsx
from thidua.lib.dates import today
from thidua.lib.text import fold

from .models import Rating, UnitKind

# Errors kept for the preview; a wholly wrong 100,000-row file must not fill the memory.
MAX_ERRORS = 1000
# Ratings before this year are not kept.
FIRST_YEAR = 1950

# Workbook vocabulary (Vietnamese data constants) ------------------------------------------

SHEET_GUIDE = "Hướng dẫn"
SHEET_UNITS = "Đơn vị"
SHEET_PEOPLE = "Nhân sự"
SHEET_EMPLOYMENT = "Công tác"
SHEET_RATINGS = "Xếp loại"

KIND_LABELS: dict[str, str] = {
    UnitKind.AGENCY: "Cơ quan",
    UnitKind.DIVISION: "Phòng chuyên môn",
    UnitKind.SERVICE_UNIT: "Đơn vị sự nghiệp",
    UnitKind.OTHER: "Khác",
}
RATING_LABELS: dict[str, str] = {
    Rating.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    Rating.GOOD: "Hoàn thành tốt nhiệm vụ",
    Rating.COMPLETED: "Hoàn thành nhiệm vụ",
    Rating.NOT_COMPLETED: "Không hoàn thành nhiệm vụ",
}
YES, NO = "Có", "Không"

# Accepted spellings, folded (no diacritics, lower case): the Vietnamese label or the code.
_KIND_WORDS = {fold(label): kind for kind, label in KIND_LABELS.items()} | {
    fold(str(kind)): str(kind) for kind in UnitKind
}
_KIND_WORDS["don vi su nghiep cong lap"] = UnitKind.SERVICE_UNIT
_RATING_WORDS = {fold(label): code for code, label in RATING_LABELS.items()} | {
    fold(str(code)): str(code) for code in Rating
}
_YES_WORDS = {"co", "x", "1", "yes", "true", "c"}
_NO_WORDS = {"", "khong", "0", "no", "false", "k"}
_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


# Cell parsers -------------------------------------------------------------------------------


class CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number comes back as 123.0
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def text(max_length: int, *, collapse: bool = False) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        result = _as_text(value)
        if collapse:
            result = " ".join(result.split())
        if len(result) > max_length:
            raise CellError(
                _("At most %(max)s characters are allowed; this cell has %(length)s.")
                % {"max": max_length, "length": len(result)}
            )
        return result

    return parse


def parse_date(value: Any) -> dt.date | None:
    """A real Excel date, or text written dd/mm/yyyy or yyyy-mm-dd (ISO)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        raw = value.strip()
        match = _DATE_RE.match(raw)
        iso = _ISO_DATE_RE.match(raw)
        parts = match.groups()[::-1] if match else iso.groups() if iso else None
        if parts:
            year, month, day = (int(part) for part in parts)
            try:
                return dt.date(year, month, day)
            except ValueError:
                pass
    raise CellError(
        _("“%(value)s” is not a date; write it as dd/mm/yyyy (or yyyy-mm-dd).")
        % {"value": _as_text(value)}
    )


def parse_year(value: Any) -> int | None:
    raw = _as_text(value)
    if not raw:
        return None
    if not raw.isdigit():
        raise CellError(_("“%(value)s” is not a year.") % {"value": raw})
    return int(raw)


def parse_kind(value: Any) -> str:
    raw = _as_text(value)
    if not raw:
        return ""
    kind = _KIND_WORDS.get(fold(raw))
    if kind is None:
        raise CellError(
            _("Unknown kind “%(value)s”; choose one of: %(choices)s.")
            % {"value": raw, "choices": ", ".join(KIND_LABELS.values())}
        )
    return kind


def parse_rating(value: Any) -> str:
    raw = _as_text(value)
    if not raw:
        return ""
    rating = _RATING_WORDS.get(fold(raw))
    if rating is None:
        raise CellError(
            _("Unknown rating “%(value)s”; use one of: %(choices)s.")
            % {"value": raw, "choices": ", ".join(str(code) for code in Rating)}
        )
    return rating


def parse_yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = fold(_as_text(value))
    if word in _YES_WORDS:
        return True
    if word in _NO_WORDS:
        return False
    raise CellError(
        _("Write “%(yes)s” or “%(no)s”, not “%(value)s”.")
        % {"yes": YES, "no": NO, "value": _as_text(value)}
    )


def parse_email(value: Any) -> str:
    raw = text(254)(value)
    if raw:
        try:
            validate_email(raw)
        except ValidationError as exc:
            raise CellError(_("“%(value)s” is not an e-mail address.") % {"value": raw}) from exc
    return raw


# Sheet layout ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    parse: Callable[[Any], Any]
    required: bool = False
    width: int = 18
    note: str = ""
    choices: tuple[str, ...] = ()
    is_date: bool = False
    # What the template's example row shows in this column.
    example: Any = None


@dataclass(frozen=True)
class SheetSpec:
    key: str
    title: str
    columns: tuple[Column, ...]
    note: str

    def header(self, key: str) -> str:
        return next(c.header for c in self.columns if c.key == key)


UNITS = SheetSpec(
    "units",
    SHEET_UNITS,
    (
        Column(
            "code",
            "Mã đơn vị",
            text(40),
            True,
            14,
            "Mã duy nhất, không đổi theo thời gian.",
            example="P-VHGD",
        ),
        Column(
            "name",
            "Tên đơn vị",
            text(255),
            True,
            45,
            "Tên đầy đủ hiện hành.",
            example="Phòng Văn hóa và Gia đình",
        ),
        Column("short_name", "Tên viết tắt", text(80), False, 16, example="P.VHGĐ"),
        Column(
            "kind",
            "Loại đơn vị",
            parse_kind,
            True,
            20,
            "Chọn trong danh sách: " + ", ".join(KIND_LABELS.values()) + ".",
            choices=tuple(KIND_LABELS.values()),
            example=KIND_LABELS[UnitKind.DIVISION],
        ),
        Column(
            "parent",
            "Mã đơn vị cấp trên",
            text(40),
            True,
            18,
            "Mã của cơ quan đang nhập, của một đơn vị đã có trong hệ thống, hoặc của một "
            "đơn vị ở dòng phía trên trong sheet này.",
            example="SO-VHTTDL",
        ),
        Column(
            "valid_from",
            "Ngày hiệu lực",
            parse_date,
            False,
            14,
            "Ngày thành lập (đơn vị mới) hoặc ngày đổi tên, chuyển đơn vị cấp trên (đơn vị đã "
            "có). Để trống: ngày nhập.",
            is_date=True,
            example=dt.date(2015, 3, 1),
        ),
    ),
    "Mỗi dòng là một đơn vị trực thuộc cơ quan đang nhập (không ghi chính cơ quan đó). "
    "Đơn vị cấp trên phải đứng ở dòng phía trên.",
)
PEOPLE = SheetSpec(
    "people",
    SHEET_PEOPLE,
    (
        Column(
            "code", "Mã cán bộ", text(40), True, 14, "Mã duy nhất của mỗi người.", example="NV-0001"
        ),
        Column(
            "full_name",
            "Họ và tên",
            text(200, collapse=True),
            True,
            30,
            example="Nguyễn Văn An",
        ),
        Column(
            "birth_date",
            "Ngày sinh",
            parse_date,
            False,
            14,
            "dd/mm/yyyy hoặc yyyy-mm-dd.",
            is_date=True,
            example=dt.date(1985, 7, 15),
        ),
        Column("email", "Thư điện tử", parse_email, False, 28, example="nvan@example.gov.vn"),
    ),
    "Mỗi dòng là một cán bộ, công chức, viên chức, người lao động.",
)
EMPLOYMENT = SheetSpec(
    "employments",
    SHEET_EMPLOYMENT,
    (
        Column(
            "person",
            "Mã cán bộ",
            text(40),
            True,
            14,
            "Mã ở sheet Nhân sự hoặc đã có trong hệ thống.",
            example="NV-0001",
        ),
        Column(
            "unit",
            "Mã đơn vị",
            text(40),
            True,
            14,
            "Mã ở sheet Đơn vị, đã có trong hệ thống, hoặc mã của cơ quan đang nhập.",
            example="P-VHGD",
        ),
        Column("position", "Chức vụ", text(120), False, 26, example="Trưởng phòng"),
        Column(
            "is_head",
            "Trưởng đơn vị",
            parse_yes_no,
            False,
            14,
            f"{YES} hoặc {NO} (để trống là {NO}).",
            choices=(YES, NO),
            example=YES,
        ),
        Column(
            "valid_from",
            "Từ ngày",
            parse_date,
            True,
            14,
            "dd/mm/yyyy hoặc yyyy-mm-dd.",
            is_date=True,
            example=dt.date(2015, 3, 1),
        ),
        Column(
            "valid_to",
            "Đến ngày",
            parse_date,
            False,
            14,
            "Để trống nếu đang công tác.",
            is_date=True,
        ),
    ),
    "Mỗi dòng là một giai đoạn công tác của một người tại một đơn vị.",
)
RATINGS = SheetSpec(
    "ratings",
    SHEET_RATINGS,
    (
        Column(
            "person",
            "Mã cán bộ",
            text(40),
            True,
            14,
            "Mã ở sheet Nhân sự hoặc đã có trong hệ thống.",
            example="NV-0001",
        ),
        Column("year", "Năm", parse_year, True, 8, "Năm được đánh giá, ví dụ 2021.", example=2021),
        Column(
            "rating",
            "Xếp loại",
            parse_rating,
            True,
            14,
            "; ".join(f"{code}: {label}" for code, label in RATING_LABELS.items()) + ".",
            choices=tuple(str(code) for code in Rating),
            example=str(Rating.GOOD),
        ),
        Column("note", "Ghi chú", text(300), False, 30),
    ),
    "Mỗi dòng là kết quả đánh giá, xếp loại chất lượng của một người trong một năm; người đó "
    "phải công tác tại một đơn vị của cơ quan trong năm đó.",
)
SHEETS: tuple[SheetSpec, ...] = (UNITS, PEOPLE, EMPLOYMENT, RATINGS)


def _normalise_header(value: Any) -> str:
    return fold(_as_text(value).replace("*", ""))


# The template -------------------------------------------------------------------------------

GUIDE_LINES = (
    "Mẫu nhập dữ liệu tổ chức: đơn vị, nhân sự, quá trình công tác và xếp loại",
    "",
    "1. Điền dữ liệu vào 4 sheet: Đơn vị, Nhân sự, Công tác, Xếp loại. Giữ nguyên tên sheet và "
    "dòng tiêu đề; cột có dấu * là bắt buộc. Sheet nào không dùng thì để trống.",
    "2. Ngày ghi theo dạng dd/mm/yyyy (ví dụ 01/03/2015), yyyy-mm-dd (ví dụ 2015-03-01) hoặc "
    "dùng kiểu ngày của Excel.",
    "3. Mã đơn vị và mã cán bộ dùng để nhận diện: dòng có mã đã có trong hệ thống sẽ cập nhật "
    "bản ghi đó, mã mới sẽ tạo bản ghi mới. Hệ thống ghi đúng như trong tệp, kể cả ô để trống.",
    "4. Tải tệp lên, xem trước số dòng sẽ thêm, cập nhật, giữ nguyên và danh sách lỗi (sheet, "
    "dòng, cột). Chỉ khi cả tệp không còn lỗi mới được xác nhận nhập; nếu còn lỗi, không dữ "
    "liệu nào được ghi.",
    "5. Nhập lại cùng một tệp không làm thay đổi gì thêm.",
    "6. Dòng thứ 2 (tô vàng) của mỗi sheet là dòng ví dụ: ghi đè hoặc xóa đi. Nếu để nguyên, "
    "dòng ví dụ được bỏ qua, không được nhập.",
    "",
)


def _write_guide(sheet: xlsx.Sheet) -> None:
    wrapped = xlsx.Style(wrap=True)
    bold = xlsx.Style(bold=True)
    for number, line in enumerate(GUIDE_LINES):
        xlsx.append(sheet, [line], xlsx.TITLE if number == 0 else None)
    xlsx.append(
        sheet, ["Sheet", "Cột", "Bắt buộc", "Ý nghĩa", "Ví dụ"], xlsx.Style(bold=True, wrap=True)
    )
    for spec in SHEETS:
        xlsx.append(sheet, [spec.title, "", "", spec.note], styles={0: bold, 3: wrapped})
        for column in spec.columns:
            xlsx.append(
                sheet,
                [
                    "",
                    column.header,
                    YES if column.required else "",
                    column.note,
                    _as_text(column.example),
                ],
                styles={3: wrapped},
            )


EXAMPLE_STYLE = xlsx.Style(fill="FFF2CC")


def example_record(spec: SheetSpec) -> dict[str, Any]:
    """The example row as read back: a row equal to it is the template's, not data."""
    return {c.key: c.parse(c.example) for c in spec.columns}


def _write_data_sheet(sheet: xlsx.Sheet, spec: SheetSpec) -> None:
    header = xlsx.Style(bold=True, fill="DDEBF7")
    xlsx.append(sheet, [c.header + (" *" if c.required else "") for c in spec.columns], header)
    xlsx.append(sheet, [c.example for c in spec.columns], EXAMPLE_STYLE)
    for index, column in enumerate(spec.columns, start=1):
        if column.choices:
            letter = get_column_letter(index)
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choices) + '"',
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle="Giá trị không hợp lệ",
                error="Chọn một giá trị trong danh sách.",
            )
            validation.add(f"{letter}2:{letter}1048576")
            sheet.data_validations.append(validation)  # type: ignore[attr-defined]


def build_template() -> bytes:
    """The import workbook: a guide sheet explaining each column with an example, and the
    four data sheets with dropdowns and an example row (skipped if left as it is)."""
    workbook = xlsx.new_workbook()
    _write_guide(xlsx.add_sheet(workbook, SHEET_GUIDE, widths=(16, 24, 10, 80, 26)))
    for spec in SHEETS:
        sheet = xlsx.add_sheet(
            workbook,
            spec.title,
            widths=[column.width for column in spec.columns],
            freeze="A2",
            # Codes as text keep their leading zeros; date columns show dd/mm/yyyy.
            text_columns=[i for i, c in enumerate(spec.columns, start=1) if not c.is_date],
            date_columns=[i for i, c in enumerate(spec.columns, start=1) if c.is_date],
        )
        _write_data_sheet(sheet, spec)
    return xlsx.workbook_bytes(workbook)


# Reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    message: str


@dataclass
class ErrorList:
    items: list[RowError] = field(default_factory=list)
    count: int = 0

    def add(self, spec: SheetSpec | None, row: int, key: str, message: str) -> None:
        self.count += 1
        if len(self.items) < MAX_ERRORS:
            sheet = spec.title if spec else ""
            column = spec.header(key) if spec and key else ""
            self.items.append(RowError(sheet, row, column, message))


@dataclass(slots=True)
class UnitRow:
    row: int
    code: str
    name: str
    short_name: str
    kind: str
    parent: str
    valid_from: dt.date | None


@dataclass(slots=True)
class PersonRow:
    row: int
    code: str
    full_name: str
    birth_date: dt.date | None
    email: str


@dataclass(slots=True)
class EmploymentRow:
    row: int
    person: str
    unit: str
    position: str
    is_head: bool
    valid_from: dt.date
    valid_to: dt.date | None


@dataclass(slots=True)
class RatingRow:
    row: int
    person: str
    year: int
    rating: str
    note: str


@dataclass
class WorkbookRows:
    """The valid rows of each sheet, and where every code first appears (valid row or not)."""

    sha256: str
    errors: ErrorList
    units: list[UnitRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    employments: list[EmploymentRow] = field(default_factory=list)
    ratings: list[RatingRow] = field(default_factory=list)
    # Rows with a bad cell, holding the cells that could be read (None for the others): never
    # written, but still checked against the file and the database, so that one upload
    # reports every problem of a row (a bad date and an unknown code alike).
    partial_units: list[UnitRow] = field(default_factory=list)
    partial_employments: list[EmploymentRow] = field(default_factory=list)
    partial_ratings: list[RatingRow] = field(default_factory=list)
    # A reference to a code whose own row has an error is not reported a second time.
    unit_rows: dict[str, int] = field(default_factory=dict)
    person_rows: dict[str, int] = field(default_factory=dict)
    people_with_bad_employment: set[str] = field(default_factory=set)


R = TypeVar("R", UnitRow, EmploymentRow, RatingRow)


def _partial(cls: type[R], number: int, cells: dict[str, Any]) -> R:
    """A rejected row: the cells that could be read, None for the others (so its fields'
    types hold only for the cells present; the planner checks before it reads one)."""
    names = [f.name for f in fields(cls) if f.name != "row"]
    values: dict[str, Any] = {name: cells.get(name) for name in names}
    return cls(row=number, **values)


def _blank(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _sheet_records(
    workbook: Any, spec: SheetSpec, errors: ErrorList
) -> Iterator[tuple[int, dict[str, Any], bool]]:
    """(row number, parsed cells, whether every cell is valid) for each non-empty row."""
    if spec.title not in workbook.sheetnames:
        errors.add(spec, 0, "", _("The sheet is missing; download the template and fill it in."))
        return
    rows = workbook[spec.title].iter_rows(values_only=True)
    header = next(rows, None) or ()
    wanted = {_normalise_header(c.header): c.key for c in spec.columns}
    positions: dict[str, int] = {}
    for index, value in enumerate(header):
        key = wanted.get(_normalise_header(value))
        if key is not None and key not in positions:
            positions[key] = index
    missing = [c for c in spec.columns if c.required and c.key not in positions]
    for column in missing:
        errors.add(spec, 1, column.key, _("This column is missing; keep the template's headers."))
    if missing:
        return
    columns = [(c, positions.get(c.key)) for c in spec.columns]
    example = example_record(spec)
    for number, values in enumerate(rows, start=2):
        if not values or _blank(values):
            continue
        record: dict[str, Any] = {}
        problems: list[tuple[str, str]] = []
        for column, position in columns:
            raw = values[position] if position is not None and position < len(values) else None
            try:
                value = column.parse(raw)
            except CellError as exc:
                problems.append((column.key, exc.message))
                continue
            if column.required and value in (None, ""):
                problems.append((column.key, _("This cell is required.")))
                continue
            record[column.key] = value
        if not problems and record == example:
            continue  # the template's example row, left as it is
        for key, message in problems:
            errors.add(spec, number, key, message)
        yield number, record, not problems


def _first_occurrence(
    seen: dict[Any, int], key: Any, number: int, spec: SheetSpec, column: str, errors: ErrorList
) -> bool:
    """Remember where a key first appears; report a repeat. True if this is the first."""
    first = seen.get(key)
    if first is None:
        seen[key] = number
        return True
    errors.add(
        spec, number, column, _("The same entry already appears on row %(row)s.") % {"row": first}
    )
    return False


def _read_units(workbook: Any, rows: WorkbookRows) -> None:
    for number, cells, ok in _sheet_records(workbook, UNITS, rows.errors):
        code = cells.get("code")
        if code and not _first_occurrence(rows.unit_rows, code, number, UNITS, "code", rows.errors):
            continue
        if ok:
            rows.units.append(UnitRow(row=number, **cells))
        else:
            rows.partial_units.append(_partial(UnitRow, number, cells))


def _read_people(workbook: Any, rows: WorkbookRows) -> None:
    # today() reads the settings; once per sheet, not once per row of 100,000.
    day = today()
    for number, cells, ok in _sheet_records(workbook, PEOPLE, rows.errors):
        if cells.get("birth_date") and cells["birth_date"] >= day:
            rows.errors.add(
                PEOPLE, number, "birth_date", _("The date of birth must be in the past.")
            )
            ok = False
        code = cells.get("code")
        if code and not _first_occurrence(
            rows.person_rows, code, number, PEOPLE, "code", rows.errors
        ):
            continue
        if ok:
            rows.people.append(PersonRow(row=number, **cells))


def _read_employments(workbook: Any, rows: WorkbookRows) -> None:
    seen: dict[Any, int] = {}
    for number, cells, ok in _sheet_records(workbook, EMPLOYMENT, rows.errors):
        start, end = cells.get("valid_from"), cells.get("valid_to")
        dates_known = "valid_from" in cells and "valid_to" in cells
        if start and end and end < start:
            rows.errors.add(
                EMPLOYMENT, number, "valid_to", _("The end date is before the start date.")
            )
            ok = dates_known = False
        if not dates_known and cells.get("person"):
            # When this person worked is unknown until the row is mended: their ratings
            # are not checked against it.
            rows.people_with_bad_employment.add(cells["person"])
        key = (cells.get("person"), cells.get("unit"), start)
        if ok and not _first_occurrence(seen, key, number, EMPLOYMENT, "valid_from", rows.errors):
            ok = False
        if ok:
            rows.employments.append(EmploymentRow(row=number, **cells))
        else:
            rows.partial_employments.append(_partial(EmploymentRow, number, cells))


def _read_ratings(workbook: Any, rows: WorkbookRows) -> None:
    seen: dict[Any, int] = {}
    last = today().year + 1
    for number, cells, ok in _sheet_records(workbook, RATINGS, rows.errors):
        if cells.get("year") and not FIRST_YEAR <= cells["year"] <= last:
            message = _("The year must be between %(first)s and %(last)s.")
            rows.errors.add(RATINGS, number, "year", message % {"first": FIRST_YEAR, "last": last})
            ok = False
        key = (cells.get("person"), cells.get("year"))
        if not ok:
            rows.partial_ratings.append(_partial(RatingRow, number, cells))
        elif _first_occurrence(seen, key, number, RATINGS, "year", rows.errors):
            rows.ratings.append(RatingRow(row=number, **cells))


def read_workbook(data: bytes) -> WorkbookRows:
    """Every sheet's rows, each cell checked on its own; no database access."""
    rows = WorkbookRows(sha256=hashlib.sha256(data).hexdigest(), errors=ErrorList())
    try:
        # Not check_upload: opening the workbook is its last check, and opening it twice
        # costs a full pass over every sheet saved without its dimensions (openpyxl scans
        # for them), as openpyxl's own write-only files are.
        check_archive(data)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ValidationError as exc:
        rows.errors.add(None, 0, "", " ".join(exc.messages))
        return rows
    except Exception:  # openpyxl raises many kinds of error on a damaged file; all mean the same
        rows.errors.add(None, 0, "", _("The file cannot be read as an Excel workbook."))
        return rows
    try:
        _read_units(workbook, rows)
        _read_people(workbook, rows)
        _read_employments(workbook, rows)
        _read_ratings(workbook, rows)
    finally:
        workbook.close()
    return rows


def _not_xlsx() -> str:
    return _("This is not an Excel .xlsx file. Save it from Excel as “Excel Workbook (.xlsx)”.")


def check_archive(data: bytes, *, max_bytes: int | None = None) -> None:
    """The cheap checks: size (`max_bytes`, else the import limit), zip signature, an xlsx's
    workbook part, no zip bomb."""
    limit = max_bytes or settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ValidationError(
            _("The file is larger than the %(size)s MB allowed.")
            % {"size": round(limit / 1024 / 1024, 1)}
        )
    not_xlsx = _not_xlsx()
    if not data.startswith(b"PK\x03\x04"):
        raise ValidationError(not_xlsx)
    try:
        with archives.open_package(data) as archive:
            names = set(archive.namelist())
    except archives.ArchiveRefused as exc:
        refused = exc.reason is archives.Refusal.NOT_ZIP
        raise ValidationError(not_xlsx if refused else exc.message) from exc
    if "xl/workbook.xml" not in names:
        raise ValidationError(not_xlsx)


def check_upload(data: bytes, *, max_bytes: int | None = None) -> None:
    """Refuse, by content and size, anything that is not an xlsx workbook openpyxl can open."""
    check_archive(data, max_bytes=max_bytes)
    try:
        load_workbook(io.BytesIO(data), read_only=True).close()
    except Exception as exc:  # openpyxl raises many kinds of error on a damaged file
        raise ValidationError(_not_xlsx()) from exc
