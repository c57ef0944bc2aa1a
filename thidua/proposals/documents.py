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
    UpwardProposal,
)

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
