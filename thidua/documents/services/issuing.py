"""Issuing a document: its number, verification code, rendered files and registry row.

Authorise → validate → write → audit, inside one transaction. Issuing takes the number,
renders the DOCX, stores it and records the document in that one transaction, so a failed
issue consumes no number and leaves nothing half-issued. The PDF, which needs LibreOffice
(slow, and sometimes missing or crashing), is made afterwards by a background task
(documents.tasks, recorded by `services.pdfs`): its failure never takes an issued document
back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.lib import files
from thidua.lib.dates import today
from thidua.lib.files import Area, sha256_hex

from .. import pdf as pdf_tools
from ..models import DocumentType, IssuedDocument, IssuingBody, PdfStatus
from ..permissions import Actor, Permission, authorize
from . import verification
from .numbering import check_date_order, format_number, format_symbol, locked_counter
from .templates import Render, TemplateRecord

# 31^8 ≈ 8.5·10^11 codes: a clash is rare, a run of them means something is broken.
CODE_ATTEMPTS = 10
IDEMPOTENCY_KEY_MAX = 100


@dataclass(frozen=True)
class _Extra:
    make_pdf: bool
    campaign: Any
    block: Any
    template: TemplateRecord | None


def document_snapshot(document: IssuedDocument) -> dict[str, Any]:
    return {
        "issuer": document.issuer.symbol,
        "doc_type": document.doc_type.code,
        "year": document.year,
        "number": document.number,
        "symbol": document.symbol,
        "issued_on": document.issued_on,
        "summary": document.summary,
        "signer_name": document.signer_name,
        "signer_title": document.signer_title,
        "verification_code": document.verification_code,
        "pdf_sha256": document.pdf_sha256,
        "docx_sha256": document.docx_sha256,
        "pdf_status": document.pdf_status,
        "campaign": document.campaign_id,
        "block": document.block_id,
        "template_key": document.template_key,
        "template_version": document.template_version_id,
        "template_sha256": document.template_sha256,
    }


def document_issue(
    *,
    actor: Actor,
    issuer: IssuingBody,
    doc_type_code: str,
    issued_on: dt.date,
    summary: str,
    signer_name: str,
    signer_title: str,
    idempotency_key: str,
    render: Render | None = None,
    make_pdf: bool = False,
    campaign: Any = None,
    block: Any = None,
    template: TemplateRecord | None = None,
    authorised: bool = False,
) -> IssuedDocument:
    """Give a document its number and verification code, render it and register it.

    `render(context)` returns (DOCX bytes, PDF bytes or None); the context carries the
    number, symbol, verification code and URL, so the files print what is registered.
    With `make_pdf` and no PDF from `render`, the PDF is made by a background task queued
    when the issue commits (`pdf_status` "pending"); when LibreOffice is not installed the
    document is issued with `pdf_status` "failed" and the reason, at once.
    `campaign` and `block` say what the document belongs to; `template` records which
    template made it. Calling again with the same `idempotency_key` returns the document
    the first call issued: a double submit or a retry never takes a second number.
    `authorised`: the calling service has already authorised `actor` by its own rule (the
    secretary of a meeting issuing that meeting's minutes), so the registry does not also
    require DOCUMENT_ISSUE on the issuer; the actor is still the one recorded and audited.
    """
    written: list[str] = []
    try:
        with transaction.atomic():
            return _issue(
                actor=actor,
                issuer=issuer,
                doc_type_code=doc_type_code,
                issued_on=issued_on,
                summary=summary.strip(),
                signer_name=signer_name.strip(),
                signer_title=signer_title.strip(),
                key=idempotency_key.strip(),
                render=render,
                written=written,
                extra=_Extra(make_pdf, campaign, block, template),
                authorised=authorised,
            )
    except BaseException:
        # The rows are rolled back; the files written for them must go too. (A crash
        # between writing and committing can still leave a file no row points to — it is
        # named by a code nobody was given, so it is unreachable and harmless.)
        remove_files(written)
        raise


def _issue(
    *,
    actor: Actor,
    issuer: IssuingBody,
    doc_type_code: str,
    issued_on: dt.date,
    summary: str,
    signer_name: str,
    signer_title: str,
    key: str,
    render: Render | None,
    written: list[str],
    extra: _Extra,
    authorised: bool = False,
) -> IssuedDocument:
    if not authorised:
        authorize(actor, Permission.ISSUE, issuer.unit)
    request = {
        "issuer": issuer,
        "doc_type_code": doc_type_code,
        "issued_on": issued_on,
        "summary": summary,
        "signer_name": signer_name,
        "signer_title": signer_title,
    }
    if not key:
        raise ValidationError({"idempotency_key": _("The request key is required.")})
    if len(key) > IDEMPOTENCY_KEY_MAX:
        raise ValidationError({"idempotency_key": _("The request key is too long.")})
    existing = IssuedDocument.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _replay(existing, request)
    doc_type = DocumentType.objects.filter(code=doc_type_code).first()
    if doc_type is None:
        raise ValidationError(
            {"doc_type_code": _("Unknown document type “%(code)s”.") % {"code": doc_type_code}}
        )
    if not issuer.unit.is_active:
        raise ValidationError(
            _("“%(unit)s” is no longer active and issues no documents.") % {"unit": issuer.unit}
        )
    _validate(issued_on=issued_on, summary=summary, signer_name=signer_name, title=signer_title)

    # The number, the files and the row form one savepoint: if the row cannot be written
    # because a concurrent retry with the same key got there first, the number we took is
    # given back and that retry's document is returned instead.
    try:
        with transaction.atomic():
            document, created = _number_render_store(
                actor=actor,
                issuer=issuer,
                doc_type=doc_type,
                issued_on=issued_on,
                summary=summary,
                signer_name=signer_name,
                signer_title=signer_title,
                key=key,
                render=render,
                written=written,
                request=request,
                extra=extra,
            )
    except IntegrityError:
        remove_files(written)
        existing = IssuedDocument.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return _replay(existing, request)
    if not created:
        return document
    record(
        actor=actor,
        action=AuditAction.DOCUMENT_ISSUED,
        obj=document,
        after=document_snapshot(document),
    )
    return document


def _validate(*, issued_on: dt.date, summary: str, signer_name: str, title: str) -> None:
    errors: dict[str, str] = {}
    if not summary:
        errors["summary"] = _("The summary is required.")
    if not signer_name:
        errors["signer_name"] = _("The signer's name is required.")
    if not title:
        errors["signer_title"] = _("The signer's title is required.")
    if issued_on > today():
        # ND 30 Art. 15(2): the number and date are given once the document is signed.
        errors["issued_on"] = _("A document cannot be issued with a date in the future.")
    if errors:
        raise ValidationError(errors)


def _number_render_store(
    *,
    actor: Actor,
    issuer: IssuingBody,
    doc_type: DocumentType,
    issued_on: dt.date,
    summary: str,
    signer_name: str,
    signer_title: str,
    key: str,
    render: Render | None,
    written: list[str],
    request: dict[str, Any],
    extra: _Extra,
) -> tuple[IssuedDocument, bool]:
    """(the document, whether it is new): a concurrent retry's document comes back as old."""
    year = issued_on.year
    number: int | None = None
    symbol = ""
    if doc_type.is_numbered:
        counter = locked_counter(issuer, year, doc_type)
        # While we waited for the lock, a retry with our key may have committed.
        existing = IssuedDocument.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return _replay(existing, request), False
        check_date_order(issuer, doc_type, issued_on)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        number = counter.last_number
        symbol = format_symbol(number, doc_type, issuer)
    code = _unused_code()
    document = IssuedDocument(
        issuer=issuer,
        issuer_name=issuer.unit.name,
        doc_type=doc_type,
        year=year,
        number=number,
        symbol=symbol,
        issued_on=issued_on,
        summary=summary,
        signer_name=signer_name,
        signer_title=signer_title,
        verification_code=code,
        idempotency_key=key,
        created_by=_user(actor),
        campaign=extra.campaign,
        block=extra.block,
    )
    if extra.template is not None:
        document.template_key = extra.template.key
        document.template_version = extra.template.version
        document.template_sha256 = extra.template.sha256
    if render is not None:
        docx, pdf = render(_render_context(document))
        document.docx_sha256 = sha256_hex(docx)
        document.docx_path = store_file(document, "docx", docx, written)
        if pdf is not None:
            document.pdf_sha256 = sha256_hex(pdf)
            document.pdf_path = store_file(document, "pdf", pdf, written)
            document.pdf_status = PdfStatus.READY
        elif extra.make_pdf:
            _plan_pdf(document)
    document.save()
    if document.pdf_status == PdfStatus.PENDING:
        # Queued once the issue is committed (a worker starting earlier would not find the
        # row); if this savepoint rolls back, Django drops the callback with it.
        from ..tasks import enqueue_pdf

        transaction.on_commit(partial(enqueue_pdf, document.pk, language=get_language()))
    return document, True


def _plan_pdf(document: IssuedDocument) -> None:
    """Mark the PDF as to be made, or as failed at once when LibreOffice is missing: there
    is no point retrying what an administrator has to install first."""
    available, reason = pdf_tools.pdf_available()
    if available:
        document.pdf_status = PdfStatus.PENDING
    else:
        document.pdf_status = PdfStatus.FAILED
        document.pdf_error = reason


def _unused_code() -> str:
    for _attempt in range(CODE_ATTEMPTS):
        code = verification.new_verification_code()
        if not IssuedDocument.objects.filter(verification_code=code).exists():
            return code
    raise RuntimeError("no unused verification code found; is the random source broken?")


def _render_context(document: IssuedDocument) -> dict[str, Any]:
    """Plain data for the renderer: documents never import the models of other apps."""
    issuer, doc_type = document.issuer, document.doc_type
    url = verification.verification_url(document.verification_code)
    return {
        "issuer_symbol": issuer.symbol,
        "issuer_name": issuer.name,
        "governing_body_name": issuer.governing_body_name,
        "place": issuer.place,
        "doc_type_code": doc_type.code,
        "doc_type_name": doc_type.name,
        "year": document.year,
        "number": document.number,
        "number_text": format_number(document.number) if document.number else "",
        "symbol": document.symbol,
        "issued_on": document.issued_on,
        "summary": document.summary,
        "signer_name": document.signer_name,
        "signer_title": document.signer_title,
        "verification_code": document.verification_code,
        "verification_url": url,
        "verification_qr_png": verification.qr_png(url),
    }


def store_file(document: IssuedDocument, extension: str, data: bytes, written: list[str]) -> str:
    """Write one file durably and return its name in the documents area."""
    name = f"{document.issuer.symbol}/{document.year}/{document.verification_code}.{extension}"
    written.append(files.write(Area.DOCUMENTS, name, data))
    return name


def remove_files(names: list[str]) -> None:
    for name in names:
        files.delete(Area.DOCUMENTS, name)
    names.clear()


def _replay(document: IssuedDocument, request: dict[str, Any]) -> IssuedDocument:
    """A repeated request returns its document; a different request reusing the key is a
    client bug and is refused rather than silently answered with the wrong document."""
    same = (
        document.issuer_id == request["issuer"].pk
        and document.doc_type.code == request["doc_type_code"]
        and document.issued_on == request["issued_on"]
        and document.summary == request["summary"]
        and document.signer_name == request["signer_name"]
        and document.signer_title == request["signer_title"]
    )
    if not same:
        raise ValidationError(
            {"idempotency_key": _("This request key was already used for another document.")}
        )
    return document


def _user(actor: Actor) -> Any:
    # The system (None) and anonymous requests are recorded as nobody.
    return actor if getattr(actor, "pk", None) is not None else None


def user_or_none(actor: Actor) -> Any:
    """The user to record as having done something, or None for the system."""
    return _user(actor)
