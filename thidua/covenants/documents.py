"""The covenant (Giao ước thi đua, giao_uoc.docx) as the plain context of its Word template.

It is the block's own paper: the header names the agency as the governing body and the
block as the issuer, and the block leader signs "TM. KHỐI …" (documents.parts).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from thidua.documents import parts
from thidua.documents import vn_format as vn
from thidua.lib.dates import today
from thidua.org.documents import head_on, issuing_body, standing_body, unit_name

from .models import Covenant


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


def covenant_context(covenant: Covenant, issuer: parts.Issuer | None = None) -> dict[str, Any]:
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
    printed = issuing_body(agency)
    # The agency's name in sentences, and as printed in the header (its issuing body's
    # header name, e.g. "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH" without the city, when it has one).
    agency_name = given.get("name") or agency.short_name or agency.name
    header_name = given.get("name") or (printed.name if printed else agency_name)
    place = given.get("place") or (printed.place if printed else "") or campaign.plan_place
    data = parts.block_issuer(header_name, block.name, block.code, place)

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
            f"{i}. {unit_name(m.unit, day)}{role(m.unit_id)}"
            for i, m in enumerate(memberships, start=1)
        ]
    )
    signatories = []
    leader_name = ""
    for index, membership in enumerate(memberships, start=1):
        position, name = head_on(membership.unit, day)
        signature = signed.get(membership.unit_id)
        if not name and signature is not None:
            name = vn.nfc(str(signature.signer)).strip()
        if membership.unit_id == term.leader_id:
            leader_name = name
        signatories.append(
            {
                "number": index,
                "unit": unit_name(membership.unit, day),
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

    standing = standing_body(agency)
    council = f"Hội đồng Thi đua – Khen thưởng {agency_name}"
    if standing is not None:
        council += f" (qua {parts.lower_first(standing.name)})"
    summary = vn.strip_type_name(covenant.title, "Giao ước thi đua")
    if summary.casefold() == " ".join(vn.nfc(covenant.title).split()).casefold():
        # A title not starting with the type name (made under another language): the
        # summary documents.md §2.1 shows, "Khối thi đua … năm …".
        summary = f"{vn.nfc(block.name)} năm {year}"
    return {
        **parts.header(data, "", None),
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
        "signer": parts.block_signer(block.name, leader_name),
        "text_fingerprint": covenant.text_hash[:16],
        "revision": covenant.revision,
    }
