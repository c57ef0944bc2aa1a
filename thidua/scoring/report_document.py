"""The block's summary report (Báo cáo, bao_cao.docx) issued from a published ranking.

The figures come from the frozen snapshot only — never recomputed — so the report prints
exactly what was published, with the snapshot's number and SHA-256 for anyone to check it
against the ranking page. One snapshot has one report: the registry key is derived from it,
so a double click or a retry returns the first document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from thidua.documents import parts, samples, services
from thidua.documents import vn_format as vn
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
        return block_report_context(
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
    data = parts.block_issuer(agency_name, block_name, block_symbol, place)
    return {
        **parts.header(data, parts.number(number, "", "BC", data), day),
        "summary": f"Tổng kết công tác thi đua năm {year} của {vn.nfc(block_name)}",
        "addressees": parts.addressee_lines(addressees),
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
                "score": parts.decimal(unit["score"]),
                "classification": vn.nfc(str(unit.get("classification", ""))).strip(),
                "rank": str(unit.get("rank", index)),
            }
            for index, unit in enumerate(units, start=1)
        ],
        "proposals": [vn.nfc(t).strip() for t in proposals],
        "closing": " ".join(vn.nfc(closing).split()),
        "recipients": vn.recipient_lines(recipients, archive=archive),
        "signer": parts.block_signer(block_name, leader_name),
    }


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


# The sample of its template (documents.samples) ---------------------------------------------

SAMPLE_RANKING = [
    ("Phòng Quản lý Văn hóa và Gia đình", 96.5, "Hoàn thành xuất sắc"),
    ("Trung tâm Văn hóa thành phố", 95.0, "Hoàn thành xuất sắc"),
    ("Phòng Quản lý Du lịch", 92.25, "Hoàn thành tốt"),
    ("Văn phòng Sở", 90, "Hoàn thành tốt"),
]


def sample_report() -> dict[str, Any]:
    """block_report_context for Khối 1's year-end report, 2021."""
    return {
        **block_report_context(
            agency_name=samples.AGENCY,
            block_name="Khối thi đua số 1",
            block_symbol="KTĐ1",
            place="Cần Thơ",
            year=2021,
            day=dt.date(2021, 11, 12),
            number="05",
            addressees=[samples.COUNCIL],
            intro="Thực hiện Kế hoạch số 3887/KH-SVHTTDL ngày 25 tháng 12 năm 2020 của Sở Văn "
            "hóa, Thể thao và Du lịch, Khối thi đua số 1 báo cáo kết quả công tác thi đua năm "
            "2021 như sau:",
            groups=[
                (
                    "1. Hoàn thành nhiệm vụ chính trị",
                    [
                        "Các đơn vị thành viên hoàn thành 100% chỉ tiêu, nhiệm vụ được giao; "
                        "98,2% công chức, viên chức được đánh giá hoàn thành tốt nhiệm vụ trở "
                        "lên."
                    ],
                ),
                (
                    "6. Thực hiện phòng, chống tham nhũng; thực hành tiết kiệm chống lãng phí",
                    ["Không để xảy ra tiêu cực, tham nhũng, lãng phí tại các đơn vị thành viên."],
                ),
            ],
            ranking_note="Kết quả chấm điểm theo Bảng tiêu chí của Giao ước thi đua năm 2021:",
            units=[
                {"name": name, "score": score, "classification": grade, "rank": rank}
                for rank, (name, score, grade) in enumerate(SAMPLE_RANKING, start=1)
            ],
            proposals=[
                "Đề nghị Hội đồng Thi đua – Khen thưởng Sở xem xét, đề nghị Ủy ban nhân dân "
                "thành phố tặng Cờ thi đua cho Phòng Quản lý Văn hóa và Gia đình, đơn vị dẫn "
                "đầu Khối thi đua số 1 năm 2021."
            ],
            closing="Trên đây là báo cáo tổng kết công tác thi đua năm 2021 của Khối thi đua "
            "số 1./.",
            leader_name="Trần Văn Minh",
            recipients=[samples.COUNCIL, "Các đơn vị thành viên Khối thi đua số 1"],
            archive="QLVHGD",
        ),
        **samples.VERIFICATION,
    }
