"""The documents of the yearly cycle — covenant, block report, minutes, proposal, award
decision with its annex — filled from their samples (and the covenant from the demo data),
checked in the DOCX against ND 30's layout and, through LibreOffice, in the PDF. Page PNGs
go to review/documents/ for a person to look at.

The PDFs are made in one LibreOffice run for the module (it costs seconds per start).
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.documents.docx_reading import REVIEW_DIR, DocxFile, W, mm, normalise, paragraph_text
from thidua.awards.documents import award_decision_context
from thidua.covenants.documents import covenant_context
from thidua.covenants.models import Covenant
from thidua.documents import layout
from thidua.documents.layout import FONT_SUBSTITUTES
from thidua.documents.pdf import docx_to_pdf_many
from thidua.documents.rendering import (
    IMAGE_FIELDS,
    render_docx,
    template_fields,
    template_problems,
)
from thidua.documents.samples import SAMPLES
from tools import build_templates

# Database tests, like test_pdf.py: the covenant comes from the demo data, and pytest-django
# must run these before any transactional test flushes it.
pytestmark = pytest.mark.django_db

# The types this module covers, with the review file name of each.
TYPES = {
    "giao_uoc.docx": "giao-uoc-khoi-1-2021",
    "bao_cao.docx": "bao-cao-tong-ket-khoi-1-2021",
    "bien_ban.docx": "bien-ban-binh-xet-khoi-1-2021",
    "to_trinh.docx": "to-trinh-de-nghi-co-thi-dua-2021",
    "quyet_dinh_khen_thuong.docx": "quyet-dinh-khen-thuong-2021",
}
DEMO_COVENANT = "demo-giao-uoc-khoi-1"
LONG_ANNEX = "quyet-dinh-khen-thuong-danh-sach-dai"
ANNEX_TITLE = "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG NĂM 2021"
TYPE_NAMES = {
    "giao_uoc.docx": "GIAO ƯỚC THI ĐUA",
    "bao_cao.docx": "BÁO CÁO",
    "bien_ban.docx": "BIÊN BẢN",
    "to_trinh.docx": "TỜ TRÌNH",
    "quyet_dinh_khen_thuong.docx": "QUYẾT ĐỊNH",
}
NUMBERS = {
    "bao_cao.docx": "Số: 05/BC-KTĐ1",
    "bien_ban.docx": "Số: 02/BB-KTĐ1",
    "to_trinh.docx": "Số: 42/TTr-SVHTTDL",
    "quyet_dinh_khen_thuong.docx": "Số: 15/QĐ-SVHTTDL",
}
PLACE_DATES = {
    "bao_cao.docx": "Cần Thơ, ngày 12 tháng 11 năm 2021",
    "to_trinh.docx": "Cần Thơ, ngày 26 tháng 11 năm 2021",
    "quyet_dinh_khen_thuong.docx": "Cần Thơ, ngày 12 tháng 01 năm 2022",
}
ARCHIVES = {
    "giao_uoc.docx": "- Lưu: VT, QLVHGD.",
    "bao_cao.docx": "- Lưu: VT, QLVHGD.",
    "bien_ban.docx": "- Lưu: VT, Hồ sơ.",
    "to_trinh.docx": "- Lưu: VT, TCPC.",
    "quyet_dinh_khen_thuong.docx": "- Lưu: VT, TCPC.",
}
KEY_LINES = {
    "giao_uoc.docx": [
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "KHỐI THI ĐUA SỐ 1",
        "Khối thi đua số 1 năm 2021",
        "I. CÁC ĐƠN VỊ THÀNH VIÊN",
        "Phòng Quản lý Văn hóa và Gia đình (Khối trưởng)",
        "II. NỘI DUNG VÀ CHỈ TIÊU THI ĐUA",
        "≥ 95 %",
        "ĐẠI DIỆN CÁC ĐƠN VỊ THÀNH VIÊN KÝ KẾT",
        "TM. KHỐI THI ĐUA SỐ 1",
        "KHỐI TRƯỞNG",
        "Trần Văn Minh",
        "Mã nội dung: 851d2fb5e1b15bf9 (bản sửa đổi 1)",
    ],
    "bao_cao.docx": [
        "Tổng kết công tác thi đua năm 2021 của Khối thi đua số 1",
        "Kính gửi:",
        "I. KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG THI ĐUA",
        "96,5",
        "92,25",
        "Hoàn thành xuất sắc",
        "III. ĐỀ XUẤT, KIẾN NGHỊ",
    ],
    "bien_ban.docx": [
        "Họp bình xét thi đua năm 2021 của Khối thi đua số 1",
        "Thời gian bắt đầu: 08 giờ 00 phút, ngày 15 tháng 11 năm 2021.",
        "6/7 đơn vị thành viên",
        "85,7",
        "Cuộc họp kết thúc vào 10 giờ 30 phút, ngày 15 tháng 11 năm 2021./.",
        "THƯ KÝ",
        "CHỦ TRÌ",
        "Nguyễn Thị Mai",
    ],
    "to_trinh.docx": [
        "Về việc đề nghị tặng Cờ thi đua của Ủy ban nhân dân thành phố năm 2021",
        "Kính gửi:",
        "- Ủy ban nhân dân thành phố Cần Thơ;",
        "- Ban Thi đua – Khen thưởng thành phố.",
        "- Như trên;",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
    ],
    "quyet_dinh_khen_thuong.docx": [
        "GIÁM ĐỐC SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "QUYẾT ĐỊNH:",
        "Điều 1.",
        "Điều 2.",
        "Điều 3.",
        "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG NĂM 2021",
        "(Kèm theo Quyết định số 15/QĐ-SVHTTDL ngày 12 tháng 01 năm 2022 của Giám đốc Sở",
        "Chiến sĩ thi đua cơ sở",
    ],
}
SAMPLE_QR: bytes | None = None


def _qr() -> bytes:
    global SAMPLE_QR
    if SAMPLE_QR is None:
        from thidua.documents.services import qr_png

        SAMPLE_QR = qr_png("https://thidua.example.vn/xac-thuc/K7QX4M2P/")
    return SAMPLE_QR


def _render(name: str, context: dict[str, Any]) -> bytes:
    images = {"verification_qr": _qr()} if "verification_code" in context else None
    return render_docx(name, context, images=images)


def _long_annex() -> dict[str, Any]:
    """The award decision with 40 individuals: the annex runs over several pages."""
    context = SAMPLES["quyet_dinh_khen_thuong.docx"]()
    people = context["annex"]["sections"][1]
    template = people["awards"][0]
    people["awards"] = [
        {**template, "number": i, "name": f"Bà Nguyễn Thị Ẫn {i:02d}"} for i in range(1, 41)
    ]
    return context


def _demo_covenant_context() -> dict[str, Any]:
    covenant = Covenant.objects.get(term__block__code="K1", term__year=2021)
    return covenant_context(covenant)


@pytest.fixture(scope="module")
def docx_files(django_db_setup: Any, django_db_blocker: Any) -> dict[str, bytes]:
    files = {name: _render(name, SAMPLES[name]()) for name in TYPES}
    with django_db_blocker.unblock():
        files[DEMO_COVENANT] = _render("giao_uoc.docx", _demo_covenant_context())
    files[LONG_ANNEX] = _render("quyet_dinh_khen_thuong.docx", _long_annex())
    REVIEW_DIR.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (REVIEW_DIR / f"{TYPES.get(name, name)}.docx").write_bytes(data)
    return files


@pytest.fixture(scope="module")
def pdfs(docx_files: dict[str, bytes]) -> Iterator[dict[str, Path]]:
    """Every type in one soffice run; one PNG per page in review/documents/."""
    names = list(docx_files)
    converted = docx_to_pdf_many([docx_files[name] for name in names])
    paths = {}
    for name, result in zip(names, converted, strict=True):
        assert isinstance(result, bytes), f"{name}: {result}"
        path = REVIEW_DIR / f"{TYPES.get(name, name)}.pdf"
        path.write_bytes(result)
        for old in REVIEW_DIR.glob(f"{path.stem}-*.png"):
            old.unlink()
        _tool("pdftoppm", "-r", "80", "-png", str(path), str(REVIEW_DIR / path.stem))
        paths[name] = path
    yield paths


def _tool(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout


def _text(pdf: Path, *args: str) -> str:
    return _tool("pdftotext", *args, str(pdf), "-")


def _pages(pdf: Path) -> int:
    match = re.search(r"Pages:\s+(\d+)", _tool("pdfinfo", str(pdf)))
    assert match is not None
    return int(match[1])


def _page_lines(pdf: Path, page: int) -> list[str]:
    text = _text(pdf, "-f", str(page), "-l", str(page))
    return [normalise(line) for line in text.splitlines() if line.strip()]


# Samples -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SAMPLES))
def test_each_sample_fills_its_template_and_names_exactly_its_fields(name: str) -> None:
    sample = SAMPLES[name]()
    assert template_problems(name, sample) == []
    assert set(sample) == set(template_fields(name)) - IMAGE_FIELDS
    assert set(SAMPLES) == set(build_templates.all_templates())


def test_samples_are_fresh_copies() -> None:
    first = SAMPLES["giao_uoc.docx"]()
    first["signatories"].clear()
    assert SAMPLES["giao_uoc.docx"]()["signatories"]


# DOCX layout ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docs(docx_files: dict[str, bytes]) -> dict[str, DocxFile]:
    return {name: DocxFile(data) for name, data in docx_files.items()}


@pytest.mark.parametrize("name", list(TYPES))
def test_a4_portrait_margins_and_page_numbers_from_page_two(
    docs: dict[str, DocxFile], name: str
) -> None:
    doc = docs[name]
    size = doc.section.find(f"{W}pgSz")
    assert mm(size.get(f"{W}w")) == pytest.approx(210, abs=0.1)
    assert mm(size.get(f"{W}h")) == pytest.approx(297, abs=0.1)
    assert size.get(f"{W}orient") in (None, "portrait")
    margins = doc.section.find(f"{W}pgMar")
    values = [mm(margins.get(f"{W}{side}")) for side in ("top", "bottom", "left", "right")]
    assert values == pytest.approx([20, 20, 30, 15], abs=0.05)
    assert doc.section.find(f"{W}titlePg") is not None
    default = doc.header("default")
    assert default is not None
    assert "".join(t.text or "" for t in default.iter(f"{W}instrText")).strip() == "PAGE"
    first = doc.header("first")
    assert first is not None and list(first.iter(f"{W}instrText")) == []


@pytest.mark.parametrize("name", list(TYPES))
def test_two_column_header_and_element_sizes(docs: dict[str, DocxFile], name: str) -> None:
    doc = docs[name]
    header = doc.body[0]
    assert header.tag == f"{W}tbl"
    assert len(header.findall(f"{W}tblGrid/{W}gridCol")) == 2
    borders = header.find(f"{W}tblPr/{W}tblBorders")
    assert {b.get(f"{W}val") for b in borders} == {"nil"}
    right = header.find(f"{W}tr").findall(f"{W}tc")[1]
    assert [paragraph_text(p) for p in right.findall(f"{W}p")][:2] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    expectations = {
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM": layout.ELEMENTS["national_title"],
        TYPE_NAMES[name]: layout.ELEMENTS["type_name"],
        SAMPLES[name]()["summary"]: layout.ELEMENTS["summary"],
        "Nơi nhận:": layout.ELEMENTS["recipients_label"],
        ARCHIVES[name]: layout.ELEMENTS["recipients"],
    }
    if name in NUMBERS:
        expectations[NUMBERS[name]] = layout.ELEMENTS["number"]
    if name in PLACE_DATES:
        expectations[PLACE_DATES[name]] = layout.ELEMENTS["place_date"]
    for text, element in expectations.items():
        props = doc.run_props(doc.paragraph(text))
        assert props.font == "Times New Roman", text
        assert props.size_pt == element.size_pt, text
        assert (props.bold, props.italic) == (element.bold, element.italic), text


@pytest.mark.parametrize("name", list(TYPES))
def test_every_run_is_times_new_roman(docs: dict[str, DocxFile], name: str) -> None:
    doc = docs[name]
    for p in doc.paragraphs():
        for run in p.iter(f"{W}r"):
            if run.find(f"{W}t") is not None:
                assert doc.run_props(p, run).font == "Times New Roman", paragraph_text(p)


@pytest.mark.parametrize("name", list(TYPES))
def test_nơi_nhận_ends_with_the_archive_line(docs: dict[str, DocxFile], name: str) -> None:
    lines = [line for line in docs[name].lines() if line]
    start = lines.index("Nơi nhận:")
    archive = lines.index(ARCHIVES[name])
    assert start < archive
    assert all(line.startswith("- ") for line in lines[start + 1 : archive + 1])
    assert all(line.endswith(";") for line in lines[start + 1 : archive])


def test_the_covenant_is_unnumbered_and_has_a_slot_per_member(docs: dict[str, DocxFile]) -> None:
    doc = docs["giao_uoc.docx"]
    assert not any(line.startswith("Số:") for line in doc.lines())
    # The empty number line keeps its paragraph, so the header's rows stay aligned.
    number_cell = doc.body[0].findall(f"{W}tr")[1].findall(f"{W}tc")[0]
    assert [paragraph_text(p) for p in number_cell.findall(f"{W}p")] == [""]
    signatures = next(t for t in doc.tables() if "Thủ trưởng đơn vị" in "".join(t.itertext()))
    rows = signatures.findall(f"{W}tr")
    assert len(rows) == 1 + 7
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows[1:])
    fourth = ["".join(tc.itertext()) for tc in rows[4].findall(f"{W}tc")]
    assert fourth[1] == "Phòng Quản lý Văn hóa và Gia đình"
    assert "Trần Văn Minh" in fourth[2]
    assert fourth[3].startswith("Đã ký")
    note = doc.paragraph("Mã nội dung: 851d2fb5e1b15bf9 (bản sửa đổi 1)")
    assert doc.run_props(note).size_pt == layout.NOTE_SIZE_PT


def test_a_numbered_covenant_prints_its_number() -> None:
    context = {**SAMPLES["giao_uoc.docx"](), "number_symbol": "01/GUTĐ-KTĐ1"}
    doc = DocxFile(render_docx("giao_uoc.docx", context))
    assert "Số: 01/GUTĐ-KTĐ1" in doc.lines()


def test_the_demo_covenant_context(docs: dict[str, DocxFile]) -> None:
    covenant = Covenant.objects.get(term__block__code="K1", term__year=2021)
    context = covenant_context(covenant)
    assert context["text_fingerprint"] == covenant.text_hash[:16]
    assert len(context["text_fingerprint"]) == 16
    assert context["revision"] == covenant.revision
    assert context["number_symbol"] == ""
    assert context["signer"]["authority"] == "TM. KHỐI THI ĐUA SỐ 1"
    units = [party["unit"] for party in context["signatories"]]
    assert len(units) == covenant.term.memberships.count()
    assert "Phòng Quản lý Văn hóa và Gia đình" in units
    # Measurable targets print their sign, not the comparator's code.
    targets = [item["target"] for group in context["groups"] for item in group["criteria"]]
    assert "≥ 95 %" in targets
    assert not any(t.split()[:1] in (["gte"], ["lte"]) for t in targets)
    assert set(context) == set(template_fields("giao_uoc.docx"))
    lines = docs[DEMO_COVENANT].lines()
    assert f"Mã nội dung: {covenant.text_hash[:16]} (bản sửa đổi {covenant.revision})" in lines


def test_the_minutes_have_two_signers_side_by_side_and_no_date_line(
    docs: dict[str, DocxFile],
) -> None:
    doc = docs["bien_ban.docx"]
    row = next(
        tr for t in doc.tables() for tr in t.findall(f"{W}tr") if "THƯ KÝ" in "".join(tr.itertext())
    )
    left, right = (
        [normalise(paragraph_text(p)) for p in tc.findall(f"{W}p")] for tc in row.findall(f"{W}tc")
    )
    assert left[0] == "THƯ KÝ" and left[-1] == "Nguyễn Thị Mai"
    assert right[0] == "CHỦ TRÌ" and right[-1] == "Trần Văn Minh"
    # Mẫu 1.9: no place/date line beside the number.
    place_cell = doc.body[0].findall(f"{W}tr")[1].findall(f"{W}tc")[1]
    assert "".join(place_cell.itertext()) == ""


def test_the_award_annex_starts_a_new_page_with_a_repeating_table_header(
    docs: dict[str, DocxFile],
) -> None:
    doc = docs["quyet_dinh_khen_thuong.docx"]
    title = doc.paragraph("DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG NĂM 2021")
    # The decision's section ends just before the annex (a new page, same page set-up and
    # headers), and the annex's own section numbers its pages from 1 again.
    end_of_decision = title.getprevious()
    inner = end_of_decision.find(f"{W}pPr/{W}sectPr")
    assert inner is not None
    assert inner.find(f"{W}type") is None or inner.find(f"{W}type").get(f"{W}val") == "nextPage"
    assert inner.find(f"{W}titlePg") is not None
    assert len(inner.findall(f"{W}headerReference")) == 2
    assert doc.section.find(f"{W}pgNumType").get(f"{W}start") == "1"
    props = doc.run_props(title)
    assert (props.size_pt, props.bold) == (14, True)
    annex = doc.tables()[-1]
    rows = annex.findall(f"{W}tr")
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    texts = ["".join(r.itertext()) for r in rows]
    assert texts[1] == "I. TẬP THỂ" and "II. CÁ NHÂN" in texts
    assert len(rows) == 1 + 2 + 2 + 2


# Generators ----------------------------------------------------------------------------------


def test_one_addressee_sits_on_the_kính_gửi_line_several_get_dashes() -> None:
    one = SAMPLES["bao_cao.docx"]()["addressees"]
    assert one == ["Hội đồng Thi đua – Khen thưởng Sở Văn hóa, Thể thao và Du lịch"]
    several = SAMPLES["to_trinh.docx"]()["addressees"]
    assert several == [
        "- Ủy ban nhân dân thành phố Cần Thơ;",
        "- Ban Thi đua – Khen thưởng thành phố.",
    ]


def test_minutes_percentages_are_of_all_members() -> None:
    ballot = SAMPLES["bien_ban.docx"]()["ballot"]
    assert [(line["votes"], line["percent"]) for line in ballot] == [(6, "85,7"), (4, "57,1")]


def test_an_undated_award_decision_leaves_blanks_in_the_annex_reference() -> None:
    sample = SAMPLES["quyet_dinh_khen_thuong.docx"]()
    assert sample["annex"]["reference"].startswith("(Kèm theo Quyết định số 15/QĐ-SVHTTDL")
    context = award_decision_context(
        issuer={"name": "Sở Văn hóa, Thể thao và Du lịch", "symbol": "SVHTTDL", "place": "Cần Thơ"},
        number=None,
        day=None,
        year=2021,
        summary="về việc khen thưởng",
        authority="Giám đốc Sở Văn hóa, Thể thao và Du lịch",
        legal_bases=["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"],
        proposal="",
        collectives=[{"name": "Thư viện thành phố", "detail": "Sở", "title": "Giấy khen"}],
        individuals=[],
        reason="đã có thành tích",
        bonus="Tiền thưởng theo quy định.",
        executors="Thủ trưởng các đơn vị có tên tại Điều 1",
        signer={"title": "Giám đốc", "name": "Nguyễn Khánh Tùng"},
        recipients=["Như Điều 3"],
        archive="TCPC",
    )
    assert context["summary"] == "Về việc khen thưởng"
    assert context["legal_bases"][-1].endswith(".")
    assert context["governing_body"] == ""
    assert "ngày \u00a0" in context["annex"]["reference"]
    assert context["annex"]["reference"].endswith("của Giám đốc Sở Văn hóa, Thể thao và Du lịch)")
    # Only collectives: one section, without a Roman numeral.
    assert [s["heading"] for s in context["annex"]["sections"]] == ["TẬP THỂ"]
    assert "01 tập thể" in context["articles"][0]["text"]


# PDF -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(TYPES))
def test_pdf_text_key_lines_and_vietnamese_glyphs(pdfs: dict[str, Path], name: str) -> None:
    text = normalise(_text(pdfs[name]))
    expected = [TYPE_NAMES[name], ARCHIVES[name], *KEY_LINES[name]]
    expected += [NUMBERS[name]] if name in NUMBERS else []
    expected += [PLACE_DATES[name]] if name in PLACE_DATES else []
    missing = [line for line in expected if line not in text]
    assert not missing, f"not in the PDF text: {missing}"
    assert "\ufffd" not in text
    for glyph in "ơưệĐ":
        assert glyph in text, glyph


def test_pdf_glyphs_with_stacked_marks(pdfs: dict[str, Path]) -> None:
    text = "".join(normalise(_text(pdfs[name])) for name in TYPES)
    for glyph in "ơưằẫệĐ":
        assert glyph in text, glyph


def test_the_unnumbered_covenant_has_no_số_line_in_the_pdf(pdfs: dict[str, Path]) -> None:
    for name in ("giao_uoc.docx", DEMO_COVENANT):
        text = normalise(_text(pdfs[name]))
        assert "Số:" not in text
        assert "Cần Thơ, ngày" in text and "năm 2021" in text


@pytest.mark.parametrize("name", [*TYPES, DEMO_COVENANT])
def test_pdf_is_a4_with_liberation_serif_embedded(pdfs: dict[str, Path], name: str) -> None:
    info = _tool("pdfinfo", str(pdfs[name]))
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    rows = _tool("pdffonts", str(pdfs[name])).splitlines()[2:]
    assert rows
    allowed = tuple(family.replace(" ", "") for family in FONT_SUBSTITUTES)
    for row in rows:
        assert row.split()[0].split("+")[-1].startswith(allowed), row
        assert row.split()[-5] == "yes", row


@pytest.mark.parametrize("name", [name for name in TYPES if name != "quyet_dinh_khen_thuong.docx"])
def test_page_numbers_from_page_two_only(pdfs: dict[str, Path], name: str) -> None:
    pages = _pages(pdfs[name])
    assert pages >= 2, "each sample runs onto a second page"
    assert "1" not in _page_lines(pdfs[name], 1)[:3]
    for page in range(2, pages + 1):
        assert _page_lines(pdfs[name], page)[0] == str(page)
    assert len(list(REVIEW_DIR.glob(f"{pdfs[name].stem}-*.png"))) == pages


def test_the_signature_block_stays_on_one_page(pdfs: dict[str, Path]) -> None:
    """The review found the signer's name alone at the top of a page."""
    for name in ("bao_cao.docx", "to_trinh.docx", "giao_uoc.docx"):
        path = pdfs[name]
        for page in range(1, _pages(path) + 1):
            lines = _page_lines(path, page)
            if "KHỐI TRƯỞNG" in lines or "PHÓ GIÁM ĐỐC" in lines:
                signer = SAMPLES[name]()["signer"]["name"]
                assert signer in lines, f"{name}: {signer} not on page {page}"


def test_the_award_annex_is_on_its_own_page(pdfs: dict[str, Path]) -> None:
    path = pdfs["quyet_dinh_khen_thuong.docx"]
    pages = _pages(path)
    decides = next(p for p in range(1, pages + 1) if "QUYẾT ĐỊNH:" in _page_lines(path, p))
    annex = next(
        p
        for p in range(1, pages + 1)
        if "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG NĂM 2021" in _page_lines(path, p)
    )
    assert annex > decides
    lines = _page_lines(path, annex)
    title = lines.index("DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG NĂM 2021")
    assert title == 0, "the annex title opens its page, which shows no page number"
    assert "Tên tập thể, họ và tên" in lines


def test_the_annex_numbers_its_pages_on_its_own_and_repeats_its_table_header(
    pdfs: dict[str, Path],
) -> None:
    """Mục III.1.đ: an annex's pages are numbered separately; like the document, its first
    page shows no number. The table header is on every page of the list."""
    path = pdfs[LONG_ANNEX]
    pages = _pages(path)
    start = next(p for p in range(1, pages + 1) if ANNEX_TITLE in _page_lines(path, p))
    assert pages - start + 1 >= 2, "the long list runs over more than one page"
    assert _page_lines(path, start)[0] == ANNEX_TITLE
    for page in range(start + 1, pages + 1):
        lines = _page_lines(path, page)
        assert lines[0] == str(page - start + 1)
        assert "Tên tập thể, họ và tên" in lines
    for page in range(2, start):
        assert _page_lines(path, page)[0] == str(page)
    assert len(list(REVIEW_DIR.glob(f"{path.stem}-*.png"))) == pages
