"""Every row is checked; errors name the sheet, row and column; nothing is written unless
the whole file is valid."""

from __future__ import annotations

import pytest

from tests.org.helpers import row_counts
from thidua.org.importer import ImportRefused, RowError, import_apply, parse_workbook
from thidua.org.models import Employment, Person, StaffRating, Unit

from .conftest import AGENCY, fill_template


@pytest.fixture
def agency(db):
    return Unit.objects.get(code=AGENCY)


def errors_of(data, agency):
    return {
        (e.sheet, e.row, e.column): e.message for e in parse_workbook(data, agency=agency).errors
    }


def test_a_file_with_one_bad_row_writes_nothing_and_names_sheet_row_and_column(persona, agency):
    data = fill_template(
        units=[["TTPHIM", "Trung tâm Phát hành Phim", "", "Đơn vị sự nghiệp", AGENCY, None]],
        people=[["NV-900", "Đặng Ngọc Đạt", None, None]],
        employments=[
            ["NV-900", "TTPHIM", "", "", "01/06/2018", None],
            ["NV-900", "VP", "", "", "31/02/2019", None],
        ],
    )
    before = row_counts()

    with pytest.raises(ImportRefused) as refused:
        import_apply(actor=persona("lan"), agency=agency, data=data)

    assert refused.value.plan.errors == [
        RowError(
            "Công tác",
            3,
            "Từ ngày",
            "“31/02/2019” is not a date; write it as dd/mm/yyyy (or yyyy-mm-dd).",
        )
    ]
    assert row_counts() == before
    assert not Unit.objects.filter(code="TTPHIM").exists()


def test_cell_level_mistakes_are_each_reported(agency):
    data = fill_template(
        units=[["", "Không mã", "", "Phòng ban", AGENCY, "2018-13-01"]],
        people=[["NV-1", "A" * 201, "01/01/2999", "not-an-email"]],
        employments=[["NV-1", "VP", "", "có lẽ", "01/06/2018", "01/01/2018"]],
        ratings=[["NV-1", "năm ngoái", "Tốt", ""]],
    )
    errors = errors_of(data, agency)
    assert errors[("Đơn vị", 2, "Mã đơn vị")] == "This cell is required."
    assert errors[("Đơn vị", 2, "Loại đơn vị")].startswith("Unknown kind “Phòng ban”")
    assert errors[("Đơn vị", 2, "Ngày hiệu lực")].startswith("“2018-13-01” is not a date")
    assert errors[("Nhân sự", 2, "Họ và tên")].startswith("At most 200 characters")
    assert errors[("Nhân sự", 2, "Ngày sinh")] == "The date of birth must be in the past."
    assert errors[("Nhân sự", 2, "Thư điện tử")] == "“not-an-email” is not an e-mail address."
    assert errors[("Công tác", 2, "Trưởng đơn vị")] == "Write “Có” or “Không”, not “có lẽ”."
    assert errors[("Xếp loại", 2, "Năm")] == "“năm ngoái” is not a year."
    assert errors[("Xếp loại", 2, "Xếp loại")].startswith("Unknown rating “Tốt”")


def test_employment_ending_before_it_starts_is_refused(agency):
    data = fill_template(employments=[["VP-001", "VP", "", "", "01/06/2018", "01/01/2018"]])
    assert errors_of(data, agency) == {
        ("Công tác", 2, "Đến ngày"): "The end date is before the start date."
    }


def test_duplicates_inside_the_file_point_at_the_first_occurrence(agency):
    data = fill_template(
        people=[
            ["NV-1", "Một", None, None],
            ["NV-2", "Hai", None, None],
            ["NV-1", "Ba", None, None],
        ],
        ratings=[["VP-001", 2020, "HTTNV", ""], ["VP-001", 2020, "HTNV", ""]],
    )
    assert errors_of(data, agency) == {
        ("Nhân sự", 4, "Mã cán bộ"): "The same entry already appears on row 2.",
        ("Xếp loại", 3, "Năm"): "The same entry already appears on row 2.",
    }


def test_references_must_exist_in_the_system_or_earlier_in_the_file(agency):
    data = fill_template(
        units=[
            ["CON", "Đơn vị con", "", "Khác", "CHA", None],
            ["CHA", "Đơn vị cha", "", "Khác", AGENCY, None],
            ["LẠC", "Đơn vị lạc", "", "Khác", "KHONGCO", None],
        ],
        employments=[["NV-404", "VP", "", "", "01/01/2020", None]],
    )
    errors = errors_of(data, agency)
    assert errors[("Đơn vị", 2, "Mã đơn vị cấp trên")] == (
        "The parent unit “CHA” must be listed above this row."
    )
    assert errors[("Đơn vị", 4, "Mã đơn vị cấp trên")].startswith("Unknown unit code “KHONGCO”")
    assert errors[("Công tác", 2, "Mã cán bộ")].startswith("Unknown staff code “NV-404”")


def test_units_must_sit_under_the_chosen_agency(agency):
    data = fill_template(
        units=[
            ["UBND-CT", "Ủy ban", "", "Cơ quan", AGENCY, None],
            ["SVHTTDL", "Sở", "", "Cơ quan", AGENCY, None],
        ]
    )
    errors = errors_of(data, agency)
    assert errors[("Đơn vị", 2, "Mã đơn vị")] == (
        "The code “UBND-CT” is used by a unit outside "
        "Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ."
    )
    assert errors[("Đơn vị", 3, "Mã đơn vị")].startswith("This is the agency you are importing")
    outside_parent = fill_template(units=[["MOI", "Mới", "", "Khác", "UBND-CT", None]])
    assert errors_of(outside_parent, agency) == {
        ("Đơn vị", 2, "Mã đơn vị cấp trên"): (
            "The parent unit “UBND-CT” is not part of "
            "Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ."
        )
    }


def test_a_unit_cannot_be_moved_under_its_own_sub_unit(agency):
    data = fill_template(
        units=[
            ["TO-1", "Tổ 1", "", "Khác", "VP", None],
            ["VP", "Văn phòng Sở", "", "Phòng chuyên môn", "TO-1", None],
        ]
    )
    assert errors_of(data, agency) == {
        ("Đơn vị", 3, "Mã đơn vị cấp trên"): (
            "“VP” cannot be placed under one of its own sub-units."
        )
    }


def test_a_rating_for_someone_not_employed_that_year_is_refused(persona, agency):
    # VP-001 works in the Văn phòng since 01/03/2015.
    data = fill_template(ratings=[["VP-001", 2014, "HTXSNV", ""], ["VP-001", 2015, "HTXSNV", ""]])
    plan = parse_workbook(data, agency=agency)
    assert plan.errors == [
        RowError(
            "Xếp loại",
            2,
            "Năm",
            "VP-001 was not employed by any unit of Sở Văn hóa, Thể thao và Du lịch thành phố "
            "Cần Thơ in 2014, so cannot be rated for that year.",
        )
    ]
    with pytest.raises(ImportRefused):
        import_apply(actor=persona("lan"), agency=agency, data=data)
    assert not StaffRating.objects.filter(person__code="VP-001", year=2015).exists()


def test_employment_given_in_the_same_file_allows_the_rating(agency):
    data = fill_template(
        people=[["NV-900", "Đặng Ngọc Đạt", None, None]],
        employments=[["NV-900", "VP", "", "", "01/07/2016", "30/06/2017"]],
        ratings=[["NV-900", 2017, "HTTNV", ""], ["NV-900", 2018, "HTTNV", ""]],
    )
    errors = errors_of(data, agency)
    assert list(errors) == [("Xếp loại", 3, "Năm")]


def test_overlapping_periods_in_one_unit_are_refused(agency):
    data = fill_template(employments=[["VP-001", "VP", "", "", "01/01/2020", None]])
    assert errors_of(data, agency) == {
        ("Công tác", 2, "Từ ngày"): (
            "VP-001 already works in “VP” from 01/03/2015; periods in one unit must not overlap."
        )
    }


def test_people_of_another_agency_cannot_be_changed_from_here(persona, agency):
    # A person working only under UBND-CT, outside the Sở.
    other = Unit.objects.get(code="UBND-CT")
    stranger = Person.objects.create(code="UB-1", full_name="Người Ủy ban", search_text="ub-1")
    Employment.objects.create(person=stranger, unit=other, valid_from="2019-01-01")
    data = fill_template(people=[["UB-1", "Tên khác", None, None]])
    assert errors_of(data, agency) == {
        ("Nhân sự", 2, "Mã cán bộ"): (
            "UB-1 works outside Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ; only that "
            "agency can change their details."
        )
    }


def test_a_missing_sheet_or_column_is_reported(agency):
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(fill_template()))
    del workbook["Xếp loại"]
    workbook["Nhân sự"]["B1"] = "Tên"
    buffer = BytesIO()
    workbook.save(buffer)
    errors = errors_of(buffer.getvalue(), agency)
    assert errors[("Nhân sự", 1, "Họ và tên")] == (
        "This column is missing; keep the template's headers."
    )
    assert errors[("Xếp loại", 0, "")] == (
        "The sheet is missing; download the template and fill it in."
    )


def test_one_upload_reports_every_problem_of_a_row_and_across_rows(agency):
    # Row 2 of Công tác has a bad date AND an unknown staff code AND an unknown unit; the
    # rating rows have a bad rating AND rate a person who worked nowhere that year.
    data = fill_template(
        units=[["MOI", "Đơn vị mới", "", "Phòng ban", "KHONGCO", None]],
        people=[["NV-901", "Lê Thị Bình", None, None]],
        employments=[
            ["NV-404", "KHONGCO", "", "", "31/02/2019", None],
            ["NV-901", "VP", "", "có lẽ", "01/01/2020", None],
        ],
        ratings=[["VP-001", 2014, "Tốt", ""], ["NV-901", 2018, "HTTNV", ""]],
    )
    errors = errors_of(data, agency)
    assert errors[("Đơn vị", 2, "Loại đơn vị")].startswith("Unknown kind")
    assert errors[("Đơn vị", 2, "Mã đơn vị cấp trên")].startswith("Unknown unit code “KHONGCO”")
    assert errors[("Công tác", 2, "Từ ngày")].startswith("“31/02/2019” is not a date")
    assert errors[("Công tác", 2, "Mã cán bộ")].startswith("Unknown staff code “NV-404”")
    assert errors[("Công tác", 2, "Mã đơn vị")].startswith("Unknown unit code “KHONGCO”")
    assert errors[("Công tác", 3, "Trưởng đơn vị")].startswith("Write “Có” or “Không”")
    assert errors[("Xếp loại", 2, "Xếp loại")].startswith("Unknown rating “Tốt”")
    assert errors[("Xếp loại", 2, "Năm")].startswith("VP-001 was not employed by any unit")
    # NV-901's rejected row still says when they worked (from 2020): 2018 is flagged too.
    assert errors[("Xếp loại", 3, "Năm")].startswith("NV-901 was not employed by any unit")
    assert len(errors) == 9


def test_iso_dates_are_read_like_dd_mm_yyyy(persona, agency):
    data = fill_template(
        people=[["NV-902", "Trần Văn Cường", "1990-05-17", None]],
        employments=[["NV-902", "VP", "", "", "2022-01-01", "2022-12-31"]],
        ratings=[["NV-902", 2022, "HTTNV", ""]],
    )
    assert errors_of(data, agency) == {}
    import_apply(actor=persona("lan"), agency=agency, data=data)
    person = Person.objects.get(code="NV-902")
    assert str(person.birth_date) == "1990-05-17"
    employment = Employment.objects.get(person=person)
    assert (str(employment.valid_from), str(employment.valid_to)) == ("2022-01-01", "2022-12-31")


def test_an_agency_other_than_the_demo_gets_every_problem_in_one_pass(db):
    from tests.org.factories import make_unit

    other = make_unit(code="SOTNMT", name="Sở Tài nguyên và Môi trường tỉnh Hậu Giang")
    make_unit(code="PDD", name="Phòng Đo đạc", parent=other)
    data = fill_template(
        people=[["TN-1", "Phạm Văn Dũng", None, None]],
        employments=[
            ["TN-1", "PDD", "", "", "2020-13-01", None],
            ["TN-2", "PDD", "", "", "", None],
        ],
        ratings=[["TN-1", 2021, "HTXSNV", ""], ["TN-3", 2021, "HTTNV", "x" * 301]],
    )
    errors = errors_of(data, other)
    assert set(errors) == {
        ("Công tác", 2, "Từ ngày"),
        ("Công tác", 3, "Mã cán bộ"),
        ("Công tác", 3, "Từ ngày"),
        ("Xếp loại", 3, "Mã cán bộ"),
        ("Xếp loại", 3, "Ghi chú"),
    }
    assert "“TN-2”" in errors[("Công tác", 3, "Mã cán bộ")]
