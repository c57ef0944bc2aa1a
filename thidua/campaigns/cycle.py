"""The yearly cycle of a block as a state machine (domain.md §4.2). Pure: no database.

Each transition names the role that owns it. Later capabilities (covenants, reports,
scoring, voting) add guards through `facts`; a refused transition always says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class CycleState(StrEnum):
    SETUP = "setup"
    COVENANT_DRAFT = "covenant_draft"
    COVENANT_SIGNING = "covenant_signing"
    COVENANT_LATE = "covenant_late"
    ACTIVE = "active"
    MIDYEAR_REVIEWED = "midyear_reviewed"
    ACTIVE_H2 = "active_h2"
    REPORTS_COLLECTED = "reports_collected"
    SCORED = "scored"
    SCORES_FINAL = "scores_final"
    LEADER_ELECTED = "leader_elected"
    SUBMITTED_TO_DEPT = "submitted_to_dept"
    SUBMITTED_TO_CITY = "submitted_to_city"
    AWARDED = "awarded"
    NOT_AWARDED = "not_awarded"
    CLOSED = "closed"
    REVOKED = "revoked"


STATE_LABELS = {
    CycleState.SETUP: _("Setting up"),
    CycleState.COVENANT_DRAFT: _("Drafting the covenant"),
    CycleState.COVENANT_SIGNING: _("Covenant out for signature"),
    CycleState.COVENANT_LATE: _("Covenant late"),
    CycleState.ACTIVE: _("Emulation under way (first half)"),
    CycleState.MIDYEAR_REVIEWED: _("Mid-year review held"),
    CycleState.ACTIVE_H2: _("Emulation under way (second half)"),
    CycleState.REPORTS_COLLECTED: _("Annual reports collected"),
    CycleState.SCORED: _("Scored"),
    CycleState.SCORES_FINAL: _("Scores final"),
    CycleState.LEADER_ELECTED: _("Leading unit chosen"),
    CycleState.SUBMITTED_TO_DEPT: _("Proposed to the agency's council"),
    CycleState.SUBMITTED_TO_CITY: _("Proposed to the level above"),
    CycleState.AWARDED: _("Awarded"),
    CycleState.NOT_AWARDED: _("Not awarded"),
    CycleState.CLOSED: _("Closed and archived"),
    CycleState.REVOKED: _("Award revoked"),
}


# A step whose `workflow` is set belongs to that workflow's own service and page: the
# generic cycle buttons and the API cannot take it (the covenant must exist and be signed).
COVENANT = "covenant"

WORKFLOW_PAGES = {COVENANT: _("the covenant page")}


class Owner(StrEnum):
    BLOCK_LEADER = "block_leader"
    BLOCK_DEPUTY = "block_deputy"
    MEMBERS = "members"
    SECRETARIAT = "secretariat"
    COUNCIL = "council"


OWNER_LABELS = {
    Owner.BLOCK_LEADER: _("Block leader"),
    Owner.BLOCK_DEPUTY: _("Block deputy"),
    Owner.MEMBERS: _("Member units"),
    Owner.SECRETARIAT: _("Secretariat"),
    Owner.COUNCIL: _("Council"),
}


@dataclass(frozen=True)
class Transition:
    source: CycleState
    target: CycleState
    owner: Owner
    label: object
    needs_note: bool = False
    workflow: str = ""
    # A backward or punitive step (return, mark late, revoke): pages show it as a warning
    # button that asks for confirmation. Presentation only; the step itself is unchanged.
    destructive: bool = False


S = CycleState
TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.SETUP, S.COVENANT_DRAFT, Owner.SECRETARIAT, _("Open the year (leaders named)")),
    Transition(
        S.COVENANT_DRAFT,
        S.COVENANT_SIGNING,
        Owner.BLOCK_LEADER,
        _("Send the covenant for signature"),
        workflow=COVENANT,
    ),
    Transition(
        S.COVENANT_SIGNING,
        S.ACTIVE,
        Owner.SECRETARIAT,
        _("Accept the signed covenant"),
        workflow=COVENANT,
    ),
    Transition(
        S.COVENANT_SIGNING,
        S.COVENANT_LATE,
        Owner.SECRETARIAT,
        _("Mark the covenant late"),
        destructive=True,
    ),
    Transition(
        S.COVENANT_LATE,
        S.ACTIVE,
        Owner.SECRETARIAT,
        _("Accept the late covenant"),
        needs_note=True,
        workflow=COVENANT,
    ),
    Transition(S.ACTIVE, S.MIDYEAR_REVIEWED, Owner.BLOCK_DEPUTY, _("Record the mid-year review")),
    Transition(S.MIDYEAR_REVIEWED, S.ACTIVE_H2, Owner.BLOCK_DEPUTY, _("Start the second half")),
    Transition(
        S.ACTIVE_H2,
        S.REPORTS_COLLECTED,
        Owner.BLOCK_LEADER,
        _("Close the collection of annual reports"),
    ),
    Transition(S.REPORTS_COLLECTED, S.SCORED, Owner.BLOCK_LEADER, _("Finish scoring")),
    Transition(
        S.SCORED,
        S.SCORES_FINAL,
        Owner.BLOCK_LEADER,
        _("Make the scores final (explanations settled)"),
    ),
    Transition(
        S.SCORES_FINAL,
        S.LEADER_ELECTED,
        Owner.BLOCK_LEADER,
        _("Record the leading unit chosen at the year-end meeting"),
    ),
    Transition(
        S.LEADER_ELECTED,
        S.SUBMITTED_TO_DEPT,
        Owner.BLOCK_LEADER,
        _("Send the proposal to the agency's council"),
    ),
    Transition(
        S.SUBMITTED_TO_DEPT,
        S.LEADER_ELECTED,
        Owner.SECRETARIAT,
        _("Return the proposal to the block"),
        needs_note=True,
        destructive=True,
    ),
    Transition(
        S.SUBMITTED_TO_DEPT,
        S.SUBMITTED_TO_CITY,
        Owner.SECRETARIAT,
        _("Forward the council's proposal to the level above"),
    ),
    Transition(S.SUBMITTED_TO_CITY, S.AWARDED, Owner.SECRETARIAT, _("Record the award")),
    Transition(
        S.SUBMITTED_TO_CITY, S.NOT_AWARDED, Owner.SECRETARIAT, _("Record that no award was made")
    ),
    Transition(S.AWARDED, S.CLOSED, Owner.SECRETARIAT, _("Close and archive the year")),
    Transition(S.NOT_AWARDED, S.CLOSED, Owner.SECRETARIAT, _("Close and archive the year")),
    Transition(
        S.AWARDED,
        S.REVOKED,
        Owner.SECRETARIAT,
        _("Revoke the award"),
        needs_note=True,
        destructive=True,
    ),
)


class TransitionRefused(Exception):
    """Carries a user-facing reason."""


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == state]


def find_transition(source: str, target: str) -> Transition:
    for transition in TRANSITIONS:
        if transition.source == source and transition.target == target:
            return transition
    allowed = ", ".join(str(STATE_LABELS[t.target]) for t in transitions_from(source))
    raise TransitionRefused(
        _(
            "A block cannot go from “%(source)s” to “%(target)s”. From here it can go to: "
            "%(allowed)s."
        )
        % {
            # StrEnum members hash like their values, so plain strings look up fine.
            "source": STATE_LABELS.get(source, source),  # type: ignore[call-overload]
            "target": STATE_LABELS.get(target, target),  # type: ignore[call-overload]
            "allowed": allowed or _("nothing (the year is over)"),
        }
    )


def check_transition(
    *, source: str, target: str, actor_owners: set[Owner], note: str = "", via: str = ""
) -> Transition:
    """Return the transition if the actor may take it, else raise TransitionRefused.

    `via` names the workflow asking (e.g. COVENANT from the covenant services); a step that
    belongs to a workflow is refused to anyone else, whoever the actor is.
    """
    transition = find_transition(source, target)
    if transition.workflow and transition.workflow != via:
        raise TransitionRefused(
            _("This step is taken on %(page)s: %(label)s.")
            % {"page": WORKFLOW_PAGES[transition.workflow], "label": transition.label}
        )
    if transition.owner not in actor_owners:
        raise TransitionRefused(
            _("Only the %(owner)s may do this: %(label)s.")
            % {"owner": OWNER_LABELS[transition.owner], "label": transition.label}
        )
    if transition.needs_note and not note.strip():
        raise TransitionRefused(_("Give a reason for this step."))
    return transition
