"""The signing board of a campaign's covenants, accepting and sending back from the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from thidua.campaigns.models import Campaign
from thidua.covenants import services
from thidua.covenants.models import Covenant

from .helpers import PASSWORD, cycle, heads


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def test_the_board_shows_signatures_and_the_secretariat_accepts(login, persona):
    minh = persona("minh")
    covenant = services.covenant_start(actor=minh, cycle=cycle("K1"))
    services.covenant_circulate(actor=minh, covenant=covenant)
    for code, user in heads("K1", PASSWORD).items():
        services.covenant_sign(
            actor=user,
            covenant=covenant,
            unit=covenant.term.memberships.get(unit__code=code).unit,
            password=PASSWORD,
        )
    campaign = Campaign.objects.get(year=2021)
    board = login("lan").get(reverse("covenant_board", args=[campaign.pk])).content.decode()
    assert "7/7" in board and "0/7" in board
    assert "Bảng theo dõi ký giao ước" in board and "còn 1 ngày" in board.lower()
    assert login("mai").get(reverse("covenant_board", args=[campaign.pk])).status_code == 403
    client = login("minh")
    client.post(reverse("covenant_submit", args=[covenant.pk]))
    client.post(reverse("covenant_submit", args=[covenant.pk]))
    client = login("lan")
    client.post(reverse("covenant_accept", args=[covenant.pk]))
    assert Covenant.objects.get(pk=covenant.pk).status == Covenant.Status.ACCEPTED
    assert cycle("K1").state == "active"
    # The accepted text offers no edit to anyone.
    page = login("minh").get(reverse("covenant_detail", args=[covenant.pk])).content.decode()
    assert reverse("covenant_edit", args=[covenant.pk]) not in page
    assert (
        login("minh")
        .post(reverse("covenant_edit", args=[covenant.pk]), {"commitments": "x"})
        .status_code
        == 400
    )


def test_the_secretariat_sends_a_covenant_back_from_its_page(login, persona):
    minh = persona("minh")
    covenant = services.covenant_start(actor=minh, cycle=cycle("K1"))
    services.covenant_circulate(actor=minh, covenant=covenant)
    for code, user in heads("K1", PASSWORD).items():
        services.covenant_sign(
            actor=user,
            covenant=covenant,
            unit=covenant.term.memberships.get(unit__code=code).unit,
            password=PASSWORD,
        )
    services.covenant_submit(actor=minh, covenant=covenant)
    url = reverse("covenant_send_back", args=[covenant.pk])
    assert login("tuan").get(url).status_code == 403
    assert login("lan").post(url, {"reason": "Thiếu chữ ký số"}).status_code == 302
    assert Covenant.objects.get(pk=covenant.pk).status == Covenant.Status.DRAFT
