"""What the initiative pages compute before rendering: the register's filter from the query
string, the actions a person may take on one initiative, the forms' defaults and the
services' inputs from the forms' data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import Http404

from thidua.documents.legal import national_bases_on
from thidua.lib.dates import today
from thidua.org.documents import head_on
from thidua.org.models import Person, Unit

from . import bodies
from .models import Initiative, InitiativeScope, InitiativeStatus
from .permissions import (
    may_decide_council,
    may_decide_grassroots,
    may_edit,
    may_record_received,
)
from .selectors import RegisterCriteria
from .services.decisions import RecognitionInput, ReviewInput


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def criteria(params: Mapping[str, str]) -> RegisterCriteria:
    unit_id, person_id = _int(params.get("unit")), _int(params.get("person"))
    return RegisterCriteria(
        text=(params.get("q") or "").strip()[:200],
        unit=Unit.objects.filter(pk=unit_id).first() if unit_id else None,
        year=_int(params.get("year")),
        scope=params.get("scope") or "",
        person=Person.objects.filter(pk=person_id).first() if person_id else None,
    )


def require_scope(scope: str) -> None:
    if scope not in InitiativeScope.values:
        raise Http404


def _may_decide(user: Any, initiative: Initiative, scope: str) -> bool:
    if scope == InitiativeScope.CO_SO:
        return may_decide_grassroots(user, bodies.recognising_unit(initiative))
    council = bodies.reviewing_council(initiative)
    return council is not None and may_decide_council(user, council)


def _next_step(
    initiative: Initiative, reviews: dict[str, Any], in_force: set[str]
) -> tuple[str, str]:
    """(the scope to act on next, "review" or "decide"), or ("", "") when nothing is due."""
    for scope in InitiativeScope.values:
        if scope in in_force:
            continue
        review = reviews.get(scope)
        if review is None:
            return scope, "review"
        return (scope, "decide") if review.is_recognised else ("", "")
    return "", ""


def detail_context(initiative: Initiative, user: Any) -> dict[str, Any]:
    reviews = {r.scope: r for r in initiative.reviews.select_related("minutes_document")}
    recognitions = list(initiative.recognitions.select_related("document"))
    in_force = {r.scope for r in recognitions if not r.annulled}
    scope, step = _next_step(initiative, reviews, in_force)
    requested = initiative.status != InitiativeStatus.REGISTERED
    may_act = bool(scope) and requested and _may_decide(user, initiative, scope)
    return {
        "initiative": initiative,
        "authors": list(initiative.authors.all()),
        "evidence": list(initiative.evidence.all()),
        "reviews": list(reviews.values()),
        "recognitions": recognitions,
        "may_edit": may_edit(user, initiative),
        "may_request": may_edit(user, initiative) and not requested,
        "next_scope": scope,
        "may_review": may_act and step == "review",
        "may_decide": may_act and step == "decide",
        "may_record_received": may_record_received(user, initiative),
        "recognising_unit": bodies.recognising_unit(initiative),
    }


def paper_ids(initiative: Initiative) -> set[int]:
    ids = {initiative.request_document_id}
    ids |= set(initiative.reviews.values_list("minutes_document_id", flat=True))
    ids |= set(initiative.recognitions.values_list("document_id", flat=True))
    return {pk for pk in ids if pk is not None}


def review_initial(initiative: Initiative, scope: str) -> dict[str, Any]:
    unit = bodies.deciding_unit(initiative, scope)
    if unit is None:
        return {}
    position, name = head_on(
        Unit.objects.prefetch_related("employments__person").get(pk=unit.pk), today()
    )
    return {"chair_name": name, "chair_position": position}


def review_input(scope: str, data: dict[str, Any]) -> ReviewInput:
    return ReviewInput(
        scope=scope,
        reviewed_on=data["reviewed_on"],
        outcome=data["outcome"],
        chair={"name": data["chair_name"], "position": data["chair_position"]},
        secretary={"name": data["secretary_name"], "position": data["secretary_position"]},
        score=data["score"],
        votes_for=data["votes_for"],
        votes_against=data["votes_against"],
        members_present=data["members_present"],
        opinion=data["opinion"],
    )


def decision_initial(initiative: Initiative, scope: str) -> dict[str, Any]:
    day = today()
    unit = bodies.deciding_unit(initiative, scope)
    if unit is None:
        return {}
    position, name = head_on(
        Unit.objects.prefetch_related("employments__person").get(pk=unit.pk), day
    )
    title = position or "Thủ trưởng"
    return {
        "recognised_on": day,
        "effect_from": day,
        "authority": f"{title} {unit.name}" if unit.name not in title else title,
        "legal_bases": "\n".join(national_bases_on(day)),
        "signer_title": title,
        "signer_name": name,
    }


def recognition_input(scope: str, data: dict[str, Any]) -> RecognitionInput:
    return RecognitionInput(
        scope=scope,
        recognised_on=data["recognised_on"],
        effect_from=data["effect_from"],
        effect_until=data["effect_until"],
        authority=data["authority"],
        signer={
            "authority": data["signer_authority"],
            "title": data["signer_title"],
            "name": data["signer_name"],
        },
        legal_bases=[line.strip() for line in data["legal_bases"].splitlines() if line.strip()],
    )
