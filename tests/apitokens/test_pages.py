"""A person creates a token from their account, sees its secret once, and revokes it; an
administrator lists and revokes everyone's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.org.factories import make_admin, make_unit, make_user
from thidua.apitokens.models import ApiToken
from thidua.audit.models import AuditEvent
from thidua.org.models import Role

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def create(client: Client, **fields: object):
    data = {
        "name": "Đồng bộ e-office",
        "access": "read",
        "expires_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        **fields,
    }
    return client.post("/accounts/tokens/", data)


def test_the_secret_is_shown_once_and_works_once_copied():
    owner = make_user(role=Role.STAFF, unit=make_unit(name="Sở Y tế tỉnh Bạc Liêu"))
    client = signed_in(owner)
    response = create(client, areas=["org"])
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(owner=owner)
    assert token.scopes == ["read:org"]
    assert secret not in client.get("/accounts/tokens/").content.decode()
    api = Client().get("/api/v1/units?q=y te", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 200
    created = AuditEvent.objects.filter(action="apitokens.api_token.created").latest("seq")
    assert created.actor == owner
    assert secret not in str(created.data)


def test_a_validity_past_the_limit_is_refused_next_to_the_field(settings):
    settings.API_TOKEN_MAX_DAYS = 30
    client = signed_in(make_user())
    too_late = (timezone.localdate() + dt.timedelta(days=31)).isoformat()
    response = create(client, expires_on=too_late)
    assert response.status_code == 400
    assert "expires_on" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_the_owner_revokes_and_the_token_stops_working():
    owner = make_user()
    client = signed_in(owner)
    secret = create(client).context["secret"]
    token = ApiToken.objects.get(owner=owner)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == owner
    assert Client().get("/api/v1/units?q=a", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == (
        401
    )
    # Revoking again changes nothing and writes no second audit row.
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert AuditEvent.objects.filter(action="apitokens.api_token.revoked").count() == 1


def test_someone_else_may_not_revoke_nor_list_every_token():
    owner, other = make_user(), make_user()
    create(signed_in(owner))
    token = ApiToken.objects.get(owner=owner)
    intruder = signed_in(other)
    assert intruder.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 403
    assert intruder.get("/accounts/tokens/all/").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
    assert token.name not in intruder.get("/accounts/tokens/").content.decode()


def test_an_administrator_lists_and_revokes_every_token():
    owner = make_user(username="ke-toan")
    create(signed_in(owner), name="Kế toán xuất báo cáo")
    admin = signed_in(make_admin())
    page = admin.get("/accounts/tokens/all/").content.decode()
    assert "Kế toán xuất báo cáo" in page and "ke-toan" in page
    token = ApiToken.objects.get(owner=owner)
    response = admin.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response["Location"] == "/accounts/tokens/all/"
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_signed_out_people_are_sent_to_sign_in():
    assert Client().get("/accounts/tokens/").status_code == 302
