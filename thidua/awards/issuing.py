"""The Department's own award decisions, issued from the register's data.

`decision_issue` takes the number from the registry, renders the decision with its annex
(every recipient with the bonus and the amount in words) and records the AwardDecision and
its Awards, all in one transaction: the register is the single source of what was awarded,
and a failed render leaves neither a decision nor a consumed number.

`list_decision_issue` issues a decision from the secretariat's Excel list (award_list) for a
campaign, and `decision_record_from_list` puts it in the register too: each row of the list
is matched to a unit or a person of the agency and to a title or form of the catalogue; a
row that matches nothing refuses the whole issue. Both paths build the decision's text with
the same `_decision_document`.

`certificates_start` prints one certificate (Giấy khen) per award of a decision, with the
names, reasons and forms of its Award rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.documents import parts
from thidua.documents import services as documents
from thidua.documents import vn_format as vn
from thidua.documents.legal import bases_not_in_force
from thidua.documents.models import IssuedDocument, IssuingBody
from thidua.lib import files
from thidua.lib.files import Area
from thidua.org.documents import standing_body
from thidua.org.models import Unit
from thidua.org.permissions import Action, Actor, authorize

from . import award_list as awards_list
from . import eligibility_checks
from .config import bonus_for
from .decision_defaults import level_errors
from .documents import Award, award_decision_context
from .list_rows import match_list_rows
from .models import AwardDecision, RecipientKind
from .services import (
    AwardInput,
    DecisionInput,
    employment_on,
    record_decision,
    unit_version_on,
    validate_awards,
)
from .vn_money import amount_in_words
from .vn_money import format_money as money

TEMPLATE = "quyet_dinh_khen_thuong.docx"
DOC_TYPE = "QĐ"
KEY_PREFIX = "award-decision"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,60}$")


# Issuing ---------------------------------------------------------------------------------------


@dataclass
class DraftInput:
    agency: Unit
    issued_on: dt.date
    signer_name: str
    signer_title: str
    # "KT. GIÁM ĐỐC" when a deputy signs for the head, "" when the head signs.
    signer_authority: str = ""
    summary: str = ""
    authority: str = ""
    achievement: str = ""
    proposal: str = ""
    legal_bases: list[str] = field(default_factory=list)
    awards: list[AwardInput] = field(default_factory=list)
    # The year of the achievement the decision rewards; None: the decision's own year.
    achievement_year: int | None = None

    @property
    def year(self) -> int:
        return self.achievement_year or self.issued_on.year


@dataclass(frozen=True)
class AnnexRow:
    """One recipient as printed in the annex and on the certificate."""

    kind: str  # awards_list.COLLECTIVE / INDIVIDUAL
    name: str
    detail: str
    form: str
    reason: str
    amount: Decimal | None
    words: str

    @property
    def title(self) -> str:
        """The annex's "Danh hiệu, hình thức" cell, with the bonus and its words."""
        if self.amount is None:
            return self.form
        return f"{self.form}; tiền thưởng {money(self.amount)} đồng ({self.words})"


def annex_row(item: AwardInput, day: dt.date) -> AnnexRow:
    if item.unit is not None:
        version = unit_version_on(item.unit, day)
        parent = item.unit.parent
        parent_version = unit_version_on(parent, day) if parent is not None else None
        kind, name = RecipientKind.COLLECTIVE, version.name if version else item.unit.name
        detail = parent_version.name if parent_version else (parent.name if parent else "")
    else:
        assert item.person is not None
        employment = employment_on(item.person, day)
        unit_version = unit_version_on(employment.unit, day) if employment else None
        kind, name = RecipientKind.INDIVIDUAL, item.person.full_name
        position = employment.position if employment else ""
        detail = ", ".join(p for p in (position, getattr(unit_version, "name", "")) if p)
    bonus = bonus_for(item.form, kind, day)
    return AnnexRow(
        kind=awards_list.COLLECTIVE if kind == RecipientKind.COLLECTIVE else awards_list.INDIVIDUAL,
        name=name,
        detail=detail,
        form=item.form.name,
        reason=item.reason.strip(),
        amount=bonus.amount,
        words=bonus.words,
    )


# Điều 2 when no bonus is set by the register (the Excel list carries no amounts).
BONUS_BY_LAW = (
    "Tiền thưởng kèm theo danh hiệu, hình thức khen thưởng thực hiện theo quy định của pháp "
    "luật hiện hành."
)


def _article2(rows: list[AnnexRow], body: IssuingBody) -> str:
    paid = [r.amount for r in rows if r.amount is not None]
    if not paid:
        return BONUS_BY_LAW
    total = sum(paid, Decimal(0))
    return (
        "Tiền thưởng kèm theo danh hiệu, hình thức khen thưởng của từng tập thể, cá nhân ghi "
        f"tại danh sách kèm theo, tổng cộng {money(total)} đồng "
        f"({amount_in_words(int(total))}), chi từ Quỹ thi đua, khen thưởng của "
        f"{body.printed_name or body.unit.name}."
    )


def _decision_document(
    *,
    agency: Unit,
    body: IssuingBody,
    number: str | None,
    day: dt.date | None,
    year: int,
    collectives: list[Award],
    individuals: list[Award],
    **text: Any,
) -> dict[str, Any]:
    """The agency's award decision: Điều 3's executors, the Nơi nhận and the archive code
    from its council's standing body; `text` is the rest of award_decision_context's
    arguments (summary, authority, legal bases, proposal, reason, bonus, signer)."""
    standing = standing_body(agency)
    heads = ["Chánh Văn phòng"]
    if standing is not None:
        heads.append(f"Trưởng {parts.lower_first(standing.name)}")
    executors = ", ".join([*heads, "Thủ trưởng các phòng, đơn vị và cá nhân có tên tại Điều 1"])
    return award_decision_context(
        issuer=parts.body_issuer(body),
        number=number,
        day=day,
        year=year,
        collectives=collectives,
        individuals=individuals,
        executors=executors,
        recipients=["Như Điều 3"],
        archive=standing.code if standing is not None else "",
        **text,
    )


def decision_context(
    data: DraftInput, body: IssuingBody, rows: list[AnnexRow], *, number: str | None
) -> dict[str, Any]:
    def cells(kind: str) -> list[Award]:
        return [
            {"name": r.name, "detail": r.detail, "title": r.title} for r in rows if r.kind == kind
        ]

    return _decision_document(
        agency=data.agency,
        body=body,
        number=number,
        day=data.issued_on,
        year=data.issued_on.year,
        collectives=cells(awards_list.COLLECTIVE),
        individuals=cells(awards_list.INDIVIDUAL),
        summary=data.summary,
        authority=data.authority,
        legal_bases=data.legal_bases,
        proposal=data.proposal,
        reason=data.achievement,
        bonus=_article2(rows, body),
        signer={
            "authority": data.signer_authority,
            "title": data.signer_title,
            "name": data.signer_name,
        },
    )


def request_key(agency: Unit, token: str) -> str:
    """The registry's idempotency key for one press of the Issue button: `token` is a
    hidden field made when the draft page was rendered."""
    if not _TOKEN.match(token or ""):
        raise ValidationError(_("The request key is missing or malformed; reload the page."))
    return f"{KEY_PREFIX}:{agency.pk}:{token}"


def _draft_errors(data: DraftInput) -> list[str]:
    errors: list[str] = []
    if not data.awards:
        errors.append(_("Add at least one recipient."))
    if not data.summary.strip():
        errors.append(_("The summary is required."))
    if not data.authority.strip():
        errors.append(_("The awarding authority is required."))
    if not data.achievement.strip():
        errors.append(_("The achievement is required."))
    errors += level_errors(data.agency, data.awards)
    errors += bases_not_in_force(data.legal_bases, data.issued_on)
    return errors


def decision_issue(*, actor: Actor, data: DraftInput, idempotency_key: str) -> AwardDecision:
    """Issue the agency's award decision and record it in the register, in one transaction.

    The same `idempotency_key` (the page's hidden token) returns the decision the first
    call issued: a double submit or a retry issues once."""
    authorize(actor, Action.AWARD_RECORD, data.agency)
    key = request_key(data.agency, idempotency_key)
    done = AwardDecision.objects.filter(document__idempotency_key=key).first()
    if done is not None:
        return done
    body = documents.issuing_body_of(data.agency)
    # The register's own checks (recipient on the date, kind of recipient, duplicates), run
    # before a number is taken so the secretariat sees every row's problem at once.
    checked = DecisionInput(
        agency=data.agency,
        issuer_name=body.unit.name,
        symbol="-",
        issued_on=data.issued_on,
        awards=data.awards,
    )
    for item in data.awards:
        item.achievement_year = item.achievement_year or data.year
    errors = _draft_errors(data) + validate_awards(checked)
    if not errors:
        # Refuse or justify: the conditions of each title (registered by titles).
        errors = eligibility_checks.problems(
            agency=data.agency, issued_on=data.issued_on, year=data.year, awards=data.awards
        )
    if errors:
        raise ValidationError(errors)
    rows = [annex_row(item, data.issued_on) for item in data.awards]
    draft = decision_context(data, body, rows, number=None)
    template, content = documents.choose_template(TEMPLATE, body)

    def render_numbered(issued: dict[str, Any]) -> tuple[bytes, bytes | None]:
        # The annex repeats the number: rebuild the context with the registry's number.
        context = decision_context(data, body, rows, number=issued["number_text"])
        return documents.registry_renderer(TEMPLATE, content, context)(issued)

    signer = draft["signer"]
    _name, title = parts.signer_name_title(draft)
    written: list[str] = []
    document: IssuedDocument | None = None
    try:
        with transaction.atomic():
            document = documents.document_issue(
                actor=actor,
                issuer=body,
                doc_type_code=DOC_TYPE,
                issued_on=data.issued_on,
                summary=draft["summary"],
                signer_name=signer["name"],
                signer_title=title,
                idempotency_key=key,
                render=render_numbered,
                make_pdf=True,
                template=template,
            )
            # A concurrent retry with our key waited on the counter and got the first
            # call's document back: the first call recorded the decision too.
            twin = AwardDecision.objects.filter(document=document).first()
            if twin is not None:
                return twin
            written.append(
                awards_list.write_annex(
                    document,
                    {
                        "awards": [
                            {
                                "name": r.name,
                                "detail": r.detail,
                                "title": r.form,
                                "kind": r.kind,
                                "achievement": r.reason,
                            }
                            for r in rows
                        ],
                        "authority": data.authority,
                        "achievement": sentence(data.achievement),
                        "place_date": vn.place_date_line(body.place, document.issued_on),
                        "signer": signer,
                    },
                )
            )
            decision = record_decision(
                actor=actor,
                data=DecisionInput(
                    agency=data.agency,
                    issuer_name=body.unit.name,
                    issuing_body=body,
                    document=document,
                    symbol=document.symbol,
                    issued_on=document.issued_on,
                    signer=signer["name"],
                    legal_bases="\n".join(data.legal_bases),
                    awards=data.awards,
                ),
            )
    except BaseException:
        _remove_files(document, written)
        raise
    return decision


def sentence(text: str) -> str:
    text = " ".join(text.split())
    return text[:1].upper() + text[1:].rstrip(".") + "." if text else ""


def _remove_files(document: IssuedDocument | None, written: list[str]) -> None:
    """The rows are rolled back; the files written for them must go too."""
    for name in written:
        files.delete(Area.DOCUMENTS, name)
    if document is not None:
        for relative in (document.docx_path, document.pdf_path):
            if relative and not IssuedDocument.objects.filter(pk=document.pk).exists():
                files.delete(Area.DOCUMENTS, relative)


def decision_record_from_list(
    *, actor: Actor, document: IssuedDocument, rows: list[dict[str, Any]], achievement: str
) -> AwardDecision:
    """Record the decision just issued from an Excel list, with one award per row, in the
    issue's transaction: an unmatched row refuses the issue."""
    agency = document.issuer.unit
    authorize(actor, Action.AWARD_RECORD, agency)
    awards = match_list_rows(agency, rows, document.issued_on)
    campaign = getattr(document, "campaign", None)
    year = campaign.year if campaign is not None else document.issued_on.year
    for item in awards:
        item.reason = item.reason or sentence(achievement)
        item.achievement_year = item.achievement_year or year
    # Refuse or justify: the conditions of each title (registered by titles).
    errors = eligibility_checks.problems(
        agency=agency, issued_on=document.issued_on, year=year, awards=awards
    )
    if errors:
        raise ValidationError(errors)
    return record_decision(
        actor=actor,
        data=DecisionInput(
            agency=agency,
            issuer_name=agency.name,
            issuing_body=document.issuer,
            document=document,
            symbol=document.symbol,
            issued_on=document.issued_on,
            signer=document.signer_name,
            awards=awards,
        ),
    )


# The decision from an Excel list -----------------------------------------------------------------


def list_decision_context(
    campaign: Any,
    body: IssuingBody,
    awards: list[dict[str, str]],
    *,
    summary: str,
    reason: str,
    authority: str,
    number: str | None,
    day: dt.date | None,
) -> dict[str, Any]:
    """The decision from a list: the campaign plan's legal bases and signer, the list's rows
    as the annex, the bonus by law."""
    from thidua.campaigns.issuing import plan_context

    collectives, individuals = awards_list.split(awards)
    plan = plan_context(campaign, body)
    return _decision_document(
        agency=campaign.agency,
        body=body,
        number=number,
        day=day,
        year=campaign.year,
        collectives=collectives,  # type: ignore[arg-type]
        individuals=individuals,  # type: ignore[arg-type]
        summary=summary,
        authority=authority,
        legal_bases=plan["legal_bases"],
        proposal="",
        reason=reason,
        bonus=BONUS_BY_LAW,
        signer=plan["signer"],
    )


def list_decision_issue(
    *,
    actor: Actor,
    campaign: Any,
    awards: list[dict[str, str]],
    summary: str,
    reason: str,
    authority: str,
    token: str,
    issued_on: dt.date,
) -> IssuedDocument:
    """Issue the award decision with its annex from a checked list, keep the list with it
    for the certificates and record it in the register, in one transaction: the registry
    authorises the issuer (DOCUMENT_ISSUE), decision_record_from_list the register
    (AWARD_RECORD). The DOCX now, the PDF in the background."""
    if not _TOKEN.match(token or ""):
        raise ValidationError(_("The request key is missing or malformed; reload the page."))
    key = f"campaign:{campaign.pk}:award:{token}"
    body = documents.issuing_body_of(campaign.agency)
    replay = IssuedDocument.objects.filter(idempotency_key=key).first()
    if replay is not None:
        return replay
    text = {"summary": summary, "reason": reason, "authority": authority}
    draft = list_decision_context(campaign, body, awards, number=None, day=None, **text)
    stale = bases_not_in_force(list(draft["legal_bases"]), issued_on)
    if stale:
        raise ValidationError(stale)
    name, title = parts.signer_name_title(draft)
    template, content = documents.choose_template(TEMPLATE, body)

    def render_numbered(issued: dict[str, Any]) -> tuple[bytes, bytes | None]:
        # The annex repeats the number and date: rebuild the context with the registry's.
        context = list_decision_context(
            campaign, body, awards, number=issued["number_text"], day=issued["issued_on"], **text
        )
        return documents.registry_renderer(TEMPLATE, content, context)(issued)

    written: list[str] = []
    document: IssuedDocument | None = None
    try:
        with transaction.atomic():
            document = documents.document_issue(
                actor=actor,
                issuer=body,
                doc_type_code=DOC_TYPE,
                issued_on=issued_on,
                summary=draft["summary"],
                signer_name=name,
                signer_title=title,
                idempotency_key=key,
                render=render_numbered,
                make_pdf=True,
                campaign=campaign,
                template=template,
            )
            annex = {
                "awards": awards,
                "authority": authority,
                "achievement": sentence(reason),
                "place_date": vn.place_date_line(body.place, document.issued_on),
                "signer": draft["signer"],
            }
            written.append(awards_list.write_annex(document, annex))
            # The register records the decision with one award per row, or refuses the
            # issue naming the rows it cannot match.
            decision_record_from_list(
                actor=actor, document=document, rows=awards, achievement=reason
            )
    except BaseException:
        _remove_files(document, written)
        raise
    return document
