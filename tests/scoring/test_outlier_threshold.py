"""The outlier-scorer threshold is dated configuration with its basis: seeded at the former
setting's 0.2 for every agency, overridden per agency and period in the audited admin."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.org.models import Unit, UnitKind
from thidua.scoring.models import OutlierThreshold

pytestmark = pytest.mark.django_db


def _agency() -> Unit:
    agency = Unit.objects.filter(kind=UnitKind.AGENCY).first()
    assert agency is not None
    return agency


def _in_force(agency: Any, on: dt.date) -> Decimal:
    found = OutlierThreshold.in_force(agency, on)
    assert found is not None
    return found.share


def test_the_seeded_threshold_is_the_former_setting() -> None:
    (seeded,) = OutlierThreshold.objects.filter(agency__isnull=True)
    assert seeded.share == Decimal("0.20") and seeded.legal_basis and seeded.valid_to is None


def test_an_agency_and_a_period_have_their_own_threshold() -> None:
    agency = _agency()
    OutlierThreshold.objects.create(
        agency=agency,
        valid_from=dt.date(2022, 1, 1),
        legal_basis="Quy chế chấm điểm sửa đổi",
        share=Decimal("0.35"),
    )
    assert _in_force(agency, dt.date(2021, 12, 31)) == Decimal("0.20")  # before it: the default
    assert _in_force(agency, dt.date(2022, 12, 31)) == Decimal("0.35")
    assert _in_force(agency.pk + 10_000, dt.date(2022, 12, 31)) == Decimal("0.20")  # elsewhere


def _errors(**fields: Any) -> dict[str, list[str]]:
    values: dict[str, Any] = {
        "agency": _agency(),
        "valid_from": dt.date(2021, 1, 1),
        "legal_basis": "Quy chế",
        "share": Decimal("0.3"),
    }
    values.update(fields)
    with pytest.raises(ValidationError) as raised:
        OutlierThreshold(**values).full_clean()
    return raised.value.message_dict


def test_the_threshold_is_checked_field_by_field_in_vietnamese() -> None:
    with translation.override("vi"):
        assert "Tỷ lệ so với điểm tối đa" in _errors(share=Decimal("0"))["share"][0]
        assert "Tỷ lệ so với điểm tối đa" in _errors(share=Decimal("1.5"))["share"][0]
        assert "căn cứ" in _errors(legal_basis=" ")["legal_basis"][0]
        OutlierThreshold.objects.create(
            agency=_agency(), valid_from=dt.date(2021, 1, 1), legal_basis="Q", share=Decimal("0.3")
        )
        assert "trùng" in _errors(valid_from=dt.date(2021, 6, 1))["valid_from"][0]


def test_edited_in_the_admin_and_audited(login: Any) -> None:
    agency = _agency()
    client = login("khoa")
    post = {
        "agency": str(agency.pk),
        "valid_from": "2021-01-01",
        "valid_to": "",
        "legal_basis": "Quy chế chấm điểm của Sở",
        "share": "0.25",
    }
    response = client.post(reverse("admin:scoring_outlierthreshold_add"), post)
    assert response.status_code == 302
    assert _in_force(agency, dt.date(2021, 12, 31)) == Decimal("0.25")
    event = AuditEvent.objects.get(action=AuditAction.OUTLIERTHRESHOLD_SAVED)
    assert event.data["after"]["share"] == "0.25"
