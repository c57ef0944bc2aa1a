"""Programs call the API with a personal token: it acts as its owner within its scopes,
every change it makes names the owner and the token in the audit log, and it is refused
once expired, revoked, or outside its scopes."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.api.tokens import bearer, make_token
from tests.campaigns.factories import make_block_cycle, make_campaign
from tests.org.factories import make_unit, make_user
from thidua.apitokens.models import ApiToken
from thidua.audit.models import AuditEvent
from thidua.campaigns.models import BlockCycle
from thidua.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_agency_cycle() -> tuple[BlockCycle, object]:
    """A block's year of another agency and year than the demo's, in setup, and the
    secretariat officer of that agency."""
    agency = make_unit(name="Sở Tư pháp tỉnh Hậu Giang")
    cycle = make_block_cycle(campaign=make_campaign(agency=agency, year=2024))
    officer = make_user(role=Role.SECRETARIAT, unit=agency, include_descendants=True)
    return cycle, officer


def advance(client: Client, cycle: BlockCycle, raw: str, body: object, **headers: str):
    return client.post(
        f"/api/v1/cycles/{cycle.pk}/advance",
        data=json.dumps(body),
        content_type="application/json",
        **bearer(raw),
        **headers,
    )


def test_a_write_token_takes_a_step_in_its_owners_name_and_the_audit_names_the_token(
    other_agency_cycle,
):
    cycle, officer = other_agency_cycle
    raw = make_token(officer, access="write", areas=["campaigns"])
    response = advance(Client(), cycle, raw, {"target": "covenant_draft"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "covenant_draft"
    event = AuditEvent.objects.filter(action="campaigns.cycle.advanced").latest("seq")
    assert event.actor == officer
    token = ApiToken.objects.get(owner=officer)
    assert event.data["via"] == {"api_token": token.display_prefix}
    assert token.last_used_at is not None


def test_a_read_token_reads_but_may_not_write(other_agency_cycle):
    cycle, officer = other_agency_cycle
    raw = make_token(officer, access="read")
    client = Client()
    assert client.get(f"/api/v1/campaigns/{cycle.campaign_id}", **bearer(raw)).status_code == 200
    response = advance(client, cycle, raw, {"target": "covenant_draft"})
    assert response.status_code == 403
    assert response.json()["type"] == "urn:thidua:problem:scope-missing"
    cycle.refresh_from_db()
    assert cycle.state == "setup"


def test_a_token_limited_to_an_area_is_refused_elsewhere(other_agency_cycle):
    cycle, officer = other_agency_cycle
    raw = make_token(officer, access="write", areas=["org"])
    client = Client()
    assert client.get("/api/v1/units?q=tu phap", **bearer(raw)).status_code == 200
    response = client.get(f"/api/v1/campaigns/{cycle.campaign_id}", **bearer(raw))
    assert response.status_code == 403
    assert "read:campaigns" in response.json()["detail"]


def test_expired_revoked_and_unknown_tokens_get_401_saying_why(other_agency_cycle):
    _cycle, officer = other_agency_cycle
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    expired = make_token(officer)
    ApiToken.objects.filter(owner=officer).update(expires_on="2020-01-01")
    response = client.get("/api/v1/units?q=a", **bearer(expired))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"] == "This API token expired on 01/01/2020."

    revoked = make_token(officer)
    ApiToken.objects.filter(owner=officer, revoked_at=None).update(revoked_at="2024-01-01T00:00Z")
    assert client.get("/api/v1/units?q=a", **bearer(revoked)).json()["detail"] == (
        "This API token was revoked."
    )
    forged = revoked[:-4] + "abcd"
    assert client.get("/api/v1/units?q=a", **bearer(forged)).status_code == 401
    assert client.get("/api/v1/units?q=a", **bearer("nonsense")).status_code == 401


def test_the_secret_is_stored_hashed(other_agency_cycle):
    _cycle, officer = other_agency_cycle
    raw = make_token(officer)
    token = ApiToken.objects.get(owner=officer)
    assert raw.startswith(token.display_prefix + "_")
    assert raw not in token.digest and len(token.digest) == 64
    assert len(raw) > 40


def test_calls_beyond_the_rate_get_429_per_token(other_agency_cycle, settings):
    _cycle, officer = other_agency_cycle
    settings.API_TOKEN_RATE = "2/min"
    first, second = make_token(officer), make_token(officer)
    client = Client()
    statuses = [client.get("/api/v1/units?q=a", **bearer(first)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = client.get("/api/v1/units?q=a", **bearer(first))
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["status"] == 429
    # Another token of the same person has its own count.
    assert client.get("/api/v1/units?q=a", **bearer(second)).status_code == 200


def test_sessions_keep_working_beside_tokens(other_agency_cycle):
    _cycle, officer = other_agency_cycle
    client = Client()
    client.force_login(officer)
    assert client.get("/api/v1/units?q=a").status_code == 200
