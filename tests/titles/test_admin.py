"""An administrator edits the packs in the admin: a new version from a date with its
conditions, audited; a bad ratio and an overlapping version are refused naming the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.awards.models import AwardForm
from thidua.titles import selectors
from thidua.titles.models import PackVersion, RulePack

pytestmark = pytest.mark.django_db


def version_post(valid_from: str, ratio: str) -> dict[str, Any]:
    return {
        "pack": str(RulePack.objects.get(code="can-tho").pk),
        "valid_from": valid_from,
        "valid_to": "",
        "instrument": "Quyết định mới của thành phố",
        "note": "",
        "conditions-TOTAL_FORMS": "1",
        "conditions-INITIAL_FORMS": "0",
        "conditions-0-title": str(AwardForm.objects.get(code="TTLDTT").pk),
        "conditions-0-key": "ldtt-share",
        "conditions-0-order": "1",
        "conditions-0-kind": "member_share_holding",
        "conditions-0-group": "",
        "conditions-0-params": f'{{"title": "LDTT", "ratio": {ratio}}}',
        "conditions-0-legal_basis": "Điều 5 Quyết định mới",
    }


def test_a_new_version_tightens_the_city_rule_from_its_date_audited(login: Any) -> None:
    client = login("khoa")
    url = reverse("admin:titles_packversion_add")
    # The city's current version is open-ended: a new one overlapping it is refused.
    overlapping = client.post(url, version_post("2027-01-01", "0.8"))
    assert overlapping.status_code == 200
    assert "trùng với phiên bản" in overlapping.content.decode()
    current = PackVersion.objects.get(pack__code="can-tho", valid_to__isnull=True)
    current.valid_to = dt.date(2026, 12, 31)
    current.save()
    bad = client.post(url, version_post("2027-01-01", "1.8"))
    assert bad.status_code == 200 and "ratio: phải là số từ 0 đến 1" in (bad.content.decode())
    done = client.post(url, version_post("2027-01-01", "0.8"))
    assert done.status_code == 302
    agency = RulePack.objects.get(code="can-tho").territory
    rules = {(r.title, r.key): r for r in selectors.pack_for(agency, dt.date(2027, 3, 1)).rules}
    assert rules[("TTLDTT", "ldtt-share")].params["ratio"] == 0.8
    assert AuditEvent.objects.filter(action=AuditAction.TITLES_CONDITION_SAVED).exists()
    assert AuditEvent.objects.filter(action=AuditAction.TITLES_PACKVERSION_SAVED).exists()
