"""The Department's own award decisions, issued from the register's data.

`decision_issue` takes the number from the registry, renders the decision with its annex
(every recipient with the bonus and the amount in words) and records the AwardDecision and
its Awards, all in one transaction: the register is the single source of what was awarded,
and a failed render leaves neither a decision nor a consumed number.

`decision_record_from_list` puts the Excel-list flow (documents.awards_list) in the register
too: each row of the list is matched to a unit or a person of the agency and to a title or
form of the catalogue; a row that matches nothing refuses the whole issue.

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

from thidua.documents import awards_list, parts
from thidua.documents import services as documents
from thidua.documents import vn_format as vn
from thidua.documents.legal import national_bases_on
from thidua.documents.models import DocumentBatch, IssuedDocument, IssuingBody
from thidua.lib import files
from thidua.lib.dated import valid_on
from thidua.lib.files import Area
from thidua.lib.text import fold
from thidua.org.documents import standing_body
from thidua.org.models import Person, Unit, UnitKind
from thidua.org.permissions import Action, Actor, authorize

from .config import bonus_for
from .documents import Award, award_decision_context
from .models import AwardDecision, AwardForm, AwardLevel, RecipientKind
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
# Forms of address written before a name in lists ("Bà Lê Thị Hoa"), not part of the name.
_HONORIFICS = ("ông/bà", "đồng chí", "ông", "bà", "anh", "chị")


def awardable_levels(agency: Unit) -> list[str]:
    """The levels of titles and forms `agency` awards itself: a Department awards the
    agency-level ones (Giấy khen of its Director, Chiến sĩ thi đua cơ sở…); the province or
    city (an agency with no agency above it) also awards its own."""
    parent = agency.parent
    while parent is not None and parent.kind != UnitKind.AGENCY:
        parent = parent.parent
    if parent is None:
        return [AwardLevel.PROVINCIAL, AwardLevel.AGENCY]
    return [AwardLevel.AGENCY]


def level_errors(agency: Unit, awards: list[AwardInput]) -> list[str]:
    levels = awardable_levels(agency)
    errors = []
    for index, item in enumerate(awards, start=1):
        if item.form.level not in levels:
            errors.append(
                _("Row %(row)s: “%(form)s” is not awarded by %(agency)s.")
                % {"row": item.row or index, "form": item.form.name, "agency": agency.name}
            )
    return errors


def awardable_forms(agency: Unit) -> Any:
    return AwardForm.objects.filter(level__in=awardable_levels(agency))


# Defaults offered by the draft page ------------------------------------------------------------


def default_legal_bases(agency: Unit, day: dt.date) -> list[str]:
    """The national bases in force on `day`, then the agency's own (those its campaign of
    that year cites: the province's regulation, the agency's rules), without repeats."""
    from thidua.campaigns.models import LegalBasis

    bases = list(national_bases_on(day))
    seen = {fold(b).rstrip(";. ") for b in bases}
    own = LegalBasis.objects.filter(campaign__agency=agency, campaign__year=day.year)
    for basis in own.order_by("order"):
        text = " ".join(basis.text.split()).rstrip(";. ")
        if fold(text) not in seen:
            seen.add(fold(text))
            bases.append(text)
    return bases


def draft_defaults(agency: Unit, day: dt.date) -> dict[str, str]:
    """What the draft page offers before the secretariat edits it."""
    from thidua.campaigns.models import Campaign

    campaign = Campaign.objects.filter(agency=agency, year__lte=day.year).order_by("-year").first()
    body = documents.issuing_body_of(agency)
    title = " ".join((campaign.signer_title if campaign else "").split()) or "Giám đốc"
    standing = standing_body(agency)
    return {
        "summary": "Về việc khen thưởng tập thể, cá nhân có thành tích xuất sắc",
        "authority": f"{title[:1].upper()}{title[1:].lower()} {body.name}",
        "achievement": "đã có thành tích xuất sắc trong thực hiện nhiệm vụ",
        "proposal": (
            f"Theo đề nghị của Trưởng {standing.name[:1].lower()}{standing.name[1:]}"
            if standing is not None
            else ""
        ),
        "signer_name": campaign.signer_name if campaign else "",
        "signer_title": title,
        "signer_authority": "",
        "legal_bases": "\n".join(default_legal_bases(agency, day)),
    }


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


def _article2(rows: list[AnnexRow], body: IssuingBody) -> str:
    paid = [r.amount for r in rows if r.amount is not None]
    if not paid:
        return (
            "Tiền thưởng kèm theo danh hiệu, hình thức khen thưởng thực hiện theo quy định "
            "của pháp luật hiện hành."
        )
    total = sum(paid, Decimal(0))
    return (
        "Tiền thưởng kèm theo danh hiệu, hình thức khen thưởng của từng tập thể, cá nhân ghi "
        f"tại danh sách kèm theo, tổng cộng {money(total)} đồng "
        f"({amount_in_words(int(total))}), chi từ Quỹ thi đua, khen thưởng của "
        f"{body.printed_name or body.unit.name}."
    )


def decision_context(
    data: DraftInput, body: IssuingBody, rows: list[AnnexRow], *, number: str | None
) -> dict[str, Any]:
    standing = standing_body(data.agency)
    executors = "Chánh Văn phòng, Thủ trưởng các phòng, đơn vị và cá nhân có tên tại Điều 1"
    if standing is not None:
        executors = f"Chánh Văn phòng, Trưởng {standing.name[:1].lower()}{standing.name[1:]}, "
        executors += "Thủ trưởng các phòng, đơn vị và cá nhân có tên tại Điều 1"

    def cells(kind: str) -> list[Award]:
        return [
            {"name": r.name, "detail": r.detail, "title": r.title} for r in rows if r.kind == kind
        ]

    return award_decision_context(
        issuer=parts.body_issuer(body),
        number=number,
        day=data.issued_on,
        year=data.issued_on.year,
        summary=data.summary,
        authority=data.authority,
        legal_bases=data.legal_bases,
        proposal=data.proposal,
        collectives=cells(awards_list.COLLECTIVE),
        individuals=cells(awards_list.INDIVIDUAL),
        reason=data.achievement,
        bonus=_article2(rows, body),
        executors=executors,
        signer={
            "authority": data.signer_authority,
            "title": data.signer_title,
            "name": data.signer_name,
        },
        recipients=["Như Điều 3"],
        archive=standing.code if standing is not None else "",
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
    errors = _draft_errors(data) + validate_awards(checked)
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
    title = " ".join(p for p in (signer.get("authority", ""), signer["title"]) if p)
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
                        "achievement": _sentence(data.achievement),
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


def _sentence(text: str) -> str:
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


# The Excel-list flow ---------------------------------------------------------------------------


def _strip_honorific(name: str) -> str:
    words = " ".join(name.split())
    folded = words.casefold()
    for honorific in _HONORIFICS:
        if folded.startswith(honorific + " "):
            return words[len(honorific) + 1 :].strip()
    return words


def _agency_units(agency: Unit) -> Any:
    return Unit.objects.filter(path__startswith=agency.path)


def match_unit(agency: Unit, name: str, day: dt.date) -> list[Unit]:
    """Units of the agency named `name` (folded: "phong quan ly du lich" finds "Phòng Quản
    lý Du lịch") today or on `day`."""
    wanted = fold(" ".join(name.split()))
    found = []
    for unit in _agency_units(agency).prefetch_related("versions"):
        version = unit_version_on(unit, day)
        names = {unit.name, unit.short_name, version.name if version else ""}
        if wanted in {fold(n) for n in names if n}:
            found.append(unit)
    return found


def match_person(agency: Unit, name: str, detail: str, day: dt.date) -> list[Person]:
    """People employed in the agency on `day` with that full name; when several share it,
    those whose unit the detail column names."""
    wanted = fold(_strip_honorific(name))
    units = _agency_units(agency)
    people = list(
        Person.objects.filter(
            employments__unit__in=units, employments__valid_from__lte=day
        )
        .filter(valid_on(day, start=None, end="employments__valid_to"))
        .distinct()
    )  # fmt: skip
    found = [p for p in people if fold(p.full_name) == wanted]
    if len(found) > 1:
        folded_detail = fold(detail)
        narrowed = []
        for person in found:
            employment = employment_on(person, day)
            if employment is not None and fold(employment.unit.name) in folded_detail:
                narrowed.append(person)
        found = narrowed or found
    return found


def match_form(text: str, agency: Unit) -> list[AwardForm]:
    """The catalogue entry written in the list: its code, its name, or the one name that
    starts with what is written ("Giấy khen" for "Giấy khen của Giám đốc Sở"), among the
    forms the agency awards first."""
    wanted = fold(" ".join(text.split()))
    forms = list(AwardForm.objects.all())
    exact = [f for f in forms if f.code.casefold() == text.strip().casefold()]
    exact = exact or [f for f in forms if fold(f.name) == wanted]
    if exact:
        return exact
    starting = [f for f in forms if fold(f.name).startswith(wanted)]
    own = [f for f in starting if f.level in awardable_levels(agency)]
    return own if len(own) == 1 else starting


def match_list_rows(agency: Unit, rows: list[dict[str, Any]], day: dt.date) -> list[AwardInput]:
    """The list's rows as awards of the register; a ValidationError naming every row that
    matches no unit or person, or no title or form the agency awards (all or nothing)."""
    awards, errors = _match_rows(agency, rows, day)
    errors += level_errors(agency, awards)
    if errors:
        raise ValidationError(errors)
    return awards


def _match_rows(
    agency: Unit, rows: list[dict[str, Any]], day: dt.date
) -> tuple[list[AwardInput], list[str]]:
    awards: list[AwardInput] = []
    errors: list[str] = []
    for index, row in enumerate(rows, start=1):
        number = row.get("row") or index
        prefix = _("Row %(row)s") % {"row": number}
        forms = match_form(row["title"], agency)
        if len(forms) != 1:
            errors.append(
                f"{prefix}: "
                + (
                    _("“%(title)s” is not a title or form of the catalogue.")
                    if not forms
                    else _("“%(title)s” matches several titles or forms; write its full name.")
                )
                % {"title": row["title"]}
            )
        if row["kind"] == awards_list.COLLECTIVE:
            units = match_unit(agency, row["name"], day)
            if len(units) != 1:
                errors.append(
                    f"{prefix}: "
                    + _("no unit of %(agency)s is named “%(name)s”.")
                    % {"agency": agency.name, "name": row["name"]}
                )
                continue
            recipient: dict[str, Any] = {"unit": units[0]}
        else:
            people = match_person(agency, row["name"], row.get("detail", ""), day)
            if len(people) != 1:
                message = (
                    _("nobody named “%(name)s” works in %(agency)s on %(date)s.")
                    if not people
                    else _("several people are named “%(name)s”; name their unit in column B.")
                )
                errors.append(
                    f"{prefix}: "
                    + message
                    % {"name": row["name"], "agency": agency.name, "date": day.strftime("%d/%m/%Y")}
                )
                continue
            recipient = {"person": people[0]}
        if len(forms) == 1:
            awards.append(
                AwardInput(form=forms[0], reason=row.get("reason", ""), row=number, **recipient)
            )
    return awards, errors


def decision_record_from_list(
    *, actor: Actor, document: IssuedDocument, rows: list[dict[str, Any]], achievement: str
) -> AwardDecision:
    """Record the decision just issued from an Excel list, with one award per row, in the
    issue's transaction: an unmatched row refuses the issue."""
    agency = document.issuer.unit
    authorize(actor, Action.AWARD_RECORD, agency)
    awards = match_list_rows(agency, rows, document.issued_on)
    for item in awards:
        item.reason = item.reason or _sentence(achievement)
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


# Certificates ----------------------------------------------------------------------------------


def _names_as_printed(awards: list[Any], annex: dict[str, Any] | None) -> list[str]:
    """Each award's recipient as the decision printed it. A list imported from Excel may
    write "Bà Lê Thị Hoa" where the register keeps the name, and the certificate must read
    like the decision; the annex has one entry per award, in the same order."""
    names = [award.recipient_name for award in awards]
    written = [entry.get("name", "") for entry in (annex or {}).get("awards", [])]
    if len(written) != len(names):
        return names
    same_person = all(
        fold(_strip_honorific(w)) == fold(_strip_honorific(n))
        for w, n in zip(written, names, strict=True)
    )
    return written if same_person else names


def certificates_start(
    *, actor: Actor, decision: AwardDecision, token: str, mode: str = "blank"
) -> DocumentBatch:
    """One certificate per award still in force, from the Award rows: the name as the
    decision printed it, its unit then, its form and its reason."""
    authorize(actor, Action.AWARD_RECORD, decision.agency)
    if decision.document is None:
        raise ValidationError(
            _("Certificates are printed only for decisions issued in this system.")
        )
    if decision.is_annulled:
        raise ValidationError(_("This decision is annulled; its certificates are not printed."))
    awards = list(decision.awards.select_related("form", "unit__parent").order_by("pk"))
    printed = _names_as_printed(awards, awards_list.read_annex(decision.document))
    recipients = []
    for award, name in zip(awards, printed, strict=True):
        if award.revoked:
            continue
        if award.unit_id:
            parent = award.unit.parent if award.unit else None
            version = unit_version_on(parent, decision.issued_on) if parent else None
            detail = version.name if version else (parent.name if parent else "")
        else:
            detail = award.recipient_unit_name
        recipients.append(
            {
                "name": name,
                "detail": detail,
                "title": award.form.name,
                "kind": awards_list.COLLECTIVE if award.unit_id else awards_list.INDIVIDUAL,
                "achievement": _sentence(award.reason),
            }
        )
    if not recipients:
        raise ValidationError(_("This decision has no award to print a certificate for."))
    return awards_list.certificates_start(
        actor=actor,
        decision=decision.document,
        token=token,
        params={"mode": mode if mode in ("blank", "full") else "blank"},
        recipients=recipients,
    )
