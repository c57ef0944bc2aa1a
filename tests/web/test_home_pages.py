"""The pages people open, as the demo personas see them."""

from __future__ import annotations

import pytest

from thidua.audit.models import AuditEvent
from thidua.org.models import BlockTerm, Person, Unit, UnitVersion

PAGES = [
    "/",
    "/org/",
    "/org/?on=2021-11-15&closed=1",
    "/org/people/",
    "/blocks/",
    "/campaigns/",
    "/search/?q=dang",
]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("username", ["lan", "minh", "hoa", "tuan", "mai", "tung", "thu", "khoa"])
def test_every_persona_can_open_the_main_pages(login, username, url):
    response = login(username).get(url)
    assert response.status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_interface_is_vietnamese_by_default_even_for_an_english_browser(login):
    response = login("minh").get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Trang chủ" in html
    assert "Sắp đến hạn" in html


def test_english_can_be_chosen_and_sticks(login):
    client = login("minh")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Due next" in html


def test_block_leader_sees_the_covenant_due_and_their_role(login):
    html = login("minh").get("/").content.decode()
    assert "Giao ước thi đua ký kết" in html
    assert "05/01/2021" in html
    assert "Khối thi đua số 1" in html
    assert "Khối trưởng" in html


def test_unit_head_sees_which_block_they_are_in_and_who_leads_it(login):
    html = login("tuan").get("/").content.decode()
    assert "Khối thi đua số 1" in html
    assert "Phòng Quản lý Văn hóa và Gia đình" in html  # the leader unit


def test_secretariat_sees_every_block_and_progress_counts(login):
    html = login("lan").get("/").content.decode()
    assert "Khối thi đua số 1" in html and "Khối thi đua số 2" in html
    assert "Tiến độ của các khối" in html


def test_campaign_plan_shows_groups_criteria_milestones_and_computed_results(login):
    client = login("tuan")
    campaign_url = (
        "/campaigns/"
        + str(BlockTerm.objects.get(year=2021, block__code="K1").cycle.campaign_id)
        + "/"
    )
    html = client.get(campaign_url).content.decode()
    assert "3887/KH-SVHTTDL" in html
    for title in [
        "Hoàn thành nhiệm vụ chính trị",
        "Thực hiện tốt công tác cải cách hành chính",
        "Thực hiện phòng, chống tham nhũng",
    ]:
        assert title in html
    assert "15/11/2021" in html
    # The 95% criterion is computed: Nhà hát Tây Đô has 6 of 8 staff at HTTNV or better.
    assert "(6/8)" in html


def test_search_ignores_diacritics_including_d_bar(login):
    html = login("minh").get("/search/?q=dang thi thu").content.decode()
    assert "Đặng Thị Thu" in html
    html = login("minh").get("/search/?q=van hoa gia dinh").content.decode()
    assert "Phòng Quản lý Văn hóa và Gia đình" in html


def test_org_tree_on_a_past_day_shows_the_name_and_block_of_then(login):
    client = login("lan")
    html = client.get("/org/?on=2018-06-01").content.decode()
    assert "Trung tâm Thông tin Xúc tiến Du lịch" in html  # renamed in 2019
    html = client.get("/org/?on=2021-11-15").content.decode()
    assert "Trung tâm Xúc tiến Du lịch" in html


def test_person_ratings_are_hidden_from_other_units_staff(login):
    person = Person.objects.get(code="NHTD-001")
    html = login("mai").get(f"/person/{person.pk}/".replace("/person/", "/org/people/")).content
    assert "HTTNV" not in html.decode() and "HTXSNV" not in html.decode()
    html = login("lan").get(f"/org/people/{person.pk}/").content.decode()
    assert "Xếp loại" in html


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


def test_block_term_form_refuses_a_leader_outside_the_block_next_to_the_field(login):
    client = login("lan")
    term = BlockTerm.objects.get(year=2021, block__code="K1")
    members = [m.unit_id for m in term.memberships.all()]
    outsider = Unit.objects.get(code="TVIEN")
    events = AuditEvent.objects.count()
    response = client.post(
        f"/blocks/terms/{term.pk}/edit/",
        {"members": members, "leader": outsider.pk, "deputy": term.deputy_id},
    )
    assert response.status_code == 400
    assert "phải là thành viên của khối" in response.content.decode()
    assert BlockTerm.objects.get(pk=term.pk).leader_id == term.leader_id
    assert AuditEvent.objects.count() == events


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


def test_the_secretariat_edits_the_council_from_its_page(login):
    from thidua.org.models import Council

    council = Council.objects.get()
    detail = f"/councils/{council.agency_id}/"
    edit = f"/councils/{council.agency_id}/edit/"
    client = login("lan")
    assert f'href="{edit}"' in client.get(detail).content.decode()
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {"name": "Hội đồng Thi đua – Khen thưởng Sở", "standing_body": council.standing_body_id},
    )
    assert response.status_code == 302 and response["Location"] == detail
    council.refresh_from_db()
    assert council.name == "Hội đồng Thi đua – Khen thưởng Sở"
    member = login("minh")
    assert f'href="{edit}"' not in member.get(detail).content.decode()
    assert member.get(edit).status_code == 403
    assert (
        member.post(edit, {"name": "x", "standing_body": council.standing_body_id}).status_code
        == 403
    )
