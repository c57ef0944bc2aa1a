"""The covenant pages: start, edit, circulate, sign and return; in Vietnamese by default."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from thidua.covenants import services
from thidua.covenants.models import Covenant, Signature

from .helpers import PASSWORD, cycle, heads


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def test_the_dashboard_links_each_block_card_to_its_covenant(login):
    html = login("minh").get(reverse("dashboard")).content.decode()
    assert reverse("covenant_for_cycle", args=[cycle("K1").pk]) in html


def test_the_leader_starts_edits_and_circulates_from_the_pages(login):
    client = login("minh")
    start = reverse("covenant_for_cycle", args=[cycle("K1").pk])
    assert client.get(start).status_code == 200
    response = client.post(start)
    covenant = Covenant.objects.get(term__block__code="K1")
    assert response.url == reverse("covenant_edit", args=[covenant.pk])
    assert client.post(start).url == reverse("covenant_detail", args=[covenant.pk])
    item = covenant.items.order_by("order").first()
    data = {f"target_{i.pk}": i.target for i in covenant.items.all()}
    data.update({f"target_{item.pk}": "Chỉ tiêu mới", "commitments": "Cam kết chung"})
    assert client.post(reverse("covenant_edit", args=[covenant.pk]), data).status_code == 302
    item.refresh_from_db()
    assert item.target == "Chỉ tiêu mới"
    client.post(reverse("covenant_circulate", args=[covenant.pk]))
    page = client.get(reverse("covenant_detail", args=[covenant.pk])).content.decode()
    assert "Chỉ tiêu mới" in page and "Cam kết chung" in page


def test_a_member_head_signs_with_the_password_and_a_wrong_one_is_refused(login, persona):
    covenant = services.covenant_start(actor=persona("minh"), cycle=cycle("K1"))
    services.covenant_circulate(actor=persona("minh"), covenant=covenant)
    heads("K1", PASSWORD)
    client = login("tuan")
    url = reverse("covenant_sign", args=[covenant.pk])
    unit = covenant.term.memberships.get(unit__code="QLDL").unit
    refused = client.post(url, {"unit": unit.pk, "password": "sai"})
    assert refused.status_code == 400 and not Signature.objects.exists()
    done = client.post(url, {"unit": unit.pk, "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    assert done.status_code == 302
    assert Signature.objects.get().ip_address == "10.1.2.3"


def test_staff_cannot_open_the_sign_page(login, persona):
    covenant = services.covenant_start(actor=persona("minh"), cycle=cycle("K1"))
    services.covenant_circulate(actor=persona("minh"), covenant=covenant)
    assert login("mai").get(reverse("covenant_sign", args=[covenant.pk])).status_code == 403
    assert login("tuan").get(reverse("covenant_edit", args=[covenant.pk])).status_code == 403


def test_a_member_returns_with_a_reason(login, persona):
    covenant = services.covenant_start(actor=persona("minh"), cycle=cycle("K1"))
    services.covenant_circulate(actor=persona("minh"), covenant=covenant)
    unit = covenant.term.memberships.get(unit__code="QLDL").unit
    response = login("tuan").post(
        reverse("covenant_member_return", args=[covenant.pk]),
        {"unit": unit.pk, "reason": "Mục 1.2 cần sửa"},
    )
    assert response.status_code == 302
    page = login("minh").get(reverse("covenant_detail", args=[covenant.pk])).content.decode()
    assert "Mục 1.2 cần sửa" in page
