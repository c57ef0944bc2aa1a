"""The unit pages: the organisation tree on a past day, renaming, deleting and refusals."""

from __future__ import annotations

import pytest

from thidua.org.models import Unit, UnitVersion


def test_org_tree_on_a_past_day_shows_the_name_and_block_of_then(login):
    client = login("lan")
    html = client.get("/org/?on=2018-06-01").content.decode()
    assert "Trung tâm Thông tin Xúc tiến Du lịch" in html  # renamed in 2019
    html = client.get("/org/?on=2021-11-15").content.decode()
    assert "Trung tâm Xúc tiến Du lịch" in html


@pytest.mark.parametrize(
    ("username", "url"),
    [("tuan", "/org/units/new/"), ("mai", "/blocks/new/"), ("minh", "/campaigns/new/")],
)
def test_forms_of_other_roles_are_refused_with_403(login, username, url):
    client = login(username)
    response = client.post(url, {})
    assert response.status_code in (400, 403)
    unit = Unit.objects.get(code="QLDL")
    response = client.post(f"/org/units/{unit.pk}/rename/", {"name": "X", "on": "2021-02-01"})
    assert response.status_code == 403
    assert Unit.objects.get(code="QLDL").name == "Phòng Quản lý Du lịch"


def test_rename_from_the_form_keeps_the_old_name_in_history(login):
    client = login("lan")
    unit = Unit.objects.get(code="QLDL")
    response = client.post(
        f"/org/units/{unit.pk}/rename/",
        {"name": "Phòng Du lịch", "short_name": "", "on": "2022-03-01"},
    )
    assert response.status_code == 302
    names = list(UnitVersion.objects.filter(unit=unit).values_list("name", flat=True))
    assert names == ["Phòng Quản lý Du lịch", "Phòng Du lịch"]
    html = client.get(f"/org/units/{unit.pk}/?on=2021-11-15").content.decode()
    assert "Phòng Quản lý Du lịch" in html


def test_deleting_a_unit_with_history_is_refused_and_archiving_is_offered(login):
    client = login("lan")
    unit = Unit.objects.get(code="QLDL")
    response = client.post(f"/org/units/{unit.pk}/delete/", follow=True)
    assert Unit.objects.filter(pk=unit.pk).exists()
    assert "lưu trữ" in response.content.decode()
