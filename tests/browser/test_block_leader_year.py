"""Anh Minh, head of the division leading Khối 1, opens the system on 04/01/2021."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import log_in, screenshot


def test_block_leader_sees_due_items_opens_the_plan_and_switches_language(page, demo_password):
    # The browser asks for English, yet the interface opens in Vietnamese.
    log_in(page, "minh", demo_password)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    due = page.locator("#due-next")
    expect(due).to_contain_text("Sắp đến hạn")
    expect(due).to_contain_text("Giao ước thi đua ký kết")
    expect(due).to_contain_text("05/01/2021")
    expect(page.locator(".block-card").first).to_contain_text("Khối thi đua số 1")
    expect(page.locator(".block-card").first).to_contain_text("Khối trưởng")
    screenshot(page, "dashboard-minh-vi")

    page.get_by_role("link", name=re.compile("Mở kế hoạch")).click()
    expect(page.locator("#plan-title")).to_contain_text("phát động phong trào thi đua")
    expect(page.locator("#criteria")).to_be_visible()
    expect(page.locator("body")).to_contain_text("Hoàn thành nhiệm vụ chính trị")
    expect(page.locator("#milestones")).to_be_visible()
    screenshot(page, "campaign-plan-vi")

    page.select_option("#language-form select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#milestones")).to_contain_text("Milestones")
    page.goto(page.base_url + "/")
    expect(page.locator("#due-next")).to_contain_text("Due next")
    screenshot(page, "dashboard-minh-en")


def test_leader_sends_the_covenant_for_signature_from_the_dashboard(page, demo_password):
    log_in(page, "minh", demo_password)
    card = page.locator(".block-card").first
    expect(card).to_contain_text("Đang lấy chữ ký giao ước")
    log_in(page, "lan", demo_password)
    k2 = page.locator(".block-card", has_text="Khối thi đua số 2")
    expect(k2).to_contain_text("Đang soạn giao ước")


def test_phone_layout_has_a_working_menu(browser, demo_server, demo_password):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    page.base_url = demo_server.url
    log_in(page, "tuan", demo_password)
    expect(page.locator("#mainnav")).to_be_hidden()
    page.locator(".navbar-toggler").click()
    expect(page.locator("#mainnav")).to_be_visible()
    # Organisation sits in the "Tổ chức & quản trị" menu with the other less frequent pages.
    page.locator("#nav-admin .dropdown-toggle").click()
    page.locator("#mainnav").get_by_role("link", name="Tổ chức", exact=True).click()
    expect(page.locator("#org-tree")).to_contain_text("Phòng Tổ chức – Pháp chế")
    screenshot(page, "org-tree-phone")
    context.close()


def test_search_box_finds_people_without_diacritics(page, demo_password):
    log_in(page, "lan", demo_password)
    page.fill("input[name=q]", "dang thi thu")
    expect(page.locator("#search-results")).to_contain_text("Đặng Thị Thu")
