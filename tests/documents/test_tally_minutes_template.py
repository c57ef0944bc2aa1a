"""The tally minutes (bien_ban_kiem_phieu.docx) filled from its sample: the ND 30 header
without a place/date line, who counted, the ballots, the threshold, the count per candidate,
the chain head or the paper count, the two signers of the counting board; and one PDF
through LibreOffice when it is installed."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.documents.docx_reading import DocxFile, W, normalise, paragraph_text
from thidua.documents.pdf import docx_to_pdf_many
from thidua.documents.rendering import IMAGE_FIELDS, render_docx, template_fields
from thidua.documents.samples import SAMPLES
from thidua.voting.documents import TallyMinutes, tally_minutes_document
from tools import build_templates

NAME = "bien_ban_kiem_phieu.docx"


def _render(context: dict[str, Any]) -> DocxFile:
    # No QR picture: the verification paragraphs are left out without a code.
    context = {k: v for k, v in context.items() if not k.startswith("verification_")}
    return DocxFile(render_docx(NAME, context))


@pytest.fixture(scope="module")
def doc() -> DocxFile:
    return _render(SAMPLES[NAME]())


def test_the_template_is_built_from_the_script_and_its_sample_is_its_field_list() -> None:
    assert NAME in build_templates.TEMPLATES
    committed = build_templates.TEMPLATES_DIR / NAME
    assert committed.read_bytes() == build_templates.to_bytes(build_templates.TEMPLATES[NAME]())
    assert set(SAMPLES[NAME]()) == set(template_fields(NAME)) - IMAGE_FIELDS


def test_the_counted_numbers_and_the_result_are_printed(doc: DocxFile) -> None:
    lines = doc.lines()
    for expected in [
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "KHỐI THI ĐUA SỐ 1",
        "Số: 03/BB-KTĐ1",
        "BIÊN BẢN",
        "Kiểm phiếu suy tôn đơn vị dẫn đầu Khối thi đua số 1 năm 2021, lần bỏ phiếu thứ 1",
        "Thời gian: 10 giờ 00 phút, ngày 15 tháng 11 năm 2021.",
        "Ban kiểm phiếu gồm:",
        "- Trần Văn Minh – Chủ trì cuộc họp, Trưởng ban;",
        "- Nguyễn Thị Mai – Thư ký cuộc họp, thành viên.",
        "I. HÌNH THỨC VÀ SỐ PHIẾU",
        "- Số đại biểu được triệu tập: 7; có mặt: 6.",
        "- Số phiếu phát ra: 6.",
        "- Số phiếu thu vào: 6.",
        "- Số phiếu hợp lệ: 6 (trong đó phiếu trắng: 1).",
        "- Số phiếu không hợp lệ (phiếu hỏng): 0.",
        "II. KẾT QUẢ KIỂM PHIẾU",
        "III. KẾT LUẬN",
        "- Lưu: VT, Hồ sơ.",
    ]:
        assert expected in lines, expected
    text = doc.text()
    assert "9f2c4e7a1b3d5f60718293a4b5c6d7e8f9012a3b4c5d6e7f8091a2b3c4d5e6f7" in text
    assert "Tỷ lệ phiếu cần đạt: > 50% tổng số thành viên (7), tức ít nhất 4 phiếu" in text
    rows = ["|".join(normalise(c) for c in r.itertext()) for r in doc.tables()[1].findall(f"{W}tr")]
    assert any("Phòng Quản lý Văn hóa và Gia đình" in r and "57,14" in r for r in rows)
    assert any("Trung tâm Văn hóa thành phố" in r and "Không đạt" in r for r in rows)
    assert "khác với thứ tự xếp hạng" not in text


def test_the_counting_board_signs_side_by_side_and_there_is_no_date_line(doc: DocxFile) -> None:
    row = next(
        tr
        for t in doc.tables()
        for tr in t.findall(f"{W}tr")
        if "TRƯỞNG BAN KIỂM PHIẾU" in "".join(tr.itertext())
    )
    left, right = (
        [normalise(paragraph_text(p)) for p in tc.findall(f"{W}p")] for tc in row.findall(f"{W}tc")
    )
    assert left[0] == "THÀNH VIÊN BAN KIỂM PHIẾU" and left[-1] == "Nguyễn Thị Mai"
    assert right[0] == "TRƯỞNG BAN KIỂM PHIẾU" and right[-1] == "Trần Văn Minh"
    place_cell = doc.body[0].findall(f"{W}tr")[1].findall(f"{W}tc")[1]
    assert "".join(place_cell.itertext()) == ""


def test_a_paper_count_a_runoff_and_a_result_differing_from_the_ranking() -> None:
    context = tally_minutes_document(
        TallyMinutes(
            agency_name="Sở Văn hóa, Thể thao và Du lịch",
            block_name="Khối thi đua số 1",
            block_symbol="KTĐ1",
            number=None,
            meeting="Hội nghị tổng kết",
            subject="Suy tôn đơn vị dẫn đầu",
            round_number=2,
            counted=dt.datetime(2021, 11, 15, 10, 30),
            venue="Hội trường Sở",
            head={"name": "Trần Văn Minh", "position": "Chủ trì cuộc họp"},
            members=[{"name": "Lê Thị Hoa", "position": "Thư ký cuộc họp"}],
            entitled=7,
            present=7,
            ballots_issued=7,
            ballots_received=7,
            valid=6,
            blank=0,
            spoilt=1,
            paper=True,
            chain_head="",
            threshold="> 50% tổng số thành viên (7)",
            needed=4,
            tally=[
                {
                    "name": "Phòng Quản lý Du lịch",
                    "votes": 4,
                    "percent": 57.14,
                    "passed": True,
                    "elected": True,
                },
            ],
            conclusion=["Đạt tỷ lệ phiếu quy định và được chọn: Phòng Quản lý Du lịch."],
            differs_from_ranking=True,
            recipients=["Các đơn vị thành viên"],
        )
    )
    text = _render(context).text()
    assert "kiểm phiếu giấy" in text and "chuỗi phiếu" not in text
    assert "lần bỏ phiếu thứ 2" in text
    assert "Số phiếu không hợp lệ (phiếu hỏng): 1." in text
    assert "Lưu ý: kết quả bỏ phiếu khác với thứ tự xếp hạng đã công bố của khối." in text
    assert "Số:" in text  # the number is left blank for the registry


def test_it_converts_to_an_a4_pdf(tmp_path: Path) -> None:
    context = {k: v for k, v in SAMPLES[NAME]().items() if not k.startswith("verification_")}
    (pdf,) = docx_to_pdf_many([render_docx(NAME, context)])
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")
    path = tmp_path / "bien-ban-kiem-phieu.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert re.search(r"Page size:\s+595\.\d* x 841\.\d*|Page size:\s+595 x 842", info), info
    pages = re.search(r"Pages:\s+(\d+)", info)
    assert pages is not None and 1 <= int(pages[1]) <= 2
