"""The review at a scope and the recognition decision.

At the grassroots the head of the recognising unit decides (or the secretariat records the
head's decision); beyond it, the council of the province or ministry reviews and its
agency decides. Each step issues its paper through the documents registry: the review its
minutes (numbered Biên bản), the recognition its decision (numbered Quyết định) with the
scope and the period it counts for. A wider scope needs the initiative recognised at the
scope below first. A decision taken outside this system (the province's, on paper) is
recorded as received, with its number as printed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.documents import parts
from thidua.documents import services as documents
from thidua.lib.dates import today
from thidua.org.documents import standing_body
from thidua.org.models import Council, Unit
from thidua.org.permissions import Actor
from thidua.voting.models import Meeting

from .. import bodies
from .. import documents as papers
from ..models import (
    Initiative,
    InitiativeReview,
    InitiativeScope,
    InitiativeStatus,
    Recognition,
    ReviewOutcome,
)
from ..permissions import (
    may_decide_council,
    may_decide_grassroots,
    may_record_received,
    require,
)
from .common import authors_of, issuing_body, request_key, share_text

MINUTES_TYPE = "BB"
DECISION_TYPE = "QĐ"


@dataclass(frozen=True)
class Decider:
    """Who decides at a scope: the unit issuing the papers and, beyond the grassroots, the
    council that reviews."""

    unit: Unit
    council: Council | None
    name: str  # "Hội đồng sáng kiến Sở …" as the minutes name it


def decider(initiative: Initiative, scope: str) -> Decider:
    """The deciding body at `scope`, or a message saying it is not in this system."""
    if scope not in InitiativeScope.values:
        raise ValidationError({"scope": _("Choose a scope.")})
    if scope == InitiativeScope.CO_SO:
        unit = bodies.recognising_unit(initiative)
        return Decider(unit, None, f"Hội đồng sáng kiến {unit.name}")
    council = bodies.reviewing_council(initiative)
    if council is None:
        raise ValidationError(
            {
                "scope": _(
                    "The council of the province or ministry is not in this system: record "
                    "its decision as received instead."
                )
            }
        )
    return Decider(council.agency, council, council.name)


def _fresh(initiative: Initiative) -> Initiative:
    """The row as stored: a page's copy may predate the last step."""
    return Initiative.objects.select_related("agency", "unit", "request_document").get(
        pk=initiative.pk
    )


def _authorise(actor: Actor, body: Decider) -> None:
    if body.council is not None:
        require(may_decide_council(actor, body.council))
    else:
        require(may_decide_grassroots(actor, body.unit))


def _in_force(initiative: Initiative, scope: str) -> Recognition | None:
    return initiative.recognitions.filter(scope=scope, annulled=False).first()


def _scope_problem(initiative: Initiative, scope: str) -> str | None:
    """Why `initiative` may not be decided at `scope` now, or None."""
    rank = InitiativeScope.rank(scope)
    if rank == 0:
        if initiative.status not in (InitiativeStatus.REQUESTED, InitiativeStatus.RECOGNISED):
            return _("The authors have not filed the request for recognition yet.")
        return None
    below = InitiativeScope.values[rank - 1]
    if _in_force(initiative, below) is None:
        return _("It must first be recognised at the scope “%(scope)s”.") % {
            "scope": InitiativeScope(below).label
        }
    return None


@dataclass(frozen=True)
class ReviewInput:
    scope: str
    reviewed_on: dt.date
    outcome: str
    chair: parts.Participant
    secretary: parts.Participant
    score: Decimal | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    members_present: int | None = None
    opinion: str = ""
    meeting: Meeting | None = None


def _review_errors(initiative: Initiative, data: ReviewInput, body: Decider) -> dict[str, str]:
    errors: dict[str, str] = {}
    request = initiative.request_document
    if data.outcome not in ReviewOutcome.values:
        errors["outcome"] = _("Choose whether it is recognised.")
    if data.reviewed_on > today():
        errors["reviewed_on"] = _("The review cannot be dated in the future.")
    elif request is not None and data.reviewed_on < request.issued_on:
        errors["reviewed_on"] = _("The review cannot come before the request for recognition.")
    if data.score is not None and data.score < 0:
        errors["score"] = _("The score cannot be negative.")
    votes = (data.votes_for or 0) + (data.votes_against or 0)
    if data.members_present is not None and votes > data.members_present:
        errors["votes_for"] = _("More votes than members present.")
    if not data.chair["name"].strip():
        errors["chair"] = _("Name who chaired the review.")
    if not data.secretary["name"].strip():
        errors["secretary"] = _("Name the secretary.")
    if data.meeting is not None and (
        body.council is None or data.meeting.council_id != body.council.pk
    ):
        errors["meeting"] = _("This meeting is not a session of the reviewing council.")
    return errors


def _archive(unit: Unit) -> str:
    standing = standing_body(unit)
    return standing.code if standing is not None else ""


def _vote_lines(data: ReviewInput) -> tuple[str, str]:
    score = f"Điểm đánh giá: {share_text(data.score)}." if data.score is not None else ""
    votes = ""
    if data.votes_for is not None:
        votes = f"Số phiếu đồng ý: {data.votes_for}"
        if data.members_present:
            votes += f"/{data.members_present} thành viên có mặt"
        if data.votes_against is not None:
            votes += f"; không đồng ý: {data.votes_against}"
        votes += "."
    return score, votes


def initiative_review_record(
    *, actor: Actor, initiative: Initiative, data: ReviewInput, idempotency_key: str
) -> InitiativeReview:
    """Record what the deciding body found at `data.scope` and issue its minutes."""
    initiative = _fresh(initiative)
    body = decider(initiative, data.scope)
    _authorise(actor, body)
    key = request_key(initiative, f"review-{data.scope}", idempotency_key)
    existing = initiative.reviews.filter(scope=data.scope).select_related("minutes_document")
    done = existing.first()
    if done is not None:
        if done.minutes_document is not None and done.minutes_document.idempotency_key == key:
            return done
        raise ValidationError(_("It was already reviewed at this scope."))
    problem = _scope_problem(initiative, data.scope)
    errors: dict[str, Any] = _review_errors(initiative, data, body)
    if problem:
        errors["scope"] = problem
    if errors:
        raise ValidationError(errors)
    issuer = issuing_body(body.unit)
    score, votes = _vote_lines(data)
    recognised = data.outcome == ReviewOutcome.RECOGNISED

    def context(number: str | None) -> dict[str, Any]:
        return papers.minutes_context(
            issuer=parts.body_issuer(issuer),
            number=number,
            day=data.reviewed_on,
            body_name=body.name,
            scope=data.scope,
            chair=data.chair,
            secretary=data.secretary,
            members_present=data.members_present,
            title=initiative.title,
            authors=authors_of(initiative, data.reviewed_on),
            score=score,
            votes=votes,
            opinion=data.opinion,
            recognised=recognised,
            recipients=["Thành viên Hội đồng", "Các tác giả"],
            archive=_archive(body.unit),
        )

    template, content = documents.choose_template(papers.MINUTES_TEMPLATE, issuer)

    def render(issued: dict[str, Any]) -> tuple[bytes, bytes | None]:
        return documents.registry_renderer(
            papers.MINUTES_TEMPLATE, content, context(issued["number_text"])
        )(issued)

    with transaction.atomic():
        Initiative.objects.select_for_update().get(pk=initiative.pk)
        document = documents.document_issue(
            actor=actor,
            issuer=issuer,
            doc_type_code=MINUTES_TYPE,
            issued_on=data.reviewed_on,
            summary=context(None)["summary"],
            signer_name=data.chair["name"].strip(),
            signer_title=data.chair["position"].strip() or "Chủ trì",
            idempotency_key=key,
            render=render,
            make_pdf=True,
            template=template,
            authorised=True,
        )
        review = InitiativeReview.objects.create(
            initiative=initiative,
            scope=data.scope,
            council=body.council,
            meeting=data.meeting,
            reviewed_on=data.reviewed_on,
            score=data.score,
            votes_for=data.votes_for,
            votes_against=data.votes_against,
            members_present=data.members_present,
            outcome=data.outcome,
            opinion=data.opinion.strip(),
            minutes_document=document,
            reviewed_by=documents.user_or_none(actor),
        )
        if not recognised and data.scope == InitiativeScope.CO_SO:
            Initiative.objects.filter(pk=initiative.pk).update(
                status=InitiativeStatus.NOT_RECOGNISED
            )
        record(
            actor=actor,
            action=AuditAction.INITIATIVE_REVIEWED,
            obj=initiative,
            after={
                "scope": data.scope,
                "outcome": data.outcome,
                "score": str(data.score) if data.score is not None else None,
                "votes_for": data.votes_for,
                "votes_against": data.votes_against,
                "minutes": document.pk,
            },
        )
    return review


@dataclass(frozen=True)
class RecognitionInput:
    scope: str
    recognised_on: dt.date
    effect_from: dt.date
    effect_until: dt.date | None
    authority: str
    signer: parts.Signer
    legal_bases: Sequence[str] = ()
    executors: str = ""


def _period_errors(
    recognised_on: dt.date, effect_from: dt.date, effect_until: dt.date | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if recognised_on > today():
        errors["recognised_on"] = _("The decision cannot be dated in the future.")
    if effect_until is not None and effect_until < effect_from:
        errors["effect_until"] = _("The period cannot end before it starts.")
    return errors


def initiative_recognise(
    *, actor: Actor, initiative: Initiative, data: RecognitionInput, idempotency_key: str
) -> Recognition:
    """Issue the decision recognising the initiative at `data.scope`, after a review there
    found it worth recognising; the recognition then counts for titles over its period."""
    initiative = _fresh(initiative)
    body = decider(initiative, data.scope)
    _authorise(actor, body)
    key = request_key(initiative, f"decision-{data.scope}", idempotency_key)
    done = initiative.recognitions.filter(document__idempotency_key=key).first()
    if done is not None:
        return done
    review = initiative.reviews.filter(scope=data.scope).select_related("minutes_document").first()
    errors: dict[str, Any] = _period_errors(data.recognised_on, data.effect_from, data.effect_until)
    if review is None or not review.is_recognised:
        errors["scope"] = _("No review at this scope found it worth recognising.")
    elif data.recognised_on < review.reviewed_on:
        errors["recognised_on"] = _("The decision cannot come before the review.")
    if _in_force(initiative, data.scope) is not None:
        errors["scope"] = _("It is already recognised at this scope.")
    if not data.authority.strip():
        errors["authority"] = _("The deciding authority is required.")
    if not str(data.signer.get("name", "")).strip():
        errors["signer"] = _("The signer's name is required.")
    if errors:
        raise ValidationError(errors)
    assert review is not None
    issuer = issuing_body(body.unit)
    minutes = review.minutes_document
    proposal = ""
    if minutes is not None and minutes.symbol:
        proposal = (
            f"Xét đề nghị của {body.name} tại Biên bản số {minutes.symbol} "
            f"{papers.vn.date_words(minutes.issued_on)}"
        )
    executors = data.executors.strip() or (
        f"Thủ trưởng {initiative.unit.name} và các tác giả có tên tại Điều 1"
    )

    def context(number: str | None) -> dict[str, Any]:
        return papers.decision_context(
            issuer=parts.body_issuer(issuer),
            number=number,
            day=data.recognised_on,
            authority=data.authority,
            legal_bases=[b for b in data.legal_bases if b.strip()],
            proposal=proposal,
            scope=data.scope,
            title=initiative.title,
            authors=authors_of(initiative, data.recognised_on),
            collective=initiative.unit.name if initiative.unit_is_author else "",
            effect_from=data.effect_from,
            effect_until=data.effect_until,
            executors=executors,
            signer=data.signer,
            recipients=["Như Điều 3"],
            archive=_archive(body.unit),
        )

    draft = context(None)
    name, title = parts.signer_name_title(draft)
    template, content = documents.choose_template(papers.DECISION_TEMPLATE, issuer)

    def render(issued: dict[str, Any]) -> tuple[bytes, bytes | None]:
        return documents.registry_renderer(
            papers.DECISION_TEMPLATE, content, context(issued["number_text"])
        )(issued)

    with transaction.atomic():
        Initiative.objects.select_for_update().get(pk=initiative.pk)
        document = documents.document_issue(
            actor=actor,
            issuer=issuer,
            doc_type_code=DECISION_TYPE,
            issued_on=data.recognised_on,
            summary=draft["summary"],
            signer_name=name,
            signer_title=title,
            idempotency_key=key,
            render=render,
            make_pdf=True,
            template=template,
            authorised=True,
        )
        twin = Recognition.objects.filter(document=document).first()
        if twin is not None:
            return twin
        recognition = _write_recognition(
            actor=actor,
            initiative=initiative,
            scope=data.scope,
            symbol=document.symbol,
            issuer_name=document.issuer_name,
            recognised_on=data.recognised_on,
            effect_from=data.effect_from,
            effect_until=data.effect_until,
            review=review,
            document=document,
        )
    return recognition


def _write_recognition(*, actor: Actor, initiative: Initiative, **values: Any) -> Recognition:
    recognition = Recognition.objects.create(initiative=initiative, **values)
    Initiative.objects.filter(pk=initiative.pk).update(status=InitiativeStatus.RECOGNISED)
    record(
        actor=actor,
        action=AuditAction.INITIATIVE_RECOGNISED,
        obj=initiative,
        after={
            "scope": recognition.scope,
            "symbol": recognition.symbol,
            "issuer": recognition.issuer_name,
            "recognised_on": recognition.recognised_on,
            "effect_from": recognition.effect_from,
            "effect_until": recognition.effect_until,
            "document": recognition.document_id,
        },
    )
    return recognition


def recognition_record_received(
    *,
    actor: Actor,
    initiative: Initiative,
    scope: str,
    symbol: str,
    issuer_name: str,
    recognised_on: dt.date,
    effect_from: dt.date,
    effect_until: dt.date | None = None,
) -> Recognition:
    """Enter a decision taken outside this system (the province's council, on paper) with
    its number as printed. Entering the same decision again returns the first entry."""
    initiative = _fresh(initiative)
    require(may_record_received(actor, initiative))
    symbol = " ".join(symbol.split())
    issuer_name = " ".join(issuer_name.split())
    existing = _in_force(initiative, scope) if scope in InitiativeScope.values else None
    if existing is not None:
        if existing.symbol == symbol and existing.recognised_on == recognised_on:
            return existing
        raise ValidationError({"scope": _("It is already recognised at this scope.")})
    errors: dict[str, Any] = _period_errors(recognised_on, effect_from, effect_until)
    if scope not in InitiativeScope.values:
        errors["scope"] = _("Choose a scope.")
    if not symbol:
        errors["symbol"] = _("The number and symbol are required.")
    if not issuer_name:
        errors["issuer_name"] = _("The issuing body is required.")
    if initiative.status == InitiativeStatus.WITHDRAWN:
        errors["scope"] = _("The initiative was withdrawn.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Initiative.objects.select_for_update().get(pk=initiative.pk)
        return _write_recognition(
            actor=actor,
            initiative=initiative,
            scope=scope,
            symbol=symbol,
            issuer_name=issuer_name,
            recognised_on=recognised_on,
            effect_from=effect_from,
            effect_until=effect_until,
        )
