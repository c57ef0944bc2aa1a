"""Several agencies on one installation: a person sees the campaigns of their own agency (and
those inside a scope held with its descendants), never another agency's.

Built on the factories: two agencies with a 2030 campaign each, not the demo year."""

from __future__ import annotations

import pytest

from tests.campaigns.factories import make_campaign
from tests.org.factories import make_unit, make_user
from thidua.campaigns.selectors import campaigns_visible
from thidua.org.models import Role, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_agencies():
    city = make_unit(code="TP-X", name="UBND thành phố X", kind=UnitKind.AGENCY)
    first = make_unit(code="SO-A", name="Sở A", kind=UnitKind.AGENCY, parent=city)
    second = make_unit(code="SO-B", name="Sở B", kind=UnitKind.AGENCY, parent=city)
    division = make_unit(code="SO-A-P1", name="Phòng 1 của Sở A", parent=first)
    return {
        "city": city,
        "first": first,
        "second": second,
        "division": division,
        "plan_a": make_campaign(agency=first, year=2030, title="Kế hoạch của Sở A"),
        "plan_b": make_campaign(agency=second, year=2030, title="Kế hoạch của Sở B"),
    }


def test_staff_of_a_division_sees_their_own_departments_campaign_only(client, two_agencies):
    staff = make_user(role=Role.STAFF, unit=two_agencies["division"])
    assert set(campaigns_visible(staff)) == {two_agencies["plan_a"]}

    client.force_login(staff)
    listing = client.get("/campaigns/").content.decode()
    assert "Kế hoạch của Sở A" in listing
    assert "Kế hoạch của Sở B" not in listing
    assert client.get(f"/campaigns/{two_agencies['plan_a'].pk}/").status_code == 200
    # Another agency's campaign is not found, so its existence is not disclosed either.
    assert client.get(f"/campaigns/{two_agencies['plan_b'].pk}/").status_code == 404


def test_secretariat_of_one_agency_does_not_see_its_sister_agency(two_agencies):
    officer = make_user(
        role=Role.SECRETARIAT, unit=two_agencies["second"], include_descendants=True
    )
    assert set(campaigns_visible(officer)) == {two_agencies["plan_b"]}


def test_a_scope_held_with_descendants_sees_the_agencies_below(two_agencies):
    city_admin = make_user(role=Role.ADMIN, unit=two_agencies["city"], include_descendants=True)
    assert set(campaigns_visible(city_admin)) == {two_agencies["plan_a"], two_agencies["plan_b"]}


def test_a_person_without_any_role_sees_no_campaign(client, two_agencies):
    nobody = make_user()
    assert not campaigns_visible(nobody).exists()
    client.force_login(nobody)
    assert client.get(f"/campaigns/{two_agencies['plan_a'].pk}/").status_code == 404
