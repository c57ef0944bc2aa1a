"""Helpers for the score tests: the demo's Khối 1 table, a round, scores for a unit."""

from __future__ import annotations

from decimal import Decimal

from thidua.org.models import Unit, User
from thidua.reports.models import Period
from thidua.scoring.demo import load_demo_scoring
from thidua.scoring.engine import Kind
from thidua.scoring.models import ScoringRound
from thidua.scoring.services import rounds, self_scores, verification

from ..reports.helpers import head_of


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def leader() -> User:
    return User.objects.get(username="minh")


def open_round(tie_break: list[str] | None = None) -> ScoringRound:
    table = load_demo_scoring()
    assert table is not None
    return rounds.round_open(
        actor=leader(), table=table, period=Period.YEAREND, tie_break=tie_break or []
    )


def leaf_codes(round_: ScoringRound) -> list[str]:
    return list(
        round_.table.items.exclude(kind=Kind.SECTION)
        .exclude(kind__in=[Kind.BONUS, Kind.PENALTY])
        .order_by("code")
        .values_list("code", flat=True)
    )


def all_points(round_: ScoringRound, each: str = "10", **special: str) -> dict[str, Decimal]:
    points = {code: Decimal(each) for code in leaf_codes(round_)}
    for code, value in special.items():
        points[code.replace("_", ".")] = Decimal(value)
    return points


def self_and_verify(
    round_: ScoringRound, code: str, points: dict[str, Decimal], verifier: User | None = None
) -> None:
    """The unit's head self-scores; the leader (or the deputy for the leader's unit)
    confirms every score unchanged."""
    target = unit(code)
    self_scores.self_score(actor=head_of(code), round_=round_, unit=target, points=points)
    who = verifier or (User.objects.get(username="hoa") if code == "QLVHGD" else leader())
    verification.verify(actor=who, round_=round_, unit=target, points=points)
