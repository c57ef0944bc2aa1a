"""Security headers, the rate limit of /verify/ and the API's docs behind the login."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def test_every_answer_carries_the_policies(login: Any) -> None:
    for client, url in [(Client(), reverse("login")), (login("lan"), "/"), (Client(), "/verify/")]:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert (
            "script-src 'self'" in policy
            and "unsafe-inline" not in policy.split("style-src-attr")[0]
        )
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert "camera=()" in response["Permissions-Policy"]


def test_the_pages_scripts_are_static_files(login: Any) -> None:
    html = login("lan").get("/").content.decode()
    assert '<script src="/static/js/thidua.js"></script>' in html
    assert "onchange=" not in html and "onsubmit=" not in html


def test_verify_is_rate_limited_per_address(settings: Any) -> None:
    settings.RATE_LIMITS = {"/verify/": (5, 60)}
    client = Client()
    statuses = [client.get("/verify/", REMOTE_ADDR="203.0.113.7").status_code for _ in range(8)]
    assert statuses == [200] * 5 + [429] * 3
    refused = client.get("/verify/", REMOTE_ADDR="203.0.113.7")
    assert refused["Retry-After"] == "60"
    assert "Quá nhiều yêu cầu" in refused.content.decode()
    assert client.get("/verify/", REMOTE_ADDR="198.51.100.9").status_code == 200
    assert client.get(reverse("login"), REMOTE_ADDR="203.0.113.7").status_code == 200


def test_behind_the_proxy_the_forwarded_address_counts(settings: Any) -> None:
    settings.RATE_LIMITS = {"/verify/": (2, 60)}
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client()

    def verify(client_address: str) -> int:
        forwarded = f"6.6.6.6, {client_address}"  # the first hop is the client's own claim
        return client.get(
            "/verify/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    assert [verify("203.0.113.7") for _ in range(3)] == [200, 200, 429]
    assert verify("198.51.100.9") == 200


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_the_api_schema_and_docs_are_for_signed_in_people(login: Any, path: str) -> None:
    anonymous = Client().get(path)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("login"))
    signed_in = login("mai").get(path)
    assert signed_in.status_code == 200


def test_the_docs_page_loads_swagger_from_the_site_itself(login: Any) -> None:
    html = login("mai").get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html
