"""Lateness costs what the block's regulation says: a penalty item counting the days the
unit's first submission came after the milestone (issue 4, "Reports" 3)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from thidua.reports import services as report_services
from thidua.reports.models import Period
from thidua.scoring.demo import load_demo_scoring
from thidua.scoring.engine import Kind
from thidua.scoring.models import ScoringItem, ScoringTable
from thidua.scoring.selectors import results
from thidua.scoring.services import rounds
from thidua.scoring.services import tables as table_services

from ..reports.helpers import fill, open_report
from .scores_helpers import all_points, leader, self_and_verify

pytestmark = pytest.mark.django_db


def _table_with_late_item(per_day: str = "0.5") -> ScoringTable:
    table = load_demo_scoring()
    assert table is not None
    penalty = table.items.get(kind=Kind.SECTION, text="Điểm trừ")
    table_services.item_add(
        actor=leader(),
        table=table,
        parent=penalty,
        data=table_services.ItemInput(
            code=f"{penalty.code}.9",
            text="Nộp báo cáo năm trễ hạn (mỗi ngày)",
            kind=Kind.PENALTY,
            points_per_occurrence=Decimal(per_day),
            indicator_source=ScoringItem.Source.LATE_DAYS,
        ),
    )
    return table


def _row(round_, code: str):  # type: ignore[no-untyped-def]
    return next(r for r in results.block_results(round_).rows if r.unit.code == code)


def test_days_late_of_the_first_submission_become_penalty_points(persona, settings) -> None:
    table = _table_with_late_item()
    late_code = table.items.get(indicator_source=ScoringItem.Source.LATE_DAYS).code
    tuan = persona("tuan")
    report = fill(tuan, open_report(tuan))
    settings.THIDUA_TODAY = "2021-11-17"  # three days after "trước ngày 15/11"
    report_services.report_submit(actor=tuan, report=report)
    # Returned and submitted again a week later: lateness is the first submission's.
    report_services.report_return(actor=leader(), report=report, reason="Bổ sung minh chứng.")
    settings.THIDUA_TODAY = "2021-11-24"
    report_services.report_submit(actor=tuan, report=fill(tuan, report))

    round_ = rounds.round_open(actor=leader(), table=table, period=Period.YEAREND)
    self_and_verify(round_, "QLDL", all_points(round_))
    self_and_verify(round_, "TTVH", all_points(round_))
    late = _row(round_, "QLDL").final.by_code()[late_code]
    assert late.points == Decimal("-1.50")
    assert late.inputs["occurrences"] == 3
    on_time = _row(round_, "TTVH").final.by_code()[late_code]
    assert on_time.points == Decimal("0.00")
    assert _row(round_, "QLDL").final.total == _row(round_, "TTVH").final.total - Decimal("1.5")


def test_days_late_only_on_a_penalty_item_counted_per_day() -> None:
    table = load_demo_scoring()
    assert table is not None
    with pytest.raises(ValidationError) as refused:
        table_services.item_add(
            actor=leader(),
            table=table,
            parent=None,
            data=table_services.ItemInput(
                code="99",
                text="Trễ hạn",
                kind=Kind.MANUAL,
                max_points=Decimal(5),
                indicator_source=ScoringItem.Source.LATE_DAYS,
            ),
        )
    assert "indicator_source" in refused.value.message_dict
    assert not table.items.filter(code="99").exists()
