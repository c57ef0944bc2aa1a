"""Workflows move the block's year along when they reach a step, and never backwards."""

from __future__ import annotations

import pytest

from thidua.campaigns.cycle import CycleState
from thidua.campaigns.models import BlockCycle, CycleStep
from thidua.campaigns.services import block_cycle_follow
from thidua.org.models import User

pytestmark = pytest.mark.django_db


def _k1() -> BlockCycle:
    return BlockCycle.objects.get(term__block__code="K1", campaign__year=2021)


def test_a_workflow_moves_the_year_one_legal_step_and_says_which() -> None:
    cycle = _k1()
    BlockCycle.objects.filter(pk=cycle.pk).update(state=CycleState.ACTIVE_H2)
    minh = User.objects.get(username="minh")
    assert block_cycle_follow(
        actor=minh, cycle=cycle, target=CycleState.REPORTS_COLLECTED, via="reports"
    )
    assert _k1().state == CycleState.REPORTS_COLLECTED
    step = CycleStep.objects.filter(cycle=cycle).latest("pk")
    assert (step.source, step.target, step.note) == ("active_h2", "reports_collected", "reports")
    # Again: nothing happens, nothing is recorded twice.
    assert not block_cycle_follow(
        actor=minh, cycle=cycle, target=CycleState.REPORTS_COLLECTED, via="reports"
    )
    assert CycleStep.objects.filter(cycle=cycle, target="reports_collected").count() == 1


def test_a_year_elsewhere_is_not_pulled_back_or_skipped_ahead() -> None:
    cycle = _k1()
    BlockCycle.objects.filter(pk=cycle.pk).update(state=CycleState.SCORES_FINAL)
    minh = User.objects.get(username="minh")
    assert not block_cycle_follow(
        actor=minh, cycle=cycle, target=CycleState.REPORTS_COLLECTED, via="reports"
    )
    assert not block_cycle_follow(
        actor=minh, cycle=cycle, target=CycleState.SUBMITTED_TO_CITY, via="proposals"
    )
    assert _k1().state == CycleState.SCORES_FINAL
