"""The home page's deadline bands are the agency's dated configuration: the seeded bands for
every agency equal the values the code used before (30, 14 and 3 days); an agency with its
own bands, or a later period, behaves differently."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tests.reports import helpers as report_helpers
from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.campaigns.models import DeadlineBands
from thidua.campaigns.selectors import deadline_bands
from thidua.org.models import Unit, UnitKind
from thidua.reports.models import Period
from thidua.reports.selectors import period_deadline
from thidua.web.actions import Urgency, suggested_actions, urgency

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _report(user: Any) -> Any:
    found = [s for s in suggested_actions(user, report_helpers.cycle().campaign)]
    return next((s for s in found if s.key == "report"), None)


def _deadline() -> dt.date:
    deadline = period_deadline(report_helpers.cycle().campaign, Period.YEAREND)
    assert deadline is not None
    return deadline


def _own_bands(agency: Unit, **days: int) -> DeadlineBands:
    bands = DeadlineBands(
        agency=agency,
        valid_from=dt.date(2021, 1, 1),
        legal_basis="Quy chế thi đua, khen thưởng của Sở (thử)",
        **days,
    )
    bands.full_clean()
    bands.save()
    return bands


def test_the_seeded_bands_are_the_former_constants() -> None:
    bands = deadline_bands(None, dt.date(2021, 6, 1))
    assert bands is not None and bands.agency_id is None
    assert (bands.notice_days, bands.soon_days, bands.urgent_days) == (30, 14, 3)
    assert bands.legal_basis
    U = Urgency
    assert [urgency(d, bands) for d in (None, 31, 30, 15, 14, 4, 3, 0, -2)] == [
        U.NONE, U.LATER, U.NEAR, U.NEAR, U.SOON, U.SOON, U.URGENT, U.URGENT, U.URGENT
    ]  # fmt: skip
    assert urgency(5, None) is U.NONE


def test_an_agency_with_its_own_bands_is_nagged_earlier_and_marked_differently(
    persona: Any, settings: Any, login: Any
) -> None:
    tuan = persona("tuan")
    settings.THIDUA_TODAY = (_deadline() - dt.timedelta(days=40)).isoformat()
    assert _report(tuan) is None  # 40 days ahead: the default bands do not suggest it yet
    agency = report_helpers.cycle().campaign.agency
    _own_bands(agency, notice_days=60, soon_days=45, urgent_days=20)
    report = _report(tuan)
    assert report is not None and report.days_left == 40
    assert report.urgency is Urgency.SOON and report.badge == "text-bg-warning"
    assert not report.is_urgent
    settings.THIDUA_TODAY = (_deadline() - dt.timedelta(days=10)).isoformat()
    assert _report(tuan).badge == "text-bg-danger"  # urgent from 20 days with these bands
    # Not only red: the badge carries a sign and, for screen readers, the word.
    assert _report(tuan).is_urgent
    html = login("tuan").get("/").content.decode()
    assert "⚠" in html and "Gấp:" in html


def test_another_agency_keeps_the_default_bands() -> None:
    mine = report_helpers.cycle().campaign.agency
    _own_bands(mine, notice_days=60, soon_days=45, urgent_days=20)
    day = dt.date(2021, 6, 1)
    other_agency_id = mine.pk + 10_000  # bands are looked up by the agency's id
    assert deadline_bands(mine, day).notice_days == 60  # type: ignore[union-attr]
    assert deadline_bands(other_agency_id, day).notice_days == 30  # type: ignore[union-attr]


def test_bands_are_dated() -> None:
    agency = Unit.objects.filter(kind=UnitKind.AGENCY).first()
    assert agency is not None
    old = _own_bands(agency, notice_days=60, soon_days=45, urgent_days=20)
    old.valid_to = dt.date(2021, 12, 31)
    old.full_clean()
    old.save()
    newer = DeadlineBands(
        agency=agency,
        valid_from=dt.date(2022, 1, 1),
        legal_basis="Quy chế sửa đổi",
        notice_days=20,
        soon_days=10,
        urgent_days=2,
    )
    newer.full_clean()
    newer.save()
    assert deadline_bands(agency, dt.date(2021, 12, 31)).notice_days == 60  # type: ignore[union-attr]
    assert deadline_bands(agency, dt.date(2022, 1, 1)).notice_days == 20  # type: ignore[union-attr]
    assert deadline_bands(agency, dt.date(2020, 6, 1)).notice_days == 30  # type: ignore[union-attr]


def _errors(**fields: Any) -> dict[str, list[str]]:
    agency = Unit.objects.filter(kind=UnitKind.AGENCY).first()
    values: dict[str, Any] = {
        "agency": agency,
        "valid_from": dt.date(2021, 1, 1),
        "legal_basis": "Quy chế",
        "notice_days": 30,
        "soon_days": 14,
        "urgent_days": 3,
    }
    values.update(fields)
    with pytest.raises(ValidationError) as raised:
        DeadlineBands(**values).full_clean()
    return raised.value.message_dict


def test_bands_are_checked_field_by_field_in_vietnamese() -> None:
    with translation.override("vi"):
        assert "Đánh dấu sắp đến hạn" in _errors(soon_days=40)["soon_days"][0]
        assert "Đánh dấu khẩn từ" in _errors(urgent_days=20)["urgent_days"][0]
        assert "căn cứ" in _errors(legal_basis=" ")["legal_basis"][0]
        assert "Hiệu lực đến” đứng trước" in _errors(valid_to=dt.date(2020, 1, 1))["valid_to"][0]
        agency = Unit.objects.filter(kind=UnitKind.AGENCY).first()
        assert agency is not None
        _own_bands(agency, notice_days=30, soon_days=14, urgent_days=3)
        assert "trùng" in _errors(valid_from=dt.date(2021, 6, 1))["valid_from"][0]


def test_an_agencys_bands_are_edited_in_the_admin_and_audited(login: Any) -> None:
    agency = report_helpers.cycle().campaign.agency
    client = login("khoa")
    post = {
        "agency": str(agency.pk),
        "valid_from": "2021-01-01",
        "valid_to": "",
        "legal_basis": "Quy chế thi đua, khen thưởng của Sở",
        "notice_days": "45",
        "soon_days": "50",
        "urgent_days": "5",
    }
    refused = client.post(reverse("admin:campaigns_deadlinebands_add"), post)
    assert refused.status_code == 200  # soon after the notice: shown again with the error
    assert not DeadlineBands.objects.filter(agency=agency).exists()
    post["soon_days"] = "20"
    response = client.post(reverse("admin:campaigns_deadlinebands_add"), post)
    assert response.status_code == 302
    assert deadline_bands(agency, dt.date(2021, 6, 1)).notice_days == 45  # type: ignore[union-attr]
    event = AuditEvent.objects.filter(action=AuditAction.DEADLINEBANDS_SAVED).get()
    assert event.data["after"]["notice_days"] == 45
