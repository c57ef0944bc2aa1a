"""Who may do what with a meeting: one small policy, read by the services (which enforce it)
and the views (which show or hide the buttons). Every answer is a plain bool; the services
turn a False into PermissionDenied with their own message.

| action                  | who                                                          |
|-------------------------|--------------------------------------------------------------|
| call a block meeting    | the block's leader, or the agency's secretariat              |
| call a council session  | the agency's secretariat, or the council's chair or          |
|                         | vice-chair sitting on the session's day                      |
| run a meeting           | its chair, its secretary, or the agency's secretariat        |
| enter a paper tally     | its secretary, or the agency's secretariat                   |
| settle a tie            | whom the vote's rule names (leader and deputy, the chair, or |
|                         | the secretariat recording the competent authority's choice) |
| issue the minutes and   | the meeting's own secretary, or the agency's secretariat     |
| the tally minutes       | (the minutes still take a number in the agency's registry)   |

Voting itself is not here: who may cast a ballot is the meeting's roll (selectors.
entitlements_of), not a role.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from thidua.org.models import BlockTerm, Council, CouncilMember, CouncilRole, Unit
from thidua.org.permissions import (
    Actor,
    is_block_deputy,
    is_block_leader,
    is_secretariat_of,
)

from .models import Meeting, Tally, Vote


def _signed_in(actor: Actor) -> bool:
    return actor is not None and bool(getattr(actor, "is_authenticated", False))


def _is(actor: Actor, user_id: int | None) -> bool:
    return _signed_in(actor) and user_id is not None and getattr(actor, "pk", None) == user_id


def may_call(
    actor: Actor,
    *,
    agency: Unit,
    term: BlockTerm | None = None,
    council: Council | None = None,
    on: dt.date | None = None,
) -> bool:
    """A block's year-end review: its leader or the secretariat. A council session: the
    secretariat, or whoever presides over the council (chair or vice-chair) on day `on`:
    the chair convenes the council, the secretariat prepares its sessions."""
    if not _signed_in(actor):
        return False
    if is_secretariat_of(actor, agency):
        return True
    if term is not None:
        return is_block_leader(actor, term)
    if council is None or on is None or not getattr(actor, "person_id", None):
        return False
    return (
        CouncilMember.objects.filter(
            council=council,
            person_id=actor.person_id,  # type: ignore[union-attr]
            role__in=[CouncilRole.CHAIR, CouncilRole.VICE_CHAIR],
        )
        .sitting_on(on)
        .exists()
    )


def may_run(actor: Actor, meeting: Meeting) -> bool:
    """Attendance, agenda, opening and closing votes, closing the meeting."""
    if not _signed_in(actor):
        return False
    return (
        _is(actor, meeting.chair_id)
        or _is(actor, meeting.secretary_id)
        or is_secretariat_of(actor, meeting.agency)
    )


def may_enter_paper(actor: Actor, meeting: Meeting) -> bool:
    """The secretary keeps the paper count; the chair presides over it but does not enter it
    (the one who counted signs for the numbers)."""
    if not _signed_in(actor):
        return False
    return _is(actor, meeting.secretary_id) or is_secretariat_of(actor, meeting.agency)


def may_decide(actor: Actor, vote: Vote) -> bool:
    """Who settles a tie after the last round, by the rule the vote opened with (its
    snapshot: a rule edited since does not change who decides this vote)."""
    if not _signed_in(actor):
        return False
    meeting = vote.meeting
    deciders = vote.rule_snapshot["deciders"]
    if deciders == "leader_deputy" and meeting.term is not None:
        return is_block_leader(actor, meeting.term) or is_block_deputy(actor, meeting.term)
    if deciders == "chair":
        return _is(actor, meeting.chair_id)
    # The competent authority decides outside the system; the secretariat records it.
    return is_secretariat_of(actor, meeting.agency)


def may_issue_minutes(actor: Actor, meeting: Meeting) -> bool:
    """The secretary of this meeting writes its minutes and so may issue them (and the tally
    minutes); the secretariat, which keeps the agency's registry, may too. The minutes are
    numbered in that registry whoever issues them (voting.minutes tells it so)."""
    if not _signed_in(actor):
        return False
    return _is(actor, meeting.secretary_id) or is_secretariat_of(actor, meeting.agency)


def require_runner(actor: Actor, meeting: Meeting) -> None:
    if not may_run(actor, meeting):
        raise PermissionDenied(_("Only the chair, the secretary or the secretariat may do this."))


def require_secretary(actor: Actor, meeting: Meeting) -> None:
    if not may_enter_paper(actor, meeting):
        raise PermissionDenied(_("Only the secretary of the meeting may enter a paper tally."))


# What the meeting page offers ---------------------------------------------------------------


@dataclass(frozen=True)
class MeetingActions:
    """What a person may do on a meeting now; the meeting page shows exactly these."""

    run: bool = False  # attendance, agenda, open votes, close the meeting
    minutes: bool = False  # the minutes panel (the meeting is closed)
    issue_minutes: bool = False


def meeting_actions_for(status: str, *, runs: bool, issues_minutes: bool) -> MeetingActions:
    """The actions open on a meeting in `status` (pure: no database)."""
    closed = status == Meeting.Status.CLOSED
    return MeetingActions(
        run=runs and not closed, minutes=closed, issue_minutes=closed and issues_minutes
    )


@dataclass(frozen=True)
class VoteActions:
    """What a person may do on one round of voting now."""

    live_count: bool = False  # watch the ballots come in
    cast: bool = False  # go to the ballot
    close: bool = False  # close the vote and count
    enter_paper: bool = False  # enter the paper tally
    result: bool = False
    runoff_hint: bool = False  # a tie: the next round is to be opened


def vote_actions_for(
    status: str,
    mode: str,
    outcome: str | None,
    *,
    runs: bool,
    on_roll: bool,
    enters_paper: bool,
) -> VoteActions:
    """The actions open on a vote in `status` and `mode` (pure: no database)."""
    if status == Vote.Status.OPEN:
        electronic = mode == Vote.Mode.ELECTRONIC
        return VoteActions(
            live_count=electronic and runs,
            cast=electronic and on_roll,
            close=electronic and runs,
            enter_paper=mode == Vote.Mode.PAPER and enters_paper,
        )
    return VoteActions(result=True, runoff_hint=runs and outcome == Tally.Outcome.RUNOFF)
