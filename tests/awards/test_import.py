"""Excel import of past awards: errors by row and column, all-or-nothing, idempotent re-import,
and the upload → preview → confirm pages."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.org.factories import make_unit
from thidua.awards.import_awards import HEADERS, apply_import, build_template, plan_import
from thidua.awards.models import Award, AwardDecision

D = dt.date
pytestmark = pytest.mark.django_db
CITY = "Ủy ban nhân dân thành phố Cần Thơ"
SO = "Sở Văn hóa, Thể thao và Du lịch"


def workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def good_file(person_of: Any) -> bytes:
    mai = person_of("mai").code
    return workbook(
        [
            ["10/QĐ-UBND", D(2019, 12, 30), CITY, "Chủ tịch", "TVIEN", None, "CTD_TINH", "Dẫn đầu"],
            ["10/QĐ-UBND", D(2019, 12, 30), CITY, "Chủ tịch", "TTVH", None, "TTLDXS", ""],
            ["55/QĐ-SVHTTDL", "20/12/2020", SO, "Giám đốc", None, mai, "GK_SO", ""],
        ]
    )  # fmt: skip


def test_import_then_reimport_adds_nothing(good_file: bytes, persona: Any, agency: Any) -> None:
    plan = plan_import(good_file, agency)
    assert not plan.errors
    assert (plan.new_decision_count, plan.new_award_count) == (2, 3)
    apply_import(actor=persona("lan"), agency=agency, data=good_file, file_name="cu.xlsx")
    assert AwardDecision.objects.count() == 2
    flag = Award.objects.get(form__code="CTD_TINH")
    assert flag.recipient_name == "Thư viện thành phố"
    assert flag.amount == 11_920_000
    again = apply_import(actor=persona("lan"), agency=agency, data=good_file, file_name="cu.xlsx")
    assert (again.new_award_count, again.existing_award_count) == (0, 3)
    assert Award.objects.count() == 3 and AwardDecision.objects.count() == 2


def test_errors_by_row_and_column_and_nothing_written(
    persona: Any, agency: Any, person_of: Any
) -> None:
    make_unit(
        code="MOI", name="Phòng Mới", parent=agency, valid_from=D(2021, 1, 1), actor=persona("khoa")
    )
    data = workbook(
        [
            ["1/QĐ-UBND", D(2020, 12, 30), CITY, "", "VP", None, "TTLDTT", ""],  # fine
            ["1/QĐ-UBND", "30/13/2020", CITY, "", "VP", None, "TTLDTT", ""],
            ["1/QĐ-UBND", D(2020, 12, 30), CITY, "", "KHONGCO", None, "TTLDTT", ""],
            ["1/QĐ-UBND", D(2020, 12, 30), CITY, "", None, "NV-KHONG", "GK_SO", ""],
            ["1/QĐ-UBND", D(2020, 12, 30), CITY, "", "KHTC", None, "XYZ", ""],
            ["1/QĐ-UBND", D(2020, 12, 30), CITY, "", "MOI", None, "TTLDTT", ""],
        ]
    )
    plan = plan_import(data, agency)
    assert [(e.row, e.column) for e in plan.errors] == [
        (3, "B"),
        (4, "E"),
        (5, "F"),
        (6, "G"),
        (7, "E"),
    ]
    messages = [str(e) for e in plan.errors]
    assert messages[0] == "Row 3, column B: “30/13/2020” is not a date (dd/mm/yyyy)."
    assert messages[1] == "Row 4, column E: Unknown unit code “KHONGCO”."
    assert messages[4] == "Row 7, column E: The unit “Phòng Mới” did not exist on 30/12/2020."
    with pytest.raises(ValidationError):
        apply_import(actor=persona("lan"), agency=agency, data=data, file_name="x.xlsx")
    assert not AwardDecision.objects.exists() and not Award.objects.exists()


def test_not_a_workbook_is_refused(agency: Any) -> None:
    with pytest.raises(ValidationError):
        plan_import(b"%PDF-1.4 not excel", agency)


def test_a_file_without_the_templates_header_or_too_large_is_refused(
    agency: Any, monkeypatch: Any
) -> None:
    # The same checks as the award list of a decision (awards.workbooks.read_rows).
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Số", "Ngày"])
    sheet.append(["10/QĐ-UBND", D(2019, 12, 30)])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ValidationError, match="The first row must be the header of the template"):
        plan_import(buffer.getvalue(), agency)
    data = workbook([["10/QĐ-UBND", D(2019, 12, 30), CITY, "Chủ tịch", "TTVH", None, "TTLDXS", ""]])
    monkeypatch.setattr("thidua.awards.import_awards.MAX_BYTES", len(data) - 1)
    with pytest.raises(ValidationError, match="larger than"):
        plan_import(data, agency)


def test_template_is_a_workbook_with_the_catalogue(db: Any) -> None:
    book = load_workbook(io.BytesIO(build_template()))
    assert tuple(c.value for c in book.worksheets[0][1]) == HEADERS
    codes = {row[0] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert {"CTD_TINH", "GK_SO", "CSTDCS"} <= codes


def test_pages_preview_then_confirm(good_file: bytes, login: Any) -> None:
    client = login("lan")
    upload = SimpleUploadedFile("cu.xlsx", good_file)
    page = client.post(reverse("awards:import_upload"), {"file": upload}).content.decode()
    assert 'id="import-preview"' in page and 'id="import-errors"' not in page
    sha = page.split('name="sha256" value="')[1].split('"')[0]
    assert not Award.objects.exists()
    done = client.post(reverse("awards:import_confirm"), {"sha256": sha, "file_name": "cu.xlsx"})
    assert done.status_code == 302
    assert Award.objects.count() == 3


def test_page_shows_errors(login: Any) -> None:
    bad = workbook([["1/QĐ-UBND", "hôm qua", CITY, "", "VP", None, "TTLDTT", ""]])
    page = (
        login("lan")
        .post(reverse("awards:import_upload"), {"file": SimpleUploadedFile("x.xlsx", bad)})
        .content.decode()
    )
    assert 'id="import-errors"' in page and "is not a date" in page
    assert "import/confirm" not in page


@pytest.mark.parametrize("username", ["mai", "minh", "thu"])
def test_only_the_secretariat_imports(username: str, login: Any, good_file: bytes) -> None:
    client = login(username)
    assert client.get(reverse("awards:import_upload")).status_code == 403
    upload = SimpleUploadedFile("cu.xlsx", good_file)
    assert client.post(reverse("awards:import_upload"), {"file": upload}).status_code == 403
    assert not Award.objects.exists()
