"""The block's year follows the reports: the last member's year-end report, or the leader
closing the collection on the board, moves it to "annual reports collected"; the deputy
records the mid-year review on the mid-year board."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.campaigns.cycle import CycleState
from thidua.campaigns.models import BlockCycle, CycleStep
from thidua.reports import services
from thidua.reports.models import Period

from . import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client: Any, settings: Any) -> None:
    # The pages are read in English (the msgids), before and after the catalogue is merged.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


K1 = ["VP", "TCPC", "KHTC", "QLVHGD", "QLTDTT", "QLDL", "TTVH"]


def _at(state: str) -> BlockCycle:
    cycle = helpers.cycle()
    BlockCycle.objects.filter(pk=cycle.pk).update(state=state)
    return helpers.cycle()


def _submit(code: str, period: str = Period.YEAREND) -> None:
    user = helpers.head_of(code)
    report = helpers.fill(user, helpers.open_report(user, code=code, period=period))
    services.report_submit(actor=user, report=report)


def test_the_last_year_end_report_moves_the_year_to_reports_collected() -> None:
    _at(CycleState.ACTIVE_H2)
    for code in K1[:-1]:
        _submit(code)
    assert helpers.cycle().state == CycleState.ACTIVE_H2  # one member still missing
    _submit(K1[-1])
    assert helpers.cycle().state == CycleState.REPORTS_COLLECTED
    step = CycleStep.objects.filter(cycle=helpers.cycle()).latest("pk")
    assert (step.target, step.note) == ("reports_collected", "reports")
    assert step.actor == helpers.head_of(K1[-1])


def test_mid_year_reports_all_in_do_not_record_the_review() -> None:
    _at(CycleState.ACTIVE)
    for code in K1:
        _submit(code, Period.MIDYEAR)
    assert helpers.cycle().state == CycleState.ACTIVE


def test_the_leader_closes_the_collection_and_is_told_who_is_missing(persona: Any) -> None:
    cycle = _at(CycleState.ACTIVE_H2)
    _submit("QLDL")
    with pytest.raises(PermissionDenied, match="block leader"):
        services.report_collection_close(actor=persona("hoa"), cycle=cycle, period="yearend")
    missing = services.report_collection_close(actor=persona("minh"), cycle=cycle, period="yearend")
    assert [u.code for u in missing] == sorted(c for c in K1 if c != "QLDL")
    assert helpers.cycle().state == CycleState.REPORTS_COLLECTED
    event = AuditEvent.objects.filter(action=AuditAction.REPORT_COLLECTION_CLOSED).latest("seq")
    assert "QLDL" not in event.data["after"]["missing"] and "VP" in event.data["after"]["missing"]
    # A second press changes nothing.
    services.report_collection_close(actor=persona("minh"), cycle=cycle, period="yearend")
    assert CycleStep.objects.filter(cycle=cycle, target="reports_collected").count() == 1
    # A late report still goes in after the close.
    _submit("VP")
    assert helpers.cycle().state == CycleState.REPORTS_COLLECTED


def test_closing_too_early_says_where_the_year_is(persona: Any) -> None:
    cycle = _at(CycleState.ACTIVE)
    with pytest.raises(ValidationError, match="this can be done only at"):
        services.report_collection_close(actor=persona("minh"), cycle=cycle, period="yearend")
    assert helpers.cycle().state == CycleState.ACTIVE


def test_the_deputy_records_the_mid_year_review_on_the_mid_year_board(
    persona: Any, login: Any
) -> None:
    cycle = _at(CycleState.ACTIVE)
    with pytest.raises(PermissionDenied, match="block deputy"):
        services.report_collection_close(actor=persona("minh"), cycle=cycle, period="midyear")
    board = reverse("report_board", args=[cycle.pk, "midyear"])
    page = login("hoa").get(board).content.decode()
    assert 'id="close-collection"' in page and "Record the mid-year review" in page
    login("hoa").post(reverse("report_collection_close", args=[cycle.pk, "midyear"]))
    assert helpers.cycle().state == CycleState.MIDYEAR_REVIEWED
    assert 'id="collection-closed"' in login("hoa").get(board).content.decode()


def test_the_board_warns_the_leader_before_closing(login: Any) -> None:
    cycle = _at(CycleState.ACTIVE_H2)
    _submit("QLDL")
    board = reverse("report_board", args=[cycle.pk, "yearend"])
    page = login("minh").get(board).content.decode()
    assert 'id="close-collection"' in page and 'id="not-submitted"' in page
    assert "6 members have not sent their report" in page
    assert (
        "Phòng Quản lý Du lịch</strong>"
        not in page.split('id="not-submitted"')[1].split("</div>")[0]
    )
    # Only the leader sees the button on the year-end board.
    assert 'id="close-collection"' not in login("hoa").get(board).content.decode()
    response = login("minh").post(reverse("report_collection_close", args=[cycle.pk, "yearend"]))
    assert response.status_code == 302
    shown = login("minh").get(board).content.decode()
    assert "Not sent yet:" in shown and 'id="collection-closed"' in shown
