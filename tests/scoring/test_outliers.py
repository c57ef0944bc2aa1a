"""The warning for a scorer whose scores are consistently far from the others' (issue 4,
Scoring 6): a property of the pure rule (hypothesis) and the warning on the matrix."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from thidua.reports.models import Period
from thidua.scoring.demo import load_demo_scoring
from thidua.scoring.models import FinalMethod, OutlierThreshold, Scorers, ScoringRound
from thidua.scoring.selectors import results
from thidua.scoring.services import peer_scores, rounds

from ..reports.helpers import head_of
from .scores_helpers import leader, unit

pytestmark = pytest.mark.django_db

# A busy test machine must not fail a property for drawing its inputs slowly.
patient = hypothesis_settings(suppress_health_check=[HealthCheck.too_slow])

SHARE = Decimal("0.2")
MAXIMUM = Decimal(10)

cells = st.lists(
    st.tuples(st.sampled_from("ABCDEF"), st.sampled_from(["1.1", "1.2", "2.1"])),
    min_size=1,
    max_size=8,
    unique=True,
)
base_points = st.decimals(min_value=0, max_value=5, places=2, allow_nan=False)


@patient
@given(cells, st.integers(min_value=2, max_value=5), base_points)
def test_identical_scorers_are_never_flagged(
    scored: list[tuple[str, str]], scorers: int, points: Decimal
) -> None:
    rows = [(u, i, f"S{n}", points) for u, i in scored for n in range(scorers)]
    assert results.outlier_scorers(rows, {"1.1": MAXIMUM}, SHARE) == {}


@patient
@given(
    cells,
    st.integers(min_value=2, max_value=5),
    st.lists(base_points, min_size=8, max_size=8),
    st.decimals(min_value=Decimal("2.01"), max_value=5, places=2, allow_nan=False),
    st.booleans(),
)
def test_a_constant_offset_scorer_is_always_flagged(
    scored: list[tuple[str, str]],
    others: int,
    points: list[Decimal],
    offset: Decimal,
    below: bool,
) -> None:
    # The others agree on each (unit, item); the outlier is always `offset` away, more than
    # the share (0.2) of the maximum (10).
    rows = []
    for n, (u, i) in enumerate(scored):
        base = points[n] + 5  # room for an offset either way within 0..10
        rows += [(u, i, f"S{k}", base) for k in range(others)]
        rows.append((u, i, "OUT", base - offset if below else base + offset))
    flagged = results.outlier_scorers(rows, {"1.1": MAXIMUM, "1.2": MAXIMUM, "2.1": MAXIMUM}, SHARE)
    assert "OUT" in flagged
    assert flagged["OUT"] == offset / MAXIMUM


def test_two_scorers_alone_are_not_compared() -> None:
    rows = [("A", "1.1", "S1", Decimal(0)), ("A", "1.1", "S2", Decimal(10))]
    assert results.scorer_deviations(rows, {"1.1": MAXIMUM}) == {}


def _round() -> ScoringRound:
    table = load_demo_scoring()
    assert table is not None
    return rounds.round_open(
        actor=leader(),
        table=table,
        period=Period.YEAREND,
        method=FinalMethod.PEER_MEAN,
        scorers=Scorers.ALL_PEERS,
    )


def _score(round_: ScoringRound, scorer: str, scored: str, points: dict[str, str]) -> None:
    peer_scores.peer_score(
        actor=head_of(scorer),
        round_=round_,
        scorer=unit(scorer),
        unit=unit(scored),
        points={k: Decimal(v) for k, v in points.items()},
    )


def test_the_matrix_warns_of_a_scorer_far_from_the_others(login, settings) -> None:
    round_ = _round()
    # Three scorers agree; the fourth is 6 points (60% of the maximum) away every time. Each
    # of the three is 2 points from the mean of the others (20%): not above the threshold.
    for scored in ("VP", "KHTC"):
        for scorer in ("QLDL", "TTVH", "TCPC"):
            _score(round_, scorer, scored, {"2.1": "9", "2.2": "8"})
        _score(round_, "QLVHGD", scored, {"2.1": "3", "2.2": "2"})
    warnings = results.block_results(round_).scorer_warnings
    qlvhgd = unit("QLVHGD")
    name = qlvhgd.short_name or qlvhgd.name
    assert warnings == [
        f"{name} scores far from the other scorers: on average 60% of the item's maximum "
        "away (the threshold is 20%)."
    ]
    client = login("minh")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("scoring_matrix", args=[round_.table_id, round_.period]))
    assert "scorer-warnings" in page.content.decode()
    # The threshold is the agency's dated configuration (seeded at 0.2 for every agency).
    OutlierThreshold.objects.create(
        agency=round_.table.agency,
        valid_from=dt.date(2021, 1, 1),
        legal_basis="Quy chế chấm điểm của Sở",
        share=Decimal("0.7"),
    )
    assert results.block_results(round_).scorer_warnings == []
