"""The downloadable template, and a filled-in template going all the way in."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from thidua.lib.dates import today
from thidua.org.importer import import_apply, parse_workbook
from thidua.org.models import Employment, Person, StaffRating, Unit, UnitVersion
from thidua.org.selectors import search_people, search_units, unit_version_on

from .conftest import AGENCY, day, fill_template


def test_template_downloads_as_a_workbook_with_vietnamese_sheets(login):
    response = login("lan").get("/import/template/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Hướng dẫn", "Đơn vị", "Nhân sự", "Công tác", "Xếp loại"]
    headers = [cell.value for cell in workbook["Công tác"][1]]
    assert headers == [
        "Mã cán bộ *",
        "Mã đơn vị *",
        "Chức vụ",
        "Trưởng đơn vị",
        "Từ ngày *",
        "Đến ngày",
    ]


def test_template_offers_dropdowns_for_kind_rating_and_yes_no(login):
    content = login("lan").get("/import/template/").content
    workbook = load_workbook(io.BytesIO(content))

    def lists(title):
        return {dv.formula1 for dv in workbook[title].data_validations.dataValidation}

    assert '"Cơ quan,Phòng chuyên môn,Đơn vị sự nghiệp,Khác"' in lists("Đơn vị")
    assert '"HTXSNV,HTTNV,HTNV,KHTNV"' in lists("Xếp loại")
    assert '"Có,Không"' in lists("Công tác")


def test_template_guide_explains_every_sheet(login):
    content = login("lan").get("/import/template/").content
    guide = load_workbook(io.BytesIO(content))["Hướng dẫn"]
    text = " ".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    for word in ("Đơn vị", "Nhân sự", "Công tác", "Xếp loại", "dd/mm/yyyy", "Mã đơn vị cấp trên"):
        assert word in text


def test_the_empty_template_imports_nothing_without_errors(persona):
    plan = parse_workbook(fill_template(), agency=Unit.objects.get(code=AGENCY))
    assert plan.is_valid
    assert not plan.has_changes


def test_a_filled_template_creates_units_people_employment_and_ratings(persona):
    agency = Unit.objects.get(code=AGENCY)
    data = fill_template(
        units=[
            ["TTPHIM", "Trung tâm Phát hành Phim", "TTP", "Đơn vị sự nghiệp", AGENCY, "01/01/2016"],
            ["TTPHIM-KT", "Đội Chiếu bóng lưu động", "", "Khác", "TTPHIM", day("01/06/2018")],
        ],
        people=[["NV-900", "  Đặng  Ngọc Đạt ", "12/05/1985", "dat@example.vn"]],
        employments=[["NV-900", "TTPHIM-KT", "Đội trưởng", "Có", "01/06/2018", None]],
        ratings=[["NV-900", 2020, "HTXSNV", ""], ["NV-900", "2019", "Hoàn thành tốt nhiệm vụ", ""]],
    )

    result = import_apply(actor=persona("lan"), agency=agency, data=data)

    assert result.created == 6
    centre = Unit.objects.get(code="TTPHIM")
    team = Unit.objects.get(code="TTPHIM-KT")
    assert team.parent == centre and centre.parent == agency
    assert team.path == f"{agency.path}{centre.pk}/{team.pk}/"
    assert team.kind == "other" and centre.kind == "service_unit"
    # The tree, history and diacritic-free search all see the new units and person.
    assert unit_version_on(team, day("02/06/2018").date()).name == "Đội Chiếu bóng lưu động"
    assert unit_version_on(team, day("31/05/2018").date()) is None
    assert list(search_units("doi chieu bong")) == [team]
    person = Person.objects.get(code="NV-900")
    assert person.full_name == "Đặng Ngọc Đạt"
    assert list(search_people("dang ngoc dat")) == [person]
    employment = Employment.objects.get(person=person)
    assert (employment.unit, employment.is_head, employment.position) == (team, True, "Đội trưởng")
    ratings = dict(StaffRating.objects.filter(person=person).values_list("year", "rating_rank"))
    assert ratings == {2020: 4, 2019: 3}


def test_a_unit_without_a_date_exists_from_the_day_of_the_import(persona):
    agency = Unit.objects.get(code=AGENCY)
    data = fill_template(units=[["TTMOI", "Trung tâm Mới", "", "Khác", AGENCY, None]])
    import_apply(actor=persona("lan"), agency=agency, data=data)
    assert UnitVersion.objects.get(unit__code="TTMOI").valid_from == today()


def test_each_sheet_shows_an_example_row_that_is_never_imported(login):
    content = login("lan").get("/import/template/").content
    workbook = load_workbook(io.BytesIO(content))
    example = [cell.value for cell in workbook["Công tác"][2]]
    assert example[:4] == ["NV-0001", "P-VHGD", "Trưởng phòng", "Có"]
    assert example[4].date().isoformat() == "2015-03-01"
    guide = workbook["Hướng dẫn"]
    rows = [[c.value for c in row] for row in guide.iter_rows()]
    assert ["Sheet", "Cột", "Bắt buộc", "Ý nghĩa", "Ví dụ"] in rows
    assert any(r[1] == "Từ ngày *".rstrip(" *") and r[4] == "01/03/2015" for r in rows)
    # Uploaded as downloaded, example rows and all: nothing to import, nothing wrong.
    plan = parse_workbook(content, agency=Unit.objects.get(code=AGENCY))
    assert plan.is_valid
    assert not plan.has_changes
