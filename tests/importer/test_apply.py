"""Writing: idempotence, history, ratings' ranks, permission and the audit summary."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tests.org.helpers import row_counts
from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.audit.services import verify_chain
from thidua.org.importer import import_apply, parse_workbook
from thidua.org.models import Employment, StaffRating, Unit, UnitVersion
from thidua.org.selectors import search_units, unit_version_on

from .conftest import AGENCY, fill_template

D = dt.date


@pytest.fixture
def agency(db):
    return Unit.objects.get(code=AGENCY)


def full_file() -> bytes:
    return fill_template(
        units=[
            ["TTPHIM", "Trung tâm Phát hành Phim", "", "Đơn vị sự nghiệp", AGENCY, "01/01/2016"],
            ["QLDL", "Phòng Quản lý Du lịch và Lữ hành", "", "Phòng chuyên môn", AGENCY, None],
        ],
        people=[["NV-900", "Đặng Ngọc Đạt", "12/05/1985", ""], ["VP-001", "Tên Mới", None, ""]],
        employments=[
            ["NV-900", "TTPHIM", "Viên chức", "Không", "01/06/2018", None],
            ["VP-001", "VP", "Công chức", "", "01/03/2015", None],
        ],
        ratings=[["NV-900", 2020, "HTTNV", ""], ["VP-001", 2020, "KHTNV", "Vi phạm"]],
    )


def test_importing_the_same_file_twice_changes_nothing_the_second_time(persona, agency):
    lan = persona("lan")
    first = import_apply(actor=lan, agency=agency, data=full_file())
    assert first.changed
    after_first = row_counts()
    events = AuditEvent.objects.count()

    second = import_apply(actor=lan, agency=agency, data=full_file())

    assert not second.changed
    assert {k: (c.create, c.update) for k, c in second.counts.items()} == {
        "units": (0, 0),
        "people": (0, 0),
        "employments": (0, 0),
        "ratings": (0, 0),
    }
    assert second.counts["ratings"].unchanged == 2
    assert row_counts() == after_first
    assert AuditEvent.objects.count() == events


def test_one_audit_event_summarises_an_import_with_the_files_hash(persona, agency):
    result = import_apply(actor=persona("lan"), agency=agency, data=full_file())
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == AuditAction.ORG_IMPORTED
    assert event.actor == persona("lan")
    assert event.object_label == agency.name
    assert event.data["sha256"] == result.sha256
    assert event.data["counts"]["units"] == {"create": 1, "update": 1, "unchanged": 0}
    assert event.data["counts"]["ratings"] == {"create": 1, "update": 1, "unchanged": 0}
    assert verify_chain() is None


def test_a_renamed_unit_keeps_its_old_name_in_history(persona, agency):
    new_name = "Phòng Quản lý Du lịch và Lữ hành"
    data = fill_template(units=[["QLDL", new_name, "", "Phòng chuyên môn", AGENCY, "01/07/2021"]])
    plan = parse_workbook(data, agency=agency)
    assert (plan.counts["units"].update, plan.counts["units"].create) == (1, 0)

    import_apply(actor=persona("lan"), agency=agency, data=data)

    unit = Unit.objects.get(code="QLDL")
    assert unit.name == new_name
    assert unit_version_on(unit, D(2021, 6, 30)).name == "Phòng Quản lý Du lịch"
    assert unit_version_on(unit, D(2021, 7, 1)).name == new_name
    assert list(search_units("lu hanh")) == [unit]
    assert UnitVersion.objects.filter(unit=unit, valid_to__isnull=True).count() == 1


def test_a_rename_cannot_be_dated_before_the_current_name(agency):
    # Trung tâm Xúc tiến Du lịch took its current name on 01/07/2019.
    data = fill_template(
        units=[["TTXTDL", "Trung tâm Du lịch", "", "Đơn vị sự nghiệp", AGENCY, "01/01/2019"]]
    )
    [error] = parse_workbook(data, agency=agency).errors
    assert (error.sheet, error.row, error.column) == ("Đơn vị", 2, "Ngày hiệu lực")
    assert "01/07/2019" in error.message


def test_a_moved_unit_takes_its_sub_units_along(persona, agency):
    data = fill_template(
        units=[
            ["TO-1", "Tổ Thông tin", "", "Khác", "TTXTDL", "01/01/2020"],
            ["TTXTDL", "Trung tâm Xúc tiến Du lịch", "", "Đơn vị sự nghiệp", "QLDL", "01/01/2021"],
        ]
    )
    import_apply(actor=persona("lan"), agency=agency, data=data)
    qldl, centre, team = (Unit.objects.get(code=c) for c in ("QLDL", "TTXTDL", "TO-1"))
    assert centre.parent == qldl
    assert centre.path == f"{qldl.path}{centre.pk}/"
    assert team.path == f"{centre.path}{team.pk}/"
    assert unit_version_on(centre, D(2020, 12, 31)).parent_id == agency.pk
    assert unit_version_on(centre, D(2021, 1, 1)).parent_id == qldl.pk


def test_a_changed_rating_updates_its_rank(persona, agency):
    data = fill_template(ratings=[["VP-001", 2021, "KHTNV", "Không hoàn thành"]])
    import_apply(actor=persona("lan"), agency=agency, data=data)
    rating = StaffRating.objects.get(person__code="VP-001", year=2021)
    assert (rating.rating, rating.rating_rank, rating.note) == ("KHTNV", 1, "Không hoàn thành")


def test_an_employment_is_found_by_person_unit_and_start_and_updated(persona, agency):
    data = fill_template(
        employments=[["VP-001", "VP", "Chuyên viên", "", "01/03/2015", "31/12/2020"]]
    )
    result = import_apply(actor=persona("lan"), agency=agency, data=data)
    assert result.counts["employments"].update == 1
    employment = Employment.objects.get(person__code="VP-001")
    assert (employment.position, employment.valid_to) == ("Chuyên viên", D(2020, 12, 31))


def test_only_officers_allowed_on_the_agency_may_import(persona, agency):
    before = row_counts()
    with pytest.raises(PermissionDenied):
        import_apply(actor=persona("tuan"), agency=agency, data=full_file())
    assert row_counts() == before
