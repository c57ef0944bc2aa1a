"""The JSON API (OpenAPI at /api/v1/openapi.json, committed as docs/openapi.json). Thin: it
calls the same selectors and services as the pages, so permissions and rules cannot differ
between the two. Each endpoint names its area (`auth=api_auth("org")`), which a token's
scopes may be limited to; base.py holds what every endpoint shares."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Schema, Status

from thidua.campaigns import services as campaign_services
from thidua.campaigns.models import BlockCycle, Campaign
from thidua.org import selectors as org_selectors
from thidua.org.models import Unit
from thidua.org.services.units import unit_snapshot
from thidua.titles import selectors as titles_selectors

from . import lists
from .auth import api_auth
from .base import make_api

api = make_api()
api.add_router("", lists.router)


class Error(Schema):
    """Declared by endpoints for their errors; the document shows every error as a Problem
    (base.py), which is what the API answers."""

    detail: str


class StrictIn(Schema):
    """Input bodies refuse fields the contract does not name."""

    model_config = {"extra": "forbid"}


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    status: str
    parent: str | None


class UnitVersionOut(Schema):
    valid_from: dt.date
    valid_to: dt.date | None
    name: str
    parent_code: str | None
    status: str


class MilestoneOut(Schema):
    kind: str
    title: str
    owner: str
    starts_on: dt.date | None
    due_on: dt.date


class CampaignOut(Schema):
    id: int
    year: int
    title: str
    plan_reference: str
    milestones: list[MilestoneOut]


class AdvanceIn(StrictIn):
    target: str
    note: str = ""


class CycleOut(Schema):
    id: int
    block: str
    year: int
    state: str


class RefusedBlockOut(Schema):
    block: str
    reason: str


class OpenedYearsOut(Schema):
    opened: list[CycleOut]
    already_open: list[CycleOut]
    refused: list[RefusedBlockOut]


def _cycle_out(cycle: BlockCycle) -> dict[str, Any]:
    return {
        "id": cycle.pk,
        "block": cycle.term.block.code,
        "year": cycle.term.year,
        "state": cycle.state,
    }


@api.get("/units", response={200: list[UnitOut], 401: Error}, auth=api_auth("org"))
def unit_search(request: HttpRequest, q: str) -> list[dict[str, Any]]:
    return [unit_snapshot(u) for u in org_selectors.search_units(q).select_related("parent")]


@api.get(
    "/units/{code}/history",
    response={200: list[UnitVersionOut], 401: Error, 404: Error},
    auth=api_auth("org"),
)
def unit_history(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    unit = get_object_or_404(Unit, code=code)
    return [
        {
            "valid_from": v.valid_from,
            "valid_to": v.valid_to,
            "name": v.name,
            "parent_code": v.parent.code if v.parent else None,
            "status": v.status,
        }
        for v in unit.versions.select_related("parent")
    ]


@api.get(
    "/campaigns/{campaign_id}",
    response={200: CampaignOut, 401: Error, 404: Error},
    auth=api_auth("campaigns"),
)
def campaign_detail(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    return {
        "id": campaign.pk,
        "year": campaign.year,
        "title": campaign.title,
        "plan_reference": campaign.plan_reference,
        "milestones": list(
            campaign.milestones.values("kind", "title", "owner", "starts_on", "due_on")
        ),
    }


@api.post(
    "/cycles/{cycle_id}/advance",
    response={200: CycleOut, 401: Error, 403: Error, 404: Error, 422: Error},
    auth=api_auth("campaigns"),
)
def cycle_advance(request: HttpRequest, cycle_id: int, payload: AdvanceIn) -> Status[Any]:
    cycle = get_object_or_404(BlockCycle, pk=cycle_id)
    try:
        cycle = campaign_services.block_cycle_advance(
            actor=request.user, cycle=cycle, target=payload.target, note=payload.note
        )
    except ValidationError as refusal:
        # The state machine refuses the step asked for: the field is the target.
        raise ValidationError({"target": refusal.messages}) from refusal
    return Status(
        200,
        {
            "id": cycle.pk,
            "block": cycle.term.block.code,
            "year": cycle.term.year,
            "state": cycle.state,
        },
    )


class EligibilityConditionOut(Schema):
    key: str
    kind: str
    rule: dict[str, Any]
    group: str
    legal_basis: str
    unverified: bool
    pack: str
    inputs: dict[str, Any]
    verdict: str
    explanation: str


class EligibilityTitleOut(Schema):
    code: str
    name: str
    verdict: str
    has_conditions: bool
    reasons: list[str]
    conditions: list[EligibilityConditionOut]


class EligibilitySubjectOut(Schema):
    kind: str
    code: str
    name: str


class EligibilityOut(Schema):
    subject: EligibilitySubjectOut
    year: int
    pack: str
    titles: list[EligibilityTitleOut]


@api.get(
    "/eligibility/{code}/{year}",
    response={200: EligibilityOut, 401: Error, 403: Error, 404: Error},
    auth=api_auth("titles"),
)
def eligibility(
    request: HttpRequest, code: str, year: int, title: str | None = None
) -> dict[str, Any]:
    """A person's or a unit's eligibility for the titles of an achievement year (the same
    evaluation as `manage.py eligibility CODE YEAR --json`)."""
    return titles_selectors.eligibility_for_code(request.user, code=code, year=year, title=title)


@api.post(
    "/campaigns/{campaign_id}/cycles/open",
    response={200: OpenedYearsOut, 401: Error, 403: Error, 404: Error},
    auth=api_auth("campaigns"),
)
def campaign_cycles_open(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    """Open the year of every block with a term for the campaign's year (as the campaign
    page's button does); blocks refused are listed with their reasons."""
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    result = campaign_services.block_cycles_open(actor=request.user, campaign=campaign)
    return {
        "opened": [_cycle_out(c) for c in result.opened],
        "already_open": [_cycle_out(c) for c in result.already],
        "refused": [{"block": r.block.code, "reason": r.problem} for r in result.refused],
    }
