"""Self-scores, verification, the lock, final scores, ranking snapshots and warnings,
through the services (issue 4, "Scoring")."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from thidua.lib.hashing import canonical_json
from thidua.reports import services as report_services
from thidua.scoring.models import ScoreEntry, ScoringTable
from thidua.scoring.selectors import results
from thidua.scoring.selectors import tables as table_selectors
from thidua.scoring.services import rankings, rounds, self_scores, verification

from ..reports.helpers import fill, head_of, open_report
from .scores_helpers import all_points, leader, open_round, self_and_verify, unit

pytestmark = pytest.mark.django_db


def test_the_first_self_score_freezes_the_table_and_ties_the_submitted_version(persona) -> None:
    round_ = open_round()
    assert round_.table.is_draft
    tuan = persona("tuan")
    report = fill(tuan, open_report(tuan, "QLDL"))
    version = report_services.report_submit(actor=tuan, report=report)
    sheet = self_scores.self_score(
        actor=tuan, round_=round_, unit=unit("QLDL"), points={"2.1": Decimal("9.5")}
    )
    assert ScoringTable.objects.get(pk=round_.table.pk).status == ScoringTable.Status.FROZEN
    assert sheet.report_version == version
    assert ScoreEntry.objects.get(sheet=sheet, item__code="2.1").self_points == Decimal("9.5")


def test_a_head_self_scores_only_their_own_unit(persona) -> None:
    round_ = open_round()
    with pytest.raises(PermissionDenied, match="Only the head of"):
        self_scores.self_score(
            actor=persona("tuan"), round_=round_, unit=unit("TTVH"), points={"2.1": Decimal(5)}
        )


@pytest.mark.parametrize(
    ("code", "points", "message"),
    [
        ("2.1", "10.01", "2.1: the points must be between 0 and 10.00."),
        ("2.1", "-1", "2.1: the points must be between 0 and 10.00."),
        ("8.1", "2", "8.1: a penalty is zero or negative."),
        ("7.1", "-3", "7.1: the points cannot be negative."),
        ("9.9", "1", "9.9 is not a scored item of this table."),
    ],
)
def test_points_out_of_range_are_refused_and_nothing_is_saved(
    persona, code: str, points: str, message: str
) -> None:
    round_ = open_round()
    with pytest.raises(ValidationError) as error:
        self_scores.self_score(
            actor=persona("tuan"),
            round_=round_,
            unit=unit("QLDL"),
            points={"2.2": Decimal(5), code: Decimal(points)},
        )
    assert message in error.value.messages
    assert not ScoreEntry.objects.filter(sheet__round=round_).exists()


def test_a_unit_never_verifies_its_own_scores(persona) -> None:
    round_ = open_round()
    self_scores.self_score(
        actor=persona("minh"), round_=round_, unit=unit("QLVHGD"), points={"2.1": Decimal(10)}
    )
    with pytest.raises(PermissionDenied, match="never verifies its own"):
        verification.verify(
            actor=persona("minh"), round_=round_, unit=unit("QLVHGD"), points={"2.1": Decimal(10)}
        )
    # The deputy verifies the leader's own unit.
    verification.verify(
        actor=persona("hoa"), round_=round_, unit=unit("QLVHGD"), points={"2.1": Decimal(10)}
    )
    # A member who is not on the leader's team verifies nobody.
    with pytest.raises(PermissionDenied):
        verification.verify(
            actor=persona("tuan"), round_=round_, unit=unit("QLVHGD"), points={"2.1": Decimal(9)}
        )


def test_a_changed_score_needs_a_reason_and_a_confirmed_one_does_not(persona) -> None:
    round_ = open_round()
    self_scores.self_score(
        actor=persona("tuan"),
        round_=round_,
        unit=unit("QLDL"),
        points={"2.1": Decimal(10), "2.3": Decimal(10)},
    )
    with pytest.raises(ValidationError, match=r"reason for every changed score: 2\.3"):
        verification.verify(
            actor=leader(),
            round_=round_,
            unit=unit("QLDL"),
            points={"2.1": Decimal(10), "2.3": Decimal(6)},
        )
    verification.verify(
        actor=leader(),
        round_=round_,
        unit=unit("QLDL"),
        points={"2.1": Decimal(10), "2.3": Decimal(6)},
        reasons={"2.3": "Thiếu minh chứng kế hoạch."},
    )
    entry = ScoreEntry.objects.get(sheet__round=round_, item__code="2.3")
    assert entry.verified_points == Decimal(6) and entry.verified_reason.startswith("Thiếu")
    assert entry.changed
    # Once verified, the unit cannot quietly change its claim.
    with pytest.raises(ValidationError, match="already verified"):
        self_scores.self_score(
            actor=persona("tuan"), round_=round_, unit=unit("QLDL"), points={"2.3": Decimal(9)}
        )


def test_nothing_changes_after_the_lock(persona) -> None:
    round_ = open_round()
    self_scores.self_score(
        actor=persona("tuan"), round_=round_, unit=unit("QLDL"), points={"2.1": Decimal(10)}
    )
    with pytest.raises(PermissionDenied):
        rounds.round_lock(actor=persona("tuan"), round_=round_)
    rounds.round_lock(actor=leader(), round_=round_)
    with pytest.raises(ValidationError, match="locked"):
        self_scores.self_score(
            actor=persona("tuan"), round_=round_, unit=unit("QLDL"), points={"2.1": Decimal(5)}
        )
    with pytest.raises(ValidationError, match="locked"):
        verification.verify(
            actor=leader(),
            round_=round_,
            unit=unit("QLDL"),
            points={"2.1": Decimal(5)},
            reasons={"2.1": "x"},
        )
    assert ScoreEntry.objects.get(sheet__round=round_).self_points == Decimal(10)


def test_final_scores_use_the_verified_points_and_the_tables_rounding() -> None:
    round_ = open_round()
    points = all_points(round_, **{"2_1": "7.5", "7_1": "12", "8_1": "-3"})
    self_and_verify(round_, "QLDL", points)
    row = next(r for r in results.block_results(round_).rows if r.unit.code == "QLDL")
    by_code = row.final.by_code()
    assert by_code["2.1"].points == Decimal("7.50")
    assert by_code["7"].points == Decimal("10.00")  # the bonus section's cap
    assert by_code["8"].points == Decimal("-3.00")
    leaves = len(points) - 2
    assert row.final.total == Decimal(10) * (leaves - 1) + Decimal("7.5") + 10 - 3
    assert not row.final.incomplete
    assert row.band == "Xuất sắc"


def test_a_unit_without_verified_points_is_incomplete_not_silently_zero() -> None:
    round_ = open_round()
    result = results.block_results(round_)
    assert all(r.final.incomplete for r in result.rows)
    # The computed items still count: a unit's indicator value shows through.
    assert all(r.final.by_code()["1.2"].computed for r in result.rows)


def test_an_equal_total_is_decided_by_the_tie_break_group_or_shown_as_a_tie() -> None:
    round_ = open_round(tie_break=["1"])
    # Same total, different content-group 1: QLDL wins the tie-break.
    self_and_verify(round_, "QLDL", all_points(round_, **{"2_1": "5"}))
    self_and_verify(round_, "VP", all_points(round_, **{"1_4": "5"}))
    # Exactly the same points everywhere: a tie that remains.
    self_and_verify(round_, "TCPC", all_points(round_, **{"2_2": "6"}))
    self_and_verify(round_, "KHTC", all_points(round_, **{"2_2": "6"}))
    rows = {r.unit.code: r for r in results.block_results(round_).rows}
    assert rows["QLDL"].final.total == rows["VP"].final.total
    assert rows["QLDL"].rank < rows["VP"].rank
    assert not rows["QLDL"].tied and not rows["VP"].tied
    assert rows["TCPC"].rank == rows["KHTC"].rank and rows["TCPC"].tied and rows["KHTC"].tied


def test_warnings_for_a_self_score_far_above_and_missing_evidence(persona) -> None:
    round_ = open_round()
    tuan = persona("tuan")
    self_scores.self_score(
        actor=tuan,
        round_=round_,
        unit=unit("QLDL"),
        points={"2.1": Decimal(10), "1.3": Decimal(10), "1.1": Decimal(10)},
    )
    verification.verify(
        actor=leader(),
        round_=round_,
        unit=unit("QLDL"),
        points={"2.1": Decimal(4), "1.3": Decimal(10)},
        reasons={"2.1": "Chưa đạt."},
    )
    row = next(r for r in results.block_results(round_).rows if r.unit.code == "QLDL")
    assert "2.1: the self-score 10.00 is far above the verified 4.00." in row.warnings
    # Every item without its evidence in one line, in the table's order.
    assert "1.1, 1.3: evidence is required but none was submitted." in row.warnings
    assert "No submitted report backs this self-score." in row.warnings
    assert len(row.warnings) == 3


def test_publishing_needs_the_lock_and_freezes_rows_with_a_stable_hash(persona) -> None:
    round_ = open_round()
    self_and_verify(round_, "QLDL", all_points(round_))
    with pytest.raises(ValidationError, match="Lock the scores"):
        rankings.publish(actor=leader(), round_=round_)
    rounds.round_lock(actor=leader(), round_=round_)
    snapshot = rankings.publish(actor=leader(), round_=round_)
    expected = hashlib.sha256(canonical_json(snapshot.rows).encode()).hexdigest()
    assert snapshot.sha256 == expected
    again = results.snapshot_rows(results.block_results(round_))
    assert rankings.snapshot_hash(again) == snapshot.sha256
    with pytest.raises(ValueError, match="immutable"):
        snapshot.save()
    with pytest.raises(ValidationError, match="Nothing changed"):
        rankings.publish(actor=leader(), round_=round_, reason="again")
    qldl = next(r for r in snapshot.rows if r["unit"] == "QLDL")
    item = next(i for i in qldl["items"] if i["code"] == "1.2")
    assert item["formula"] == "min(max_points, max_points * value / best_value)"
    assert item["inputs"]["value"] is not None


def test_a_correction_is_a_new_snapshot_that_says_what_changed_and_why() -> None:
    round_ = open_round()
    self_and_verify(round_, "QLDL", all_points(round_))
    rounds.round_lock(actor=leader(), round_=round_)
    first = rankings.publish(actor=leader(), round_=round_)
    with pytest.raises(ValidationError, match="reason for the correction"):
        rankings.correct(
            actor=leader(),
            round_=round_,
            unit=unit("QLDL"),
            code="2.1",
            points=Decimal(8),
            reason=" ",
        )
    rankings.correct(
        actor=leader(),
        round_=round_,
        unit=unit("QLDL"),
        code="2.1",
        points=Decimal(8),
        reason="Sai sót khi tổng hợp.",
    )
    with pytest.raises(ValidationError, match="reason for the corrected ranking"):
        rankings.publish(actor=leader(), round_=round_)
    second = rankings.publish(actor=leader(), round_=round_, reason="Sai sót khi tổng hợp.")
    assert second.number == 2 and second.replaces == first and second.sha256 != first.sha256
    assert {
        "unit": "QLDL",
        "field": "total",
        "before": str(next(r["total"] for r in first.rows if r["unit"] == "QLDL")),
        "after": str(next(r["total"] for r in second.rows if r["unit"] == "QLDL")),
    } in second.changes
    assert second.reason == "Sai sót khi tổng hợp."


def test_a_unit_head_cannot_publish_or_correct(persona) -> None:
    round_ = open_round()
    rounds.round_lock(actor=leader(), round_=round_)
    with pytest.raises(PermissionDenied):
        rankings.publish(actor=persona("tuan"), round_=round_)
    with pytest.raises(PermissionDenied):
        rankings.correct(
            actor=persona("tuan"),
            round_=round_,
            unit=unit("QLDL"),
            code="2.1",
            points=Decimal(1),
            reason="x",
        )
    assert head_of("QLDL") == persona("tuan")


def test_a_peer_method_opens_a_round_with_its_scorers_and_unknown_choices_are_refused() -> None:
    # Before peer scoring existed, a peer method was refused here; it now opens the round
    # with who scores whom materialised (peer scoring itself: test_peer_scoring.py).
    from thidua.reports.models import Period
    from thidua.scoring.demo import load_demo_scoring
    from thidua.scoring.models import PeerAssignment, Scorers

    table = load_demo_scoring()
    assert table is not None
    with pytest.raises(ValidationError, match="Tie-break items not in the table: 99"):
        rounds.round_open(actor=leader(), table=table, period=Period.MIDYEAR, tie_break=["99"])
    with pytest.raises(ValidationError, match="Unknown final score method"):
        rounds.round_open(actor=leader(), table=table, period=Period.MIDYEAR, method="median")
    round_ = rounds.round_open(
        actor=leader(),
        table=table,
        period=Period.MIDYEAR,
        method="peer_mean",
        scorers=Scorers.ALL_PEERS,
    )
    assert round_.method == "peer_mean"
    members = len(table_selectors.block_unit_ids(round_.table))
    assert PeerAssignment.objects.filter(round=round_).count() == members * (members - 1)
