"""List endpoints: paginated (limit/offset, answer `{"items": [...], "count": n}`) in a
stable order, filtered by year, agency, block and unit (codes, as the pages show them).
Their query count does not grow with the page size (tests/api/test_lists.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from thidua.campaigns import selectors as campaign_selectors
from thidua.campaigns.models import BlockCycle, Campaign
from thidua.org import selectors as org_selectors
from thidua.org.models import Block

from .auth import api_auth

router = Router()


class Pages(LimitOffsetPagination):
    """django-ninja's limit/offset, with the offset bounded to what every database takes."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=2**31 - 1)


class CampaignSummaryOut(Schema):
    id: int
    year: int
    agency: str
    title: str
    plan_reference: str
    starts_on: dt.date
    ends_on: dt.date

    @staticmethod
    def resolve_agency(campaign: Campaign) -> str:
        return campaign.agency.code


class BlockOut(Schema):
    code: str
    name: str
    kind: str
    agency: str
    is_archived: bool

    @staticmethod
    def resolve_agency(block: Block) -> str:
        return block.agency.code


class CycleSummaryOut(Schema):
    id: int
    campaign_id: int
    year: int
    agency: str
    block: str
    state: str
    leader: str
    deputy: str | None
    members: list[str]

    @staticmethod
    def resolve_year(cycle: BlockCycle) -> int:
        return cycle.term.year

    @staticmethod
    def resolve_agency(cycle: BlockCycle) -> str:
        return cycle.term.block.agency.code

    @staticmethod
    def resolve_block(cycle: BlockCycle) -> str:
        return cycle.term.block.code

    @staticmethod
    def resolve_leader(cycle: BlockCycle) -> str:
        return cycle.term.leader.code

    @staticmethod
    def resolve_deputy(cycle: BlockCycle) -> str | None:
        return cycle.term.deputy.code if cycle.term.deputy else None

    @staticmethod
    def resolve_members(cycle: BlockCycle) -> list[str]:
        return [membership.unit.code for membership in cycle.term.memberships.all()]


@router.get("/campaigns", response=list[CampaignSummaryOut], auth=api_auth("campaigns"))
@paginate(Pages)
def campaign_list(
    request: HttpRequest, year: int | None = None, agency: str | None = None
) -> QuerySet[Campaign]:
    """Campaign plans, newest year first."""
    return campaign_selectors.campaigns_listed(year=year, agency=agency)


@router.get("/blocks", response=list[BlockOut], auth=api_auth("org"))
@paginate(Pages)
def block_list(
    request: HttpRequest,
    agency: str | None = None,
    year: int | None = None,
    unit: str | None = None,
) -> QuerySet[Block]:
    """Blocks (khối, cụm) by agency and code."""
    return org_selectors.blocks_listed(agency=agency, year=year, unit=unit)


@router.get("/cycles", response=list[CycleSummaryOut], auth=api_auth("campaigns"))
@paginate(Pages)
def cycle_list(
    request: HttpRequest,
    year: int | None = None,
    agency: str | None = None,
    block: str | None = None,
    unit: str | None = None,
) -> Any:
    """Blocks' years with their state, leader, deputy and members."""
    return campaign_selectors.cycles_listed(year=year, agency=agency, block=block, unit=unit)
