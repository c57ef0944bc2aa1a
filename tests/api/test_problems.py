"""Every error is an RFC 9457 problem in the request's language: malformed JSON, wrong
types and unknown fields name what is wrong; a refused action is 403; a broken rule is 422
with its field; nothing is written."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.api.tokens import bearer, make_token
from tests.campaigns.factories import make_block_cycle, make_campaign
from tests.org.factories import make_unit, make_user
from thidua.audit.models import AuditEvent
from thidua.campaigns.models import BlockCycle, CycleStep
from thidua.org.models import Role

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture
def cycle() -> BlockCycle:
    agency = make_unit(name="Sở Nội vụ tỉnh Sóc Trăng")
    return make_block_cycle(campaign=make_campaign(agency=agency, year=2025))


@pytest.fixture
def officer_token(cycle: BlockCycle) -> str:
    officer = make_user(role=Role.SECRETARIAT, unit=cycle.campaign.agency, include_descendants=True)
    return make_token(officer)


def post(cycle: BlockCycle, raw: str, body: str, language: str = "vi", **headers: str):
    return Client().post(
        f"/api/v1/cycles/{cycle.pk}/advance",
        data=body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
        **bearer(raw),
        **headers,
    )


def test_malformed_json_is_400_naming_the_place(cycle, officer_token):
    response = post(cycle, officer_token, '{"target": ', language="en")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == "urn:thidua:problem:malformed-json"
    assert "line 1 column 12" in problem["detail"]


def test_unknown_field_and_wrong_type_are_422_per_field_in_vietnamese(cycle, officer_token):
    response = post(cycle, officer_token, json.dumps({"target": 5, "colour": "red"}))
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "urn:thidua:problem:invalid-request"
    assert response["Content-Language"] == "vi"
    errors = {error["field"]: error["message"] for error in problem["errors"]}
    assert errors == {
        "target": "Nhập một chuỗi ký tự.",
        "colour": "Trường này không có trong hợp đồng API.",
    }


def test_the_same_error_in_english_when_the_request_asks(cycle, officer_token):
    response = post(cycle, officer_token, json.dumps({}), language="en-GB,en;q=0.8")
    assert response["Content-Language"] == "en"
    assert response.json()["errors"] == [{"field": "target", "message": "This field is required."}]


def test_a_broken_rule_is_422_with_the_field_and_changes_nothing(cycle, officer_token):
    events = AuditEvent.objects.count()
    response = post(cycle, officer_token, json.dumps({"target": "awarded"}), language="en")
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "urn:thidua:problem:rule-broken"
    assert [error["field"] for error in problem["errors"]] == ["target"]
    assert problem["detail"]
    cycle.refresh_from_db()
    assert cycle.state == "setup"
    assert AuditEvent.objects.count() == events


def test_a_refused_action_is_403(cycle):
    stranger = make_user()
    response = post(cycle, make_token(stranger), json.dumps({"target": "covenant_draft"}))
    assert response.status_code == 403
    assert response.json()["type"] == "urn:thidua:problem:forbidden"


def test_a_missing_object_is_a_404_problem(officer_token):
    response = Client().get("/api/v1/units/NO-SUCH-UNIT/history", **bearer(officer_token))
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


def test_no_credentials_is_a_401_problem():
    response = Client().get("/api/v1/units?q=a")
    assert response.status_code == 401
    assert response.json()["type"] == "urn:thidua:problem:unauthenticated"


def test_a_repeated_write_with_the_same_idempotency_key_changes_nothing(cycle, officer_token):
    body = json.dumps({"target": "covenant_draft"})
    first = post(cycle, officer_token, body, HTTP_IDEMPOTENCY_KEY="step-1")
    again = post(cycle, officer_token, body, HTTP_IDEMPOTENCY_KEY="step-1")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert CycleStep.objects.filter(cycle=cycle).count() == 1
    # Without the key the repeat is a new request, which the state machine refuses.
    assert post(cycle, officer_token, body).status_code == 422


def test_an_idempotency_key_reused_for_another_request_is_refused(cycle, officer_token):
    post(cycle, officer_token, json.dumps({"target": "covenant_draft"}), HTTP_IDEMPOTENCY_KEY="k")
    other = post(cycle, officer_token, json.dumps({"target": "revoked"}), HTTP_IDEMPOTENCY_KEY="k")
    assert other.status_code == 422
    assert other.json()["type"] == "urn:thidua:problem:idempotency-key-reused"
    cycle.refresh_from_db()
    assert cycle.state == "covenant_draft"


def test_a_refused_write_does_not_use_up_its_key(cycle, officer_token):
    refused = post(
        cycle, officer_token, json.dumps({"target": "awarded"}), HTTP_IDEMPOTENCY_KEY="x"
    )
    assert refused.status_code == 422
    # Same key, same body: still a new attempt (nothing was stored), still refused by the rule.
    again = post(cycle, officer_token, json.dumps({"target": "awarded"}), HTTP_IDEMPOTENCY_KEY="x")
    assert again.status_code == 422
    assert again.json()["type"] == "urn:thidua:problem:rule-broken"


def test_numbers_past_what_the_database_holds_are_4xx_not_500(officer_token):
    client = Client()
    for path, status in (
        ("/api/v1/campaigns/99999999999999999999", 404),
        ("/api/v1/cycles?offset=1" + "0" * 25, 422),
    ):
        response = client.get(path, **bearer(officer_token))
        assert response.status_code == status, path
        assert response["Content-Type"] == PROBLEM
