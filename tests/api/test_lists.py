"""List endpoints page through a stable order, filter by year, agency, block and unit, and
their query count does not grow with the page size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.api.tokens import bearer, make_token
from tests.campaigns.factories import make_block_cycle, make_campaign
from tests.org.factories import make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_agencies():
    """Two agencies of another province, each with a plan and blocks' years in 2024."""
    cycles = {}
    for code in ("STP-HG", "SYT-BL"):
        agency = make_unit(code=code, name=f"Sở {code}")
        campaign = make_campaign(agency=agency, year=2024)
        cycles[code] = [make_block_cycle(campaign=campaign) for _ in range(3)]
    make_campaign(agency=agency, year=2025)
    return cycles


def get(path: str, raw: str) -> dict:
    response = Client().get(path, **bearer(raw))
    assert response.status_code == 200, response.content
    return response.json()


def test_cycles_filter_by_agency_year_block_and_unit(two_agencies):
    raw = make_token(make_user(), access="read")
    listed = get("/api/v1/cycles?agency=STP-HG&year=2024", raw)
    assert listed["count"] == 3
    assert {item["agency"] for item in listed["items"]} == {"STP-HG"}
    chosen = two_agencies["SYT-BL"][1]
    block = chosen.term.block.code
    assert [c["id"] for c in get(f"/api/v1/cycles?block={block}", raw)["items"]] == [chosen.pk]
    member = chosen.term.memberships.first().unit.code
    by_unit = get(f"/api/v1/cycles?unit={member}", raw)["items"]
    assert [c["id"] for c in by_unit] == [chosen.pk]
    assert member in by_unit[0]["members"]
    assert get("/api/v1/cycles?year=2023", raw)["count"] == 0


def test_pages_follow_a_stable_order_without_gaps(two_agencies):
    raw = make_token(make_user(), access="read")
    everything = get("/api/v1/cycles?year=2024&limit=100", raw)["items"]
    paged = [
        item
        for offset in range(0, 6, 2)
        for item in get(f"/api/v1/cycles?year=2024&limit=2&offset={offset}", raw)["items"]
    ]
    assert [c["id"] for c in paged] == [c["id"] for c in everything]
    assert len(everything) == 6
    assert [(c["agency"], c["block"]) for c in everything] == sorted(
        (c["agency"], c["block"]) for c in everything
    )


def test_campaigns_and_blocks_filter_by_agency_and_year(two_agencies):
    raw = make_token(make_user(), access="read")
    plans = get("/api/v1/campaigns?agency=SYT-BL", raw)["items"]
    assert [(p["year"], p["agency"]) for p in plans] == [(2025, "SYT-BL"), (2024, "SYT-BL")]
    blocks = get("/api/v1/blocks?agency=STP-HG&year=2024", raw)
    assert blocks["count"] == 3
    assert get("/api/v1/blocks?agency=STP-HG&year=2025", raw)["count"] == 0


def test_the_query_count_does_not_grow_with_the_page_size(two_agencies):
    client = Client()
    client.force_login(make_user())

    def queries(path: str) -> int:
        client.get(path)  # the session and the user are loaded once per request alike
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    for path in ("/api/v1/cycles?year=2024", "/api/v1/campaigns", "/api/v1/blocks"):
        assert queries(f"{path}{'&' if '?' in path else '?'}limit=1") == queries(
            f"{path}{'&' if '?' in path else '?'}limit=50"
        ), path
