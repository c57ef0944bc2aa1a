"""The documents proposals produce: the Department's proposal to the level above (Tờ trình,
to_trinh.docx), its context built from the proposal and its dossiers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import translation

from thidua.documents import parts, samples
from thidua.documents import services as documents
from thidua.documents import vn_format as vn
from thidua.documents.legal import national_bases_on
from thidua.lib.dates import today

from .models import (
    Dossier,
    UpwardProposal,
)
from .permissions import agency_of

PROPOSAL_TEMPLATE = "to_trinh.docx"
PROPOSAL_TYPE = "TTr"


def upward_context(proposal: UpwardProposal, signer: parts.Signer) -> dict[str, Any]:
    """to_trinh.docx's context, in Vietnamese, from the proposal and its dossiers."""
    with translation.override("vi"):
        agency = proposal.agency
        body = documents.issuing_body_of(agency)
        day = today()
        dossiers = list(
            proposal.dossiers.select_related("unit", "cycle__term__block").order_by(
                "cycle__term__block__code"
            )
        )
        blocks = ", ".join(d.cycle.term.block.name for d in dossiers)
        council = getattr(agency, "council", None)
        council_name = council.name if council is not None else "Hội đồng Thi đua – Khen thưởng"
        standing = council.standing_body if council is not None else None
        return proposal_context(
            issuer={
                "governing_body": body.governing_body_name
                or (agency.parent.name if agency.parent else ""),
                "name": body.name,
                "symbol": body.symbol,
                "place": body.place,
            },
            number=None,
            day=day,
            summary=f"Về việc đề nghị tặng {proposal.form.name} năm {proposal.year}",
            addressees=[proposal.level_above],
            legal_bases=national_bases_on(day),
            request=[
                f"Căn cứ kết quả bình xét của {blocks} và kết quả biểu quyết của {council_name};",
                f"{body.name} kính đề nghị {proposal.level_above} xem xét, tặng "
                f"{proposal.form.name} cho {len(dossiers):02d} tập thể đã có thành tích xuất "
                f"sắc, dẫn đầu phong trào thi đua năm {proposal.year}, cụ thể:",
            ],
            nominees=[
                (
                    f"{d.unit.name} (đơn vị dẫn đầu {d.cycle.term.block.name})",
                    proposal.form.name,
                )
                for d in dossiers
            ],
            closing=[
                "(Kèm theo hồ sơ đề nghị của các Khối thi đua và biên bản họp của Hội đồng.)",
                f"{body.name} kính trình {proposal.level_above} xem xét, quyết định./.",
            ],
            signer=signer,
            recipients=["Như trên"],
            archive=standing.code if standing is not None else "",
        )


def upward_key(proposal: UpwardProposal) -> str:
    return f"proposals:upward:{proposal.pk}:ttr"


def dossier_proposal_context(dossier: Dossier) -> dict[str, Any]:
    """The block's tờ trình filled from its dossier, for the leader to sign and upload; not
    numbered (a block is not an issuing body of the registry)."""
    term, year = dossier.cycle.term, dossier.cycle.campaign.year
    agency = agency_of(dossier)
    with translation.override("vi"):
        return proposal_context(
            issuer={
                "governing_body": agency.name,
                "name": term.block.name,
                "symbol": term.block.code,
                "place": documents.issuing_body_of(agency).place,
            },
            number=None,
            day=today(),
            summary=f"Về việc đề nghị tặng {dossier.form.name} năm {year}",
            addressees=[f"Hội đồng Thi đua – Khen thưởng {agency.name}"],
            legal_bases=[],
            request=[
                f"Căn cứ kết quả chấm điểm, xếp hạng và Biên bản họp tổng kết năm {year} của "
                f"{term.block.name};",
                f"{term.block.name} kính đề nghị Hội đồng Thi đua – Khen thưởng xem xét, đề nghị "
                f"tặng {dossier.form.name} cho tập thể dẫn đầu phong trào thi đua năm {year}:",
            ],
            nominees=[(f"{dossier.unit.name} ({dossier.total} điểm)", dossier.form.name)],
            closing=["(Kèm theo biên bản họp, báo cáo tổng kết của Khối và báo cáo thành tích.)"],
            signer={"authority": "TM. KHỐI TRƯỞNG", "title": "", "name": ""},
            recipients=["Như trên"],
            archive=term.block.code,
        )


def proposal_context(
    *,
    issuer: parts.Issuer,
    number: str | None,
    day: dt.date | None,
    summary: str,
    addressees: Sequence[str],
    legal_bases: Sequence[str],
    request: Sequence[str],
    nominees: Sequence[tuple[str, str]],
    closing: Sequence[str],
    signer: parts.Signer,
    recipients: Sequence[str],
    archive: str,
) -> dict[str, Any]:
    """The proposal (Tờ trình đề nghị khen thưởng) for to_trinh.docx: "Kính gửi", căn cứ,
    the request, the nominees (name, title or form proposed) and what is attached. Its Nơi
    nhận starts "Như trên" (Mục II.9.b: the addressees are not listed twice)."""
    data = parts.plain_issuer(issuer)
    lines = [r for r in recipients if vn.nfc(r).strip().lstrip("-– ").rstrip(";.") != "Như trên"]
    return {
        **parts.header(data, parts.number(number, "", "TTr", data), day),
        "summary": vn.capitalise_first(" ".join(vn.nfc(summary).split())),
        "addressees": parts.addressee_lines(addressees),
        "legal_bases": vn.terminate(legal_bases, each=";", last=";"),
        "request": [vn.nfc(t).strip() for t in request],
        "nominees": [
            {"number": index, "name": vn.nfc(name).strip(), "award": vn.nfc(award).strip()}
            for index, (name, award) in enumerate(nominees, start=1)
        ],
        "closing": [vn.nfc(t).strip() for t in closing],
        "recipients": vn.recipient_lines(["Như trên", *lines], archive=archive),
        "signer": parts.signer(signer, {}),
    }


# The sample of its template (documents.samples) ---------------------------------------------


def sample_proposal() -> dict[str, Any]:
    """proposal_context: the Sở proposes the city's emulation flag for the
    leading units of its two blocks, 2021."""
    return {
        **proposal_context(
            issuer={
                "governing_body": "UBND thành phố Cần Thơ",
                "name": samples.AGENCY,
                "symbol": "SVHTTDL",
                "place": "Cần Thơ",
            },
            number="42",
            day=dt.date(2021, 11, 26),
            summary="Về việc đề nghị tặng Cờ thi đua của Ủy ban nhân dân thành phố năm 2021",
            addressees=[
                "Ủy ban nhân dân thành phố Cần Thơ",
                "Ban Thi đua – Khen thưởng thành phố",
            ],
            legal_bases=[samples.LAW_2003, samples.DECREE_91, samples.REGULATION_575],
            request=[
                "Căn cứ kết quả bình xét của Khối thi đua số 1, Khối thi đua số 2 và Biên bản "
                "họp ngày 22 tháng 11 năm 2021 của Hội đồng Thi đua – Khen thưởng Sở Văn hóa, "
                "Thể thao và Du lịch;",
                "Sở Văn hóa, Thể thao và Du lịch kính đề nghị Ủy ban nhân dân thành phố xem "
                "xét, tặng Cờ thi đua cho 02 tập thể đã có thành tích xuất sắc, dẫn đầu phong "
                "trào thi đua năm 2021, cụ thể:",
            ],
            nominees=[
                (
                    "Phòng Quản lý Văn hóa và Gia đình (đơn vị dẫn đầu Khối thi đua số 1)",
                    "Cờ thi đua của Ủy ban nhân dân thành phố",
                ),
                (
                    "Thư viện thành phố (đơn vị dẫn đầu Khối thi đua số 2)",
                    "Cờ thi đua của Ủy ban nhân dân thành phố",
                ),
            ],
            closing=[
                "(Kèm theo báo cáo thành tích của các tập thể và biên bản họp bình xét của các "
                "Khối thi đua.)",
                "Sở Văn hóa, Thể thao và Du lịch kính trình Ủy ban nhân dân thành phố xem xét, "
                "quyết định./.",
            ],
            signer=samples.DEPUTY,
            recipients=["Như trên", "Giám đốc Sở (để báo cáo)"],
            archive="TCPC",
        ),
        **samples.VERIFICATION,
    }
