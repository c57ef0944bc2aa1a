"""The documents proposals produce: the Department's proposal to the level above (Tờ trình,
to_trinh.docx), its context built from the proposal and its dossiers."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from thidua.documents import generators
from thidua.documents import services as documents
from thidua.documents.legal import national_bases_on
from thidua.lib.dates import today

from .models import (
    Dossier,
    UpwardProposal,
)
from .permissions import agency_of

PROPOSAL_TEMPLATE = "to_trinh.docx"
PROPOSAL_TYPE = "TTr"


def upward_context(proposal: UpwardProposal, signer: generators.Signer) -> dict[str, Any]:
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
        return generators.proposal_context(
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
        return generators.proposal_context(
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
