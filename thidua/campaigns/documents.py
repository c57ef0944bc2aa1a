"""The documents a campaign produces, as the plain contexts of their Word templates: the plan
(Kế hoạch phát động phong trào thi đua, ke_hoach.docx) and the decision assigning block
leaders and deputies (quyet_dinh_phan_cong_khoi.docx).

ND 30 needs a few things the data model does not hold — the issuing body's printed name
and symbol, the governing body, the "Nơi nhận" list, the decision's legal bases. They come
from arguments with defaults derived from the data where that is sound (the registry's
IssuingBody supplies the printed header when one is set up); each default is explained
where it is made. Issuing them (number, render, store) is `campaigns/issuing.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import prefetch_related_objects

from thidua.documents import parts
from thidua.documents import vn_format as vn
from thidua.documents.legal import national_bases_on
from thidua.lib.dates import today
from thidua.org.documents import agency_issuer, standing_body, unit_name
from thidua.org.models import BlockTerm, Unit

from .models import Campaign, ContentGroup, Criterion


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
    issuer: parts.Issuer | None = None,
    number: str | None = None,
    signer: parts.Signer | None = None,
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
    data = agency_issuer(agency, campaign.plan_place, issuer)
    standing = standing_body(agency)
    archive_code = archive if archive is not None else (standing.code if standing else "")
    stored = campaign.plan_reference
    groups = list(campaign.groups.prefetch_related("criteria"))
    return {
        **parts.header(data, parts.number(number, stored, "KH", data), campaign.plan_date),
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
        "signer": parts.signer(
            signer, {"authority": "", "title": campaign.signer_title, "name": campaign.signer_name}
        ),
    }


# The block-leaders decision -----------------------------------------------------------------


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


def block_assignment_decision_context(
    terms: Sequence[BlockTerm],
    *,
    issuer: parts.Issuer | None = None,
    number: str | None = None,
    signer: parts.Signer | None = None,
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
    data = agency_issuer(agency, _campaign_place(agency, year), issuer)
    body_name = data["name"]
    standing = standing_body(agency)
    archive_code = archive if archive is not None else (standing.code if standing else "")

    signer_name, post = _split_signer(first.decision_signer)
    post = _post_without_body(post, body_name)
    signer_data = parts.signer(signer, {"authority": "", "title": post, "name": signer_name})

    proposal_text = proposal
    if proposal_text is None and standing is not None:
        proposal_text = f"Theo đề nghị của Trưởng {parts.lower_first(standing.name)}"
    proposal_text = vn.terminate([proposal_text], last=".")[0] if proposal_text else ""

    national = national_bases_on(day or today())
    bases = [*(national if legal_bases is None else legal_bases), *extra_legal_bases]

    blocks = []
    for index, term in enumerate(terms, start=1):
        blocks.append(
            {
                "number": index,
                "name": vn.nfc(term.block.name),
                "leader": unit_name(term.leader, day),
                "deputy": unit_name(term.deputy, day) if term.deputy else "",
                # In the order the agency registered its units (the demo's own list order);
                # the materialised path sorts "12/" before "9/" and scrambles it.
                "members": [
                    unit_name(m.unit, day)
                    for m in sorted(term.memberships.all(), key=lambda m: m.unit_id)
                ],
            }
        )

    executors = "Thủ trưởng các phòng, đơn vị có tên tại Điều 1"
    if standing is not None:
        executors = f"Trưởng {parts.lower_first(standing.name)}, {executors}"
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
        **parts.header(data, parts.number(number, first.decision_number, "QĐ", data), day),
        "summary": (
            f"Về việc phân công Khối trưởng, Khối phó các Khối thi đua thuộc {body_name} năm {year}"
        ),
        "authority": vn.vn_upper(authority or f"{post} {body_name}".strip()),
        "legal_bases": parts.terminate_bases(bases, proposal=bool(proposal_text)),
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
