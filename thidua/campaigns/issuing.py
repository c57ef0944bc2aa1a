"""Issuing a campaign's documents through the numbering registry: the plan (KH) and the
decision assigning block leaders (QĐ), their contexts built by campaigns.documents, then
numbered, rendered and stored by `documents.services.document_issue`.

A campaign's documents are those whose `campaign` is set to it. The DOCX is issued in the
request; the archival PDF is made by the job worker afterwards (documents.tasks), so a
missing, crashed or slow LibreOffice never refuses an issue. The registry authorises the
issuer (DOCUMENT_ISSUE on the agency) in `document_issue`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.documents import parts, services, vn_format
from thidua.documents.legal import bases_not_in_force
from thidua.documents.models import IssuedDocument, IssuingBody
from thidua.documents.rendering import render_docx
from thidua.lib import files
from thidua.lib.files import Area
from thidua.org.models import BlockTerm
from thidua.org.permissions import Actor

from . import documents
from . import services as campaign_services
from .models import Campaign

PLAN = "plan"
DECISION = "decision"
TEMPLATES = {PLAN: "ke_hoach.docx", DECISION: "quyet_dinh_phan_cong_khoi.docx"}
TYPE_CODES = {PLAN: "KH", DECISION: "QĐ"}
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,60}$")


def valid_token(token: str) -> bool:
    """A page's one-use request key: letters, digits, "-" and "_", 8 to 60 of them."""
    return bool(_TOKEN.match(token or ""))


def campaign_key(campaign: Campaign, kind: str, token: str) -> str:
    """The registry's idempotency key for one press of an Issue button. `token` comes from
    a hidden field made when the page was rendered, so a double click issues once."""
    if kind not in TEMPLATES or not valid_token(token):
        raise ValidationError(_("The request key is missing or malformed; reload the page."))
    return f"campaign:{campaign.pk}:{kind}:{token}"


def decision_terms(campaign: Campaign) -> list[BlockTerm]:
    return list(BlockTerm.objects.filter(block__agency=campaign.agency, year=campaign.year))


def plan_context(campaign: Campaign, body: IssuingBody) -> dict[str, Any]:
    return documents.plan_context(campaign, issuer=parts.body_issuer(body))


def decision_context(campaign: Campaign, body: IssuingBody) -> dict[str, Any]:
    terms = decision_terms(campaign)
    if not terms:
        raise ValidationError(
            _("%(agency)s has no block terms for %(year)s to decide on.")
            % {"agency": campaign.agency, "year": campaign.year}
        )
    return documents.block_assignment_decision_context(terms, issuer=parts.body_issuer(body))


def draft_context(campaign: Campaign, kind: str) -> dict[str, Any]:
    """The context for a preview: the number left blank for the văn thư, no code."""
    body = services.issuing_body_of(campaign.agency)
    context = (plan_context if kind == PLAN else decision_context)(campaign, body)
    symbol = vn_format.document_symbol(TYPE_CODES[kind], body.symbol)
    context["number_symbol"] = vn_format.number_symbol(None, symbol)
    return context


def preview_docx(campaign: Campaign, kind: str) -> bytes:
    """The draft as it will be issued: with the agency's own version of the template when
    one is in force."""
    body = services.issuing_body_of(campaign.agency)
    _record, content = services.choose_template(TEMPLATES[kind], body)
    return render_docx(TEMPLATES[kind], draft_context(campaign, kind), content=content)


def campaign_document_issue(
    *, actor: Actor, campaign: Campaign, kind: str, token: str, issued_on: dt.date
) -> IssuedDocument:
    """Issue the campaign's plan or block-leaders decision (the DOCX now, the PDF queued).
    Raises ValidationError for a refusal."""
    key = campaign_key(campaign, kind, token)
    body = services.issuing_body_of(campaign.agency)
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
        stale = bases_not_in_force(list(context["legal_bases"]), issued_on)
        if stale and replay is None:
            raise ValidationError(stale)
    else:
        context = decision_context(campaign, body)
    name, title = parts.signer_name_title(context)
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
            render=services.registry_renderer(TEMPLATES[kind], template, context, place=body.place),
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
