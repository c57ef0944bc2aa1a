"""The points proposed to a verifier (issue 12): one rule for the verification service, the
verify page and the verification sheet.

What the verifier confirms by keeping it is, under a peer method, the peers' result where
peers scored the item, else the unit's self-score; a changed score needs a reason. Once a
score is verified, the page and the sheet show that verified score back (with its reason),
so saving them again changes nothing.

The verification sheet had its own copy of the rule that left the peers out: it filled in
the self-score, asked a reason for confirming the peers' result and let through a self-score
kept without one, which the service then refused.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from thidua.scoring import sheets
from thidua.scoring.models import FinalMethod, ScoreEntry, ScoringRound
from thidua.scoring.selectors import results
from thidua.scoring.services import self_scores, verification

from ..reports.helpers import head_of
from .scores_helpers import leader, unit
from .test_peer_scoring import give, peer_round
from .test_sheets import fill, row_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def peers_and_self(round_: ScoringRound) -> None:
    """Peers give VP 6 and 9 for 2.1 (mean 7.50); VP gave itself 10."""
    give(round_, "QLDL", "VP", **{"2_1": "6"})
    give(round_, "TTVH", "VP", **{"2_1": "9"})
    self_scores.self_score(
        actor=head_of("VP"), round_=round_, unit=unit("VP"), points={"2.1": Decimal(10)}
    )


def verified(code: str = "2.1") -> tuple[Decimal | None, str]:
    entry = ScoreEntry.objects.get(sheet__unit=unit("VP"), item__code=code)
    return entry.verified_points, entry.verified_reason


def test_the_proposal_is_the_peers_result_where_peers_scored_else_the_self_score() -> None:
    round_ = peer_round(method=FinalMethod.PEER_MEAN)
    table, method = round_.table, round_.method
    assert results.proposed_points(table, method, Decimal(10), [Decimal(6), Decimal(9)]) == (
        Decimal("7.50")
    )
    assert results.proposed_points(table, method, Decimal(10), []) == Decimal(10)
    assert results.proposed_points(table, method, None, []) is None
    # Under the verified method the peers do not decide: the self-score is proposed.
    assert results.proposed_points(table, FinalMethod.VERIFIED, Decimal(10), [Decimal(6)]) == (
        Decimal(10)
    )
    # What a verification form shows: the verified score once there is one.
    assert results.verifier_value(Decimal(8), Decimal("7.50")) == Decimal(8)
    assert results.verifier_value(None, Decimal("7.50")) == Decimal("7.50")


def test_the_verification_sheet_proposes_the_peers_result_and_keeping_it_needs_no_reason() -> None:
    round_ = peer_round(method=FinalMethod.PEER_MEAN)
    peers_and_self(round_)
    vp = unit("VP")
    blank = sheets.scoring_sheet(round_, vp, sheets.VERIFY)
    cell = load_workbook(io.BytesIO(blank))[sheets.SHEET_TITLE][f"H{row_of(blank, '2.1')}"]
    assert Decimal(str(cell.value)) == Decimal("7.50")  # as the page proposes it
    plan = sheets.read_scoring_sheet(blank, round_, vp, sheets.VERIFY)
    assert not plan.problems
    sheets.sheet_save(actor=leader(), round_=round_, unit=vp, mode=sheets.VERIFY, data=blank)
    assert verified() == (Decimal("7.50"), "")


def test_the_verification_sheet_asks_a_reason_for_keeping_the_self_score_over_the_peers() -> None:
    round_ = peer_round(method=FinalMethod.PEER_MEAN)
    peers_and_self(round_)
    vp = unit("VP")
    data = fill(sheets.scoring_sheet(round_, vp, sheets.VERIFY), {"2.1": 10})
    plan = sheets.read_scoring_sheet(data, round_, vp, sheets.VERIFY)
    assert [str(p) for p in plan.problems] == [
        f"Row {row_of(data, '2.1')} (2.1): give the reason for changing the peers' result "
        "7.50 to 10."
    ]
    data = fill(data, {}, {"2.1": "Có minh chứng bổ sung."})
    sheets.sheet_save(actor=leader(), round_=round_, unit=vp, mode=sheets.VERIFY, data=data)
    assert verified() == (Decimal(10), "Có minh chứng bổ sung.")


def test_a_verified_score_is_shown_back_and_saving_it_again_keeps_its_reason(
    login, english
) -> None:
    round_ = peer_round(method=FinalMethod.PEER_MEAN)
    peers_and_self(round_)
    verification.verify(
        actor=leader(),
        round_=round_,
        unit=unit("VP"),
        points={"2.1": Decimal(8)},
        reasons={"2.1": "Có minh chứng bổ sung."},
    )
    browser = login("minh")
    url = reverse("scoring_verify", args=[round_.pk, unit("VP").pk])
    page = browser.get(url).content.decode()
    assert 'name="verified-2.1" inputmode="decimal" value="8.00"' in page
    assert 'name="reason-2.1" value="Có minh chứng bổ sung."' in page
    posted = browser.post(url, {"verified-2.1": "8.00", "reason-2.1": "Có minh chứng bổ sung."})
    assert posted.status_code == 302
    assert verified() == (Decimal(8), "Có minh chứng bổ sung.")
    # The sheet shows the same verified score and reason, and takes it back unchanged.
    data = sheets.scoring_sheet(round_, unit("VP"), sheets.VERIFY)
    row = load_workbook(io.BytesIO(data))[sheets.SHEET_TITLE][row_of(data, "2.1")]
    assert Decimal(str(row[7].value)) == Decimal(8) and row[8].value == "Có minh chứng bổ sung."
    plan = sheets.read_scoring_sheet(data, round_, unit("VP"), sheets.VERIFY)
    assert not plan.problems and not plan.changes
