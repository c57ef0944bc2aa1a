"""Which buttons the meeting page offers, per meeting or vote state and person."""

from __future__ import annotations

import pytest

from thidua.voting.models import Meeting, Tally, Vote
from thidua.voting.permissions import meeting_actions_for, vote_actions_for

M = Meeting.Status
OPEN, CLOSED = Vote.Status.OPEN, Vote.Status.CLOSED
E, P = Vote.Mode.ELECTRONIC, Vote.Mode.PAPER


def _open(actions: object) -> set[str]:
    return {name for name, allowed in vars(actions).items() if allowed}


@pytest.mark.parametrize(
    ("status", "runs", "issues", "expected"),
    [
        (M.PLANNED, True, True, {"run"}),
        (M.IN_SESSION, True, False, {"run"}),
        (M.IN_SESSION, False, True, set()),
        (M.CLOSED, True, True, {"minutes", "issue_minutes"}),
        (M.CLOSED, True, False, {"minutes"}),
        (M.CLOSED, False, False, {"minutes"}),
    ],
)
def test_meeting_actions(status: str, runs: bool, issues: bool, expected: set[str]) -> None:
    assert _open(meeting_actions_for(status, runs=runs, issues_minutes=issues)) == expected


RUNNER = {"runs": True, "on_roll": False, "enters_paper": False}
SECRETARY = {"runs": True, "on_roll": False, "enters_paper": True}
VOTER = {"runs": False, "on_roll": True, "enters_paper": False}
NOBODY = {"runs": False, "on_roll": False, "enters_paper": False}


@pytest.mark.parametrize(
    ("status", "mode", "outcome", "person", "expected"),
    [
        (OPEN, E, None, RUNNER, {"live_count", "close"}),
        (OPEN, E, None, VOTER, {"cast"}),
        (OPEN, E, None, NOBODY, set()),
        (OPEN, P, None, RUNNER, set()),
        (OPEN, P, None, SECRETARY, {"enter_paper"}),
        (OPEN, P, None, VOTER, set()),
        (CLOSED, E, Tally.Outcome.DECIDED, RUNNER, {"result"}),
        (CLOSED, E, Tally.Outcome.RUNOFF, RUNNER, {"result", "runoff_hint"}),
        (CLOSED, P, Tally.Outcome.RUNOFF, VOTER, {"result"}),
        (CLOSED, E, None, NOBODY, {"result"}),
    ],
)
def test_vote_actions(
    status: str, mode: str, outcome: str | None, person: dict[str, bool], expected: set[str]
) -> None:
    assert _open(vote_actions_for(status, mode, outcome, **person)) == expected
