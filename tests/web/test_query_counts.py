"""The dashboard and the organisation tree cost the same number of queries whether the
agency has twenty units or two thousand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thidua.campaigns.models import BlockCycle, Campaign
from thidua.lib.text import fold
from thidua.org.models import (
    Block,
    BlockMembership,
    BlockTerm,
    Unit,
    UnitKind,
    UnitStatus,
    UnitVersion,
)


def grow_agency(total_units: int) -> None:
    """Add units (in blocks of 20 taking part in the 2021 campaign) until there are
    `total_units` units under the demo agency."""
    agency = Unit.objects.get(code="SVHTTDL")
    campaign = Campaign.objects.get(agency=agency, year=2021)
    existing = Unit.objects.filter(path__startswith=agency.path).count()
    new = [
        Unit(
            code=f"X{i:05d}",
            name=f"Đơn vị thử {i}",
            kind=UnitKind.SERVICE_UNIT,
            parent=agency,
            path="",
            search_text=fold(f"X{i:05d} Đơn vị thử {i}"),
        )
        for i in range(total_units - existing)
    ]
    Unit.objects.bulk_create(new, batch_size=500)
    created = list(Unit.objects.filter(code__startswith="X").order_by("code"))
    for unit in created:
        unit.path = f"{agency.path}{unit.pk}/"
    Unit.objects.bulk_update(created, ["path"], batch_size=500)
    UnitVersion.objects.bulk_create(
        UnitVersion(
            unit=u,
            valid_from=dt.date(2020, 1, 1),
            name=u.name,
            parent=agency,
            status=UnitStatus.ACTIVE,
        )
        for u in created
    )
    for index in range(0, len(created) - 19, 20):
        members = created[index : index + 20]
        block = Block.objects.create(agency=agency, code=f"XB{index}", name=f"Khối {index}")
        term = BlockTerm.objects.create(
            block=block, year=2021, leader=members[0], deputy=members[1]
        )
        BlockMembership.objects.bulk_create(
            BlockMembership(term=term, unit=u, agency=agency, year=2021) for u in members
        )
        BlockCycle.objects.create(campaign=campaign, term=term)


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/", "/org/", "/org/?on=2021-11-15"])
@pytest.mark.parametrize("username", ["lan", "minh"])
def test_page_query_count_does_not_grow_with_units(login, url, username):
    client = login(username)
    client.get(url)  # warm caches that are per process, not per unit
    small = queries_for(client, url)
    grow_agency(2000)
    assert Unit.objects.count() >= 2000
    large = queries_for(client, url)
    units = Unit.objects.count()
    print(f"\nQUERIES {username} {url}: {small} with the demo, {large} with {units} units")
    assert large == small, f"{url}: {small} queries with ~20 units, {large} with 2,000"
