"""Layout faults found by the whole-year browser run: the grouped navigation menu, the
warning style of backward cycle steps on the home page, and the chosen answer on a ballot."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from django.conf import settings
from django.urls import reverse

from thidua.campaigns.cycle import TRANSITIONS, CycleState
from thidua.campaigns.models import BlockCycle

pytestmark = pytest.mark.django_db


def nav_links(html: str) -> tuple[list[str], list[str]]:
    """(top-level link texts, texts inside the "Organisation & administration" menu)."""
    nav = lxml.html.fromstring(html).get_element_by_id("mainnav")
    top = [a.text_content().strip() for a in nav.xpath("./ul/li/a[@class='nav-link']")]
    menu = [a.text_content().strip() for a in nav.xpath(".//li[@id='nav-admin']//a")]
    return top, menu


def test_less_frequent_pages_are_grouped_in_one_menu(login: Any) -> None:
    top, menu = nav_links(login("khoa").get("/").content.decode())
    assert top == [
        "Trang chủ", "Phong trào thi đua", "Khối thi đua", "Báo cáo", "Họp và bỏ phiếu",
        "Đề nghị khen thưởng", "Khen thưởng",
    ]  # fmt: skip
    assert menu == [
        "Tổ chức", "Nhân sự", "Sáng kiến", "Nhập từ Excel", "Mẫu văn bản", "Quản trị",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("lan", ["Tổ chức", "Nhân sự", "Sáng kiến", "Nhập từ Excel", "Mẫu văn bản"]),
        ("tuan", ["Tổ chức", "Nhân sự", "Sáng kiến"]),
    ],
)
def test_the_menu_keeps_each_links_permission(
    login: Any, username: str, expected: list[str]
) -> None:
    _, menu = nav_links(login(username).get("/").content.decode())
    assert menu == expected


def test_backward_steps_are_warning_buttons_that_ask_first(login: Any) -> None:
    BlockCycle.objects.update(state=CycleState.AWARDED)
    page = lxml.html.fromstring(login("lan").get("/").content.decode())
    buttons = {
        b.text_content().strip(): b
        for b in page.xpath("//form[contains(@class, 'cycle-step')]//button")
    }
    revoke = buttons["Hủy bỏ khen thưởng"]
    assert "btn-outline-danger" in revoke.get("class")
    assert "btn-primary" not in revoke.get("class")
    form = revoke.getparent()
    # thidua.js asks with the form's data-confirm before it is sent (no inline script: CSP).
    assert "Hủy bỏ khen thưởng" in form.get("data-confirm")
    assert form.xpath(".//input[@name='note' and @required]")
    close = buttons["Kết thúc và lưu trữ năm thi đua"]
    assert "btn-primary" in close.get("class") and close.getparent().get("data-confirm") is None


def test_revoke_still_moves_the_block_once_the_user_confirms(login: Any) -> None:
    BlockCycle.objects.update(state=CycleState.AWARDED)
    cycle = BlockCycle.objects.order_by("pk").first()
    assert cycle is not None
    login("lan").post(
        reverse("cycle_advance", args=[cycle.pk]),
        {"target": CycleState.REVOKED, "note": "Phát hiện sai phạm", "next": "/"},
    )
    cycle.refresh_from_db()
    assert cycle.state == CycleState.REVOKED


def test_only_backward_steps_are_marked_destructive() -> None:
    marked = {(t.source, t.target) for t in TRANSITIONS if t.destructive}
    assert marked == {
        (CycleState.COVENANT_SIGNING, CycleState.COVENANT_LATE),
        (CycleState.SUBMITTED_TO_DEPT, CycleState.LEADER_ELECTED),
        (CycleState.AWARDED, CycleState.REVOKED),
    }


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_a_chosen_ballot_answer_is_white_bold_on_a_dark_fill() -> None:
    css = (Path(settings.BASE_DIR) / "thidua" / "static" / "css" / "thidua.css").read_text()
    assert re.search(r"\.ballot \.btn-check:checked \+ \.btn \{[^}]*font-weight: 700", css)
    assert re.search(r'\.ballot \.btn-check:checked \+ \.btn::before \{ content: "✓ "', css)
    fills = dict(
        re.findall(
            r"\.ballot \.btn-check:checked \+ \.btn-outline-(\w+) \{ background: (#\w{6})", css
        )
    )
    assert set(fills) == {"success", "danger", "primary"}
    for colour in fills.values():
        assert (1.05) / (_luminance(colour) + 0.05) >= 4.5, colour
