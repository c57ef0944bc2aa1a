"""Computed indicators feed the engine: the organisation data gives the values of items
linked to the campaign's computed criteria, and relative scoring works on them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thidua.campaigns.selectors import evaluate_measurable
from thidua.scoring.demo import load_demo_scoring
from thidua.scoring.engine import score_block
from thidua.scoring.selectors import tables as table_selectors

pytestmark = pytest.mark.django_db


def test_the_block_is_scored_from_its_organisation_data() -> None:
    table = load_demo_scoring()
    assert table is not None
    staff = table.items.get(criterion__indicator="staff_share_rated_at_least")
    units = table_selectors.block_unit_ids(table)
    assert len(units) == 7
    inputs = table_selectors.computed_inputs(table, units)
    expected = evaluate_measurable(table.campaign, units, [staff.criterion])
    for unit_id in units:
        assert inputs[unit_id].values[staff.code] == expected[(staff.criterion_id, unit_id)].value
    scores = score_block(table_selectors.engine_table(table), inputs)
    values = {u: inputs[u].values[staff.code] for u in units}
    best = max(v for v in values.values() if v is not None)
    for unit_id, value in values.items():
        result = scores[unit_id].by_code()[staff.code]
        if value == best:
            assert result.points == Decimal(10)
        elif value is not None:
            assert result.points == (Decimal(10) * value / best).quantize(Decimal("0.01"))
            assert result.inputs["best_value"] == best
    # Reports will bring the rest: until then every unit's total is marked incomplete.
    assert all(score.incomplete for score in scores.values())


def test_the_queries_do_not_grow_with_the_units() -> None:
    table = load_demo_scoring()
    assert table is not None
    units = table_selectors.block_unit_ids(table)
    with CaptureQueriesContext(connection) as few:
        table_selectors.computed_inputs(table, units[:2])
    with CaptureQueriesContext(connection) as many:
        table_selectors.computed_inputs(table, units)
    assert len(many) == len(few)
