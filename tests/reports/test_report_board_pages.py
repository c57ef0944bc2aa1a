"""The leader's board of a block's reports, and the reports on the home page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from thidua.reports import services

from . import helpers

pytestmark = pytest.mark.django_db


def test_board_states_and_days_left(login: Any, persona: Any, settings: Any) -> None:
    settings.THIDUA_TODAY = "2021-11-10"
    helpers.submit("QLDL")
    returned = helpers.submit("KHTC")
    accepted = helpers.submit("TTVH")
    helpers.open_report(helpers.head_of("VP"), code="VP")  # a draft
    minh = persona("minh")
    services.report_return(actor=minh, report=returned, reason="Thiếu số liệu.")
    services.report_accept(actor=minh, report=accepted)
    settings.THIDUA_TODAY = "2021-11-16"
    helpers.submit("TCPC")  # late by two days
    page = login("minh").get(reverse("report_board", args=[helpers.cycle().pk, "yearend"]))
    assert page.status_code == 200
    text = page.content.decode()
    states = {
        code: text.split(f'data-unit="{code}" data-state="')[1].split('"')[0]
        for code in ["QLDL", "KHTC", "TTVH", "VP", "TCPC", "QLVHGD", "QLTDTT"]
    }
    assert states == {
        "QLDL": "submitted",
        "KHTC": "returned",
        "TTVH": "accepted",
        "VP": "draft",
        "TCPC": "late",
        "QLVHGD": "not_started",
        "QLTDTT": "not_started",
    }
    assert "Thiếu số liệu." in text
    overdue = text.count('data-days-left="-2" data-overdue="1"')
    assert overdue == 4  # KHTC (returned), VP (draft), QLVHGD and QLTDTT (not started)
    assert 'data-late-days="2"' in text
    assert 'data-submitted="3" data-members="7"' in text


def test_board_for_leader_deputy_secretariat_not_for_members(login: Any) -> None:
    url = reverse("report_board", args=[helpers.cycle().pk, "midyear"])
    for username in ("minh", "hoa", "lan", "thu"):
        assert login(username).get(url).status_code == 200
    assert login("tuan").get(url).status_code == 403


def test_home_lists_my_units_reports_and_the_boards_i_follow(login: Any) -> None:
    cycle = helpers.cycle()
    qldl = helpers.unit("QLDL")
    tuan = login("tuan").get(reverse("report_home")).content.decode()
    assert reverse("report_for_unit", args=[cycle.pk, "yearend", qldl.pk]) in tuan
    assert reverse("report_for_unit", args=[cycle.pk, "midyear", qldl.pk]) in tuan
    board = f'href="{reverse("report_board", args=[cycle.pk, "yearend"])}"'
    assert board not in tuan
    minh = login("minh").get(reverse("report_home")).content.decode()
    assert board in minh
    assert reverse("report_home") in minh  # the menu links here
