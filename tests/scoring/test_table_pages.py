"""The scoring table pages through the test client: the tree, the formula field with the
error's position, the "try it" box, freeze and new version, copy, bands, and refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from thidua.scoring.demo import DEMO_NAME, load_demo_scoring
from thidua.scoring.engine import Kind
from thidua.scoring.models import ScoringTable
from thidua.scoring.services import tables as table_services

from .helpers import block, campaign, cycle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client: Client) -> None:
    # Pages speak English here so the assertions survive the Vietnamese catalogue; the
    # Vietnamese page is checked on its own below.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def demo_table() -> ScoringTable:
    table = load_demo_scoring()
    assert table is not None
    return table


def test_the_leader_starts_the_table_from_the_block_cycle(login) -> None:
    client = login("minh")
    url = reverse("scoring_for_cycle", args=[cycle("K1").pk])
    page = client.get(url)
    assert page.status_code == 200 and b"start-table" in page.content
    response = client.post(url)
    table = ScoringTable.objects.get(block=block("K1"))
    assert response.url == reverse("scoring_table", args=[table.pk])
    assert client.get(url).url == reverse("scoring_table", args=[table.pk])


def test_a_member_without_a_table_is_told_to_wait(login) -> None:
    client = login("tuan")
    page = client.get(reverse("scoring_for_cycle", args=[cycle("K1").pk]))
    assert b"start-table" not in page.content
    client.post(reverse("scoring_for_cycle", args=[cycle("K1").pk]))
    assert not ScoringTable.objects.exists()


def test_the_tree_page_in_vietnamese_shows_maxima_sums_and_bands(login, client, demo_table) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    with translation.override("vi"):
        html = login("minh").get(reverse("scoring_table", args=[demo_table.pk])).content.decode()
    assert 'lang="vi"' in html
    assert DEMO_NAME in html
    assert "Xuất sắc" in html and "Đề nghị tặng Cờ thi đua của UBND thành phố" in html
    assert "min(max_points, max_points * value / best_value)" in html
    assert 'id="table-maximum"' in html
    leaves = demo_table.items.exclude(kind__in=[Kind.SECTION, Kind.BONUS, Kind.PENALTY]).count()
    # Every criterion's 10 points plus the bonus section's cap.
    assert f'id="table-maximum">{leaves * 10 + 10}<' in html


def test_a_member_may_read_but_not_edit(login, demo_table) -> None:
    client = login("tuan")
    html = client.get(reverse("scoring_table", args=[demo_table.pk])).content.decode()
    assert reverse("scoring_item_add", args=[demo_table.pk]) not in html
    assert client.get(reverse("scoring_item_add", args=[demo_table.pk])).status_code == 403
    item = demo_table.items.exclude(kind=Kind.SECTION).first()
    assert client.post(reverse("scoring_item_delete", args=[item.pk])).status_code == 403
    assert client.post(reverse("scoring_table_freeze", args=[demo_table.pk])).status_code == 403


def test_the_leader_of_another_block_cannot_open_the_edit_pages(login, persona, demo_table) -> None:
    k2 = table_services.table_create(actor=persona("lan"), campaign=campaign(), block=block("K2"))
    client = login("minh")
    assert client.get(reverse("scoring_item_add", args=[k2.pk])).status_code == 403
    assert client.get(reverse("scoring_table", args=[k2.pk])).status_code == 403


def test_a_bad_formula_shows_where_it_goes_wrong(login, demo_table) -> None:
    item = demo_table.items.filter(kind=Kind.QUANTITATIVE).first()
    saved = item.formula
    client = login("minh")
    url = reverse("scoring_item_edit", args=[item.pk])
    assert client.get(url).status_code == 200
    data = {
        "parent": item.parent_id,
        "code": item.code,
        "text": item.text,
        "kind": Kind.QUANTITATIVE,
        "max_points": "10",
        "formula": "min(max_points, max_points * value / best_value",
    }
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Missing closing parenthesis at position 48" in html
    assert 'id="formula-marker"' in html and "<mark" in html
    item.refresh_from_db()
    assert item.formula == saved
    data["formula"] = "if(value >= 90, max_points, max_points / 2)"
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.formula == data["formula"]


def test_try_it_computes_a_leaf_for_sample_values(login, demo_table) -> None:
    item = demo_table.items.get(criterion__indicator="staff_share_rated_at_least")
    item.formula = "max_points * value / best_value"  # uncapped: the engine keeps it in
    item.save()
    client = login("tuan")  # members may try the rules they are scored by
    url = reverse("scoring_item_try", args=[item.pk])
    html = client.post(url, {"value": "90", "best_value": "100"}).content.decode()
    assert "Points: 9.00" in html
    html = client.post(url, {"value": "120", "best_value": "100"}).content.decode()
    assert "Points: 10.00" in html and "kept within the maximum" in html
    html = client.post(url, {"value": "90", "best_value": "0"}).content.decode()
    assert "Cannot compute" in html and "Division by zero" in html
    html = client.post(url, {"best_value": "100"}).content.decode()
    assert "Cannot compute" in html and "“value”" in html


def test_freeze_then_edit_in_a_new_version(login, demo_table) -> None:
    client = login("minh")
    client.post(reverse("scoring_table_freeze", args=[demo_table.pk]))
    demo_table.refresh_from_db()
    assert demo_table.status == ScoringTable.Status.FROZEN
    html = client.get(reverse("scoring_table", args=[demo_table.pk])).content.decode()
    assert reverse("scoring_item_add", args=[demo_table.pk]) not in html
    response = client.post(reverse("scoring_new_version", args=[demo_table.pk]))
    new = ScoringTable.objects.get(copied_from=demo_table)
    assert response.url == reverse("scoring_table", args=[new.pk]) and new.version == 2
    html = client.get(response.url).content.decode()
    assert 'id="copied-from"' in html


def test_add_an_item_and_a_band_through_the_pages(login, demo_table) -> None:
    client = login("minh")
    section = demo_table.items.get(code="1")
    add = reverse("scoring_item_add", args=[demo_table.pk]) + f"?parent={section.pk}"
    assert client.get(add).status_code == 200
    response = client.post(
        add,
        {
            "parent": section.pk,
            "code": "1.9",
            "text": "Sáng kiến được công nhận",
            "kind": Kind.PER_OCCURRENCE,
            "max_points": "6",
            "points_per_occurrence": "2",
        },
    )
    assert response.status_code == 302
    assert demo_table.items.get(code="1.9").parent == section
    response = client.post(
        reverse("scoring_band_add", args=[demo_table.pk]),
        {"name": "Hoàn thành", "min_total": "40"},
    )
    assert response.status_code == 302
    assert demo_table.bands.filter(name="Hoàn thành").exists()


def test_copy_page(login, persona, demo_table) -> None:
    client = login("lan")
    url = reverse("scoring_copy", args=[cycle("K2").pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"source": demo_table.pk})
    copy = ScoringTable.objects.get(block=block("K2"))
    assert response.url == reverse("scoring_table", args=[copy.pk])
    assert copy.copied_from == demo_table
    assert login("minh").get(url).status_code == 403


def test_the_demo_table_loads_once_and_scores(demo_table) -> None:
    assert load_demo_scoring().pk == demo_table.pk
    assert demo_table.is_draft and demo_table.bands.count() == 3
    assert not table_services.freeze_problems(demo_table)
    penalty = demo_table.items.get(kind=Kind.PENALTY)
    assert penalty.points_per_occurrence == Decimal(2) and penalty.parent.cap == 10


def test_the_dashboard_links_each_block_card_to_its_scoring_table(login) -> None:
    html = login("minh").get(reverse("dashboard")).content.decode()
    assert reverse("scoring_for_cycle", args=[cycle("K1").pk]) in html


def test_the_tree_page_needs_the_same_queries_however_many_items(login, persona, demo_table):
    client = login("minh")
    url = reverse("scoring_table", args=[demo_table.pk])
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    section = demo_table.items.get(code="1")
    for n in range(15):
        table_services.item_add(
            actor=persona("minh"),
            table=demo_table,
            parent=section,
            data=table_services.ItemInput(
                code=f"1.{50 + n}",
                text="Thêm",
                kind=Kind.QUANTITATIVE,
                max_points=Decimal(1),
                formula="max_points * value / best_value",
            ),
        )
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before)


def test_the_formula_is_checked_as_it_is_typed(login) -> None:
    client = login("minh")
    url = reverse("scoring_formula_check")
    html = client.get(url, {"formula": "max_points * valeu"}).content.decode()
    assert "Unknown variable “valeu” at position 14" in html
    assert "max_points * <mark" in html
    assert "The formula is valid." in client.get(url, {"formula": "value / 2"}).content.decode()
