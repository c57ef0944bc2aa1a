"""Opening the blocks' years from the pages: every block of the agency with a term for the
campaign's year joins it in one action, a term made later joins from its own page, and the
API does the same. Built on the factories (an agency's 2024 campaign), not the demo year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.campaigns.factories import make_campaign
from tests.org.factories import make_admin, make_block, make_block_term, make_unit, make_user
from tests.org.helpers import nothing_written, text
from thidua.campaigns import services
from thidua.campaigns.models import BlockCycle
from thidua.org.models import Role
from thidua.org.services.units import unit_archive

YEAR = 2024


@pytest.fixture
def en_client(client, settings):
    """The test client with English chosen in the language switcher."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def agency(db):
    return make_unit(code="SO-MOI", name="Sở Mới")


@pytest.fixture
def secretariat(agency):
    return make_user(role=Role.SECRETARIAT, unit=agency, include_descendants=True)


def _block_with_term(agency, code, year=YEAR):
    return make_block_term(block=make_block(agency=agency, code=code), year=year)


def test_one_action_opens_every_block_with_a_term_and_says_why_others_wait(agency, secretariat):
    campaign = make_campaign(agency=agency, year=YEAR)
    k1 = _block_with_term(agency, "K1")
    k2 = _block_with_term(agency, "K2")
    gone = _block_with_term(agency, "K3")
    unit_archive(actor=make_admin(), unit=gone.leader, on=dt.date(YEAR, 2, 1))
    bare = make_block(agency=agency, code="K4")

    result = services.block_cycles_open(actor=secretariat, campaign=campaign)

    assert {c.term for c in result.opened} == {k1, k2}
    assert all(c.state == "setup" and c.campaign == campaign for c in result.opened)
    reasons = {r.block.code: r.problem for r in result.refused}
    assert "has no term for 2024" in reasons["K4"]
    assert "has been closed" in reasons["K3"]
    assert not BlockCycle.objects.filter(term__block__in=[bare, gone.block]).exists()

    with nothing_written():
        again = services.block_cycles_open(actor=secretariat, campaign=campaign)
    assert again.opened == [] and {c.term for c in again.already} == {k1, k2}


def test_a_leader_no_longer_member_is_refused_with_its_name(agency, secretariat):
    campaign = make_campaign(agency=agency, year=YEAR)
    term = _block_with_term(agency, "K1")
    term.memberships.filter(unit=term.leader).delete()  # left the block by another path

    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.block_cycle_open(actor=secretariat, campaign=campaign, term=term)

    assert f"“{term.leader}”, is no longer a member of the block" in text(refused.value)


def test_blocks_of_another_agency_or_year_are_not_opened(agency, secretariat):
    campaign = make_campaign(agency=agency, year=YEAR)
    _block_with_term(agency, "K1", year=YEAR - 1)
    other = make_unit()
    _block_with_term(other, "K1")

    result = services.block_cycles_open(actor=secretariat, campaign=campaign)

    assert result.opened == []
    assert [r.block.code for r in result.refused] == ["K1"]


def test_campaign_page_lists_the_blocks_and_opens_them(en_client, agency, secretariat):
    campaign = make_campaign(agency=agency, year=YEAR)
    term = _block_with_term(agency, "K1")
    make_block(agency=agency, code="K2", name="Khối không có năm")
    en_client.force_login(secretariat)

    page = en_client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "Khối không có năm has no term for 2024" in page
    assert "Open the year 2024 of every block" in page

    response = en_client.post(f"/campaigns/{campaign.pk}/cycles/open/", follow=True)

    assert BlockCycle.objects.get(term=term).campaign == campaign
    shown = response.content.decode()
    assert "Opened the year of 1 blocks" in shown
    assert "Khối không có năm has no term for 2024" in shown


def test_a_term_made_after_the_campaign_joins_from_its_page(en_client, agency, secretariat):
    campaign = make_campaign(agency=agency, year=YEAR)
    term = _block_with_term(agency, "K9")
    en_client.force_login(secretariat)

    page = en_client.get(f"/blocks/terms/{term.pk}/").content.decode()
    assert "Join the campaign of 2024" in page
    en_client.post(f"/blocks/terms/{term.pk}/open-year/")

    assert BlockCycle.objects.get(term=term).campaign == campaign


def test_a_term_without_a_campaign_is_told_to_make_the_plan_first(en_client, agency, secretariat):
    term = _block_with_term(agency, "K9", year=YEAR + 1)
    en_client.force_login(secretariat)

    response = en_client.post(f"/blocks/terms/{term.pk}/open-year/", follow=True)

    assert "has no campaign for 2025 yet" in response.content.decode()
    assert not BlockCycle.objects.filter(term=term).exists()


def test_staff_cannot_open_the_years(en_client, agency):
    campaign = make_campaign(agency=agency, year=YEAR)
    _block_with_term(agency, "K1")
    en_client.force_login(make_user(role=Role.STAFF, unit=agency))

    assert en_client.post(f"/campaigns/{campaign.pk}/cycles/open/").status_code == 403
    assert en_client.post(f"/api/v1/campaigns/{campaign.pk}/cycles/open").status_code == 403
    assert (
        not BlockCycle.objects.exists() or not BlockCycle.objects.filter(campaign=campaign).exists()
    )


def test_api_opens_the_years_and_lists_refusals(en_client, agency, secretariat):
    campaign = make_campaign(agency=agency, year=YEAR)
    term = _block_with_term(agency, "K1")
    make_block(agency=agency, code="K2")
    en_client.force_login(secretariat)

    response = en_client.post(f"/api/v1/campaigns/{campaign.pk}/cycles/open")

    assert response.status_code == 200
    body = response.json()
    assert [c["block"] for c in body["opened"]] == ["K1"]
    assert body["opened"][0]["year"] == YEAR
    assert body["refused"][0]["block"] == "K2"
    assert "has no term for 2024" in body["refused"][0]["reason"]
    assert BlockCycle.objects.get(term=term).state == "setup"
    again = en_client.post(f"/api/v1/campaigns/{campaign.pk}/cycles/open").json()
    assert again["opened"] == [] and [c["block"] for c in again["already_open"]] == ["K1"]
