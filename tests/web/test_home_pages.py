"""The shell's pages as the demo personas see them: the home page, language and search."""

from __future__ import annotations

import pytest

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


def test_search_ignores_diacritics_including_d_bar(login):
    html = login("minh").get("/search/?q=dang thi thu").content.decode()
    assert "Đặng Thị Thu" in html
    html = login("minh").get("/search/?q=van hoa gia dinh").content.decode()
    assert "Phòng Quản lý Văn hóa và Gia đình" in html
