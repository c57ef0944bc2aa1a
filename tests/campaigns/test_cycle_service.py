"""block_cycle_advance: legal steps only, by their owner, with a reason where needed, each
leaving a CycleStep and an audit event."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.org.helpers import AGENCY, events_after, last_seq, nothing_written, text
from thidua.audit.actions import AuditAction
from thidua.campaigns import services
from thidua.campaigns.cycle import (
    COVENANT,
    TRANSITIONS,
    CycleState,
    Owner,
    find_transition,
    transitions_from,
)
from thidua.campaigns.models import BlockCycle, Campaign, CycleStep
from thidua.org.models import BlockTerm

S = CycleState
# Who acts for each owner of Khối 1 in 2021 (QĐ 792: QLVHGD leads, TTVH deputises).
K1_ACTOR = {Owner.SECRETARIAT: "lan", Owner.BLOCK_LEADER: "minh", Owner.BLOCK_DEPUTY: "hoa"}


def cycle(block: str = "K1") -> BlockCycle:
    return BlockCycle.objects.get(term__block__code=block, campaign__year=2021)


def put(block: str, state: CycleState) -> BlockCycle:
    """Arrange: place a block's cycle in a state without going through the steps."""
    BlockCycle.objects.filter(pk=cycle(block).pk).update(state=state)
    return cycle(block)


def test_demo_k1_waits_for_signatures_and_k2_for_its_draft(db):
    assert cycle("K1").state == S.COVENANT_SIGNING
    assert cycle("K2").state == S.COVENANT_DRAFT


def test_leader_sends_the_covenant_for_signature(persona):
    k1 = put("K1", S.COVENANT_DRAFT)

    services.block_cycle_advance(
        actor=persona("minh"), cycle=k1, target=S.COVENANT_SIGNING, via=COVENANT
    )

    assert cycle("K1").state == S.COVENANT_SIGNING


def test_step_is_recorded_with_actor_and_note(persona):
    k1 = put("K1", S.COVENANT_LATE)
    seq = last_seq()

    services.block_cycle_advance(
        actor=persona("lan"),
        cycle=k1,
        target=S.ACTIVE,
        note="  Thiếu chữ ký BQLDT, đã bổ sung ",
        via=COVENANT,
    )

    step = CycleStep.objects.filter(cycle=k1).latest("id")
    assert (step.source, step.target, step.actor.username, step.note) == (
        S.COVENANT_LATE,
        S.ACTIVE,
        "lan",
        "Thiếu chữ ký BQLDT, đã bổ sung",
    )
    [event] = events_after(seq)
    assert (event.action, event.actor.username) == (AuditAction.CYCLE_ADVANCED, "lan")
    assert event.data == {
        "before": {"state": "covenant_late"},
        "after": {"state": "active"},
        "note": "Thiếu chữ ký BQLDT, đã bổ sung",
    }


def test_illegal_step_is_refused_listing_the_allowed_ones(persona):
    k1 = cycle("K1")  # covenant out for signature

    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.block_cycle_advance(actor=persona("lan"), cycle=k1, target=S.SCORED)

    message = text(refused.value)
    assert "cannot go from “Covenant out for signature” to “Scored”" in message
    assert "Emulation under way (first half), Covenant late" in message
    assert cycle("K1").state == S.COVENANT_SIGNING


def test_leader_may_not_take_the_secretariats_step(persona):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.block_cycle_advance(
            actor=persona("minh"), cycle=cycle("K1"), target=S.ACTIVE, via=COVENANT
        )

    assert text(refused.value) == ("Only the Secretariat may do this: Accept the signed covenant.")


def test_deputy_may_not_take_the_leaders_step(persona):
    k1 = put("K1", S.ACTIVE_H2)

    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.block_cycle_advance(actor=persona("hoa"), cycle=k1, target=S.REPORTS_COLLECTED)

    assert "Only the Block leader may do this" in text(refused.value)


@pytest.mark.parametrize("username", ["tuan", "mai"])
def test_member_without_a_block_role_is_denied(persona, username):
    with nothing_written(), pytest.raises(PermissionDenied) as denied:
        services.block_cycle_advance(actor=persona(username), cycle=cycle("K1"), target=S.ACTIVE)

    assert "no role in this block's year" in str(denied.value)


def test_leader_of_one_block_has_no_say_in_another(persona):
    k2 = cycle("K2")  # TVIEN leads Khối 2 in 2021

    with nothing_written(), pytest.raises(PermissionDenied):
        services.block_cycle_advance(actor=persona("minh"), cycle=k2, target=S.COVENANT_SIGNING)

    assert cycle("K2").state == S.COVENANT_DRAFT


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (S.COVENANT_LATE, S.ACTIVE),
        (S.SUBMITTED_TO_DEPT, S.LEADER_ELECTED),
        (S.AWARDED, S.REVOKED),
    ],
)
def test_secretariat_step_that_needs_a_reason_is_refused_without_one(persona, source, target):
    k1 = put("K1", source)

    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.block_cycle_advance(
            actor=persona("lan"),
            cycle=k1,
            target=target,
            note="  ",
            via=find_transition(source, target).workflow,
        )

    assert text(refused.value) == "Give a reason for this step."
    assert cycle("K1").state == source


def test_a_stale_cycle_object_cannot_repeat_a_step(persona):
    stale = put("K1", S.COVENANT_DRAFT)
    services.block_cycle_advance(
        actor=persona("minh"), cycle=stale, target=S.COVENANT_SIGNING, via=COVENANT
    )

    # The same click again, from the page loaded before the first one.
    with nothing_written(), pytest.raises(ValidationError):
        services.block_cycle_advance(
            actor=persona("minh"), cycle=stale, target=S.COVENANT_SIGNING, via=COVENANT
        )


def test_whole_year_of_khoi_1_walks_to_closed_with_one_step_each(persona):
    k1 = put("K1", S.SETUP)
    path = [
        S.COVENANT_DRAFT,
        S.COVENANT_SIGNING,
        S.COVENANT_LATE,
        S.ACTIVE,
        S.MIDYEAR_REVIEWED,
        S.ACTIVE_H2,
        S.REPORTS_COLLECTED,
        S.SCORED,
        S.SCORES_FINAL,
        S.LEADER_ELECTED,
        S.SUBMITTED_TO_DEPT,
        S.LEADER_ELECTED,
        S.SUBMITTED_TO_DEPT,
        S.SUBMITTED_TO_CITY,
        S.AWARDED,
        S.CLOSED,
    ]
    steps_before, seq = CycleStep.objects.filter(cycle=k1).count(), last_seq()

    for target in path:
        [transition] = [t for t in transitions_from(cycle("K1").state) if t.target == target]
        services.block_cycle_advance(
            actor=persona(K1_ACTOR[transition.owner]),
            cycle=k1,
            target=target,
            note="Biên bản",
            via=transition.workflow,
        )

    assert cycle("K1").state == S.CLOSED
    assert CycleStep.objects.filter(cycle=k1).count() == steps_before + len(path)
    assert [e.action for e in events_after(seq)] == [AuditAction.CYCLE_ADVANCED] * len(path)
    assert cycle("K1").steps.order_by("-id").first().actor.username == "lan"


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(choices=st.lists(st.integers(min_value=0, max_value=99), min_size=1, max_size=20))
def test_service_accepts_any_walk_of_allowed_steps_by_their_owners(persona, choices):
    k1 = put("K1", S.SETUP)
    for choice in choices:
        allowed = transitions_from(cycle("K1").state)
        if not allowed:
            break
        step = allowed[choice % len(allowed)]
        services.block_cycle_advance(
            actor=persona(K1_ACTOR[step.owner]),
            cycle=k1,
            target=step.target,
            note="Lý do",
            via=step.workflow,
        )
        assert cycle("K1").state == step.target


COVENANT_STEPS = [t for t in TRANSITIONS if t.workflow == COVENANT]


@pytest.mark.parametrize("transition", COVENANT_STEPS, ids=lambda t: f"{t.source}->{t.target}")
@pytest.mark.parametrize("username", ["lan", "minh", "hoa"])
def test_covenant_steps_are_refused_on_the_generic_path(persona, transition, username):
    # Whoever asks, even the step's owner with a reason: only the covenant services take it.
    k1 = put("K1", transition.source)

    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.block_cycle_advance(
            actor=persona(username), cycle=k1, target=transition.target, note="Lý do"
        )

    assert text(refused.value) == f"This step is taken on the covenant page: {transition.label}."
    assert cycle("K1").state == transition.source


def test_the_dashboard_offers_no_button_for_a_covenant_step(persona):
    from thidua.campaigns.selectors import dashboard_for

    put("K1", S.COVENANT_DRAFT)
    [minh_k1] = [
        c for c in dashboard_for(persona("minh")).blocks if c.cycle.term.block.code == "K1"
    ]
    assert minh_k1.actions == []  # minh circulates from the covenant page instead

    put("K1", S.COVENANT_SIGNING)
    [lan_k1] = [c for c in dashboard_for(persona("lan")).blocks if c.cycle.term.block.code == "K1"]
    assert [t.target for t in lan_k1.actions] == [S.COVENANT_LATE]


# Opening a cycle --------------------------------------------------------------------------


def test_opening_a_cycle_twice_changes_nothing(persona):
    k1 = cycle("K1")

    with nothing_written():
        again = services.block_cycle_open(actor=persona("lan"), campaign=k1.campaign, term=k1.term)

    assert again == k1


def test_term_of_another_year_cannot_join_the_campaign(persona):
    campaign = Campaign.objects.get(agency__code=AGENCY, year=2021)
    term_2020 = BlockTerm.objects.get(block__code="K1", year=2020)

    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.block_cycle_open(actor=persona("lan"), campaign=campaign, term=term_2020)

    assert "does not belong to the campaign's agency and year" in text(refused.value)
