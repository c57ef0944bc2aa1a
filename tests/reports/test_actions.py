"""Which buttons the report page offers, per status and person."""

from __future__ import annotations

import pytest

from thidua.reports.models import Report
from thidua.reports.selectors import Viewer, actions_for

S = Report.Status
HEAD = Viewer(is_head=True, is_member=True, oversees=False, may_review=False)
STAFF = Viewer(is_head=False, is_member=True, oversees=False, may_review=False)
LEADER = Viewer(is_head=False, is_member=False, oversees=True, may_review=True)
SECRETARIAT = Viewer(is_head=False, is_member=False, oversees=True, may_review=False)


def _open(viewer: Viewer, status: str) -> set[str]:
    return {name for name, allowed in vars(actions_for(viewer, status)).items() if allowed}


@pytest.mark.parametrize(
    ("viewer", "status", "expected"),
    [
        (HEAD, S.DRAFT, {"edit"}),
        (HEAD, S.RETURNED, {"edit"}),
        (HEAD, S.SUBMITTED, set()),
        (HEAD, S.ACCEPTED, set()),
        (STAFF, S.DRAFT, set()),
        (STAFF, S.SUBMITTED, set()),
        (LEADER, S.DRAFT, {"board"}),
        (LEADER, S.SUBMITTED, {"review", "board"}),
        (LEADER, S.ACCEPTED, {"board"}),
        (SECRETARIAT, S.SUBMITTED, {"board"}),
    ],
)
def test_report_actions(viewer: Viewer, status: str, expected: set[str]) -> None:
    assert _open(viewer, status) == expected
