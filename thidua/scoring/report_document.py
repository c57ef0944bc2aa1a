"""The block's summary report (Báo cáo, bao_cao.docx) issued from a published ranking.

The figures come from the frozen snapshot only — never recomputed — so the report prints
exactly what was published, with the snapshot's number and SHA-256 for anyone to check it
against the ranking page. One snapshot has one report: the registry key is derived from it,
so a double click or a retry returns the first document.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from thidua.documents import generators, services
from thidua.documents.models import IssuedDocument
from thidua.lib.dated import valid_on
from thidua.lib.dates import today
from thidua.org.models import BlockTerm, Employment
from thidua.org.permissions import Actor

from .models import RankingSnapshot, ScoringItem

TEMPLATE = "bao_cao.docx"
TYPE_CODE = "BC"
PERIOD_WORDS = {"midyear": "sơ kết 6 tháng đầu năm", "yearend": "tổng kết năm"}


def report_key(snapshot: RankingSnapshot) -> str:
    return f"scoring:snapshot:{snapshot.pk}:report"


def report_of(snapshot: RankingSnapshot) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(idempotency_key=report_key(snapshot)).first()


def _head_name(term: BlockTerm, day: dt.date) -> str:
    job = (
        Employment.objects.filter(valid_on(day), unit=term.leader, is_head=True)
        .select_related("person")
        .first()
    )
    return job.person.full_name if job is not None else ""


def _number(text: str | None) -> Decimal:
    return Decimal(text) if text not in (None, "") else Decimal(0)


def _group_results(snapshot: RankingSnapshot) -> list[tuple[str, list[str]]]:
    """Per top-level section: the block's average, and the best unit (ties named together)."""
    rows = snapshot.rows
    sections = ScoringItem.objects.filter(table=snapshot.round.table, parent__isnull=True).order_by(
        "order", "code"
    )
    groups: list[tuple[str, list[str]]] = []
    for section in sections:
        values = {r["unit_name"]: _number(r["sections"].get(section.code)) for r in rows}
        if not values:
            continue
        average = sum(values.values(), Decimal(0)) / len(values)
        best = max(values.values())
        leaders = ", ".join(name for name, v in values.items() if v == best)
        maximum = f"/{section.max_points.normalize():f}" if section.max_points else ""
        groups.append(
            (
                f"{section.code}. {section.text}",
                [
                    f"Điểm bình quân của Khối: {_vn(average.quantize(Decimal('0.01')))}"
                    f"{maximum}; cao nhất: {leaders} ({_vn(best)}).",
                ],
            )
        )
    return groups


def _vn(value: Decimal) -> str:
    """Vietnamese decimal comma: 92.25 → "92,25"."""
    return f"{value.normalize():f}".replace(".", ",")


def _proposals(snapshot: RankingSnapshot, agency_name: str) -> list[str]:
    first = [r for r in snapshot.rows if r["rank"] == 1]
    if not first:
        return []
    if len(first) == 1:
        row = first[0]
        return [
            f"{row['unit_name']} dẫn đầu Khối với {_vn(_number(row['total']))} điểm; đề nghị "
            f"Hội đồng Thi đua – Khen thưởng {agency_name} xem xét, đề nghị khen thưởng theo "
            "kết quả bình xét của Khối."
        ]
    names = ", ".join(r["unit_name"] for r in first)
    return [
        f"Các đơn vị {names} đồng hạng nhất ({_vn(_number(first[0]['total']))} điểm); Khối "
        "tổ chức bỏ phiếu chọn đơn vị dẫn đầu theo quy định."
    ]


def report_context(snapshot: RankingSnapshot) -> dict[str, Any]:
    """bao_cao.docx's context, in Vietnamese whatever the language of the one who issues."""
    with translation.override("vi"):
        round_ = snapshot.round
        table = round_.table
        campaign, block = table.campaign, table.block
        if block is None:
            raise ValidationError(_("Only a block's ranking has a block report."))
        term = BlockTerm.objects.select_related("leader").get(block=block, year=campaign.year)
        body = services.issuing_body_of(campaign.agency)
        day = today()
        period = PERIOD_WORDS.get(round_.period, round_.period)
        units = sorted(snapshot.rows, key=lambda r: (r["rank"], r["unit_name"]))
        return generators.block_report_context(
            agency_name=campaign.agency.name,
            block_name=block.name,
            block_symbol=block.code,
            place=body.place,
            year=campaign.year,
            day=day,
            number=None,
            addressees=[f"Hội đồng Thi đua – Khen thưởng {campaign.agency.name}"],
            groups=_group_results(snapshot),
            units=[
                {
                    "name": r["unit_name"],
                    "score": _number(r["total"]),
                    "classification": r["band"] or "",
                    "rank": f"{r['rank']}{' (đồng hạng)' if r.get('tied') else ''}",
                }
                for r in units
            ],
            proposals=_proposals(snapshot, campaign.agency.name),
            leader_name=_head_name(term, day),
            recipients=["Như trên", "Các đơn vị thành viên Khối"],
            archive=block.code,
            intro=(
                f"Thực hiện Kế hoạch thi đua năm {campaign.year}, {block.name} báo cáo kết quả "
                f"{period} như sau:"
            ),
            ranking_note=(
                f"Kết quả xếp hạng công bố lần {snapshot.number} ngày "
                f"{snapshot.published_at:%d/%m/%Y}; mã kiểm tra SHA-256 của bảng xếp hạng: "
                f"{snapshot.sha256}."
            ),
        )


def report_issue(*, actor: Actor, snapshot: RankingSnapshot) -> IssuedDocument:
    """Issue the block's report from a published ranking (the DOCX now, the PDF queued).
    The registry authorises the issuer (DOCUMENT_ISSUE); a second call returns the first
    call's document."""
    existing = report_of(snapshot)
    if existing is not None:
        return existing
    snapshot = RankingSnapshot.objects.select_related(
        "round__table__campaign__agency", "round__table__block"
    ).get(pk=snapshot.pk)
    table = snapshot.round.table
    body = services.issuing_body_of(table.campaign.agency)
    context = report_context(snapshot)
    record, content = services.choose_template(TEMPLATE, body)
    signer = context["signer"]
    return services.document_issue(
        actor=actor,
        issuer=body,
        doc_type_code=TYPE_CODE,
        issued_on=today(),
        summary=context["summary"],
        # Empty when the leader's unit has no head on record: the registry then refuses
        # with "the signer's name is required".
        signer_name=signer["name"],
        signer_title=signer["title"],
        idempotency_key=report_key(snapshot),
        render=services.registry_renderer(TEMPLATE, content, context),
        make_pdf=True,
        campaign=table.campaign,
        block=table.block,
        template=record,
    )
