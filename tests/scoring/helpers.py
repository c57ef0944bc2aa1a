"""Helpers for the scoring tests: the demo's 2021 campaign and blocks."""

from __future__ import annotations

from decimal import Decimal

from thidua.campaigns.models import BlockCycle, Campaign
from thidua.org.models import Block
from thidua.scoring.engine import Kind
from thidua.scoring.models import ScoringItem, ScoringTable
from thidua.scoring.services.tables import ItemInput


def campaign() -> Campaign:
    return Campaign.objects.get(year=2021)


def block(code: str) -> Block:
    return Block.objects.get(code=code, agency=campaign().agency)


def cycle(code: str) -> BlockCycle:
    return BlockCycle.objects.get(term__block__code=code, campaign__year=2021)


def leaf(table: ScoringTable, code: str) -> ScoringItem:
    return table.items.get(code=code)


def quantitative(code: str, formula: str, maximum: int = 10, **extra: object) -> ItemInput:
    return ItemInput(
        code=code,
        text=f"Item {code}",
        kind=Kind.QUANTITATIVE,
        max_points=Decimal(maximum),
        formula=formula,
        **extra,  # type: ignore[arg-type]
    )
