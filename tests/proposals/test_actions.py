"""Which buttons the dossier and upward-proposal pages offer, per status and person."""

from __future__ import annotations

import pytest

from thidua.proposals.models import Dossier, UpwardProposal
from thidua.proposals.selectors import dossier_actions_for, upward_actions_for

D = Dossier.Status
U = UpwardProposal.Status


def _open(actions: object) -> set[str]:
    return {name for name, value in vars(actions).items() if value is True}


@pytest.mark.parametrize(
    ("status", "route", "preparer", "reviewer", "expected"),
    [
        (D.DRAFT, "own", True, False, {"download_draft", "edit"}),
        (D.RETURNED, "own", True, False, {"download_draft", "edit"}),
        (D.SUBMITTED, "own", True, False, {"download_draft"}),
        (D.ACCEPTED, "own", True, False, {"download_draft", "draft_decision"}),
        (D.ACCEPTED, "upward", True, False, {"download_draft"}),
        (D.DRAFT, "own", False, True, set()),
        (D.SUBMITTED, "own", False, True, {"review"}),
        (D.RETURNED, "own", False, True, set()),
        (D.ACCEPTED, "own", False, True, {"draft_decision"}),
        (D.SUBMITTED, "own", False, False, set()),
    ],
)
def test_dossier_actions(
    status: str, route: str, preparer: bool, reviewer: bool, expected: set[str]
) -> None:
    actions = dossier_actions_for(status, route=route, preparer=preparer, reviewer=reviewer)
    assert _open(actions) == expected


@pytest.mark.parametrize(
    ("status", "has_document", "expected", "following"),
    [
        (U.DRAFTED, False, {"issue", "record_status"}, (U.SENT,)),
        (U.DRAFTED, True, {"record_status"}, (U.SENT,)),
        (U.SENT, True, {"record_status", "answer"}, (U.ACKNOWLEDGED, U.RETURNED)),
        (U.ACKNOWLEDGED, True, {"record_status", "answer"}, (U.RETURNED,)),
        (U.RETURNED, True, {"record_status"}, (U.SENT,)),
        (U.APPROVED, True, set(), ()),
        (U.REJECTED, True, set(), ()),
    ],
)
def test_upward_actions_of_the_standing_body(
    status: str, has_document: bool, expected: set[str], following: tuple[str, ...]
) -> None:
    actions = upward_actions_for(status, has_document=has_document, reviewer=True)
    assert _open(actions) == expected
    assert actions.next_statuses == following


@pytest.mark.parametrize("status", list(U))
def test_upward_offers_nothing_to_others(status: str) -> None:
    assert _open(upward_actions_for(status, has_document=False, reviewer=False)) == set()
