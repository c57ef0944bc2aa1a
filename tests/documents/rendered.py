"""Rendered documents of the demo year, shared by the layout and plan tests (which import
these fixtures), with copies in review/documents/ (git-ignored) for a person to open in Word
or LibreOffice. Kept out of conftest.py, which belongs to the registry's tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.documents.docx_reading import REVIEW_DIR
from thidua.campaigns import documents as campaign_documents
from thidua.campaigns.models import Campaign
from thidua.documents import parts
from thidua.documents.rendering import render_docx
from thidua.org.models import BlockTerm

# The header as the seed plan prints it. The registered unit names are longer ("Ủy ban nhân
# dân thành phố Cần Thơ", "Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ"), and no
# issuing-body model holds the printed form yet.
SEED_ISSUER: parts.Issuer = {
    "governing_body": "UBND thành phố Cần Thơ",
    "name": "Sở Văn hóa, Thể thao và Du lịch",
    "symbol": "SVHTTDL",
    "place": "Cần Thơ",
}
# Free text of the seed plan the Campaign model has no field for; a clerk types it when
# issuing the plan. The "Lưu: VT, TCPC." line is not here: it comes from the data (the
# council's secretariat).
SEED_INTRO = (
    "Thực hiện phát động phong trào thi đua năm 2021 do Bộ Văn hóa, Thể thao và Du lịch và Ủy "
    "ban nhân dân thành phố Cần Thơ phát động, Sở Văn hóa, Thể thao và Du lịch xây dựng kế "
    "hoạch thi đua giữa các Khối thi đua thuộc Sở. Nội dung cụ thể như sau:"
)
SEED_CLOSING = (
    "Trên đây là Kế hoạch về việc thực hiện phong trào thi đua trong các Khối thi đua của Sở "
    "Văn hóa, Thể thao và Du lịch. Trong quá trình thực hiện, nếu có khó khăn, vướng mắc đề "
    "nghị các phòng chuyên môn, đơn vị sự nghiệp thông tin về phòng Tổ chức – Pháp chế để kịp "
    "thời hướng dẫn, xin ý kiến chỉ đạo của Chủ tịch Hội đồng Thi đua – Khen thưởng Sở Văn "
    "hóa, Thể thao và Du lịch./."
)
SEED_RECIPIENTS = [
    "Ban Thi đua – Khen thưởng thành phố",
    "Giám đốc và các Phó Giám đốc Sở",
    "Các phòng, đơn vị thuộc Sở",
]
# The decision 792 itself is not in the seed; it cites the agency's emulation regulation,
# which the plan names as its second căn cứ.
DECISION_EXTRA_BASES = [
    "Căn cứ Quyết định số 575/QĐ-SVHTTDL ngày 15 tháng 10 năm 2020 của Sở Văn hóa, Thể thao "
    "và Du lịch thành phố Cần Thơ về việc ban hành Quy chế xét thi đua, khen thưởng và công "
    "nhận sáng kiến của Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ"
]


def _review(name: str, data: bytes) -> None:
    REVIEW_DIR.mkdir(parents=True, exist_ok=True)
    (REVIEW_DIR / name).write_bytes(data)


@pytest.fixture
def plan_context(db: Any) -> dict[str, Any]:
    campaign = Campaign.objects.get(agency__code="SVHTTDL", year=2021)
    return campaign_documents.plan_context(
        campaign,
        issuer=SEED_ISSUER,
        recipients=SEED_RECIPIENTS,
        intro=SEED_INTRO,
        closing=SEED_CLOSING,
    )


@pytest.fixture
def plan_docx(plan_context: dict[str, Any]) -> bytes:
    data = render_docx("ke_hoach.docx", plan_context)
    _review("ke-hoach-3887-KH-SVHTTDL-2020.docx", data)
    return data


@pytest.fixture
def decision_context(db: Any) -> dict[str, Any]:
    terms = BlockTerm.objects.filter(block__agency__code="SVHTTDL", year=2021)
    return campaign_documents.block_assignment_decision_context(
        list(terms), issuer=SEED_ISSUER, extra_legal_bases=DECISION_EXTRA_BASES
    )


@pytest.fixture
def decision_docx(decision_context: dict[str, Any]) -> bytes:
    data = render_docx("quyet_dinh_phan_cong_khoi.docx", decision_context)
    _review("quyet-dinh-792-QD-SVHTTDL-2020.docx", data)
    return data
