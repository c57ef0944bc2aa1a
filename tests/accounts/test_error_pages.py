"""Friendly 403, 404 and 500 pages in both languages, and no debug page for other machines."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ELSEWHERE = "192.0.2.44"


def _english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def boom(settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.accounts.urls_boom"


def test_404_in_vietnamese_and_english(login: Any) -> None:
    client = login("mai")
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    html = page.content.decode()
    assert "Không tìm thấy" in html and "Quay về trang chủ" in html and 'href="/"' in html
    english = _english(client).get("/no-such-page/").content.decode()
    assert "Not found" in english and "Back to the home page" in english


def test_403_says_who_grants_the_right(login: Any) -> None:
    client = login("mai")
    page = client.get("/accounts/security/")
    assert page.status_code == 403
    html = page.content.decode()
    assert "Quay về trang chủ" in html
    assert "cán bộ thi đua (thường trực)" in html and "quản trị hệ thống" in html
    english = _english(client).get("/accounts/security/").content.decode()
    assert "secretariat" in english and "system administrator of your agency" in english


def test_500_renders_without_a_request_context(boom: None) -> None:
    client = Client(raise_request_exception=False)
    page = client.get("/boom/")
    assert page.status_code == 500
    html = page.content.decode()
    assert "Đã xảy ra lỗi" in html and 'href="/"' in html
    assert "RuntimeError" not in html and "a bug" not in html
    english = _english(Client(raise_request_exception=False)).get("/boom/").content.decode()
    assert "Something went wrong" in english


@pytest.mark.parametrize(
    ("path", "extra", "status", "friendly"),
    [
        ("/no-such-page/", {}, 404, "Không tìm thấy"),
        ("/boom/", {}, 500, "Đã xảy ra lỗi"),
        ("/", {"HTTP_HOST": "evil.example"}, 400, "Yêu cầu không hợp lệ"),
    ],
)
def test_debug_pages_only_for_this_machine(
    settings: Any, boom: None, path: str, extra: dict[str, str], status: int, friendly: str
) -> None:
    settings.DEBUG = True  # as in ./run demo
    client = Client(raise_request_exception=False)
    remote = client.get(path, REMOTE_ADDR=ELSEWHERE, **extra)
    assert remote.status_code == status
    html = remote.content.decode()
    assert friendly in html
    assert "DEBUG = True" not in html and "urlpatterns" not in html.lower()
    local = client.get(path, REMOTE_ADDR="127.0.0.1", **extra)
    assert local.status_code == status
    assert "DEBUG = True" in local.content.decode()


def test_the_demo_serves_with_the_guard_installed() -> None:
    from django.conf import settings

    assert "thidua.accounts.middleware.LoopbackDebugMiddleware" in settings.MIDDLEWARE
