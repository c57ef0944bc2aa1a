"""The bridge between a campaign and the numbering registry: the plan (KH) and the decision
assigning block leaders (QĐ) built from the campaigns and org data, then numbered, rendered
and stored by `documents.services.document_issue`.

It lives in web/ because it needs both sides: the documents app takes plain data only and
never imports the campaigns models, and the campaigns app knows nothing of the registry.

A campaign's documents are those whose `campaign` is set to it. The DOCX is issued in the
request; the archival PDF is made by the job worker afterwards (documents.tasks), so a
missing, crashed or slow LibreOffice never refuses an issue.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from thidua.awards import issuing as award_issuing
from thidua.awards.documents import award_decision_context
from thidua.campaigns import documents as campaign_papers
from thidua.campaigns import services as campaign_services
from thidua.campaigns.models import Campaign
from thidua.documents import awards_list, parts, services, vn_format
from thidua.documents.models import IssuedDocument, IssuingBody
from thidua.documents.rendering import render_docx
from thidua.lib import files
from thidua.lib.files import Area
from thidua.org.documents import standing_body
from thidua.org.models import BlockTerm, Unit
from thidua.org.permissions import Actor

PLAN = "plan"
DECISION = "decision"
TEMPLATES = {PLAN: "ke_hoach.docx", DECISION: "quyet_dinh_phan_cong_khoi.docx"}
TYPE_CODES = {PLAN: "KH", DECISION: "QĐ"}
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,60}$")


def campaign_key(campaign: Campaign, kind: str, token: str) -> str:
    """The registry's idempotency key for one press of an Issue button. `token` comes from
    a hidden field made when the page was rendered, so a double click issues once."""
    if kind not in TEMPLATES or not _TOKEN.match(token or ""):
        raise ValidationError(_("The request key is missing or malformed; reload the page."))
    return f"campaign:{campaign.pk}:{kind}:{token}"


def valid_token(token: str) -> bool:
    """A page's one-use request key: letters, digits, "-" and "_", 8 to 60 of them."""
    return bool(_TOKEN.match(token or ""))


def campaign_documents(campaign: Campaign) -> QuerySet[IssuedDocument]:
    return (
        IssuedDocument.objects.filter(campaign=campaign)
        .select_related("doc_type", "issuer", "block")
        .order_by("-issued_on", "-pk")
    )


def issuing_body(agency: Unit) -> IssuingBody:
    return services.issuing_body_of(agency)


def decision_terms(campaign: Campaign) -> list[BlockTerm]:
    return list(BlockTerm.objects.filter(block__agency=campaign.agency, year=campaign.year))


def plan_context(campaign: Campaign, body: IssuingBody) -> dict[str, Any]:
    return campaign_papers.plan_context(campaign, issuer=parts.body_issuer(body))


def decision_context(campaign: Campaign, body: IssuingBody) -> dict[str, Any]:
    terms = decision_terms(campaign)
    if not terms:
        raise ValidationError(
            _("%(agency)s has no block terms for %(year)s to decide on.")
            % {"agency": campaign.agency, "year": campaign.year}
        )
    return campaign_papers.block_assignment_decision_context(terms, issuer=parts.body_issuer(body))


def draft_context(campaign: Campaign, kind: str) -> dict[str, Any]:
    """The context for a preview: the number left blank for the văn thư, no code."""
    body = issuing_body(campaign.agency)
    context = (plan_context if kind == PLAN else decision_context)(campaign, body)
    symbol = vn_format.document_symbol(TYPE_CODES[kind], body.symbol)
    context["number_symbol"] = vn_format.number_symbol(None, symbol)
    return context


def preview_docx(campaign: Campaign, kind: str) -> bytes:
    """The draft as it will be issued: with the agency's own version of the template when
    one is in force."""
    _record, content = services.choose_template(TEMPLATES[kind], issuing_body(campaign.agency))
    return render_docx(TEMPLATES[kind], draft_context(campaign, kind), content=content)


def _renderer(
    kind: str, context: dict[str, Any], place: str, template: bytes | None
) -> Callable[[dict[str, Any]], tuple[bytes, bytes | None]]:
    return services.registry_renderer(TEMPLATES[kind], template, context, place=place)


def _signer(context: dict[str, Any]) -> tuple[str, str]:
    signer = context["signer"]
    title = " ".join(part for part in (signer.get("authority", ""), signer["title"]) if part)
    return signer["name"], title


def issue(
    *, actor: Actor, campaign: Campaign, kind: str, token: str, issued_on: dt.date
) -> IssuedDocument:
    """Issue the campaign's plan or block-leaders decision (the DOCX now, the PDF queued).
    Raises ValidationError for a refusal."""
    key = campaign_key(campaign, kind, token)
    body = issuing_body(campaign.agency)
    replay = IssuedDocument.objects.filter(idempotency_key=key).first()
    if kind == PLAN:
        if campaign.plan_number and replay is None:
            raise ValidationError(
                _(
                    "This plan already has number %(number)s; it is not issued again. "
                    "Clear the number in the plan to issue it through the registry."
                )
                % {"number": campaign.plan_reference}
            )
        context = plan_context(campaign, body)
    else:
        context = decision_context(campaign, body)
    name, title = _signer(context)
    return _issue(actor, campaign, kind, key, body, context, name, title, issued_on, replay)


def _issue(
    actor: Actor,
    campaign: Campaign,
    kind: str,
    key: str,
    body: IssuingBody,
    context: dict[str, Any],
    name: str,
    title: str,
    issued_on: dt.date,
    replay: IssuedDocument | None,
) -> IssuedDocument:
    record, template = services.choose_template(TEMPLATES[kind], body)
    with transaction.atomic():
        document = services.document_issue(
            actor=actor,
            issuer=body,
            doc_type_code=TYPE_CODES[kind],
            issued_on=replay.issued_on if replay else issued_on,
            summary=context["summary"],
            signer_name=name,
            signer_title=title,
            idempotency_key=key,
            render=_renderer(kind, context, body.place, template),
            make_pdf=True,
            campaign=campaign,
            template=record,
        )
        if kind == PLAN and replay is None:
            _record_plan_number(actor, campaign, document, body)
    return document


def _record_plan_number(
    actor: Actor, campaign: Campaign, document: IssuedDocument, body: IssuingBody
) -> None:
    """Store the registry's number on the campaign. If that is refused, the transaction
    rolls the issue back, and the files the registry already wrote go too."""
    try:
        campaign_services.campaign_save(
            actor=actor,
            agency=campaign.agency,
            year=campaign.year,
            campaign=campaign,
            plan_number=services.format_number(document.number or 0),
            plan_symbol=f"{document.doc_type.code}-{body.symbol}",
            plan_date=document.issued_on,
        )
    except BaseException:
        for relative in (document.docx_path, document.pdf_path):
            if relative:
                files.delete(Area.DOCUMENTS, relative)
        raise


download_name = services.download_name


# The award decision and its certificates ----------------------------------------------------

AWARD_TEMPLATE = "quyet_dinh_khen_thuong.docx"
AWARD_BONUS = (
    "Tiền thưởng kèm theo danh hiệu, hình thức khen thưởng thực hiện theo quy định của pháp "
    "luật hiện hành."
)


def award_defaults(campaign: Campaign) -> dict[str, str]:
    """What the award-decision form offers before the secretariat edits it."""
    body = issuing_body(campaign.agency)
    title = " ".join(campaign.signer_title.split()) or "Giám đốc"
    return {
        "summary": "Về việc khen thưởng tập thể, cá nhân có thành tích xuất sắc trong phong "
        f"trào thi đua năm {campaign.year}",
        "reason": f"đã có thành tích xuất sắc trong phong trào thi đua năm {campaign.year}",
        "authority": f"{title[:1].upper()}{title[1:].lower()} {body.name}",
    }


def award_context(
    campaign: Campaign,
    body: IssuingBody,
    awards: list[dict[str, str]],
    *,
    summary: str,
    reason: str,
    authority: str,
    number: str | None,
    day: dt.date | None,
) -> dict[str, Any]:
    collectives, individuals = awards_list.split(awards)
    plan = plan_context(campaign, body)
    standing = standing_body(campaign.agency)
    executors = "Chánh Văn phòng, Thủ trưởng các phòng, đơn vị và cá nhân có tên tại Điều 1"
    if standing is not None:
        executors = f"Chánh Văn phòng, Trưởng {standing.name[:1].lower()}{standing.name[1:]}, "
        executors += "Thủ trưởng các phòng, đơn vị và cá nhân có tên tại Điều 1"
    return award_decision_context(
        issuer=parts.body_issuer(body),
        number=number,
        day=day,
        year=campaign.year,
        summary=summary,
        authority=authority,
        legal_bases=plan["legal_bases"],
        proposal="",
        collectives=collectives,  # type: ignore[arg-type]
        individuals=individuals,  # type: ignore[arg-type]
        reason=reason,
        bonus=AWARD_BONUS,
        executors=executors,
        signer=plan["signer"],
        recipients=["Như Điều 3"],
        archive=standing.code if standing is not None else "",
    )


def issue_award_decision(
    *,
    actor: Actor,
    campaign: Campaign,
    awards: list[dict[str, str]],
    summary: str,
    reason: str,
    authority: str,
    token: str,
    issued_on: dt.date,
) -> IssuedDocument:
    """Issue the award decision with its annex from a checked list, and keep the list with
    it for the certificates. The DOCX in this transaction, the PDF in the background."""
    if not valid_token(token):
        raise ValidationError(_("The request key is missing or malformed; reload the page."))
    key = f"campaign:{campaign.pk}:award:{token}"
    body = issuing_body(campaign.agency)
    replay = IssuedDocument.objects.filter(idempotency_key=key).first()
    if replay is not None:
        return replay
    draft = award_context(
        campaign,
        body,
        awards,
        summary=summary,
        reason=reason,
        authority=authority,
        number=None,
        day=None,
    )
    name, title = _signer(draft)
    record, template = services.choose_template(AWARD_TEMPLATE, body)

    def render(issued: dict[str, Any]) -> tuple[bytes, bytes | None]:
        context = award_context(
            campaign,
            body,
            awards,
            summary=summary,
            reason=reason,
            authority=authority,
            number=issued["number_text"],
            day=issued["issued_on"],
        )
        context.update(
            number_symbol=issued["symbol"],
            verification_code=issued["verification_code"],
            verification_url=issued["verification_url"],
        )
        images = {"verification_qr": issued["verification_qr_png"]}
        return services.render_template(AWARD_TEMPLATE, template, context, images=images), None

    annex_file: str | None = None
    document: IssuedDocument | None = None
    try:
        with transaction.atomic():
            document = services.document_issue(
                actor=actor,
                issuer=body,
                doc_type_code="QĐ",
                issued_on=issued_on,
                summary=draft["summary"],
                signer_name=name,
                signer_title=title,
                idempotency_key=key,
                render=render,
                make_pdf=True,
                campaign=campaign,
                template=record,
            )
            annex_file = awards_list.write_annex(
                document,
                {
                    "awards": awards,
                    "authority": authority,
                    "achievement": reason[:1].upper() + reason[1:].rstrip(".") + ".",
                    "place_date": vn_format.place_date_line(body.place, document.issued_on),
                    "signer": draft["signer"],
                },
            )
            # The register records the decision with one award per row, or refuses the
            # issue naming the rows it cannot match.
            award_issuing.decision_record_from_list(
                actor=actor, document=document, rows=awards, achievement=reason
            )
    except BaseException:
        # The rows are rolled back; the files the registry wrote for them must go too.
        if annex_file is not None:
            files.delete(Area.DOCUMENTS, annex_file)
        if document is not None and document.docx_path:
            files.delete(Area.DOCUMENTS, document.docx_path)
        raise
    return document
