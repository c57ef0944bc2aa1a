"""Context builders: turn a campaign or a year's block terms into the plain dict a Word
template in docx_templates/ is filled with (rendering.render_docx).

The documents app is used by the others and imports none of them back (design.md §2):
models are imported for type checking only, and everything is read through attributes.
Once a context is built it is plain data and the template never touches the database.

ND 30 needs a few things the data model does not hold yet — the issuing body's printed
name and symbol, the governing body, the "Nơi nhận" list, the decision's legal bases. They
come from arguments with defaults derived from the data where that is sound; the numbering
registry and issuing-body models being written alongside will supply them later. Each
default is explained where it is made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import prefetch_related_objects

from thidua.documents import vn_format as vn
from thidua.lib.dates import today

if TYPE_CHECKING:
    from thidua.campaigns.models import Campaign, ContentGroup, Criterion
    from thidua.org.models import BlockTerm, Unit


class Issuer(TypedDict, total=False):
    """The issuing body as printed in the header (ô 2) and used in ký hiệu and ô 4.

    Names are given in normal case ("Sở Văn hóa, Thể thao và Du lịch") and upper-cased for
    the header, because the same name also appears inside sentences.
    """

    governing_body: str  # tên cơ quan chủ quản, e.g. "UBND thành phố Cần Thơ"; "" if none
    name: str  # tên cơ quan ban hành, e.g. "Sở Văn hóa, Thể thao và Du lịch"
    symbol: str  # its abbreviation in ký hiệu, e.g. "SVHTTDL"
    place: str  # địa danh, e.g. "Cần Thơ"


class Signer(TypedDict, total=False):
    authority: str  # "KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN", … or "" when the head signs
    title: str  # "GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC"
    name: str  # "Nguyễn Khánh Tùng"


# --------------------------------------------------------------------------- shared


def _issuer(agency: Unit, place: str, given: Issuer | None) -> dict[str, str]:
    """Defaults from the agency unit: its parent as governing body, its short name (or
    name) and code. The printed names in the seed ("UBND THÀNH PHỐ CẦN THƠ" over "SỞ VĂN
    HÓA, THỂ THAO VÀ DU LỊCH") are shorter than the registered ones, so callers that know
    the official header pass `issuer`."""
    parent = agency.parent
    defaults = {
        "governing_body": parent.name if parent is not None else "",
        "name": agency.short_name or agency.name,
        "symbol": agency.code,
        "place": place,
    }
    merged = {**defaults, **(given or {})}
    return {key: vn.nfc(str(value)).strip() for key, value in merged.items()}


def _number(given: str | None, stored: str, type_abbr: str, issuer: dict[str, str]) -> str:
    """What follows "Số: ". `given` (from the numbering registry) may be a bare running
    number ("3887") or a full "3887/KH-SVHTTDL"; without one, the number already stored on
    the record, else a blank for the văn thư."""
    symbol = vn.document_symbol(type_abbr, issuer["symbol"])
    for candidate in (given, stored):
        if candidate and candidate.strip():
            candidate = candidate.strip()
            if "/" in candidate:
                return candidate
            return vn.number_symbol(candidate, symbol)
    return vn.number_symbol(None, symbol)


def _header(issuer: dict[str, str], number_symbol: str, day: dt.date | None) -> dict[str, str]:
    return {
        "governing_body": vn.vn_upper(issuer["governing_body"]),
        "issuer_name": vn.vn_upper(issuer["name"]),
        "number_symbol": number_symbol,
        "place_date": vn.place_date_line(issuer["place"], day),
    }


def _standing_body(agency: Unit) -> Unit | None:
    """The council's secretariat (phòng Tổ chức – Pháp chế in the seed): it drafts these
    documents, so it is the "Lưu: VT, …" unit and the proposer of the decision."""
    try:
        return agency.council.standing_body
    except ObjectDoesNotExist:
        return None


def _signer(given: Signer | None, default: Signer) -> dict[str, str]:
    merged = {**cast(Mapping[str, str], default), **cast(Mapping[str, str], given or {})}
    return {
        "authority": vn.vn_upper(merged.get("authority", "")),
        "title": vn.vn_upper(merged.get("title", "")),
        "name": vn.nfc(merged.get("name", "")).strip(),
    }


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _unit_name(unit: Unit, on: dt.date | None) -> str:
    """The unit's name on the document's date (names are dated history, design.md §5).
    Reads the prefetched versions rather than calling org.selectors, to keep the import
    arrow one-way."""
    if on is not None:
        for version in unit.versions.all():
            if version.valid_from <= on and (version.valid_to is None or on <= version.valid_to):
                return version.name
    return unit.name


# --------------------------------------------------------------------------- Kế hoạch


def _criteria_lines(criteria: Sequence[Criterion]) -> list[str]:
    """A group's criteria as the plan prints them: "- …" bullets, "+ …" for sub-criteria;
    a lone criterion is a plain paragraph, as in the seed's group 6."""
    top = [c for c in criteria if c.parent_id is None]
    if len(top) == 1 and not any(c.parent_id for c in criteria):
        return [vn.nfc(top[0].text).strip()]
    lines = []
    for criterion in top:
        lines.append(f"- {vn.nfc(criterion.text).strip()}")
        lines += [f"+ {vn.nfc(c.text).strip()}" for c in criteria if c.parent_id == criterion.pk]
    return lines


def _group(group: ContentGroup) -> dict[str, Any]:
    criteria = list(group.criteria.all())
    lines = vn.paragraphs(group.description) + _criteria_lines(criteria)
    return {"heading": f"{group.code}. {vn.nfc(group.title).strip()}", "criteria": lines}


# Without a recipient list from the caller: the units the plan is addressed to. Kept
# generic on purpose; the seed's list names the city board and the Sở's leaders, which
# only the issuing agency knows.
DEFAULT_PLAN_RECIPIENTS = ("Các đơn vị thành viên các Khối thi đua",)


def plan_context(
    campaign: Campaign,
    *,
    issuer: Issuer | None = None,
    number: str | None = None,
    signer: Signer | None = None,
    recipients: Sequence[str] | None = None,
    archive: str | None = None,
    intro: str = "",
    closing: str = "",
) -> dict[str, Any]:
    """The campaign plan (Kế hoạch phát động phong trào thi đua) for ke_hoach.docx.

    `intro` (the paragraph after the căn cứ) and `closing` ("Trên đây là Kế hoạch …") are
    free text the Campaign model has no field for; they are left out when empty rather than
    invented. Legal bases, purposes and implementation are printed as stored: the plan's
    căn cứ flow into its introduction, so their final punctuation is the author's.
    """
    agency = campaign.agency
    data = _issuer(agency, campaign.plan_place, issuer)
    standing = _standing_body(agency)
    archive_code = archive if archive is not None else (standing.code if standing else "")
    stored = campaign.plan_reference
    groups = list(campaign.groups.prefetch_related("criteria"))
    return {
        **_header(data, _number(number, stored, "KH", data), campaign.plan_date),
        "summary": vn.strip_type_name(campaign.title, "Kế hoạch"),
        "legal_bases": [vn.nfc(b.text).strip() for b in campaign.legal_bases.all()],
        "intro": " ".join(vn.nfc(intro).split()),
        "purposes": vn.paragraphs(campaign.purposes),
        "groups": [_group(group) for group in groups],
        "implementation": vn.paragraphs(campaign.implementation),
        "closing": " ".join(vn.nfc(closing).split()),
        "recipients": vn.recipient_lines(
            DEFAULT_PLAN_RECIPIENTS if recipients is None else recipients, archive=archive_code
        ),
        "signer": _signer(
            signer, {"authority": "", "title": campaign.signer_title, "name": campaign.signer_name}
        ),
    }


# --------------------------------------------------------------------------- Quyết định


@dataclass(frozen=True)
class DatedBasis:
    """A national legal basis and the period in which a decision may cite it."""

    text: str
    valid_from: dt.date
    valid_to: dt.date | None
    source: str


# The emulation law and its implementing decree in force on a decision's date. Dates of the
# 2022 Law, ND 98/2023 and ND 152/2025 are from shared/docs/domain.md §1; the 2003 Law, its
# amendments and ND 91/2017 are superseded [HIST] and cited from their official titles (to
# re-check on vbpl.vn with the rest of the legal data). The draft 2026 amending law is
# unconfirmed (legal-2025.md) and deliberately absent.
NATIONAL_BASES = [
    DatedBasis(
        "Căn cứ Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một "
        "số điều của Luật Thi đua, Khen thưởng ngày 14 tháng 6 năm 2005 và ngày 16 tháng 11 "
        "năm 2013",
        dt.date(2014, 6, 1),
        dt.date(2023, 12, 31),
        "Luật 15/2003/QH11, 47/2005/QH11, 39/2013/QH13 [HIST]",
    ),
    DatedBasis(
        "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định "
        "chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
        dt.date(2017, 10, 1),
        dt.date(2023, 12, 31),
        "ND 91/2017/NĐ-CP [HIST]",
    ),
    DatedBasis(
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
        dt.date(2024, 1, 1),
        None,
        "Luật 06/2022/QH15, domain.md §1",
    ),
    DatedBasis(
        "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định "
        "chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
        dt.date(2024, 1, 1),
        dt.date(2025, 6, 30),
        "ND 98/2023/NĐ-CP, domain.md §1 [HIST from 01/07/2025]",
    ),
    DatedBasis(
        "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định "
        "về phân cấp, phân quyền trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và "
        "hướng dẫn thi hành một số điều của Luật Thi đua, khen thưởng",
        dt.date(2025, 7, 1),
        None,
        "ND 152/2025/NĐ-CP, domain.md §1",
    ),
]


def national_bases_on(day: dt.date) -> list[str]:
    return [
        basis.text
        for basis in NATIONAL_BASES
        if basis.valid_from <= day and (basis.valid_to is None or day <= basis.valid_to)
    ]


def _campaign_place(agency: Unit, year: int) -> str:
    """Without an issuer place, the place of the same year's campaign plan (the decision and
    the plan come from the same office); read through the reverse relation, no import."""
    campaign = agency.campaigns.filter(year=year).first()
    return campaign.plan_place if campaign is not None else ""


def _split_signer(text: str) -> tuple[str, str]:
    """BlockTerm.decision_signer holds "Nguyễn Khánh Tùng, Giám đốc Sở": name, then post."""
    name, _, post = vn.nfc(text).partition(",")
    return name.strip(), post.strip()


def _post_without_body(post: str, body_name: str) -> str:
    """ "Giám đốc Sở" → "Giám đốc": the signature shows the post alone (ND 30 Mục V:
    "KT. BỘ TRƯỞNG / THỨ TRƯỞNG") because the header already names the body."""
    first_word = body_name.split()[0] if body_name.split() else ""
    if first_word and post.casefold().endswith(" " + first_word.casefold()):
        return post[: -len(first_word) - 1].strip()
    return post


def _terminate_bases(bases: Iterable[str], *, proposal: bool) -> list[str]:
    """Mẫu 1.2: every căn cứ ends with ";" — the last with "." only when no "Theo đề nghị
    của …" line follows."""
    return vn.terminate(bases, each=";", last=";" if proposal else ".")


def block_assignment_decision_context(
    terms: Sequence[BlockTerm],
    *,
    issuer: Issuer | None = None,
    number: str | None = None,
    signer: Signer | None = None,
    authority: str | None = None,
    legal_bases: Sequence[str] | None = None,
    extra_legal_bases: Sequence[str] = (),
    proposal: str | None = None,
    recipients: Sequence[str] | None = None,
    archive: str | None = None,
    articles: Sequence[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """The decision assigning block leaders and deputies (Quyết định phân công Khối trưởng,
    Khối phó) for quyet_dinh_phan_cong_khoi.docx, from one agency's block terms of one
    year, named by one decision (BlockTerm.decision_number/date/signer).

    Defaults, each overridable:
    * legal bases: the emulation law and decree in force on the decision date, then
      `extra_legal_bases` (e.g. the agency's own emulation regulation);
    * proposal: "Theo đề nghị của Trưởng <council secretariat>.";
    * Điều 2 (duties) follows the seed plan's split of work: the leader drafts the covenant
      and chairs the year-end review, the deputy chairs the mid-year review; Điều 3 is the
      usual entry-into-force and execution clause;
    * Nơi nhận: "Như Điều 3" (those who execute it) and "Lưu: VT, <secretariat>".
    """
    terms = sorted(terms, key=lambda t: t.block.code)
    if not terms:
        raise ValueError("no block terms")
    if len({(t.block.agency_id, t.year, t.decision_number) for t in terms}) != 1:
        raise ValueError("the terms must share one agency, one year and one decision")
    prefetch_related_objects(
        terms,
        "block__agency__parent",
        "leader__versions",
        "deputy__versions",
        "memberships__unit__versions",
    )
    first = terms[0]
    agency, year, day = first.block.agency, first.year, first.decision_date
    data = _issuer(agency, _campaign_place(agency, year), issuer)
    body_name = data["name"]
    standing = _standing_body(agency)
    archive_code = archive if archive is not None else (standing.code if standing else "")

    signer_name, post = _split_signer(first.decision_signer)
    post = _post_without_body(post, body_name)
    signer_data = _signer(signer, {"authority": "", "title": post, "name": signer_name})

    proposal_text = proposal
    if proposal_text is None and standing is not None:
        proposal_text = f"Theo đề nghị của Trưởng {_lower_first(standing.name)}"
    proposal_text = vn.terminate([proposal_text], last=".")[0] if proposal_text else ""

    national = national_bases_on(day or today())
    bases = [*(national if legal_bases is None else legal_bases), *extra_legal_bases]

    blocks = []
    for index, term in enumerate(terms, start=1):
        blocks.append(
            {
                "number": index,
                "name": vn.nfc(term.block.name),
                "leader": _unit_name(term.leader, day),
                "deputy": _unit_name(term.deputy, day) if term.deputy else "",
                # In the order the agency registered its units (the demo's own list order);
                # the materialised path sorts "12/" before "9/" and scrambles it.
                "members": [
                    _unit_name(m.unit, day)
                    for m in sorted(term.memberships.all(), key=lambda m: m.unit_id)
                ],
            }
        )

    executors = "Thủ trưởng các phòng, đơn vị có tên tại Điều 1"
    if standing is not None:
        executors = f"Trưởng {_lower_first(standing.name)}, {executors}"
    default_articles = [
        (
            "Điều 2.",
            "Khối trưởng có trách nhiệm xây dựng Giao ước thi đua, tổ chức ký kết giao ước, "
            "chủ trì tổng kết, bình xét và đề xuất đơn vị dẫn đầu Khối thi đua; Khối phó "
            "phối hợp với Khối trưởng điều hành hoạt động của Khối và chủ trì sơ kết công "
            f"tác thi đua của Khối trong năm {year}.",
        ),
        (
            "Điều 3.",
            f"Quyết định này có hiệu lực kể từ ngày ký. {executors} chịu trách nhiệm thi hành "
            "Quyết định này./.",
        ),
    ]
    return {
        **_header(data, _number(number, first.decision_number, "QĐ", data), day),
        "summary": (
            f"Về việc phân công Khối trưởng, Khối phó các Khối thi đua thuộc {body_name} năm {year}"
        ),
        "authority": vn.vn_upper(authority or f"{post} {body_name}".strip()),
        "legal_bases": _terminate_bases(bases, proposal=bool(proposal_text)),
        "proposal": proposal_text,
        "article1": (
            f"Phân công Khối trưởng, Khối phó các Khối thi đua thuộc {body_name} năm {year} "
            "như sau:"
        ),
        "blocks": blocks,
        "articles": [
            {"label": label, "text": text} for label, text in (articles or default_articles)
        ],
        "recipients": vn.recipient_lines(
            ["Như Điều 3"] if recipients is None else recipients, archive=archive_code
        ),
        "signer": signer_data,
    }
