"""The block cycle state machine on its own (domain.md §4.2): no database."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thidua.campaigns.cycle import (
    COVENANT,
    OWNER_LABELS,
    STATE_LABELS,
    TRANSITIONS,
    CycleState,
    Owner,
    TransitionRefused,
    check_transition,
    find_transition,
    transitions_from,
)

S = CycleState
TERMINAL = {S.CLOSED, S.REVOKED}
EVERY_OWNER = set(Owner)


def reachable_from(start: CycleState) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for transition in transitions_from(todo.pop()):
            if transition.target not in seen:
                seen.add(transition.target)
                todo.append(transition.target)
    return seen


REACHABLE = reachable_from(S.SETUP)


@given(st.lists(st.integers(min_value=0, max_value=1000), max_size=40))
def test_random_walk_from_setup_stays_in_reachable_states(choices):
    state = S.SETUP
    for choice in choices:
        allowed = transitions_from(state)
        if not allowed:
            assert state in TERMINAL
            break
        step = allowed[choice % len(allowed)]
        assert (
            check_transition(
                source=state,
                target=step.target,
                actor_owners=EVERY_OWNER,
                note="lý do",
                via=step.workflow,
            )
            is step
        )
        state = step.target
        assert state in REACHABLE


@pytest.mark.parametrize("state", sorted(set(S) - TERMINAL))
def test_every_state_but_the_terminal_ones_has_a_way_out(state):
    assert transitions_from(state)


@pytest.mark.parametrize("state", sorted(TERMINAL))
def test_terminal_states_have_no_way_out(state):
    assert transitions_from(state) == []


def test_every_state_can_be_reached_from_setup():
    assert set(S) == REACHABLE


def test_every_state_and_owner_has_a_label():
    assert set(STATE_LABELS) == set(S)
    assert set(OWNER_LABELS) == set(Owner)


def test_no_two_transitions_share_a_source_and_target():
    pairs = [(t.source, t.target) for t in TRANSITIONS]
    assert len(pairs) == len(set(pairs))


def test_the_year_runs_from_setup_to_closed_in_order():
    happy_path = [
        S.SETUP,
        S.COVENANT_DRAFT,
        S.COVENANT_SIGNING,
        S.ACTIVE,
        S.MIDYEAR_REVIEWED,
        S.ACTIVE_H2,
        S.REPORTS_COLLECTED,
        S.SCORED,
        S.SCORES_FINAL,
        S.LEADER_ELECTED,
        S.SUBMITTED_TO_DEPT,
        S.SUBMITTED_TO_CITY,
        S.AWARDED,
        S.CLOSED,
    ]
    for source, target in itertools.pairwise(happy_path):
        assert find_transition(source, target).target == target


LEGAL = {(t.source, t.target) for t in TRANSITIONS}
ILLEGAL_PAIRS = [(a, b) for a in S for b in S if (a, b) not in LEGAL]


@given(st.sampled_from(ILLEGAL_PAIRS))
def test_illegal_move_is_refused_and_lists_what_is_allowed(pair):
    source, target = pair

    with pytest.raises(TransitionRefused) as refused:
        check_transition(source=source, target=target, actor_owners=EVERY_OWNER, note="x")

    message = str(refused.value)
    assert f"“{STATE_LABELS[source]}”" in message
    assert f"“{STATE_LABELS[target]}”" in message
    for allowed in transitions_from(source):
        assert str(STATE_LABELS[allowed.target]) in message


def test_refusal_from_signing_names_both_ways_forward():
    with pytest.raises(TransitionRefused) as refused:
        find_transition(S.COVENANT_SIGNING, S.SCORED)

    assert str(refused.value) == (
        "A block cannot go from “Covenant out for signature” to “Scored”. From here it can go "
        "to: Emulation under way (first half), Covenant late."
    )


def test_refusal_from_a_closed_year_says_the_year_is_over():
    with pytest.raises(TransitionRefused) as refused:
        find_transition(S.CLOSED, S.ACTIVE)

    assert "nothing (the year is over)" in str(refused.value)


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: f"{t.source}->{t.target}")
def test_only_the_owner_may_take_a_step(transition):
    others = EVERY_OWNER - {transition.owner}

    with pytest.raises(TransitionRefused) as refused:
        check_transition(
            source=transition.source,
            target=transition.target,
            actor_owners=others,
            note="x",
            via=transition.workflow,
        )

    assert str(refused.value) == (
        f"Only the {OWNER_LABELS[transition.owner]} may do this: {transition.label}."
    )


NOTED = [t for t in TRANSITIONS if t.needs_note]


def test_the_steps_that_need_a_reason_are_the_exceptional_ones():
    assert {(t.source, t.target) for t in NOTED} == {
        (S.COVENANT_LATE, S.ACTIVE),
        (S.SUBMITTED_TO_DEPT, S.LEADER_ELECTED),
        (S.AWARDED, S.REVOKED),
    }


@pytest.mark.parametrize("transition", NOTED, ids=lambda t: f"{t.source}->{t.target}")
@pytest.mark.parametrize("note", ["", "   \n"])
def test_step_that_needs_a_reason_is_refused_without_one(transition, note):
    with pytest.raises(TransitionRefused) as refused:
        check_transition(
            source=transition.source,
            target=transition.target,
            actor_owners={transition.owner},
            note=note,
            via=transition.workflow,
        )

    assert str(refused.value) == "Give a reason for this step."


COVENANT_STEPS = [t for t in TRANSITIONS if t.workflow == COVENANT]


def test_the_covenant_steps_are_the_ones_the_covenant_services_take():
    assert {(t.source, t.target) for t in COVENANT_STEPS} == {
        (S.COVENANT_DRAFT, S.COVENANT_SIGNING),
        (S.COVENANT_SIGNING, S.ACTIVE),
        (S.COVENANT_LATE, S.ACTIVE),
    }
    assert all(not t.workflow for t in TRANSITIONS if t not in COVENANT_STEPS)


@pytest.mark.parametrize("transition", COVENANT_STEPS, ids=lambda t: f"{t.source}->{t.target}")
@pytest.mark.parametrize("via", ["", "reports"])
def test_a_covenant_step_is_refused_outside_the_covenant_workflow(transition, via):
    # Even to every owner, with a reason: the covenant must exist and be signed first.
    with pytest.raises(TransitionRefused) as refused:
        check_transition(
            source=transition.source,
            target=transition.target,
            actor_owners=EVERY_OWNER,
            note="lý do",
            via=via,
        )

    assert str(refused.value) == (f"This step is taken on the covenant page: {transition.label}.")


@pytest.mark.parametrize("transition", COVENANT_STEPS, ids=lambda t: f"{t.source}->{t.target}")
def test_the_covenant_workflow_takes_its_steps(transition):
    assert (
        check_transition(
            source=transition.source,
            target=transition.target,
            actor_owners={transition.owner},
            note="lý do",
            via=COVENANT,
        )
        is transition
    )
