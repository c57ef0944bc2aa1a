"""Which buttons the covenant page offers: one function decides, per status and person."""

from __future__ import annotations

import pytest

from thidua.covenants.models import Covenant
from thidua.covenants.selectors import Viewer, actions_for
from thidua.org.models import Unit

Status = Covenant.Status
LEADER = Viewer(is_leader=True, is_secretariat=False, sign_units=[])
SECRETARIAT = Viewer(is_leader=False, is_secretariat=True, sign_units=[])
MEMBER = Viewer(is_leader=False, is_secretariat=False, sign_units=[Unit(code="U1")])
NOBODY = Viewer(is_leader=False, is_secretariat=False, sign_units=[])


def _open(viewer: Viewer, status: str, *, fully_signed: bool = False) -> set[str]:
    actions = actions_for(viewer, status, fully_signed=fully_signed)
    return {name for name, allowed in vars(actions).items() if allowed}


@pytest.mark.parametrize(
    ("viewer", "status", "fully_signed", "expected"),
    [
        (LEADER, Status.DRAFT, False, {"edit", "circulate", "board"}),
        (LEADER, Status.SIGNING, False, {"board"}),
        (LEADER, Status.SIGNING, True, {"submit", "board"}),
        (LEADER, Status.SUBMITTED, True, {"board"}),
        (LEADER, Status.ACCEPTED, True, {"correct", "board"}),
        (LEADER, Status.SUPERSEDED, True, {"board"}),
        (SECRETARIAT, Status.DRAFT, False, {"board"}),
        (SECRETARIAT, Status.SIGNING, True, {"board"}),
        (SECRETARIAT, Status.SUBMITTED, True, {"accept", "send_back", "board"}),
        (SECRETARIAT, Status.ACCEPTED, True, {"board"}),
        (MEMBER, Status.DRAFT, False, set()),
        (MEMBER, Status.SIGNING, False, {"sign"}),
        (MEMBER, Status.SIGNING, True, {"sign"}),
        (MEMBER, Status.SUBMITTED, True, set()),
        (NOBODY, Status.SIGNING, False, set()),
        (NOBODY, Status.SUBMITTED, True, set()),
    ],
)
def test_actions_per_status_and_person(
    viewer: Viewer, status: str, fully_signed: bool, expected: set[str]
) -> None:
    assert _open(viewer, status, fully_signed=fully_signed) == expected


def test_a_leader_who_also_signs_gets_both_sets() -> None:
    both = Viewer(is_leader=True, is_secretariat=False, sign_units=[Unit(code="U1")])
    assert _open(both, Status.SIGNING, fully_signed=False) == {"sign", "board"}
