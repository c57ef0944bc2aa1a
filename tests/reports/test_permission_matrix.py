"""Who may do what with a member unit's report (QLDL's, in Khối 1), read off a table and
checked against the real pages and services.

Personas: khoa administrator; lan secretariat; minh head of QLVHGD and leader of Khối 1; hoa
head of TTVH and deputy; tuan head of QLDL; mai staff of QLDL; tung director and council
member; thu council member. The heads of units outside the report (minh, hoa) never edit it;
the unit's staff see it but only its head writes it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from thidua.reports import services
from thidua.reports.models import Report

from . import helpers

pytestmark = pytest.mark.django_db

PERSONAS = ("khoa", "lan", "minh", "hoa", "tuan", "mai", "tung", "thu")

TABLE = """
action                    khoa lan minh hoa tuan mai tung thu
view_report               Y    Y   Y    Y   Y    Y   Y    Y
download_evidence         Y    Y   Y    Y   Y    Y   Y    Y
see_board                 Y    Y   Y    Y   .    .   Y    Y
edit_draft                .    .   .    .   Y    .   .    .
accept_yearend            .    .   Y    .   .    .   .    .
"""


def rows() -> list[tuple[str, frozenset[str]]]:
    parsed = []
    for line in TABLE.strip().splitlines()[1:]:
        cells = line.split()
        marks = cells[1:]
        assert len(marks) == len(PERSONAS), line
        parsed.append(
            (cells[0], frozenset(p for p, m in zip(PERSONAS, marks, strict=True) if m == "Y"))
        )
    return parsed


def _submitted(persona: Any) -> tuple[Report, Any]:
    tuan = persona("tuan")
    report = helpers.fill(tuan, helpers.open_report(tuan))
    item = services.evidence_add(
        actor=tuan,
        report=report,
        criterion=helpers.criterion("1.1"),
        data=helpers.PDF,
        name="a.pdf",
    )
    services.report_submit(actor=tuan, report=report)
    return helpers.fresh(report), item


@pytest.mark.parametrize(("action", "allowed"), rows())
@pytest.mark.parametrize("username", PERSONAS)
def test_permission_matrix(
    action: str, allowed: frozenset[str], username: str, persona: Any, client: Any
) -> None:
    report, item = _submitted(persona)
    user = persona(username)
    client.force_login(user)
    expected = username in allowed
    if action == "view_report":
        status = client.get(reverse("report_detail", args=[report.pk])).status_code
        assert (status == 200) is expected, status
    elif action == "download_evidence":
        url = reverse("report_evidence_download", args=[report.pk, item.pk])
        assert (client.get(url).status_code == 200) is expected
    elif action == "see_board":
        url = reverse("report_board", args=[report.cycle_id, "yearend"])
        assert (client.get(url).status_code == 200) is expected
    elif action == "edit_draft":
        midyear = helpers.open_report(persona("tuan"), period="midyear")
        try:
            helpers.fill(user, midyear)
        except PermissionDenied:
            assert not expected
        else:
            assert expected
    elif action == "accept_yearend":
        try:
            services.report_accept(actor=user, report=report)
        except PermissionDenied:
            assert not expected
        else:
            assert expected
