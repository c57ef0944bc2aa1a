"""block_cycle_advance: legal steps only, by their owner, with a reason where needed, each
leaving a CycleStep and an audit event.

Built on the factories (an agency, its 2023 campaign and two blocks), not on the demo year."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.campaigns.factories import make_block_cycle, make_campaign
from tests.org.factories import make_block_term, make_unit, make_user
from tests.org.helpers import events_after, last_seq, nothing_written, text
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
from thidua.campaigns.models import BlockCycle, CycleStep
from thidua.org.models import Role, User

S = CycleState


@dataclass
class Year:
    """A campaign year of two blocks. In the first, the secretariat has opened the covenant
    draft and the leader has sent it out for signature; the second waits for its draft."""

    k1: BlockCycle
    k2: BlockCycle
    secretariat: User
    leader: User  # heads the first block's leading unit
    deputy: User  # heads its deputy unit
    head: User  # heads its third member, with no block role
    staff: User  # works in that third member

    def actor(self, owner: Owner) -> User:
        return {
            Owner.SECRETARIAT: self.secretariat,
            Owner.BLOCK_LEADER: self.leader,
            Owner.BLOCK_DEPUTY: self.deputy,
        }[owner]


@pytest.fixture
def year(db) -> Year:
    agency = make_unit()
    campaign = make_campaign(agency=agency, year=2023)
    units = [make_unit(parent=agency) for _ in range(3)]
    k1 = make_block_cycle(campaign=campaign, members=units, leader=units[0], deputy=units[1])
    k2 = make_block_cycle(campaign=campaign)
    cast = Year(
        k1=k1,
        k2=k2,
        secretariat=make_user(role=Role.SECRETARIAT, unit=agency),
        leader=make_user(role=Role.UNIT_HEAD, unit=units[0]),
        deputy=make_user(role=Role.UNIT_HEAD, unit=units[1]),
        head=make_user(role=Role.UNIT_HEAD, unit=units[2]),
        staff=make_user(role=Role.STAFF, unit=units[2]),
    )
    for block in (k1, k2):
        services.block_cycle_advance(actor=cast.secretariat, cycle=block, target=S.COVENANT_DRAFT)
    services.block_cycle_advance(
        actor=cast.leader, cycle=k1, target=S.COVENANT_SIGNING, via=COVENANT
    )
    return cast


def fresh(block: BlockCycle) -> BlockCycle:
    return BlockCycle.objects.get(pk=block.pk)


def put(block: BlockCycle, state: CycleState) -> BlockCycle:
    """Arrange: place a block's cycle in a state without going through the steps."""
    BlockCycle.objects.filter(pk=block.pk).update(state=state)
    return fresh(block)


def test_leader_sends_the_covenant_for_signature(year):
    k1 = put(year.k1, S.COVENANT_DRAFT)

    services.block_cycle_advance(
        actor=year.leader, cycle=k1, target=S.COVENANT_SIGNING, via=COVENANT
    )

    assert fresh(year.k1).state == S.COVENANT_SIGNING


def test_step_is_recorded_with_actor_and_note(year):
    k1 = put(year.k1, S.COVENANT_LATE)
    seq = last_seq()

    services.block_cycle_advance(
        actor=year.secretariat,
        cycle=k1,
        target=S.ACTIVE,
        note="  Thiếu chữ ký BQLDT, đã bổ sung ",
        via=COVENANT,
    )

    step = CycleStep.objects.filter(cycle=k1).latest("id")
    assert (step.source, step.target, step.actor.username, step.note) == (
        S.COVENANT_LATE,
        S.ACTIVE,
        year.secretariat.username,
        "Thiếu chữ ký BQLDT, đã bổ sung",
    )
    [event] = events_after(seq)
    assert (event.action, event.actor.username) == (
        AuditAction.CYCLE_ADVANCED,
        year.secretariat.username,
    )
    assert event.data == {
        "before": {"state": "covenant_late"},
        "after": {"state": "active"},
        "note": "Thiếu chữ ký BQLDT, đã bổ sung",
    }


def test_illegal_step_is_refused_listing_the_allowed_ones(year):
    k1 = fresh(year.k1)  # covenant out for signature

    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.block_cycle_advance(actor=year.secretariat, cycle=k1, target=S.SCORED)

    message = text(refused.value)
    assert "cannot go from “Covenant out for signature” to “Scored”" in message
    assert "Emulation under way (first half), Covenant late" in message
    assert fresh(year.k1).state == S.COVENANT_SIGNING


def test_leader_may_not_take_the_secretariats_step(year):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.block_cycle_advance(
            actor=year.leader, cycle=fresh(year.k1), target=S.ACTIVE, via=COVENANT
        )

    assert text(refused.value) == ("Only the Secretariat may do this: Accept the signed covenant.")


def test_deputy_may_not_take_the_leaders_step(year):
    k1 = put(year.k1, S.ACTIVE_H2)

    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.block_cycle_advance(actor=year.deputy, cycle=k1, target=S.REPORTS_COLLECTED)

    assert "Only the Block leader may do this" in text(refused.value)


@pytest.mark.parametrize("username", ["head", "staff"])
def test_member_without_a_block_role_is_denied(year, username):
    with nothing_written(), pytest.raises(PermissionDenied) as denied:
        services.block_cycle_advance(
            actor=getattr(year, username), cycle=fresh(year.k1), target=S.ACTIVE
        )

    assert "no role in this block's year" in str(denied.value)


def test_leader_of_one_block_has_no_say_in_another(year):
    k2 = fresh(year.k2)  # led by a unit the leader does not head

    with nothing_written(), pytest.raises(PermissionDenied):
        services.block_cycle_advance(actor=year.leader, cycle=k2, target=S.COVENANT_SIGNING)

    assert fresh(year.k2).state == S.COVENANT_DRAFT


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (S.COVENANT_LATE, S.ACTIVE),
        (S.SUBMITTED_TO_DEPT, S.LEADER_ELECTED),
        (S.AWARDED, S.REVOKED),
    ],
)
def test_secretariat_step_that_needs_a_reason_is_refused_without_one(year, source, target):
    k1 = put(year.k1, source)

    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.block_cycle_advance(
            actor=year.secretariat,
            cycle=k1,
            target=target,
            note="  ",
            via=find_transition(source, target).workflow,
        )

    assert text(refused.value) == "Give a reason for this step."
    assert fresh(year.k1).state == source


def test_a_stale_cycle_object_cannot_repeat_a_step(year):
    stale = put(year.k1, S.COVENANT_DRAFT)
    services.block_cycle_advance(
        actor=year.leader, cycle=stale, target=S.COVENANT_SIGNING, via=COVENANT
    )

    # The same click again, from the page loaded before the first one.
    with nothing_written(), pytest.raises(ValidationError):
        services.block_cycle_advance(
            actor=year.leader, cycle=stale, target=S.COVENANT_SIGNING, via=COVENANT
        )


def test_whole_year_of_a_block_walks_to_closed_with_one_step_each(year):
    k1 = put(year.k1, S.SETUP)
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
        [transition] = [t for t in transitions_from(fresh(year.k1).state) if t.target == target]
        services.block_cycle_advance(
            actor=year.actor(transition.owner),
            cycle=k1,
            target=target,
            note="Biên bản",
            via=transition.workflow,
        )

    assert fresh(year.k1).state == S.CLOSED
    assert CycleStep.objects.filter(cycle=k1).count() == steps_before + len(path)
    assert [e.action for e in events_after(seq)] == [AuditAction.CYCLE_ADVANCED] * len(path)
    assert fresh(year.k1).steps.order_by("-id").first().actor.username == year.secretariat.username


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(choices=st.lists(st.integers(min_value=0, max_value=99), min_size=1, max_size=20))
def test_service_accepts_any_walk_of_allowed_steps_by_their_owners(year, choices):
    k1 = put(year.k1, S.SETUP)
    for choice in choices:
        allowed = transitions_from(fresh(year.k1).state)
        if not allowed:
            break
        step = allowed[choice % len(allowed)]
        services.block_cycle_advance(
            actor=year.actor(step.owner),
            cycle=k1,
            target=step.target,
            note="Lý do",
            via=step.workflow,
        )
        assert fresh(year.k1).state == step.target


COVENANT_STEPS = [t for t in TRANSITIONS if t.workflow == COVENANT]


@pytest.mark.parametrize("transition", COVENANT_STEPS, ids=lambda t: f"{t.source}->{t.target}")
@pytest.mark.parametrize("username", ["secretariat", "leader", "deputy"])
def test_covenant_steps_are_refused_on_the_generic_path(year, transition, username):
    # Whoever asks, even the step's owner with a reason: only the covenant services take it.
    k1 = put(year.k1, transition.source)

    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.block_cycle_advance(
            actor=getattr(year, username), cycle=k1, target=transition.target, note="Lý do"
        )

    assert text(refused.value) == f"This step is taken on the covenant page: {transition.label}."
    assert fresh(year.k1).state == transition.source


def test_the_dashboard_offers_no_button_for_a_covenant_step(year):
    from thidua.campaigns.selectors import dashboard_for

    put(year.k1, S.COVENANT_DRAFT)
    [leader_k1] = [c for c in dashboard_for(year.leader).blocks if c.cycle.pk == year.k1.pk]
    assert leader_k1.actions == []  # the leader circulates from the covenant page instead

    put(year.k1, S.COVENANT_SIGNING)
    [secretariat_k1] = [
        c for c in dashboard_for(year.secretariat).blocks if c.cycle.pk == year.k1.pk
    ]
    assert [t.target for t in secretariat_k1.actions] == [S.COVENANT_LATE]


# Opening a cycle --------------------------------------------------------------------------


def test_opening_a_cycle_twice_changes_nothing(year):
    k1 = fresh(year.k1)

    with nothing_written():
        again = services.block_cycle_open(
            actor=year.secretariat, campaign=k1.campaign, term=k1.term
        )

    assert again == k1


def test_term_of_another_year_cannot_join_the_campaign(year):
    campaign = year.k1.campaign  # 2023
    term_2022 = make_block_term(block=year.k1.term.block, year=2022)

    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.block_cycle_open(actor=year.secretariat, campaign=campaign, term=term_2022)

    assert "does not belong to the campaign's agency and year" in text(refused.value)
