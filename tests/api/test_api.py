"""The JSON API answers with the same permissions and rules as the pages."""

from __future__ import annotations

import json

from django.test import Client

from thidua.audit.models import AuditEvent
from thidua.campaigns.models import BlockCycle


def k2_cycle() -> BlockCycle:
    return BlockCycle.objects.get(term__block__code="K2", term__year=2021)


def test_anonymous_requests_get_401(client):
    assert client.get("/api/v1/units?q=du lich").status_code == 401


def test_unit_search_folds_diacritics_and_keeps_vietnamese_readable(login):
    response = login("mai").get("/api/v1/units?q=du lich")
    assert response.status_code == 200
    assert "Phòng Quản lý Du lịch" in response.content.decode()  # not \\u escapes
    codes = {u["code"] for u in response.json()}
    assert {"QLDL", "TTXTDL"} <= codes


def test_unit_history_lists_the_old_name(login):
    history = login("mai").get("/api/v1/units/TTXTDL/history").json()
    assert [v["name"] for v in history] == [
        "Trung tâm Thông tin Xúc tiến Du lịch",
        "Trung tâm Xúc tiến Du lịch",
    ]


def test_cycle_step_without_permission_is_403_and_leaves_no_audit(login):
    events = AuditEvent.objects.count()
    response = login("mai").post(
        f"/api/v1/cycles/{k2_cycle().pk}/advance",
        data=json.dumps({"target": "covenant_signing"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert k2_cycle().state == "covenant_draft"
    assert AuditEvent.objects.count() == events


def test_illegal_step_is_422_with_the_reason(login):
    response = login("lan").post(
        f"/api/v1/cycles/{k2_cycle().pk}/advance",
        data=json.dumps({"target": "awarded"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert k2_cycle().state == "covenant_draft"
    assert response.json()["detail"]


def k1_cycle() -> BlockCycle:
    return BlockCycle.objects.get(term__block__code="K1", term__year=2021)


def test_secretariat_marks_the_covenant_late_through_the_api_with_a_csrf_token(persona):
    client = Client(enforce_csrf_checks=True)
    client.force_login(persona("lan"))
    cycle = k1_cycle()
    without_token = client.post(
        f"/api/v1/cycles/{cycle.pk}/advance",
        data=json.dumps({"target": "covenant_late"}),
        content_type="application/json",
    )
    assert without_token.status_code == 403
    client.get("/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"/api/v1/cycles/{cycle.pk}/advance",
        data=json.dumps({"target": "covenant_late"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "covenant_late"


def test_a_covenant_step_through_the_api_is_422_and_changes_nothing(login):
    # Accepting the covenant belongs to the covenant page (its signatures, its submission).
    events = AuditEvent.objects.count()
    response = login("lan").post(
        f"/api/v1/cycles/{k1_cycle().pk}/advance",
        data=json.dumps({"target": "active"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "Bước này thực hiện tại trang giao ước thi đua: Tiếp nhận giao ước đã ký kết."
    )
    assert k1_cycle().state == "covenant_signing"
    assert AuditEvent.objects.count() == events


def test_openapi_document_lists_the_endpoints(login):
    # Signed-in people only (tests/accounts/test_headers.py checks the refusal).
    spec = login("mai").get("/api/v1/openapi.json").json()
    assert "/api/v1/cycles/{cycle_id}/advance" in spec["paths"]
    assert "/api/v1/units/{code}/history" in spec["paths"]
