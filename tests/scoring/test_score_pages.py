"""The score pages through the test client: the self-score form, the verification matrix
and form, lock and publish, the published ranking opened down to its inputs, refusals, and
a matrix whose query count does not grow with units or items."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thidua.org.models import BlockTerm
from thidua.reports.models import Period
from thidua.scoring.models import (
    PeerScore,
    RankingSnapshot,
    ScoreEntry,
    ScoreSheet,
    ScoringRound,
)
from thidua.scoring.services import rankings, self_scores, verification

from .scores_helpers import all_points, leader, open_round, self_and_verify, unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _matrix(round_: ScoringRound) -> str:
    return reverse("scoring_matrix", args=[round_.table_id, round_.period])


def test_the_leader_opens_the_round_and_a_member_cannot(login) -> None:
    table = open_round().table
    ScoringRound.objects.all().delete()
    url = reverse("scoring_matrix", args=[table.pk, Period.MIDYEAR])
    assert login("tuan").get(url).status_code == 403
    client = login("minh")
    assert b"open-round" in client.get(url).content
    client.post(url)
    assert ScoringRound.objects.filter(table=table, period=Period.MIDYEAR).exists()


def test_the_unit_head_self_scores_through_the_form_and_sees_max_and_evidence(login) -> None:
    round_ = open_round()
    client = login("tuan")
    # The head lands on their own unit's form, not on the matrix.
    url = reverse("scoring_self", args=[round_.pk, unit("QLDL").pk])
    assert client.get(_matrix(round_)).url == url
    page = client.get(url).content.decode()
    assert "self-score-form" in page and "required" in page and "10.00" in page
    response = client.post(url, {"points-2.1": "9,5", "points-1.3": "10", "note-2.1": "Đạt"})
    assert response.status_code == 302
    entry = ScoreEntry.objects.get(sheet__unit=unit("QLDL"), item__code="2.1")
    assert entry.self_points == Decimal("9.5") and entry.self_note == "Đạt"
    page = client.get(url).content.decode()
    assert "1.3: evidence is required but none was submitted." in page


def test_a_bad_self_score_is_shown_and_nothing_is_saved(login) -> None:
    round_ = open_round()
    client = login("tuan")
    url = reverse("scoring_self", args=[round_.pk, unit("QLDL").pk])
    response = client.post(url, {"points-2.1": "12", "points-2.2": "5"})
    assert response.status_code == 400
    assert "2.1: the points must be between 0 and 10.00." in response.content.decode()
    assert not ScoreEntry.objects.exists()
    response = client.post(url, {"points-2.1": "abc"})
    assert "Not a number: 2.1." in response.content.decode()
    # Another unit's form is refused.
    assert client.get(reverse("scoring_self", args=[round_.pk, unit("TTVH").pk])).status_code == 403


def test_the_matrix_shows_self_and_verified_side_by_side_with_rank_and_band(login) -> None:
    round_ = open_round()
    points = all_points(round_)
    self_and_verify(round_, "QLDL", points)
    verification.verify(
        actor=leader(),
        round_=round_,
        unit=unit("QLDL"),
        points={"2.1": Decimal(6)},
        reasons={"2.1": "Thiếu minh chứng"},
    )
    page = login("minh").get(_matrix(round_)).content.decode()
    assert "score-matrix" in page
    assert "10.00 / 6.00" in page and 'title="Thiếu minh chứng"' in page
    assert "Xuất sắc" in page
    # minh leads the block but heads QLVHGD: no verify link for his own unit.
    assert reverse("scoring_verify", args=[round_.pk, unit("QLDL").pk]) in page
    assert reverse("scoring_verify", args=[round_.pk, unit("QLVHGD").pk]) not in page


def test_the_verification_form_requires_a_reason_for_a_change(login) -> None:
    round_ = open_round()
    self_scores.self_score(
        actor=unit_head("tuan"), round_=round_, unit=unit("QLDL"), points={"2.1": Decimal(10)}
    )
    client = login("minh")
    url = reverse("scoring_verify", args=[round_.pk, unit("QLDL").pk])
    response = client.post(url, {"verified-2.1": "7"})
    assert response.status_code == 400
    assert "Give the reason for every changed score: 2.1." in response.content.decode()
    assert client.post(url, {"verified-2.1": "7", "reason-2.1": "Chưa đủ"}).status_code == 302
    assert ScoreEntry.objects.get(item__code="2.1").verified_points == Decimal(7)
    own = reverse("scoring_verify", args=[round_.pk, unit("QLVHGD").pk])
    assert client.get(own).status_code == 403


def unit_head(name: str):  # type: ignore[no-untyped-def]
    from thidua.org.models import User

    return User.objects.get(username=name)


def test_lock_publish_and_open_the_ranking_down_to_its_inputs(login) -> None:
    round_ = open_round()
    self_and_verify(round_, "QLDL", all_points(round_))
    verification.verify(
        actor=leader(),
        round_=round_,
        unit=unit("QLDL"),
        points={"2.1": Decimal(6)},
        reasons={"2.1": "Thiếu minh chứng"},
    )
    client = login("minh")
    client.post(reverse("scoring_round_lock", args=[round_.pk]))
    response = client.post(reverse("scoring_publish", args=[round_.pk]))
    snapshot = RankingSnapshot.objects.get()
    assert response.url == reverse("scoring_snapshot", args=[snapshot.pk])
    page = login("tuan").get(response.url).content.decode()
    assert snapshot.sha256 in page
    assert "inputs-QLDL" in page and "Thiếu minh chứng" in page
    assert "min(max_points, max_points * value / best_value)" in page
    # A correction without a reason is refused; with one it says what changed.
    client = login("minh")
    rankings.correct(
        actor=leader(),
        round_=round_,
        unit=unit("QLDL"),
        code="2.1",
        points=Decimal(9),
        reason="Đã bổ sung minh chứng",
    )
    client.post(reverse("scoring_publish", args=[round_.pk]), {"reason": ""})
    assert RankingSnapshot.objects.count() == 1
    response = client.post(
        reverse("scoring_publish", args=[round_.pk]), {"reason": "Đã bổ sung minh chứng"}
    )
    page = client.get(response.url).content.decode()
    assert "corrects ranking #1" in page and "Đã bổ sung minh chứng" in page


def _fill_everyone(round_: ScoringRound) -> None:
    """Every member unit has a sheet with a verified score for every leaf, and the leader's
    and the deputy's peer scores of every leaf (straight rows: the services are tested
    elsewhere; this is about the page's queries)."""
    self_scores.self_score(
        actor=unit_head("tuan"), round_=round_, unit=unit("QLDL"), points={"2.1": Decimal(1)}
    )  # freezes the table
    leaves = list(round_.table.items.exclude(kind="section"))
    term = BlockTerm.objects.get(block=round_.table.block, year=round_.table.campaign.year)
    for membership in term.memberships.all():
        sheet, _ = ScoreSheet.objects.get_or_create(round=round_, unit_id=membership.unit_id)
        ScoreEntry.objects.filter(sheet=sheet).delete()
        ScoreEntry.objects.bulk_create(
            ScoreEntry(sheet=sheet, item=i, self_points=0, verified_points=0) for i in leaves
        )
        PeerScore.objects.filter(sheet=sheet).delete()
        PeerScore.objects.bulk_create(
            PeerScore(sheet=sheet, item=i, scorer_id=scorer, points=0)
            for i in leaves
            for scorer in (term.leader_id, term.deputy_id)
            if scorer is not None and scorer != membership.unit_id
        )


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_matrix_query_count_does_not_grow_with_units_or_items(login) -> None:
    round_ = open_round()
    client = login("minh")
    _fill_everyone(round_)
    large = _count(client, _matrix(round_))
    # Fewer units and fewer items: the same number of queries.
    term = BlockTerm.objects.get(block=round_.table.block, year=round_.table.campaign.year)
    drop_units = list(term.memberships.exclude(unit__code__in=["QLDL", "QLVHGD"]))[:3]
    ScoreSheet.objects.filter(unit_id__in=[m.unit_id for m in drop_units]).delete()
    for membership in drop_units:
        membership.delete()
    section = round_.table.items.get(code="4")
    ScoreEntry.objects.filter(item__parent=section).delete()
    PeerScore.objects.filter(item__parent=section).delete()
    section.delete()
    small = _count(client, _matrix(round_))
    assert small == large
    page = client.get(_matrix(round_)).content.decode()
    assert page.count('id="unit-') == 4 and "4.1" not in page


def _grow_to_20_units_and_60_items(round_: ScoringRound) -> None:
    """The issue's block size: 20 member units, 60 scored items."""
    from thidua.org.models import Unit, UnitKind
    from thidua.scoring.engine import Kind
    from thidua.scoring.services import tables as table_services

    table, minh = round_.table, leader()
    section = table_services.item_add(
        actor=minh,
        table=table,
        parent=None,
        data=table_services.ItemInput(code="9", text="Thêm", kind=Kind.SECTION),
    )
    have = table.items.exclude(kind=Kind.SECTION).count()
    for n in range(60 - have):
        table_services.item_add(
            actor=minh,
            table=table,
            parent=section,
            data=table_services.ItemInput(
                code=f"9.{n + 1}", text=f"Tiêu chí {n}", kind=Kind.MANUAL, max_points=Decimal(5)
            ),
        )
    term = BlockTerm.objects.get(block=table.block, year=table.campaign.year)
    agency = table.campaign.agency
    for n in range(20 - term.memberships.count()):
        extra = Unit.objects.create(
            code=f"X{n}", kind=UnitKind.DIVISION, name=f"Đơn vị {n}", parent=agency
        )
        term.memberships.create(unit=extra, agency=agency, year=term.year)


def test_a_20_unit_60_item_block_renders_in_as_many_queries_as_the_demo(login) -> None:
    round_ = open_round()
    client = login("minh")
    _fill_everyone(round_)
    demo = _count(client, _matrix(round_))
    ScoreSheet.objects.all().delete()
    ScoringRound.objects.filter(pk=round_.pk).update(locked_at=None)
    from thidua.scoring.models import ScoringTable

    ScoringTable.objects.filter(pk=round_.table_id).update(status=ScoringTable.Status.DRAFT)
    round_.refresh_from_db()
    _grow_to_20_units_and_60_items(round_)
    _fill_everyone(round_)
    assert ScoreEntry.objects.count() == 20 * 60
    assert PeerScore.objects.count() == 20 * 60 * 2 - 2 * 60  # the team never scores itself
    assert _count(client, _matrix(round_)) == demo


def test_staff_without_a_role_see_no_scores_and_the_table_links_to_them(login) -> None:
    round_ = open_round()
    assert login("mai").get(_matrix(round_)).status_code == 403
    page = login("minh").get(reverse("scoring_table", args=[round_.table_id])).content.decode()
    assert _matrix(round_) in page
    # The deputy sees the matrix and may verify only the leader's unit at the year end.
    self_and_verify(round_, "QLDL", all_points(round_))
    page = login("hoa").get(_matrix(round_)).content.decode()
    assert reverse("scoring_verify", args=[round_.pk, unit("QLVHGD").pk]) in page
    assert reverse("scoring_verify", args=[round_.pk, unit("QLDL").pk]) not in page
