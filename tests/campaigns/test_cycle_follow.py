"""Workflows move the block's year along when they reach a step, and never backwards."""

from __future__ import annotations

import pytest

from tests.campaigns.factories import make_block_cycle, make_campaign
from tests.org.factories import make_unit, make_user
from thidua.campaigns.cycle import CycleState
from thidua.campaigns.models import BlockCycle, CycleStep
from thidua.campaigns.services import block_cycle_follow
from thidua.org.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def year() -> tuple[BlockCycle, User]:
    """A block's 2023 year (made by the factories, not the demo) and the head of its leader."""
    campaign = make_campaign()
    leader = make_unit(parent=campaign.agency)
    members = [leader, make_unit(parent=campaign.agency)]
    cycle = make_block_cycle(campaign=campaign, members=members, leader=leader)
    return cycle, make_user(role=Role.UNIT_HEAD, unit=leader)


def _fresh(cycle: BlockCycle) -> BlockCycle:
    return BlockCycle.objects.get(pk=cycle.pk)


def test_a_workflow_moves_the_year_one_legal_step_and_says_which(
    year: tuple[BlockCycle, User],
) -> None:
    cycle, leader = year
    BlockCycle.objects.filter(pk=cycle.pk).update(state=CycleState.ACTIVE_H2)
    assert block_cycle_follow(
        actor=leader, cycle=cycle, target=CycleState.REPORTS_COLLECTED, via="reports"
    )
    assert _fresh(cycle).state == CycleState.REPORTS_COLLECTED
    step = CycleStep.objects.filter(cycle=cycle).latest("pk")
    assert (step.source, step.target, step.note) == ("active_h2", "reports_collected", "reports")
    # Again: nothing happens, nothing is recorded twice.
    assert not block_cycle_follow(
        actor=leader, cycle=cycle, target=CycleState.REPORTS_COLLECTED, via="reports"
    )
    assert CycleStep.objects.filter(cycle=cycle, target="reports_collected").count() == 1


def test_a_year_elsewhere_is_not_pulled_back_or_skipped_ahead(
    year: tuple[BlockCycle, User],
) -> None:
    cycle, leader = year
    BlockCycle.objects.filter(pk=cycle.pk).update(state=CycleState.SCORES_FINAL)
    assert not block_cycle_follow(
        actor=leader, cycle=cycle, target=CycleState.REPORTS_COLLECTED, via="reports"
    )
    assert not block_cycle_follow(
        actor=leader, cycle=cycle, target=CycleState.SUBMITTED_TO_CITY, via="proposals"
    )
    assert _fresh(cycle).state == CycleState.SCORES_FINAL
