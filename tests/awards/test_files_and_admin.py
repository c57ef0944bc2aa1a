"""The attached original is served back by the checking view; configuration edited in the
admin is audited; the import template downloads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.awards.config import base_salary_on
from thidua.awards.services import AwardInput

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_original_served_with_its_type(decide: Any, form: Any, unit: Any, login: Any) -> None:
    decision = decide(
        [AwardInput(form=form("CTD_TINH"), unit=unit("TTVH"))],
        received_from_above=True,
        original=PNG,
    )
    client = login("mai")
    page = client.get(reverse("awards:decision_detail", args=[decision.pk])).content.decode()
    assert reverse("awards:decision_original", args=[decision.pk]) in page
    response = client.get(reverse("awards:decision_original", args=[decision.pk]))
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG


def test_no_original_is_404(decide: Any, form: Any, unit: Any, login: Any) -> None:
    decision = decide([AwardInput(form=form("TTLDTT"), unit=unit("VP"))])
    assert (
        login("mai").get(reverse("awards:decision_original", args=[decision.pk])).status_code == 404
    )


def test_template_download(login: Any) -> None:
    response = login("lan").get(reverse("awards:import_template"))
    assert response.status_code == 200
    assert response.content.startswith(b"PK\x03\x04")


def test_new_base_salary_in_admin_is_used_and_audited(login: Any) -> None:
    client = login("khoa")
    response = client.post(
        reverse("admin:awards_basesalary_add"),
        {"amount": "2700000", "valid_from": "2027-07-01", "valid_to": "", "legal_basis": "Thử"},
    )
    assert response.status_code == 302
    assert base_salary_on(dt.date(2027, 8, 1)).amount == 2_700_000  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(action=AuditAction.BASESALARY_SAVED).exists()


def _record_post(unit_pk: int, form_pk: int, **extra: Any) -> dict[str, Any]:
    data = {
        "issuer_name": "Ủy ban nhân dân thành phố Cần Thơ",
        "symbol": "301/QĐ-UBND",
        "issued_on": "2020-12-30",
        "signer": "Chủ tịch",
        "legal_bases": "",
        "awards-TOTAL_FORMS": "2",
        "awards-INITIAL_FORMS": "0",
        "awards-0-unit": str(unit_pk),
        "awards-0-form": str(form_pk),
        "awards-0-reason": "Dẫn đầu Khối thi đua số 2",
    }
    data.update(extra)
    return data


def test_record_a_city_flag_from_the_page(login: Any, unit: Any, form: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from thidua.awards.models import AwardDecision

    client = login("lan")
    assert client.get(reverse("awards:decision_record")).status_code == 200
    data = _record_post(unit("TVIEN").pk, form("CTD_TINH").pk, received_from_above="on")
    refused = client.post(reverse("awards:decision_record"), data)
    assert "Attach the scanned or signed original" in refused.content.decode()
    data["original"] = SimpleUploadedFile("qd.png", PNG)
    done = client.post(reverse("awards:decision_record"), data)
    decision = AwardDecision.objects.get(symbol="301/QĐ-UBND")
    assert done["Location"] == reverse("awards:decision_detail", args=[decision.pk])
    assert decision.received_from_above and decision.original_content_type == "image/png"
    award = decision.awards.get()
    assert award.unit == unit("TVIEN") and award.amount == 11_920_000
    history = client.get(reverse("unit_detail", args=[unit("TVIEN").pk])).content.decode()
    assert "Cờ thi đua của Ủy ban nhân dân thành phố" in history


def test_record_page_refuses_for_others(login: Any, unit: Any, form: Any) -> None:
    client = login("minh")
    assert client.get(reverse("awards:decision_record")).status_code == 403
    data = _record_post(unit("TVIEN").pk, form("CTD_TINH").pk)
    assert client.post(reverse("awards:decision_record"), data).status_code == 403
