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
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import prefetch_related_objects
from django.utils import timezone

from thidua.documents import vn_format as vn
from thidua.documents.legal import national_bases_on
from thidua.lib.dates import today

if TYPE_CHECKING:
    from thidua.campaigns.models import Campaign, ContentGroup, Criterion
    from thidua.covenants.models import Covenant
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


# --------------------------------------------------------------------------- the block's documents
#
# The covenant, the block's report and its minutes are the block's own papers: the header
# names the agency as the governing body (ô 2, first line) and the block as the issuer, and
# the block leader signs "TM. KHỐI …". `issuer`, where given, is the agency's issuer (the
# one plan_context takes): its printed name becomes the governing body line.


def _block_issuer(
    agency_name: str, block_name: str, block_symbol: str, place: str
) -> dict[str, str]:
    return {
        "governing_body": vn.nfc(agency_name).strip(),
        "name": vn.nfc(block_name).strip(),
        "symbol": vn.nfc(block_symbol).strip(),
        "place": vn.nfc(place).strip(),
    }


def _block_signer(block_name: str, name: str) -> dict[str, str]:
    return _signer(None, {"authority": f"TM. {block_name}", "title": "Khối trưởng", "name": name})


def _head_on(unit: Unit, day: dt.date) -> tuple[str, str]:
    """(position, full name) of the unit's head on `day`, from its employments (read through
    the reverse relation: no import of org.selectors); blanks when none is recorded."""
    for job in unit.employments.all():
        if job.is_head and job.valid_from <= day and (job.valid_to is None or day <= job.valid_to):
            return vn.nfc(job.position).strip(), vn.nfc(job.person.full_name).strip()
    return "", ""


def _issuing_body(unit: Unit) -> Any | None:
    """The unit's issuing body (documents.IssuingBody: printed name, place), if it has one;
    read through the reverse one-to-one relation."""
    try:
        return unit.issuing_body
    except ObjectDoesNotExist:
        return None


def _signature_note(signature: Any) -> str:
    on = timezone.localdate(signature.signed_at).strftime("%d/%m/%Y")
    if signature.method == "token":
        return f"Đã ký số ngày {on}"
    return f"Đã ký trong hệ thống ngày {on}"


# covenants.services.default_target writes a measurable target as "gte 95 %": the
# comparator's code, then the threshold. The document prints the mathematical sign.
COMPARATOR_SIGNS = {"gte": "≥", "lte": "≤", "gt": ">", "lt": "<", "eq": "="}


def _target_text(target: str) -> str:
    words = vn.nfc(target).split()
    if words and words[0] in COMPARATOR_SIGNS:
        words[0] = COMPARATOR_SIGNS[words[0]]
    return " ".join(words)


COVENANT_CLOSING = (
    "Giao ước thi đua có hiệu lực kể từ ngày ký. Các đơn vị thành viên cam kết tổ chức thực "
    "hiện nghiêm túc các nội dung đã ký kết./."
)


def covenant_context(covenant: Covenant, issuer: Issuer | None = None) -> dict[str, Any]:
    """The block's covenant (Giao ước thi đua) for giao_uoc.docx.

    Unnumbered (the covenant type GUTĐ has no register), and dated with blanks for the day
    and month: the date is the signing meeting's, written in by hand. Only the text the
    members sign is printed — title, căn cứ, targets, commitments — plus the members and
    their heads, so every rendering of one revision reads the same; `text_fingerprint` (the
    first 16 hex digits of the covenant's text hash) and `revision` tie a printed or
    token-signed copy to that revision. A member whose valid signature is on the current
    text gets a small note in its slot.
    """
    term = covenant.term
    block = term.block
    agency = block.agency
    year = term.year
    day = today()
    campaign = covenant.cycle.campaign
    given: dict[str, str] = {k: str(v) for k, v in (issuer or {}).items()}
    printed = _issuing_body(agency)
    # The agency's name in sentences, and as printed in the header (its issuing body's
    # header name, e.g. "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH" without the city, when it has one).
    agency_name = given.get("name") or agency.short_name or agency.name
    header_name = given.get("name") or (printed.name if printed else agency_name)
    place = given.get("place") or (printed.place if printed else "") or campaign.plan_place
    data = _block_issuer(header_name, block.name, block.code, place)

    memberships = sorted(
        term.memberships.select_related("unit").prefetch_related(
            "unit__versions", "unit__employments__person"
        ),
        key=lambda m: m.unit_id,
    )
    signed = {
        s.unit_id: s
        for s in covenant.signatures.filter(
            invalidated_at__isnull=True, text_hash=covenant.text_hash
        ).select_related("signer")
    }

    def role(unit_id: int) -> str:
        if unit_id == term.leader_id:
            return " (Khối trưởng)"
        if unit_id == term.deputy_id:
            return " (Khối phó)"
        return ""

    members = vn.terminate(
        [
            f"{i}. {_unit_name(m.unit, day)}{role(m.unit_id)}"
            for i, m in enumerate(memberships, start=1)
        ]
    )
    signatories = []
    leader_name = ""
    for index, membership in enumerate(memberships, start=1):
        position, name = _head_on(membership.unit, day)
        signature = signed.get(membership.unit_id)
        if not name and signature is not None:
            name = vn.nfc(str(signature.signer)).strip()
        if membership.unit_id == term.leader_id:
            leader_name = name
        signatories.append(
            {
                "number": index,
                "unit": _unit_name(membership.unit, day),
                "title": position or "Thủ trưởng đơn vị",
                "name": name,
                "note": _signature_note(signature) if signature is not None else "",
            }
        )

    groups: list[dict[str, Any]] = []
    for item in covenant.items.order_by("order"):
        heading = f"{item.group_code}. {vn.nfc(item.group_title).strip()}"
        if not groups or groups[-1]["heading"] != heading:
            groups.append({"heading": heading, "criteria": []})
        groups[-1]["criteria"].append(
            {
                "code": vn.nfc(item.code).strip(),
                "text": " ".join(vn.nfc(item.text).split()),
                "target": _target_text(item.target),
            }
        )

    standing = _standing_body(agency)
    council = f"Hội đồng Thi đua – Khen thưởng {agency_name}"
    if standing is not None:
        council += f" (qua {_lower_first(standing.name)})"
    summary = vn.strip_type_name(covenant.title, "Giao ước thi đua")
    if summary.casefold() == " ".join(vn.nfc(covenant.title).split()).casefold():
        # A title not starting with the type name (made under another language): the
        # summary documents.md §2.1 shows, "Khối thi đua … năm …".
        summary = f"{vn.nfc(block.name)} năm {year}"
    return {
        **_header(data, "", None),
        "place_date": vn.place_date_line(data["place"], None, year=year),
        "summary": summary,
        "legal_bases": vn.terminate(vn.paragraphs(covenant.legal_bases)),
        "intro": (
            f"Các đơn vị thành viên {vn.nfc(block.name)} thống nhất ký kết Giao ước thi đua "
            f"năm {year} với các nội dung sau:"
        ),
        "members": members,
        "groups": groups,
        "commitments": vn.paragraphs(covenant.commitments),
        "closing": COVENANT_CLOSING,
        "signatories": signatories,
        "recipients": vn.recipient_lines(
            [council, f"Các đơn vị thành viên {vn.nfc(block.name)}"],
            archive=term.leader.code,
        ),
        "signer": _block_signer(block.name, leader_name),
        "text_fingerprint": covenant.text_hash[:16],
        "revision": covenant.revision,
    }


def _decimal(value: float | int | str, places: int = 2) -> str:
    """ "95,5": Vietnamese writes the decimal comma."""
    if isinstance(value, str):
        return value
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _time_words(moment: dt.datetime | dt.date) -> str:
    """ "08 giờ 00 phút, ngày 15 tháng 11 năm 2021" (Mẫu 1.9's "… giờ …, ngày …"); for a
    day whose hour is not known, dotted blanks to write it in by hand."""
    if not isinstance(moment, dt.datetime):
        return f"…… giờ …… phút, {vn.date_words(moment)}"
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút, {vn.date_words(moment.date())}"


class Participant(TypedDict):
    name: str
    position: str


def block_report_context(
    *,
    agency_name: str,
    block_name: str,
    block_symbol: str,
    place: str,
    year: int,
    day: dt.date | None,
    number: str | None,
    addressees: Sequence[str],
    groups: Sequence[tuple[str, Sequence[str]]],
    units: Sequence[Mapping[str, Any]],
    proposals: Sequence[str],
    leader_name: str,
    recipients: Sequence[str],
    archive: str,
    intro: str = "",
    ranking_note: str = "",
    closing: str = "",
) -> dict[str, Any]:
    """The block's year-end report (Báo cáo tổng kết công tác thi đua) for bao_cao.docx,
    from plain data: the results per content group (heading, paragraphs), the members'
    scores (`units`: name, score, classification, rank, in rank order) and the proposals.
    The scoring engine feeds it later; until then callers pass what they have."""
    data = _block_issuer(agency_name, block_name, block_symbol, place)
    return {
        **_header(data, _number(number, "", "BC", data), day),
        "summary": f"Tổng kết công tác thi đua năm {year} của {vn.nfc(block_name)}",
        "addressees": _addressee_lines(addressees),
        "intro": " ".join(vn.nfc(intro).split()),
        "groups": [
            {"heading": vn.nfc(heading).strip(), "results": [vn.nfc(t).strip() for t in texts]}
            for heading, texts in groups
        ],
        "ranking_note": " ".join(vn.nfc(ranking_note).split()),
        "units": [
            {
                "number": index,
                "name": vn.nfc(str(unit["name"])).strip(),
                "score": _decimal(unit["score"]),
                "classification": vn.nfc(str(unit.get("classification", ""))).strip(),
                "rank": str(unit.get("rank", index)),
            }
            for index, unit in enumerate(units, start=1)
        ],
        "proposals": [vn.nfc(t).strip() for t in proposals],
        "closing": " ".join(vn.nfc(closing).split()),
        "recipients": vn.recipient_lines(recipients, archive=archive),
        "signer": _block_signer(block_name, leader_name),
    }


def _addressee_lines(addressees: Sequence[str]) -> list[str]:
    """ô 9a: one addressee on the "Kính gửi:" line as is; several, each on its own line with
    a dash, ";" after each and "." after the last (Mục II.9.a)."""
    names = [vn.nfc(a).strip().lstrip("-–").strip().rstrip(";,.") for a in addressees]
    names = [n for n in names if n]
    if len(names) == 1:
        return names
    return [f"- {line}" for line in vn.terminate(names)]


def block_minutes_context(
    *,
    agency_name: str,
    block_name: str,
    block_symbol: str,
    year: int,
    number: str | None,
    started: dt.datetime | dt.date,
    ended: dt.datetime | dt.date,
    venue: str,
    chair: Participant,
    secretary: Participant,
    attendees: Sequence[str],
    total_members: int,
    absent: Sequence[str],
    agenda: Sequence[str],
    discussion: Sequence[str],
    ballots_issued: int,
    ballots_valid: int,
    ballot: Sequence[tuple[str, int]],
    conclusion: Sequence[str],
    recipients: Sequence[str],
    archive: str = "Hồ sơ",
) -> dict[str, Any]:
    """The minutes of the block's review meeting (Biên bản họp bình xét) for bien_ban.docx.

    `attendees` are the member units present (one line each, with their representative);
    the percentages are of all member units (`total_members`), the base ND 152/2025 Art.
    33(5) sets for "tỷ lệ phiếu đồng ý … tính trên tổng số thành viên", with one decimal.
    Mẫu 1.9 has no place/date line; the Nơi nhận ends "Lưu: VT, Hồ sơ." by default."""
    if total_members <= 0:
        raise ValueError("a block has at least one member")
    data = _block_issuer(agency_name, block_name, block_symbol, "")  # no place/date line
    present = len(attendees)
    attendance = f"{present}/{total_members} đơn vị thành viên"
    if absent:
        attendance += f"; vắng: {', '.join(vn.nfc(a).strip() for a in absent)}"
    header = _header(data, _number(number, "", "BB", data), None)
    del header["place_date"]  # Mẫu 1.9: the time and place are in the text
    return {
        **header,
        "summary": f"Họp bình xét thi đua năm {year} của {vn.nfc(block_name)}",
        "started": _time_words(started) + ".",
        "venue": vn.nfc(venue).strip() + ".",
        "chair": {
            "name": vn.nfc(chair["name"]).strip(),
            "line": f"{vn.nfc(chair['name']).strip()} – {vn.nfc(chair['position']).strip()}.",
        },
        "secretary": {
            "name": vn.nfc(secretary["name"]).strip(),
            "line": (
                f"{vn.nfc(secretary['name']).strip()} – {vn.nfc(secretary['position']).strip()}."
            ),
        },
        "attendance": attendance + ", gồm:",
        "attendees": [f"- {line}" for line in vn.terminate(attendees)],
        "agenda": [vn.nfc(t).strip() for t in agenda],
        "discussion": [vn.nfc(t).strip() for t in discussion],
        "ballot_summary": (
            f"Số phiếu phát ra: {ballots_issued}; số phiếu thu vào và hợp lệ: {ballots_valid}. "
            "Kết quả (tỷ lệ tính trên tổng số đơn vị thành viên):"
        ),
        "ballot": [
            {
                "number": index,
                "unit": vn.nfc(unit).strip(),
                "votes": votes,
                "percent": _decimal(100 * votes / total_members, 1),
            }
            for index, (unit, votes) in enumerate(ballot, start=1)
        ],
        "conclusion": [vn.nfc(t).strip() for t in conclusion],
        "ended": f"Cuộc họp kết thúc vào {_time_words(ended)}./.",
        "recipients": vn.recipient_lines(recipients, archive=archive),
    }


class TallyLine(TypedDict):
    name: str
    votes: int
    percent: float  # of the threshold's base
    passed: bool
    elected: bool


def _tally_result(line: TallyLine) -> str:
    if line["elected"]:
        return "Được chọn"
    return "Đạt" if line["passed"] else "Không đạt"


def tally_minutes_context(
    *,
    agency_name: str,
    block_name: str,
    block_symbol: str,
    number: str | None,
    meeting: str,
    subject: str,
    round_number: int,
    counted: dt.datetime | dt.date,
    venue: str,
    head: Participant,
    members: Sequence[Participant],
    entitled: int,
    present: int,
    ballots_issued: int,
    ballots_received: int,
    valid: int,
    blank: int,
    spoilt: int,
    paper: bool,
    chain_head: str,
    threshold: str,
    needed: int,
    tally: Sequence[TallyLine],
    conclusion: Sequence[str],
    differs_from_ranking: bool,
    recipients: Sequence[str],
    archive: str = "Hồ sơ",
) -> dict[str, Any]:
    """The minutes of one vote's count (Biên bản kiểm phiếu) for bien_ban_kiem_phieu.docx.

    `head` chairs the counting board (ban kiểm phiếu) and `members` count with them; the
    first member signs beside the head. `threshold` is the rule's threshold in words with
    its base ("> 50% tổng số thành viên (7)"), `needed` the least number of votes that
    meets it; the percentages in `tally` are of that base. An electronic count prints the
    head of the ballots' hash chain, which anyone holding the ballots can recompute; a
    paper count says so. Mẫu 1.9's layout: numbered, no place/date line."""
    if not members:
        raise ValueError("the counting board has a member besides its head")
    data = _block_issuer(agency_name, block_name, block_symbol, "")
    header = _header(data, _number(number, "", "BB", data), None)
    del header["place_date"]
    subject_text = vn.nfc(subject).strip().rstrip(".")
    if paper:
        method = "Hình thức: bỏ phiếu kín bằng phiếu giấy; Ban kiểm phiếu kiểm phiếu giấy."
    else:
        method = (
            "Hình thức: bỏ phiếu kín điện tử; mã kiểm tra chuỗi phiếu (SHA-256 của phiếu cuối "
            f"cùng trong chuỗi): {chain_head}."
        )
    board = [
        f"{vn.nfc(head['name']).strip()} – {vn.nfc(head['position']).strip()}, Trưởng ban",
        *(
            f"{vn.nfc(m['name']).strip()} – {vn.nfc(m['position']).strip()}, thành viên"
            for m in members
        ),
    ]
    return {
        **header,
        "summary": f"Kiểm phiếu {_lower_first(subject_text)}, lần bỏ phiếu thứ {round_number}",
        "counted": _time_words(counted) + ".",
        "venue": vn.nfc(venue).strip() + ".",
        "meeting": vn.nfc(meeting).strip() + ".",
        "subject": f"{subject_text} (lần bỏ phiếu thứ {round_number}).",
        "board": [f"- {line}" for line in vn.terminate(board)],
        "method": method,
        "counts": [
            f"- Số đại biểu được triệu tập: {entitled}; có mặt: {present}.",
            f"- Số phiếu phát ra: {ballots_issued}.",
            f"- Số phiếu thu vào: {ballots_received}.",
            f"- Số phiếu hợp lệ: {valid} (trong đó phiếu trắng: {blank}).",
            f"- Số phiếu không hợp lệ (phiếu hỏng): {spoilt}.",
        ],
        "threshold": (
            f"Tỷ lệ phiếu cần đạt: {vn.nfc(threshold).strip()}, tức ít nhất {needed} phiếu "
            "đồng ý. Kết quả (tỷ lệ tính trên cùng cơ sở):"
        ),
        "tally": [
            {
                "number": index,
                "name": vn.nfc(line["name"]).strip(),
                "votes": line["votes"],
                "percent": _decimal(float(line["percent"]), 2),
                "result": _tally_result(line),
            }
            for index, line in enumerate(tally, start=1)
        ],
        "conclusion": [vn.nfc(t).strip() for t in conclusion],
        "differs": (
            "Lưu ý: kết quả bỏ phiếu khác với thứ tự xếp hạng đã công bố của khối."
            if differs_from_ranking
            else ""
        ),
        "head": {"name": vn.nfc(head["name"]).strip()},
        "member": {"name": vn.nfc(members[0]["name"]).strip()},
        "ended": "Biên bản kiểm phiếu được lập xong và công bố tại cuộc họp./.",
        "recipients": vn.recipient_lines(recipients, archive=archive),
    }


def proposal_context(
    *,
    issuer: Issuer,
    number: str | None,
    day: dt.date | None,
    summary: str,
    addressees: Sequence[str],
    legal_bases: Sequence[str],
    request: Sequence[str],
    nominees: Sequence[tuple[str, str]],
    closing: Sequence[str],
    signer: Signer,
    recipients: Sequence[str],
    archive: str,
) -> dict[str, Any]:
    """The proposal (Tờ trình đề nghị khen thưởng) for to_trinh.docx: "Kính gửi", căn cứ,
    the request, the nominees (name, title or form proposed) and what is attached. Its Nơi
    nhận starts "Như trên" (Mục II.9.b: the addressees are not listed twice)."""
    data = {k: vn.nfc(str(v)).strip() for k, v in issuer.items()}
    data.setdefault("governing_body", "")
    lines = [r for r in recipients if vn.nfc(r).strip().lstrip("-– ").rstrip(";.") != "Như trên"]
    return {
        **_header(data, _number(number, "", "TTr", data), day),
        "summary": vn.capitalise_first(" ".join(vn.nfc(summary).split())),
        "addressees": _addressee_lines(addressees),
        "legal_bases": vn.terminate(legal_bases, each=";", last=";"),
        "request": [vn.nfc(t).strip() for t in request],
        "nominees": [
            {"number": index, "name": vn.nfc(name).strip(), "award": vn.nfc(award).strip()}
            for index, (name, award) in enumerate(nominees, start=1)
        ],
        "closing": [vn.nfc(t).strip() for t in closing],
        "recipients": vn.recipient_lines(["Như trên", *lines], archive=archive),
        "signer": _signer(signer, {}),
    }


class Award(TypedDict):
    name: str
    detail: str  # the unit of an individual, the managing body of a collective
    title: str  # the title or form awarded


def award_decision_context(
    *,
    issuer: Issuer,
    number: str | None,
    day: dt.date | None,
    year: int,
    summary: str,
    authority: str,
    legal_bases: Sequence[str],
    proposal: str,
    collectives: Sequence[Award],
    individuals: Sequence[Award],
    reason: str,
    bonus: str,
    executors: str,
    signer: Signer,
    recipients: Sequence[str],
    archive: str,
) -> dict[str, Any]:
    """The award decision (Quyết định khen thưởng) with its list as an annex, for
    quyet_dinh_khen_thuong.docx: Điều 1 awards the titles to the collectives and individuals
    of the annex, Điều 2 the bonus, Điều 3 entry into force and execution. The annex's
    "(Kèm theo Quyết định số … ngày … của …)" repeats the decision's number and date, blank
    like them until the văn thư registers it."""
    data = {k: vn.nfc(str(v)).strip() for k, v in issuer.items()}
    data.setdefault("governing_body", "")
    number_symbol = _number(number, "", "QĐ", data)
    date_text = vn.date_words(day) if day else vn.place_date_line("", None, year=year)[2:]
    authority_text = " ".join(vn.nfc(authority).split())
    counts = []
    if collectives:
        counts.append(f"{len(collectives):02d} tập thể")
    if individuals:
        counts.append(f"{len(individuals):02d} cá nhân")
    article1 = (
        f"Tặng danh hiệu, hình thức khen thưởng cho {' và '.join(counts)} "
        f"(có danh sách kèm theo), {vn.nfc(reason).strip().rstrip('.')}."
    )
    sections = []
    for heading, awards in (("I. TẬP THỂ", collectives), ("II. CÁ NHÂN", individuals)):
        if awards:
            sections.append(
                {
                    "heading": heading if collectives and individuals else heading[3:],
                    "awards": [
                        {
                            "number": index,
                            "name": vn.nfc(a["name"]).strip(),
                            "detail": vn.nfc(a["detail"]).strip(),
                            "title": vn.nfc(a["title"]).strip(),
                        }
                        for index, a in enumerate(awards, start=1)
                    ],
                }
            )
    return {
        **_header(data, number_symbol, day),
        "summary": vn.capitalise_first(" ".join(vn.nfc(summary).split())),
        "authority": vn.vn_upper(authority_text),
        "legal_bases": _terminate_bases(legal_bases, proposal=bool(proposal)),
        "proposal": vn.terminate([proposal], last=".")[0] if proposal else "",
        "articles": [
            {"label": "Điều 1.", "text": article1},
            {"label": "Điều 2.", "text": vn.nfc(bonus).strip()},
            {
                "label": "Điều 3.",
                "text": f"Quyết định này có hiệu lực kể từ ngày ký. {vn.nfc(executors).strip()} "
                "chịu trách nhiệm thi hành Quyết định này./.",
            },
        ],
        "recipients": vn.recipient_lines(recipients, archive=archive),
        "signer": _signer(signer, {}),
        "annex": {
            "title": vn.vn_upper(f"Danh sách tập thể, cá nhân được khen thưởng năm {year}"),
            "reference": (
                f"(Kèm theo Quyết định số {number_symbol} {date_text} của {authority_text})"
            ),
            "sections": sections,
        },
    }
