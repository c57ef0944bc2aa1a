"""The demo's scoring table: Khối 1's 2021 table, started from the campaign's criteria.

The seed plan gives no points (domain.md §6.4), so the points here are illustrative and the
table's name says so: 10 per criterion, the staff-rating criterion scored relative to the
block's best unit, a bonus and a penalty section each capped at 10, and three bands set as
shares of the highest possible total. The table stays a draft, for the leader (minh) to edit.

Built through the services, as the leader would. Loading again changes nothing.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from django.db import transaction

from thidua.campaigns.models import BlockCycle
from thidua.org.models import User

from .engine import Kind
from .models import ScoringTable
from .services import tables as table_services

DEMO_NAME = "Bảng chấm điểm thi đua Khối 1 năm 2021 (điểm minh họa)"
LEAF_POINTS = Decimal(10)
RELATIVE = "min(max_points, max_points * value / best_value)"


@transaction.atomic
def load_demo_scoring() -> ScoringTable | None:
    k1 = (
        BlockCycle.objects.filter(campaign__year=2021, term__block__code="K1")
        .select_related("campaign", "term__block")
        .first()
    )
    if k1 is None:
        return None
    block, campaign = k1.term.block, k1.campaign
    existing = ScoringTable.objects.filter(campaign=campaign, block=block).first()
    if existing is not None:
        return existing
    minh = User.objects.get(username="minh")
    table = table_services.table_create(actor=minh, campaign=campaign, block=block, name=DEMO_NAME)
    leaves = table.items.exclude(kind=Kind.SECTION).select_related("criterion")
    for item in leaves:
        data = table_services.item_input(item)
        relative = item.criterion is not None and item.criterion.indicator == (
            "staff_share_rated_at_least"
        )
        table_services.item_update(
            actor=minh,
            item=item,
            parent=item.parent,
            data=replace(
                data,
                max_points=LEAF_POINTS,
                formula=RELATIVE if relative else data.formula,
                evidence_required=item.kind == Kind.QUANTITATIVE,
            ),
        )
    _extras(minh, table)
    maximum = LEAF_POINTS * leaves.count() + 10
    for name, share, title in (
        ("Xuất sắc", Decimal("0.90"), "Đề nghị tặng Cờ thi đua của UBND thành phố"),
        ("Tốt", Decimal("0.75"), ""),
        ("Khá", Decimal("0.60"), ""),
    ):
        table_services.band_save(
            actor=minh, table=table, name=name, min_total=maximum * share, eligible_for=title
        )
    return table


def _extras(actor: User, table: ScoringTable) -> None:
    last = table.items.filter(parent=None).count()
    bonus = table_services.item_add(
        actor=actor,
        table=table,
        parent=None,
        data=table_services.ItemInput(
            code=str(last + 1), text="Điểm cộng", kind=Kind.SECTION, cap=Decimal(10)
        ),
    )
    table_services.item_add(
        actor=actor,
        table=table,
        parent=bonus,
        data=table_services.ItemInput(
            code=f"{last + 1}.1",
            text="Được tặng Bằng khen, Cờ thi đua trong năm (mỗi lần)",
            kind=Kind.BONUS,
            points_per_occurrence=Decimal(5),
            evidence_required=True,
        ),
    )
    penalty = table_services.item_add(
        actor=actor,
        table=table,
        parent=None,
        data=table_services.ItemInput(
            code=str(last + 2), text="Điểm trừ", kind=Kind.SECTION, cap=Decimal(10)
        ),
    )
    table_services.item_add(
        actor=actor,
        table=table,
        parent=penalty,
        data=table_services.ItemInput(
            code=f"{last + 2}.1",
            text="Nộp báo cáo trễ hạn (mỗi lần)",
            kind=Kind.PENALTY,
            points_per_occurrence=Decimal(2),
        ),
    )
