"""The bridge between a campaign and the numbering registry: the plan (KH) and the decision
assigning block leaders (QĐ) built from the campaigns and org data, then numbered, rendered
and stored by `documents.services.document_issue`.

It lives in web/ because it needs both sides: the documents app takes plain data only and
never imports the campaigns models, and the campaigns app knows nothing of the registry.

A campaign's documents are found by their idempotency key, which starts with
"campaign:<pk>:" (the registry keeps no link to the subject of a document).
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

from thidua.campaigns import services as campaign_services
from thidua.campaigns.models import Campaign
from thidua.documents import generators, pdf, services, vn_format
from thidua.documents.models import IssuedDocument, IssuingBody
from thidua.documents.rendering import render_docx
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


def campaign_documents(campaign: Campaign) -> QuerySet[IssuedDocument]:
    return (
        IssuedDocument.objects.filter(idempotency_key__startswith=f"campaign:{campaign.pk}:")
        .select_related("doc_type", "issuer")
        .order_by("-issued_on", "-pk")
    )


def issuing_body(agency: Unit) -> IssuingBody:
    body = IssuingBody.objects.filter(unit=agency).select_related("unit").first()
    if body is None:
        raise ValidationError(
            _("%(unit)s has no issuing body (symbol and place) yet; set one up first.")
            % {"unit": agency}
        )
    return body


def _issuer(body: IssuingBody) -> generators.Issuer:
    return {
        "governing_body": body.governing_body_name,
        "name": body.printed_name or body.unit.name,
        "symbol": body.symbol,
        "place": body.place,
    }


def decision_terms(campaign: Campaign) -> list[BlockTerm]:
    return list(BlockTerm.objects.filter(block__agency=campaign.agency, year=campaign.year))


def plan_context(campaign: Campaign, body: IssuingBody) -> dict[str, Any]:
    return generators.plan_context(campaign, issuer=_issuer(body))


def decision_context(campaign: Campaign, body: IssuingBody) -> dict[str, Any]:
    terms = decision_terms(campaign)
    if not terms:
        raise ValidationError(
            _("%(agency)s has no block terms for %(year)s to decide on.")
            % {"agency": campaign.agency, "year": campaign.year}
        )
    return generators.block_assignment_decision_context(terms, issuer=_issuer(body))


def draft_context(campaign: Campaign, kind: str) -> dict[str, Any]:
    """The context for a preview: the number left blank for the văn thư, no code."""
    body = issuing_body(campaign.agency)
    context = (plan_context if kind == PLAN else decision_context)(campaign, body)
    symbol = vn_format.document_symbol(TYPE_CODES[kind], body.symbol)
    context["number_symbol"] = vn_format.number_symbol(None, symbol)
    return context


def preview_docx(campaign: Campaign, kind: str) -> bytes:
    return render_docx(TEMPLATES[kind], draft_context(campaign, kind))


def _renderer(
    kind: str, context: dict[str, Any], place: str
) -> Callable[[dict[str, Any]], tuple[bytes, bytes | None]]:
    """Fill the generator's context with what the registry gives (number, date, code, QR),
    render the DOCX and, where LibreOffice is installed, the archival PDF. A failed
    conversion raises, and the registry then rolls the whole issue back."""

    def render(issued: dict[str, Any]) -> tuple[bytes, bytes | None]:
        filled = {
            **context,
            "number_symbol": issued["symbol"],
            "place_date": vn_format.place_date_line(place, issued["issued_on"]),
            "verification_code": issued["verification_code"],
            "verification_url": issued["verification_url"],
        }
        docx = render_docx(
            TEMPLATES[kind], filled, images={"verification_qr": issued["verification_qr_png"]}
        )
        try:
            return docx, pdf.docx_to_pdf(docx, archive=True)
        except pdf.PdfUnavailable:
            return docx, None

    return render


def _signer(context: dict[str, Any]) -> tuple[str, str]:
    signer = context["signer"]
    title = " ".join(part for part in (signer.get("authority", ""), signer["title"]) if part)
    return signer["name"], title


def issue(
    *, actor: Actor, campaign: Campaign, kind: str, token: str, issued_on: dt.date
) -> IssuedDocument:
    """Issue the campaign's plan or block-leaders decision. Raises ValidationError for a
    refusal and pdf.PdfConversionFailed when LibreOffice failed (nothing is issued)."""
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
            render=_renderer(kind, context, body.place),
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
                (services.documents_dir() / relative).unlink(missing_ok=True)
        raise


def download_name(document: IssuedDocument, extension: str) -> str:
    """ "KH-12-SVHTTDL-2021.pdf": type, number, issuer, year."""
    number = services.format_number(document.number) if document.number else "kso"
    raw = f"{document.doc_type.code}-{number}-{document.issuer.symbol}-{document.year}"
    return f"{raw}.{extension}"
