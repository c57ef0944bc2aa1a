"""The write path of the numbering registry: issuing bodies, document types, issued documents.

Each service: authorise → validate → write → audit, inside one transaction. Issuing takes
the number, renders the DOCX, stores it and records the document in that one transaction,
so a failed issue consumes no number and leaves nothing half-issued. The PDF, which needs
LibreOffice (slow, and sometimes missing or crashing), is made afterwards by a background
task (documents.tasks): its failure never takes an issued document back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.lib import files
from thidua.lib.dates import today
from thidua.lib.files import Area

from . import pdf as pdf_tools
from . import rendering
from .models import (
    DocumentType,
    IssuedDocument,
    IssuingBody,
    NumberCounter,
    PdfStatus,
    TemplateVersion,
    symbol_validator,
)
from .permissions import Actor, Permission, authorize

# No 0/O, 1/I/L: a code copied by hand from paper must not be misread.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
# 31^8 ≈ 8.5·10^11 codes: a clash is rare, a run of them means something is broken.
CODE_ATTEMPTS = 10
IDEMPOTENCY_KEY_MAX = 100

Render = Callable[[dict[str, Any]], tuple[bytes, bytes | None]]


@dataclass(frozen=True)
class TemplateRecord:
    """Which template made a document: a built-in file (version None) or an agency's
    uploaded version, with the SHA-256 of the exact bytes used."""

    key: str
    version: TemplateVersion | None
    sha256: str


@dataclass(frozen=True)
class _Extra:
    make_pdf: bool
    campaign: Any
    block: Any
    template: TemplateRecord | None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """What a person typed or a URL carried, in the stored form: upper case, without the
    spaces or dashes people add when copying a code from paper."""
    return "".join(raw.split()).replace("-", "").upper()[:40]


def verification_url(code: str) -> str:
    """The absolute public address printed (and encoded in the QR code) on the document."""
    base = str(settings.PUBLIC_BASE_URL).rstrip("/")
    return base + reverse("document_verify", args=[code])


def qr_png(url: str, *, scale: int = 8) -> bytes:
    """A QR code for the templates. Error level M survives a stamp or a fold on paper."""
    buffer = io.BytesIO()
    segno.make_qr(url, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg(url: str, *, scale: int = 4) -> str:
    buffer = io.BytesIO()
    segno.make_qr(url, error="m").save(
        buffer, kind="svg", scale=scale, border=4, xmldecl=False, svgns=True
    )
    return buffer.getvalue().decode("utf-8")


def format_number(number: int) -> str:
    # ND 30 Phụ lục I: numbers below 10 take a leading zero ("Số: 05/…").
    return f"{number:02d}"


def issuing_body_of(agency: Any) -> IssuingBody:
    """The agency's issuing body, or a message saying it must be set up first."""
    body = IssuingBody.objects.filter(unit=agency).select_related("unit").first()
    if body is None:
        raise ValidationError(
            _("%(unit)s has no issuing body (symbol and place) yet; set one up first.")
            % {"unit": agency}
        )
    return body


def download_name(document: IssuedDocument, extension: str) -> str:
    """ "KH-12-SVHTTDL-2021.pdf": type, number ("kso" when unnumbered), issuer, year."""
    number = format_number(document.number) if document.number else "kso"
    return f"{document.doc_type.code}-{number}-{document.issuer.symbol}-{document.year}.{extension}"


def format_symbol(number: int, doc_type: DocumentType, issuer: IssuingBody) -> str:
    return f"{format_number(number)}/{doc_type.code}-{issuer.symbol}"


# Catalogue ---------------------------------------------------------------------------------


def issuing_body_snapshot(body: IssuingBody) -> dict[str, Any]:
    return {
        "unit": body.unit.code,
        "symbol": body.symbol,
        "printed_name": body.printed_name,
        "governing_body_name": body.governing_body_name,
        "place": body.place,
    }


@transaction.atomic
def issuing_body_save(
    *,
    actor: Actor,
    unit: Any,
    symbol: str,
    place: str,
    governing_body_name: str = "",
    printed_name: str = "",
) -> IssuingBody:
    """Create or change what `unit` prints on its documents. Documents already issued keep
    the symbol they were printed with."""
    authorize(actor, Permission.MANAGE_ISSUER, unit)
    body = IssuingBody.objects.filter(unit=unit).first()
    before = issuing_body_snapshot(body) if body else None
    symbol = symbol.strip()
    if not symbol:
        raise ValidationError({"symbol": _("The symbol is required.")})
    symbol_validator(symbol)
    clash = IssuingBody.objects.filter(symbol=symbol)
    if body is not None:
        clash = clash.exclude(pk=body.pk)
    if clash.exists():
        raise ValidationError(
            {"symbol": _("The symbol “%(symbol)s” is already used.") % {"symbol": symbol}}
        )
    if not place.strip():
        raise ValidationError({"place": _("The place is required.")})
    body = body or IssuingBody(unit=unit)
    body.symbol = symbol
    body.place = place.strip()
    body.governing_body_name = governing_body_name.strip()
    body.printed_name = printed_name.strip()
    body.full_clean()
    body.save()
    record(
        actor=actor,
        action=AuditAction.DOCUMENT_ISSUER_SAVED,
        obj=body,
        before=before,
        after=issuing_body_snapshot(body),
    )
    return body


def document_type_snapshot(doc_type: DocumentType) -> dict[str, Any]:
    return {
        "code": doc_type.code,
        "name": doc_type.name,
        "is_numbered": doc_type.is_numbered,
        "is_nd30_type": doc_type.is_nd30_type,
        "legal_basis": doc_type.legal_basis,
        "order": doc_type.order,
    }


@transaction.atomic
def document_type_save(*, actor: Actor, doc_type: DocumentType) -> DocumentType:
    """Save a new or changed catalogue entry. The catalogue is shared by every agency, so
    only a system administrator changes it."""
    if not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("Only a system administrator can change document types."))
    before = None
    if doc_type.pk:
        before = document_type_snapshot(DocumentType.objects.get(pk=doc_type.pk))
    doc_type.code = doc_type.code.strip()
    doc_type.name = doc_type.name.strip()
    doc_type.full_clean()
    doc_type.save()
    record(
        actor=actor,
        action=AuditAction.DOCUMENT_TYPE_SAVED,
        obj=doc_type,
        before=before,
        after=document_type_snapshot(doc_type),
    )
    return doc_type


# Issuing -----------------------------------------------------------------------------------


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
        _remove(written)
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
        _remove(written)
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
        counter = _locked_counter(issuer, year, doc_type)
        # While we waited for the lock, a retry with our key may have committed.
        existing = IssuedDocument.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return _replay(existing, request), False
        _check_date_order(issuer, doc_type, issued_on)
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
        document.docx_path = _store(document, "docx", docx, written)
        if pdf is not None:
            document.pdf_sha256 = sha256_hex(pdf)
            document.pdf_path = _store(document, "pdf", pdf, written)
            document.pdf_status = PdfStatus.READY
        elif extra.make_pdf:
            _plan_pdf(document)
    document.save()
    if document.pdf_status == PdfStatus.PENDING:
        # Queued once the issue is committed (a worker starting earlier would not find the
        # row); if this savepoint rolls back, Django drops the callback with it.
        from .tasks import enqueue_pdf

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


def _locked_counter(issuer: IssuingBody, year: int, doc_type: DocumentType) -> NumberCounter:
    """The series' counter, its row locked until the transaction ends.

    The first issue of a series creates the row; two first issues at once both try, the
    loser's INSERT fails on the unique constraint inside its own savepoint, and it then
    waits on the winner's row like everyone else.
    """
    series = NumberCounter.objects.select_for_update().filter(
        issuer=issuer, year=year, doc_type=doc_type
    )
    counter = series.first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():
            NumberCounter.objects.create(issuer=issuer, year=year, doc_type=doc_type)
    except IntegrityError:
        pass
    return series.get()


def _check_date_order(issuer: IssuingBody, doc_type: DocumentType, issued_on: dt.date) -> None:
    # ND 30 Art. 15(1): numbers and dates follow the order of issue in the year, so a new
    # number never carries an earlier date than the number before it.
    latest = IssuedDocument.objects.filter(
        issuer=issuer, doc_type=doc_type, year=issued_on.year, number__isnull=False
    ).aggregate(latest=Max("issued_on"))["latest"]
    if latest is not None and issued_on < latest:
        raise ValidationError(
            {
                "issued_on": _(
                    "The previous %(type)s of %(issuer)s was issued on %(date)s; numbers "
                    "follow the order of issue, so this one cannot be dated earlier."
                )
                % {"type": doc_type.name, "issuer": issuer.symbol, "date": _fmt(latest)}
            }
        )


def _unused_code() -> str:
    for _attempt in range(CODE_ATTEMPTS):
        code = new_verification_code()
        if not IssuedDocument.objects.filter(verification_code=code).exists():
            return code
    raise RuntimeError("no unused verification code found; is the random source broken?")


def _render_context(document: IssuedDocument) -> dict[str, Any]:
    """Plain data for the renderer: documents never import the models of other apps."""
    issuer, doc_type = document.issuer, document.doc_type
    url = verification_url(document.verification_code)
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
        "verification_qr_png": qr_png(url),
    }


def _store(document: IssuedDocument, extension: str, data: bytes, written: list[str]) -> str:
    """Write one file durably and return its name in the documents area."""
    name = f"{document.issuer.symbol}/{document.year}/{document.verification_code}.{extension}"
    written.append(files.write(Area.DOCUMENTS, name, data))
    return name


def _remove(names: list[str]) -> None:
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


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


# The PDF, made after the issue ---------------------------------------------------------------


def document_pdf_retry(*, actor: Actor, document: IssuedDocument) -> bool:
    """Queue the PDF of an issued document again after it failed (or was never made). True
    when queued by this call; False when it is already queued, being made or ready, so a
    double click queues it once."""
    authorize(actor, Permission.ISSUE, document.issuer.unit)
    if not document.docx_path:
        raise ValidationError(_("This document has no Word file to make a PDF from."))
    available, reason = pdf_tools.pdf_available()
    if not available:
        raise ValidationError(reason)
    with transaction.atomic():
        # One conditional UPDATE: of two concurrent clicks, exactly one moves the row.
        moved = IssuedDocument.objects.filter(
            pk=document.pk, pdf_status__in=[PdfStatus.FAILED, PdfStatus.NONE]
        ).update(pdf_status=PdfStatus.PENDING, pdf_error="", pdf_attempts=0)
        if not moved:
            return False
        document.refresh_from_db()
        record(
            actor=actor,
            action=AuditAction.DOCUMENT_PDF_REQUEUED,
            obj=document,
            after={"pdf_status": document.pdf_status},
        )
        from .tasks import enqueue_pdf

        transaction.on_commit(partial(enqueue_pdf, document.pk, language=get_language()))
    return True


def store_pdf(document_id: int, data: bytes) -> IssuedDocument | None:
    """Record a PDF made for a document whose PDF is pending: write the file, set its hash
    and status, audit. None (and nothing written) when the document is no longer pending,
    e.g. another worker finished it first: its file, whose hash is registered, stays."""
    written: list[str] = []
    try:
        with transaction.atomic():
            document = (
                IssuedDocument.objects.select_for_update()
                .select_related("issuer")
                .filter(pk=document_id, pdf_status=PdfStatus.PENDING)
                .first()
            )
            if document is None:
                return None
            document.pdf_path = _store(document, "pdf", data, written)
            document.pdf_sha256 = sha256_hex(data)
            document.pdf_status = PdfStatus.READY
            document.pdf_error = ""
            document.save(update_fields=["pdf_path", "pdf_sha256", "pdf_status", "pdf_error"])
            record(
                actor=None,
                action=AuditAction.DOCUMENT_PDF_READY,
                obj=document,
                after={"pdf_sha256": document.pdf_sha256, "pdf_path": document.pdf_path},
            )
            return document
    except BaseException:
        _remove(written)
        raise


def pdf_failed(document_id: int, reason: str, *, attempts: int | None = None) -> None:
    """Give up on a pending PDF, with the reason a person can act on; audited, because the
    register then lacks the archival copy."""
    with transaction.atomic():
        document = (
            IssuedDocument.objects.select_for_update()
            .filter(pk=document_id, pdf_status=PdfStatus.PENDING)
            .first()
        )
        if document is None:
            return
        document.pdf_status = PdfStatus.FAILED
        document.pdf_error = reason
        fields = ["pdf_status", "pdf_error"]
        if attempts is not None:
            document.pdf_attempts = attempts
            fields.append("pdf_attempts")
        document.save(update_fields=fields)
        record(
            actor=None,
            action=AuditAction.DOCUMENT_PDF_FAILED,
            obj=document,
            after={"pdf_error": reason, "pdf_attempts": document.pdf_attempts},
        )


# Which template makes a document ------------------------------------------------------------


def choose_template(template_name: str, issuer: IssuingBody) -> tuple[TemplateRecord, bytes | None]:
    """The template `issuer` uses for `template_name` ("ke_hoach.docx"): its active
    uploaded version (with that version's bytes) or the built-in file (bytes None), and
    the record every issued document keeps of it."""
    from .template_versions import active_template

    choice = active_template(Path(template_name).stem, issuer)
    record_ = TemplateRecord(choice.key, choice.version, choice.sha256)
    return record_, (bytes(choice.content) if choice.version is not None else None)


def render_template(
    template_name: str,
    content: bytes | None,
    context: dict[str, Any],
    *,
    images: dict[str, bytes] | None = None,
) -> bytes:
    """Render the built-in file, or an agency's version when `content` is given."""
    return rendering.render_docx(template_name, context, images=images, content=content)


def registry_renderer(
    template_name: str,
    content: bytes | None,
    context: dict[str, Any],
    *,
    place: str | None = None,
) -> Render:
    """The `render` of `document_issue` for a generator's context: fill in what the registry
    gives (number and symbol, verification code and QR; the place and date line when `place`
    is given) and render the DOCX with the issuer's template. The PDF is left to the job
    worker."""
    from .vn_format import place_date_line

    def render(issued: dict[str, Any]) -> tuple[bytes, bytes | None]:
        filled = {
            **context,
            "number_symbol": issued["symbol"] or context.get("number_symbol", ""),
            "verification_code": issued["verification_code"],
            "verification_url": issued["verification_url"],
        }
        if place is not None:
            filled["place_date"] = place_date_line(place, issued["issued_on"])
        images = {"verification_qr": issued["verification_qr_png"]}
        return render_template(template_name, content, filled, images=images), None

    return render


def user_or_none(actor: Actor) -> Any:
    """The user to record as having done something, or None for the system."""
    return _user(actor)
