"""Who scores whom (chấm chéo, the leader's team, assigned pairs), peer scores through the
service and the pages, and the final points by the peer methods (issue 4, Scoring 1 and 3)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.org.models import BlockTerm, Unit
from thidua.reports.models import Period
from thidua.scoring import ranking
from thidua.scoring.demo import load_demo_scoring
from thidua.scoring.models import (
    FinalMethod,
    PeerAssignment,
    PeerScore,
    ScoreEntry,
    Scorers,
    ScoringRound,
)
from thidua.scoring.selectors import results
from thidua.scoring.selectors import tables as table_selectors
from thidua.scoring.services import peer_scores, rounds, self_scores, verification

from ..reports.helpers import head_of
from .scores_helpers import leader, unit

pytestmark = pytest.mark.django_db

# A busy test machine must not fail a property for drawing its inputs slowly.
patient = hypothesis_settings(suppress_health_check=[HealthCheck.too_slow])


def peer_round(
    method: str = FinalMethod.PEER_MEAN, scorers: str = Scorers.ALL_PEERS
) -> ScoringRound:
    table = load_demo_scoring()
    assert table is not None
    return rounds.round_open(
        actor=leader(), table=table, period=Period.YEAREND, method=method, scorers=scorers
    )


def term() -> BlockTerm:
    return BlockTerm.objects.get(block__code="K1", year=2021)


def pairs(round_: ScoringRound) -> set[tuple[str, str]]:
    return set(
        PeerAssignment.objects.filter(round=round_).values_list("scorer__code", "scored__code")
    )


def give(round_: ScoringRound, scorer: str, scored: str, **points: str) -> None:
    peer_scores.peer_score(
        actor=head_of(scorer),
        round_=round_,
        scorer=unit(scorer),
        unit=unit(scored),
        points={code.replace("_", "."): Decimal(v) for code, v in points.items()},
    )


def final_of(round_: ScoringRound, code: str, item: str) -> Decimal:
    row = next(r for r in results.block_results(round_).rows if r.unit.code == code)
    return row.final.by_code()[item].points


# Who scores whom -------------------------------------------------------------------------------


def test_each_member_scores_every_other_member_never_itself() -> None:
    round_ = peer_round(scorers=Scorers.ALL_PEERS)
    codes = list(
        Unit.objects.filter(pk__in=table_selectors.block_unit_ids(round_.table)).values_list(
            "code", flat=True
        )
    )
    assert pairs(round_) == {(a, b) for a in codes for b in codes if a != b}


def test_the_leaders_team_scores_everyone_and_each_other_but_not_themselves() -> None:
    round_ = peer_round(scorers=Scorers.LEADER_TEAM)
    found = pairs(round_)
    members = set(
        Unit.objects.filter(pk__in=table_selectors.block_unit_ids(round_.table)).values_list(
            "code", flat=True
        )
    )
    leader_unit, deputy_unit = term().leader, term().deputy
    assert deputy_unit is not None
    assert {a for a, _b in found} == {leader_unit.code, deputy_unit.code}
    assert {b for _a, b in found} == members
    # The leader's unit is scored by the deputy's, and vice versa, never by itself.
    assert (deputy_unit.code, leader_unit.code) in found
    assert (leader_unit.code, deputy_unit.code) in found
    assert not any(a == b for a, b in found)


def test_assigned_pairs_are_none_until_the_leader_sets_them(persona) -> None:
    round_ = peer_round(scorers=Scorers.PAIRS)
    assert pairs(round_) == set()
    qldl, vp, ttvh = unit("QLDL"), unit("VP"), unit("TTVH")
    with pytest.raises(PermissionDenied):
        rounds.assignments_set(actor=persona("tuan"), round_=round_, pairs=[(qldl.pk, vp.pk)])
    with pytest.raises(ValidationError, match="cannot score itself"):
        rounds.assignments_set(actor=leader(), round_=round_, pairs=[(qldl.pk, qldl.pk)])
    outsider = Unit.objects.exclude(pk__in=table_selectors.block_unit_ids(round_.table)).first()
    assert outsider is not None
    with pytest.raises(ValidationError) as error:
        rounds.assignments_set(actor=leader(), round_=round_, pairs=[(outsider.pk, vp.pk)])
    assert f"Not members of this block: {outsider}." in error.value.messages
    assert (
        rounds.assignments_set(
            actor=leader(), round_=round_, pairs=[(qldl.pk, vp.pk), (ttvh.pk, vp.pk)]
        )
        == 2
    )
    # Saving the same pairs again (a double click) changes nothing.
    rounds.assignments_set(
        actor=leader(), round_=round_, pairs=[(ttvh.pk, vp.pk), (qldl.pk, vp.pk)]
    )
    assert pairs(round_) == {("QLDL", "VP"), ("TTVH", "VP")}
    assert AuditEvent.objects.filter(action=AuditAction.ASSIGNMENTS_SET).count() == 1
    give(round_, "QLDL", "VP", **{"2_1": "7"})
    with pytest.raises(ValidationError, match="already scored each other"):
        rounds.assignments_set(actor=leader(), round_=round_, pairs=[(qldl.pk, ttvh.pk)])


def test_pairs_are_refused_when_the_round_does_not_use_them() -> None:
    round_ = peer_round(scorers=Scorers.ALL_PEERS)
    with pytest.raises(ValidationError, match="only when the round scores assigned pairs"):
        rounds.assignments_set(
            actor=leader(), round_=round_, pairs=[(unit("QLDL").pk, unit("VP").pk)]
        )


def test_changing_who_scores_whom_rebuilds_the_assignments_until_peers_scored() -> None:
    round_ = peer_round(scorers=Scorers.LEADER_TEAM)
    rounds.round_configure(
        actor=leader(), round_=round_, method=FinalMethod.TRIMMED_MEAN, scorers=Scorers.ALL_PEERS
    )
    round_.refresh_from_db()
    assert round_.method == FinalMethod.TRIMMED_MEAN
    assert ("QLDL", "VP") in pairs(round_)
    give(round_, "QLDL", "VP", **{"2_1": "7"})
    with pytest.raises(ValidationError, match="already scored each other"):
        rounds.round_configure(
            actor=leader(), round_=round_, method=round_.method, scorers=Scorers.LEADER_TEAM
        )


# Peer scores ----------------------------------------------------------------------------------


def test_a_head_scores_an_assigned_unit_and_a_retry_changes_nothing(persona) -> None:
    round_ = peer_round()
    tuan = persona("tuan")
    for _ in range(2):
        sheet = peer_scores.peer_score(
            actor=tuan,
            round_=round_,
            scorer=unit("QLDL"),
            unit=unit("VP"),
            points={"2.1": Decimal("7.5"), "8.1": Decimal(-2)},
        )
    assert sheet.unit == unit("VP")
    found = PeerScore.objects.get(sheet=sheet, item__code="2.1", scorer=unit("QLDL"))
    assert found.points == Decimal("7.5") and found.scored_by == tuan
    assert PeerScore.objects.filter(sheet=sheet).count() == 2
    # The first score freezes the table, as a self-score does.
    round_.table.refresh_from_db()
    assert not round_.table.is_draft
    # A blank removes the item's peer score.
    peer_scores.peer_score(
        actor=tuan, round_=round_, scorer=unit("QLDL"), unit=unit("VP"), points={"8.1": None}
    )
    assert not PeerScore.objects.filter(sheet=sheet, item__code="8.1").exists()
    # The retry changed nothing and is not recorded again.
    assert AuditEvent.objects.filter(action=AuditAction.SCORING_PEER_SCORED).count() == 2


def test_a_unit_never_scores_itself_and_only_where_assigned(persona) -> None:
    round_ = peer_round(scorers=Scorers.LEADER_TEAM)
    tuan = persona("tuan")
    with pytest.raises(PermissionDenied, match="scores itself only in its self-score"):
        peer_scores.peer_score(
            actor=tuan, round_=round_, scorer=unit("QLDL"), unit=unit("QLDL"), points={}
        )
    with pytest.raises(PermissionDenied, match="is not assigned to score"):
        peer_scores.peer_score(
            actor=tuan, round_=round_, scorer=unit("QLDL"), unit=unit("VP"), points={}
        )
    # Only the scorer unit's head enters its scores.
    with pytest.raises(PermissionDenied, match="Only the head of"):
        peer_scores.peer_score(
            actor=tuan,
            round_=round_,
            scorer=unit("TTVH"),
            unit=unit("VP"),
            points={"2.1": Decimal(5)},
        )
    assert not PeerScore.objects.exists()


def test_peer_points_out_of_bounds_or_after_the_lock_are_refused() -> None:
    round_ = peer_round()
    with pytest.raises(ValidationError) as error:
        give(round_, "QLDL", "VP", **{"2_1": "11"})
    assert "2.1: the points must be between 0 and 10.00." in error.value.messages
    rounds.round_lock(actor=leader(), round_=round_)
    with pytest.raises(ValidationError, match="locked"):
        give(round_, "QLDL", "VP", **{"2_1": "5"})
    assert not PeerScore.objects.exists()


# Final points by the method -------------------------------------------------------------------


def test_the_peer_mean_is_the_final_score_until_verified_then_the_verified_one() -> None:
    round_ = peer_round(method=FinalMethod.PEER_MEAN)
    give(round_, "QLDL", "VP", **{"2_1": "6"})
    give(round_, "TTVH", "VP", **{"2_1": "8"})
    give(round_, "QLVHGD", "VP", **{"2_1": "9"})
    assert final_of(round_, "VP", "2.1") == Decimal("7.67")  # 23/3 with the table's rounding
    # Verification shows the leader the aggregate: confirming it needs no reason.
    self_scores.self_score(
        actor=head_of("VP"), round_=round_, unit=unit("VP"), points={"2.1": Decimal(10)}
    )
    verification.verify(
        actor=leader(), round_=round_, unit=unit("VP"), points={"2.1": Decimal("7.67")}
    )
    entry = ScoreEntry.objects.get(sheet__unit=unit("VP"), item__code="2.1")
    assert entry.verified_points == Decimal("7.67") and entry.verified_reason == ""
    # Changing it needs a reason; the verified score then is final.
    with pytest.raises(ValidationError, match=r"reason for every changed score: 2\.1"):
        verification.verify(
            actor=leader(), round_=round_, unit=unit("VP"), points={"2.1": Decimal(9)}
        )
    verification.verify(
        actor=leader(),
        round_=round_,
        unit=unit("VP"),
        points={"2.1": Decimal(9)},
        reasons={"2.1": "Có minh chứng bổ sung."},
    )
    assert final_of(round_, "VP", "2.1") == Decimal("9.00")
    # Peers can no longer change a verified item; the same points again are no change.
    with pytest.raises(ValidationError, match=r"Already verified.*2\.1"):
        give(round_, "QLDL", "VP", **{"2_1": "1"})
    give(round_, "QLDL", "VP", **{"2_1": "6"})


def test_the_trimmed_mean_leaves_out_the_highest_and_lowest() -> None:
    round_ = peer_round(method=FinalMethod.TRIMMED_MEAN)
    for scorer, points in [("QLDL", "2"), ("TTVH", "7"), ("QLVHGD", "8"), ("TCPC", "10")]:
        give(round_, scorer, "VP", **{"2_1": points})
    assert final_of(round_, "VP", "2.1") == Decimal("7.50")


def test_under_the_verified_method_peer_scores_do_not_decide() -> None:
    round_ = peer_round(method=FinalMethod.VERIFIED)
    give(round_, "QLDL", "VP", **{"2_1": "6"})
    row = next(r for r in results.block_results(round_).rows if r.unit.code == "VP")
    assert row.final.incomplete
    assert row.final.by_code()["2.1"].points == Decimal(0)


def test_the_final_rule_second_review_then_verified_then_peers() -> None:
    peers = [Decimal(4), Decimal(6)]
    assert ranking.final_points("peer_mean", review=None, verified=None, peers=peers) == 5
    assert ranking.final_points("peer_mean", review=None, verified=Decimal(3), peers=peers) == 3
    assert (
        ranking.final_points("peer_mean", review=Decimal(8), verified=Decimal(3), peers=peers) == 8
    )
    assert ranking.final_points("verified", review=None, verified=None, peers=peers) is None
    assert ranking.final_points("trimmed_mean", review=None, verified=None, peers=[]) is None


peer_lists = st.lists(
    st.decimals(min_value=0, max_value=10, places=2, allow_nan=False), min_size=1, max_size=12
)


@patient
@given(peer_lists, st.sampled_from(["peer_mean", "trimmed_mean"]))
def test_peer_results_stay_within_the_peers_and_the_items_maximum(
    points: list[Decimal], method: str
) -> None:
    result = ranking.final_points(method, review=None, verified=None, peers=points)
    assert result is not None
    assert min(points) <= result <= max(points) <= Decimal(10)


@patient
@given(peer_lists)
def test_the_trimmed_mean_lies_between_the_lowest_and_highest_peer(
    points: list[Decimal],
) -> None:
    result = ranking.trimmed_mean(points)
    assert result is not None and min(points) <= result <= max(points)


@patient
@given(peer_lists, st.sampled_from(["peer_mean", "trimmed_mean"]), st.randoms())
def test_the_order_of_peer_rows_does_not_matter(points: list[Decimal], method: str, random) -> None:
    shuffled = list(points)
    random.shuffle(shuffled)
    assert ranking.final_points(
        method, review=None, verified=None, peers=points
    ) == ranking.final_points(method, review=None, verified=None, peers=shuffled)


# Pages ----------------------------------------------------------------------------------------


@pytest.fixture
def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_head_scores_assigned_units_through_the_page(login, english) -> None:
    round_ = peer_round(scorers=Scorers.ALL_PEERS)
    client = login("tuan")
    self_url = reverse("scoring_self", args=[round_.pk, unit("QLDL").pk])
    assert reverse("scoring_peer_list", args=[round_.pk]) in client.get(self_url).content.decode()
    page = client.get(reverse("scoring_peer_list", args=[round_.pk])).content.decode()
    form_url = reverse("scoring_peer_score", args=[round_.pk, unit("QLDL").pk, unit("VP").pk])
    assert form_url in page and "assigned-VP" in page and "assigned-QLDL" not in page
    assert "peer-score-form" in client.get(form_url).content.decode()
    response = client.post(form_url, {"points-2.1": "8,5"})
    assert response.status_code == 302
    assert PeerScore.objects.get(scorer=unit("QLDL")).points == Decimal("8.5")
    response = client.post(form_url, {"points-2.1": "12"})
    assert response.status_code == 400
    assert "2.1: the points must be between 0 and 10.00." in response.content.decode()
    # Scoring its own unit, or as another unit's head, is refused.
    own = reverse("scoring_peer_score", args=[round_.pk, unit("QLDL").pk, unit("QLDL").pk])
    assert client.get(own).status_code == 403
    other = reverse("scoring_peer_score", args=[round_.pk, unit("TTVH").pk, unit("VP").pk])
    assert client.get(other).status_code == 403


def test_the_verify_page_shows_each_peer_and_proposes_their_mean(login, english) -> None:
    round_ = peer_round(method=FinalMethod.PEER_MEAN)
    give(round_, "QLDL", "VP", **{"2_1": "6"})
    give(round_, "TTVH", "VP", **{"2_1": "9"})
    self_scores.self_score(
        actor=head_of("VP"), round_=round_, unit=unit("VP"), points={"2.2": Decimal(10)}
    )
    client = login("minh")
    matrix = client.get(reverse("scoring_matrix", args=[round_.table_id, round_.period]))
    # Unverified, the cell shows the peers' mean in grey and how many peers scored it.
    assert (
        '· / <span class="text-muted">7.50</span> <span class="text-muted peers">(2)</span>'
        in matrix.content.decode()
    )
    url = reverse("scoring_verify", args=[round_.pk, unit("VP").pk])
    page = client.get(url).content.decode()
    qldl, ttvh = unit("QLDL"), unit("TTVH")
    assert f"{qldl.short_name or qldl.name}: 6.00" in page
    assert f"{ttvh.short_name or ttvh.name}: 9.00" in page
    assert 'name="verified-2.1" inputmode="decimal" value="7.50"' in page
    assert client.post(url, {"verified-2.1": "7.50", "verified-2.2": "10"}).status_code == 302
    assert ScoreEntry.objects.get(
        sheet__unit=unit("VP"), item__code="2.1"
    ).verified_points == Decimal("7.5")


def test_the_round_settings_page_sets_scorers_method_and_pairs(login, english) -> None:
    round_ = peer_round(method=FinalMethod.VERIFIED, scorers=Scorers.LEADER_TEAM)
    url = reverse("scoring_round_settings", args=[round_.pk])
    assert login("tuan").get(url).status_code == 403
    client = login("minh")
    assert "round-settings" in client.get(url).content.decode()
    client.post(url, {"action": "settings", "scorers": "pairs", "method": "trimmed_mean"})
    round_.refresh_from_db()
    assert (round_.scorers, round_.method) == ("pairs", "trimmed_mean")
    qldl, vp = unit("QLDL"), unit("VP")
    assert "pairs-form" in client.get(url).content.decode()
    client.post(url, {"action": "pairs", f"pair-{qldl.pk}-{vp.pk}": "on"})
    assert pairs(round_) == {("QLDL", "VP")}
    response = client.post(url, {"action": "pairs", f"pair-{vp.pk}-{vp.pk}": "on"})
    assert response.status_code == 400 and "cannot score itself" in response.content.decode()
    assert pairs(round_) == {("QLDL", "VP")}


def test_the_round_opens_with_the_chosen_scorers_and_method(login, english) -> None:
    table = load_demo_scoring()
    assert table is not None
    url = reverse("scoring_matrix", args=[table.pk, Period.MIDYEAR])
    client = login("minh")
    client.post(url, {"scorers": "all_peers", "method": "peer_mean"})
    round_ = ScoringRound.objects.get(table=table, period=Period.MIDYEAR)
    assert (round_.scorers, round_.method) == ("all_peers", "peer_mean")
    assert PeerAssignment.objects.filter(round=round_).exists()


# Notes ------------------------------------------------------------------------------------------


def test_a_peers_note_is_kept_shown_back_to_them_and_to_the_verifier(login, english) -> None:
    round_ = peer_round(method=FinalMethod.PEER_MEAN)
    client = login("tuan")
    form_url = reverse("scoring_peer_score", args=[round_.pk, unit("QLDL").pk, unit("VP").pk])
    client.post(form_url, {"points-2.1": "6", "note-2.1": "  Thiếu   minh chứng tập huấn "})
    score = PeerScore.objects.get(scorer=unit("QLDL"), item__code="2.1")
    assert (score.points, score.note) == (Decimal(6), "Thiếu minh chứng tập huấn")
    # The scorer's page shows the note again, so saving the page keeps it.
    assert (
        'name="note-2.1" value="Thiếu minh chứng tập huấn"' in client.get(form_url).content.decode()
    )
    client.post(form_url, {"points-2.1": "6", "note-2.1": "Thiếu minh chứng tập huấn"})
    assert AuditEvent.objects.filter(action=AuditAction.SCORING_PEER_SCORED).count() == 1
    # A note alone can change, and is recorded.
    client.post(form_url, {"points-2.1": "6", "note-2.1": "Thiếu biên bản tập huấn"})
    assert PeerScore.objects.get(pk=score.pk).note == "Thiếu biên bản tập huấn"
    changed = (
        AuditEvent.objects.filter(action=AuditAction.SCORING_PEER_SCORED).order_by("pk").last()
    )
    assert changed is not None and changed.data["after"]["notes"] == {
        "2.1": "Thiếu biên bản tập huấn"
    }
    verify = login("minh").get(reverse("scoring_verify", args=[round_.pk, unit("VP").pk]))
    qldl = unit("QLDL")
    shown = f'{qldl.short_name or qldl.name}: 6.00</span> <span class="text-muted peer-note">'
    assert shown + "— Thiếu biên bản tập huấn" in verify.content.decode()


def test_a_note_without_points_is_refused_and_nothing_is_saved(persona) -> None:
    round_ = peer_round(method=FinalMethod.PEER_MEAN)
    with pytest.raises(ValidationError, match=r"give points for 2\.2, or remove the note"):
        peer_scores.peer_score(
            actor=head_of("QLDL"),
            round_=round_,
            scorer=unit("QLDL"),
            unit=unit("VP"),
            points={"2.1": Decimal(6), "2.2": None},
            notes={"2.1": "", "2.2": "Chưa đạt"},
        )
    assert not PeerScore.objects.filter(scorer=unit("QLDL")).exists()
