"""Registering an initiative, attaching its evidence and filing the request for recognition.

A registration names the unit, the year, what the initiative is and its authors with their
shares. It is refused, with every problem named, when a field is missing, the shares do not
make 100 %, an author does not work in the unit (or one of its sub-units) on the day, a
person is named twice, or the unit already registered an initiative of the same title that
year. Retrying with the same key returns the first registration.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.documents import parts
from thidua.documents import services as documents
from thidua.lib import files
from thidua.lib.dated import valid_on
from thidua.lib.dates import today
from thidua.lib.files import Area
from thidua.lib.text import fold
from thidua.org.models import Employment, Person, Unit
from thidua.org.permissions import Actor
from thidua.reports import evidence as checks

from .. import bodies
from .. import documents as papers
from ..models import (
    Initiative,
    InitiativeAuthor,
    InitiativeEvidence,
    InitiativeScope,
    InitiativeStatus,
    SolutionKind,
)
from ..permissions import may_edit, may_register, require
from ..shares import ShareRow, parse_share, share_problems
from .common import authors_of, issuing_body, request_key, snapshot

REQUEST_TYPE = "ĐYC"
TEXT_FIELDS = ("title", "field", "improves", "applied_at", "effect")


@dataclass(frozen=True)
class AuthorInput:
    person: Person
    share: Decimal | int | str | None


@dataclass
class InitiativeInput:
    unit: Unit
    year: int
    title: str
    solution_kind: str
    field: str
    improves: str
    applied_at: str
    effect: str
    first_applied_on: dt.date | None = None
    unit_is_author: bool = False
    requested_scope: str = InitiativeScope.CO_SO
    authors: Sequence[AuthorInput] = dataclasses.field(default_factory=list)


def _field_errors(data: InitiativeInput, day: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    labels = {
        "title": _("The title is required."),
        "field": _("The field is required."),
        "improves": _("Say what the initiative improves (what is new)."),
        "applied_at": _("Say where the initiative was applied."),
        "effect": _("Say what effect and benefits it brought."),
    }
    for name in TEXT_FIELDS:
        if not str(getattr(data, name) or "").strip():
            add(name, labels[name])
    if data.solution_kind not in SolutionKind.values:
        add("solution_kind", _("Choose the kind of solution."))
    if data.requested_scope not in InitiativeScope.values:
        add("requested_scope", _("Choose the scope to be recognised at."))
    if data.year > day.year:
        add("year", _("An initiative is registered for this year or an earlier one."))
    if data.first_applied_on is not None and data.first_applied_on > day:
        add("first_applied_on", _("The first application cannot be in the future."))
    if not data.unit.is_active:
        add("unit", _("“%(unit)s” is no longer active.") % {"unit": data.unit})
    return errors


def _author_errors(data: InitiativeInput, day: dt.date) -> list[str]:
    if not data.authors and not data.unit_is_author:
        return [_("Name at least one author, or mark the unit as a collective author.")]
    problems = share_problems(
        [ShareRow(a.person.pk, a.person.full_name, a.share) for a in data.authors]
    )
    working = set(
        Employment.objects.filter(
            valid_on(day),
            person__in=[a.person for a in data.authors],
            unit__path__startswith=data.unit.path,
        ).values_list("person_id", flat=True)
    )
    for author in data.authors:
        if author.person.pk not in working:
            problems.append(
                _("%(name)s does not work in %(unit)s on %(day)s.")
                % {
                    "name": author.person.full_name,
                    "unit": data.unit.name,
                    "day": day.strftime("%d/%m/%Y"),
                }
            )
    return problems


def _duplicate(data: InitiativeInput) -> Initiative | None:
    """An initiative of the same unit and year whose title reads the same (case, spaces
    and diacritics aside), unless withdrawn."""
    folded = fold(data.title)
    candidates = Initiative.objects.filter(
        unit=data.unit, year=data.year, search_text__startswith=folded
    ).exclude(status=InitiativeStatus.WITHDRAWN)
    return next((other for other in candidates if fold(other.title) == folded), None)


def initiative_register(
    *, actor: Actor, data: InitiativeInput, idempotency_key: str = ""
) -> Initiative:
    """Register `data` for its unit's recognition; the same key returns the first one."""
    require(may_register(actor, data.unit))
    key = idempotency_key.strip() or None
    if key is not None:
        done = Initiative.objects.filter(idempotency_key=key).first()
        if done is not None:
            return done
    day = today()
    errors: dict[str, Any] = dict(_field_errors(data, day))
    author_problems = _author_errors(data, day)
    if author_problems:
        errors["authors"] = author_problems
    if not errors and _duplicate(data) is not None:
        errors["title"] = [
            _("%(unit)s already registered an initiative titled “%(title)s” in %(year)s.")
            % {"unit": data.unit.name, "title": data.title.strip(), "year": data.year}
        ]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return _write(actor=actor, data=data, key=key, day=day)
    except IntegrityError:
        done = Initiative.objects.filter(idempotency_key=key).first() if key else None
        if done is None:
            raise
        return done


def _write(*, actor: Actor, data: InitiativeInput, key: str | None, day: dt.date) -> Initiative:
    title = " ".join(data.title.split())
    initiative = Initiative.objects.create(
        agency=bodies.agency_of(data.unit),
        unit=data.unit,
        year=data.year,
        title=title,
        solution_kind=data.solution_kind,
        field=data.field.strip(),
        improves=data.improves.strip(),
        applied_at=data.applied_at.strip(),
        first_applied_on=data.first_applied_on,
        effect=data.effect.strip(),
        unit_is_author=data.unit_is_author,
        requested_scope=data.requested_scope,
        search_text=fold(
            f"{title} {data.field} " + " ".join(a.person.full_name for a in data.authors)
        )[:1000],
        idempotency_key=key,
        created_by=documents.user_or_none(actor),
    )
    InitiativeAuthor.objects.bulk_create(
        InitiativeAuthor(
            initiative=initiative,
            person=author.person,
            share=parse_share(author.share) or Decimal(0),
            name_then=author.person.full_name,
            unit_name_then=data.unit.name,
            order=order,
        )
        for order, author in enumerate(data.authors)
    )
    record(
        actor=actor,
        action=AuditAction.INITIATIVE_REGISTERED,
        obj=initiative,
        after=snapshot(initiative),
    )
    return initiative


def initiative_evidence_add(
    *, actor: Actor, initiative: Initiative, data: bytes, name: str
) -> InitiativeEvidence:
    """Attach a file, checked by its content like every evidence upload (PDF, Word, Excel,
    JPEG, PNG; no macros). The same file twice is one attachment."""
    require(may_edit(actor, initiative))
    display_name = checks.clean_name(name)
    checked = checks.check(data, display_name)
    stored = files.keep(Area.INITIATIVE_EVIDENCE, data, checked.kind)
    with transaction.atomic():
        existing = initiative.evidence.filter(sha256=checked.sha256).first()
        if existing is not None:
            return existing
        item = InitiativeEvidence.objects.create(
            initiative=initiative,
            path=stored.name,
            name=display_name,
            sha256=checked.sha256,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=documents.user_or_none(actor),
        )
        record(
            actor=actor,
            action=AuditAction.INITIATIVE_EVIDENCE_ADDED,
            obj=initiative,
            after={"name": item.name, "sha256": item.sha256, "size": item.size},
        )
    return item


def _addressee(initiative: Initiative) -> str:
    if initiative.requested_scope == InitiativeScope.CO_SO:
        return f"Hội đồng sáng kiến {bodies.recognising_unit(initiative).name}"
    council = bodies.reviewing_council(initiative)
    return council.name if council is not None else "Hội đồng sáng kiến cấp tỉnh"


def request_context(initiative: Initiative, day: dt.date) -> dict[str, Any]:
    """The request's context, as the page previews it and the registry issues it."""
    recognising = bodies.recognising_unit(initiative)
    body = issuing_body(recognising)
    authors = authors_of(initiative, day)
    first = authors[0]["name"] if authors else ""
    return papers.request_context(
        issuer=parts.body_issuer(body),
        day=day,
        addressees=[_addressee(initiative)],
        scope=initiative.requested_scope,
        authors=authors,
        collective=initiative.unit.name if initiative.unit_is_author else "",
        description={
            "title": initiative.title,
            "kind": str(initiative.get_solution_kind_display()),
            "field": initiative.field,
            "first_applied": (
                initiative.first_applied_on.strftime("%d/%m/%Y")
                if initiative.first_applied_on
                else "chưa ghi"
            ),
            "improves": initiative.improves,
            "applied_at": initiative.applied_at,
            "effect": initiative.effect,
        },
        attachments=[e.name for e in initiative.evidence.all()],
        signer={
            "authority": "",
            "title": "Người nộp đơn" if len(authors) <= 1 else "Đại diện nhóm tác giả",
            "name": first,
        },
    )


def initiative_request(*, actor: Actor, initiative: Initiative, idempotency_key: str) -> Initiative:
    """File the authors' request for recognition with the body that decides at the
    grassroots: registered (unnumbered) in its documents registry, the initiative then
    waits for the review."""
    initiative = Initiative.objects.select_related("request_document", "unit").get(pk=initiative.pk)
    require(may_edit(actor, initiative))
    key = request_key(initiative, "request", idempotency_key)
    if initiative.request_document_id is not None:
        if initiative.request_document.idempotency_key == key:  # type: ignore[union-attr]
            return initiative
        raise ValidationError(_("The request for recognition was already filed."))
    if not initiative.authors.exists() and not initiative.unit_is_author:
        raise ValidationError(_("Name at least one author before filing the request."))
    day = today()
    body = issuing_body(bodies.recognising_unit(initiative))
    context = request_context(initiative, day)
    template, content = documents.choose_template(papers.REQUEST_TEMPLATE, body)
    name, title = parts.signer_name_title(context)
    with transaction.atomic():
        locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
        if locked.request_document_id is not None:
            return locked
        document = documents.document_issue(
            actor=actor,
            issuer=body,
            doc_type_code=REQUEST_TYPE,
            issued_on=day,
            summary=context["summary"],
            signer_name=name or initiative.unit.name,
            signer_title=title,
            idempotency_key=key,
            render=documents.registry_renderer(
                papers.REQUEST_TEMPLATE, content, context, place=body.place
            ),
            make_pdf=True,
            template=template,
            authorised=True,
        )
        before = {"status": locked.status}
        locked.request_document = document
        locked.status = InitiativeStatus.REQUESTED
        locked.save(update_fields=["request_document", "status"])
        record(
            actor=actor,
            action=AuditAction.INITIATIVE_REQUESTED,
            obj=locked,
            before=before,
            after={"status": locked.status, "document": document.pk},
        )
    return locked
