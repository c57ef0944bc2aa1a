"""ND 30/2020 layout of the rendered documents, read back from their XML, and the
Vietnamese formatting rules (vn_format) as properties.

Ranges are written out here from the decree (documents.md §1.1–§1.3) rather than read from
layout.py, so a wrong value in layout.py cannot pass its own test.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from tests.documents.docx_reading import DocxFile, W, mm, paragraph_text
from thidua.documents import layout, vn_format
from thidua.documents.rendering import ContextError, render_docx, template_path
from tools import build_templates

FONT = "Times New Roman"
PLACE_DATE = "Cần Thơ, ngày 25 tháng 12 năm 2020"


@pytest.fixture
def plan(plan_docx: bytes) -> DocxFile:
    return DocxFile(plan_docx)


@pytest.fixture
def decision(decision_docx: bytes) -> DocxFile:
    return DocxFile(decision_docx)


def _docs(plan: DocxFile, decision: DocxFile) -> list[DocxFile]:
    return [plan, decision]


# Page ---------------------------------------------------------------------------------------


def test_the_page_is_a4_portrait_with_margins_inside_nd30_ranges(plan, decision):
    for doc in _docs(plan, decision):
        size = doc.section.find(f"{W}pgSz")
        assert mm(size.get(f"{W}w")) == pytest.approx(210, abs=0.1)
        assert mm(size.get(f"{W}h")) == pytest.approx(297, abs=0.1)
        assert size.get(f"{W}orient") in (None, "portrait")
        margins = doc.section.find(f"{W}pgMar")
        top, bottom = mm(margins.get(f"{W}top")), mm(margins.get(f"{W}bottom"))
        left, right = mm(margins.get(f"{W}left")), mm(margins.get(f"{W}right"))
        # Phụ lục I, Mục I.3: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
        assert 20 <= top <= 25 and 20 <= bottom <= 25
        assert 30 <= left <= 35
        assert 15 <= right <= 20
        # The values chosen in layout.PAGE.
        assert (top, bottom, left, right) == pytest.approx((20, 20, 30, 15), abs=0.05)


def test_times_new_roman_is_the_default_and_every_run_uses_it(plan, decision):
    for doc in _docs(plan, decision):
        defaults = doc.styles_root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
        assert defaults.get(f"{W}ascii") == FONT and defaults.get(f"{W}hAnsi") == FONT
        # A theme font would win over the explicit name.
        assert not [a for a in defaults.attrib if a.endswith(("Theme", "theme"))]
        lang = doc.styles_root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
        assert lang.get(f"{W}val") == "vi-VN"
        runs = 0
        for p in doc.paragraphs():
            for run in p.iter(f"{W}r"):
                if run.find(f"{W}t") is not None:
                    assert doc.run_props(p, run).font == FONT, paragraph_text(p)
                    runs += 1
        assert runs > 30


# Elements: (text, size, bold, italic, alignment), ND 30 Phụ lục I ranges in comments.
PLAN_ELEMENTS = [
    ("UBND THÀNH PHỐ CẦN THƠ", 12, False, False, "center"),  # chủ quản 12–13, upright
    ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", 12, True, False, "center"),  # ban hành 12–13 bold
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, True, False, "center"),  # Quốc hiệu 12–13
    ("Độc lập - Tự do - Hạnh phúc", 13, True, False, "center"),  # Tiêu ngữ 13–14 bold
    ("Số: 3887/KH-SVHTTDL", 13, False, False, "center"),  # Số, ký hiệu 13
    (PLACE_DATE, 13, False, True, "center"),  # địa danh 13–14 italic
    ("KẾ HOẠCH", 14, True, False, "center"),  # tên loại 13–14 bold
    (
        "Về việc phát động phong trào thi đua trong các Khối thi đua của Sở Văn hóa, Thể thao "
        "và Du lịch năm 2021",
        14,
        True,
        False,
        "center",
    ),  # trích yếu 13–14 bold
    ("I. MỤC ĐÍCH, YÊU CẦU", 14, True, False, "both"),
    ("Nơi nhận:", 12, True, True, "left"),  # 12 bold italic
    ("- Lưu: VT, TCPC.", 11, False, False, "left"),  # list 11 upright
    ("GIÁM ĐỐC", 14, True, False, "center"),  # chức vụ 13–14 bold
    ("Nguyễn Khánh Tùng", 14, True, False, "center"),  # họ tên 13–14 bold
]
SIZE_RANGES = {12: (12, 13), 13: (13, 14), 14: (13, 14), 11: (11, 11)}


@pytest.mark.parametrize(("text", "size", "bold", "italic", "align"), PLAN_ELEMENTS)
def test_plan_element_sizes_and_styles(plan, text, size, bold, italic, align):
    p = plan.paragraph(text)
    props = plan.run_props(p)
    assert (props.size_pt, props.bold, props.italic) == (size, bold, italic)
    low, high = SIZE_RANGES[size]
    assert low <= props.size_pt <= high
    assert plan.ppr_value(p, "jc", "val") == align


def test_legal_bases_are_italic_and_the_body_is_justified_with_a_first_line_indent(
    plan, plan_context
):
    for basis in plan_context["legal_bases"]:
        p = plan.paragraph(basis)
        props = plan.run_props(p)
        assert props.italic and not props.bold and props.size_pt == 14
        assert plan.ppr_value(p, "jc", "val") == "both"
    for text in plan_context["purposes"] + plan_context["implementation"]:
        p = plan.paragraph(text)
        props = plan.run_props(p)
        assert (props.size_pt, props.bold, props.italic) == (14, False, False)
        assert plan.ppr_value(p, "jc", "val") == "both"
        # Mục II.6.e: 1 cm or 1.27 cm first-line indent, at least 6 pt between paragraphs,
        # line spacing from single to 1.5 lines.
        indent_cm = mm(plan.ppr_value(p, "ind", "firstLine")) / 10
        assert min(abs(indent_cm - 1.0), abs(indent_cm - 1.27)) < 0.01
        assert int(plan.ppr_value(p, "spacing", "after") or 0) >= 6 * 20
        line = int(plan.ppr_value(p, "spacing", "line") or 240)
        assert plan.ppr_value(p, "spacing", "lineRule") in (None, "auto")
        assert 240 <= line <= 360


def test_the_place_and_date_line_is_italic_and_beside_the_number(plan):
    header = plan.tables()[0]
    rows = header.findall(f"{W}tr")
    number_cell, place_cell = rows[1].findall(f"{W}tc")
    assert paragraph_text(number_cell.find(f"{W}p")) == "Số: 3887/KH-SVHTTDL"
    p = place_cell.find(f"{W}p")
    assert paragraph_text(p) == PLACE_DATE
    assert plan.run_props(p).italic


# Header table --------------------------------------------------------------------------------


def _cells_have_widths(table: Any) -> None:
    assert table.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
    grid = [int(c.get(f"{W}w")) for c in table.findall(f"{W}tblGrid/{W}gridCol")]
    for row in table.findall(f"{W}tr"):
        widths = [int(tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) for tc in row.findall(f"{W}tc")]
        assert widths == grid
    assert sum(grid) <= round(layout.PAGE.text_width_mm * 1440 / 25.4)


def test_the_header_is_a_borderless_two_column_table_with_fixed_widths(plan, decision):
    for doc in _docs(plan, decision):
        header = doc.body[0]
        assert header.tag == f"{W}tbl", "the header table opens the document"
        assert len(header.findall(f"{W}tblGrid/{W}gridCol")) == 2
        _cells_have_widths(header)
        borders = header.find(f"{W}tblPr/{W}tblBorders")
        assert {b.get(f"{W}val") for b in borders} == {"nil"}
        left, right = header.find(f"{W}tr").findall(f"{W}tc")
        left_lines = [paragraph_text(p) for p in left.findall(f"{W}p")]
        right_lines = [paragraph_text(p) for p in right.findall(f"{W}p")]
        assert left_lines[:2] == ["UBND THÀNH PHỐ CẦN THƠ", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"]
        assert right_lines[:2] == [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
        ]


def _rule_mm(cell_width_twips: int, p: Any, padding_mm: float) -> float:
    ind = p.find(f"{W}pPr/{W}ind")
    return (
        mm(cell_width_twips) - 2 * padding_mm - mm(ind.get(f"{W}left")) - mm(ind.get(f"{W}right"))
    )


def test_rules_under_the_issuer_the_motto_and_the_summary(plan):
    """Solid rules as bottom borders of empty paragraphs: under the issuing body 1/3–1/2 of
    its line, under the motto as long as the motto, under the summary 1/3–1/2 (Mục II.1–2,
    II.5)."""
    header = plan.tables()[0]
    left, right = header.find(f"{W}tr").findall(f"{W}tc")
    for cell, expected in ((left, layout.ISSUER_RULE_MM), (right, layout.MOTTO_RULE_MM)):
        rules = [
            p for p in cell.findall(f"{W}p") if p.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None
        ]
        assert len(rules) == 1
        bottom = rules[0].find(f"{W}pPr/{W}pBdr/{W}bottom")
        assert bottom.get(f"{W}val") == "single"
        assert paragraph_text(rules[0]) == ""
        width = int(cell.find(f"{W}tcPr/{W}tcW").get(f"{W}w"))
        assert _rule_mm(width, rules[0], layout.HEADER_CELL_PADDING_MM) == pytest.approx(
            expected, abs=0.2
        )
    # The motto at 13 pt bold measures 56.1 mm in Times New Roman's metrics.
    assert pytest.approx(56.1, abs=1) == layout.MOTTO_RULE_MM
    # The issuer rule is 1/3–1/2 of a 50–75 mm line.
    assert layout.ISSUER_RULE_MM >= 75 / 3 and layout.ISSUER_RULE_MM <= 50 / 2
    summary_rule = plan.body[3]
    assert summary_rule.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None
    text_width = round(layout.PAGE.text_width_mm * 1440 / 25.4)
    assert _rule_mm(text_width, summary_rule, 0) == pytest.approx(layout.SUMMARY_RULE_MM, abs=0.2)


def test_the_signature_block_sits_right_of_the_recipients(plan):
    table = plan.tables()[-1]
    _cells_have_widths(table)
    recipients, signer = table.find(f"{W}tr").findall(f"{W}tc")
    assert [paragraph_text(p) for p in recipients.findall(f"{W}p")] == [
        "Nơi nhận:",
        "- Ban Thi đua – Khen thưởng thành phố;",
        "- Giám đốc và các Phó Giám đốc Sở;",
        "- Các phòng, đơn vị thuộc Sở;",
        "- Lưu: VT, TCPC.",
    ]
    lines = [paragraph_text(p) for p in signer.findall(f"{W}p")]
    assert lines[0] == "GIÁM ĐỐC" and lines[-1] == "Nguyễn Khánh Tùng"
    # Room for the signature and the seal between the title and the name.
    assert lines[1:-1] == [""] * layout.SIGNATURE_GAP_LINES


def test_an_authority_line_precedes_the_title_when_a_deputy_signs(db, plan_context):
    context = {
        **plan_context,
        "signer": {"authority": "KT. GIÁM ĐỐC", "title": "PHÓ GIÁM ĐỐC", "name": "Trần Văn B"},
    }
    doc = DocxFile(render_docx("ke_hoach.docx", context))
    signer = doc.tables()[-1].find(f"{W}tr").findall(f"{W}tc")[1]
    lines = [paragraph_text(p) for p in signer.findall(f"{W}p") if paragraph_text(p)]
    assert lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Văn B"]
    p = doc.paragraph("KT. GIÁM ĐỐC")
    assert doc.run_props(p).bold and doc.run_props(p).size_pt == 14


# Page numbers ---------------------------------------------------------------------------------


def test_page_numbers_are_a_centred_page_field_hidden_on_page_one(plan, decision):
    for doc in _docs(plan, decision):
        assert doc.section.find(f"{W}titlePg") is not None, "different first page"
        default = doc.header("default")
        assert default is not None
        instructions = "".join(t.text or "" for t in default.iter(f"{W}instrText"))
        assert instructions.strip() == "PAGE"
        kinds = [f.get(f"{W}fldCharType") for f in default.iter(f"{W}fldChar")]
        assert kinds == ["begin", "separate", "end"]
        p = default.find(f"{W}p")
        assert doc.ppr_value(p, "jc", "val") == "center"
        assert 13 <= doc.run_props(p).size_pt <= 14
        first = doc.header("first")
        assert first is not None, "page 1 needs its own (empty) header"
        assert list(first.iter(f"{W}instrText")) == []
        assert list(first.iter(f"{W}fldSimple")) == []
        assert "".join(t.text or "" for t in first.iter(f"{W}t")) == ""


# The decision ---------------------------------------------------------------------------------


def test_the_decision_table_has_a_row_per_block_and_widths_on_every_cell(decision):
    table = decision.tables()[1]
    _cells_have_widths(table)
    rows = table.findall(f"{W}tr")
    assert len(rows) == 3  # heading + two blocks; the {%tr %} rows are gone
    assert [paragraph_text(tc) for tc in rows[0].findall(f"{W}tc")] == [
        "STT",
        "Khối thi đua",
        "Khối trưởng",
        "Khối phó",
        "Đơn vị thành viên",
    ]
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    borders = table.find(f"{W}tblPr/{W}tblBorders")
    assert {b.get(f"{W}val") for b in borders} == {"single"}
    members = rows[1].findall(f"{W}tc")[4].findall(f"{W}p")
    assert len(members) == 7


def test_the_decision_articles_and_authority(decision):
    p = decision.paragraph("GIÁM ĐỐC SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH")
    assert decision.run_props(p).bold and decision.ppr_value(p, "jc", "val") == "center"
    p = decision.paragraph("QUYẾT ĐỊNH:")
    assert decision.run_props(p).bold
    basis = decision.paragraph("Theo đề nghị của Trưởng phòng Tổ chức – Pháp chế.")
    assert decision.run_props(basis).italic
    for p in decision.paragraphs():
        text = paragraph_text(p)
        if text.startswith("Điều "):
            runs = [r for r in p.iter(f"{W}r") if r.find(f"{W}t") is not None]
            label, rest = runs[0], runs[1]
            assert paragraph_text(label).startswith("Điều ")
            assert decision.run_props(p, label).bold
            assert not decision.run_props(p, rest).bold


# Templates and rendering ----------------------------------------------------------------------


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_rebuilding_the_templates_reproduces_the_committed_files(tmp_path: Path):
    """The committed .docx files are what build_templates.py makes (zip times ignored)."""
    built = build_templates.build_all(tmp_path)
    assert {p.name for p in built} == set(build_templates.all_templates())
    for path in built:
        committed = build_templates.TEMPLATES_DIR / path.name
        assert _members(path.read_bytes()) == _members(committed.read_bytes()), path.name


def test_templates_open_in_python_docx_and_carry_their_tags():
    for name in build_templates.TEMPLATES:
        doc = Document(str(template_path(name)))
        text = "\n".join(p.text for p in doc.paragraphs)
        assert "{{ summary }}" in text
        assert doc.core_properties.author == "Thi đua"


def test_only_bare_template_names_are_accepted():
    for name in ("../settings.py", "ke_hoach", "/etc/passwd.docx", "Ke_Hoach.docx"):
        with pytest.raises(ValueError):
            template_path(name)
    with pytest.raises(FileNotFoundError):
        template_path("khong_co.docx")


def test_text_is_escaped_and_control_characters_dropped(db, plan_context):
    context = {**plan_context, "intro": "Đơn vị A & B <C> \x07\x0cnối tiếp"}
    doc = DocxFile(render_docx("ke_hoach.docx", context))
    assert "Đơn vị A & B <C> nối tiếp" in doc.lines()


def test_model_objects_and_missing_keys_are_refused(db, plan_context):
    from django.template.base import Template  # any non-plain object

    with pytest.raises(ContextError, match="not plain data"):
        render_docx("ke_hoach.docx", {**plan_context, "intro": Template("x")})
    incomplete = dict(plan_context)
    del incomplete["closing"]
    with pytest.raises(Exception, match="closing"):
        render_docx("ke_hoach.docx", incomplete)


# vn_format properties ---------------------------------------------------------------------------


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_date_line_leading_zeros(day: dt.date):
    line = vn_format.place_date_line("Cần Thơ", day)
    prefix = "Cần Thơ, ngày "
    assert line.startswith(prefix)
    day_text, _, rest = line[len(prefix) :].partition(" tháng ")
    month_text, _, year_text = rest.partition(" năm ")
    # Mục II.4: days below 10 and months 1, 2 take a leading zero; nothing else does.
    assert day_text == (f"0{day.day}" if day.day < 10 else str(day.day))
    assert month_text == (f"0{day.month}" if day.month in (1, 2) else str(day.month))
    assert year_text == str(day.year)
    assert int(day_text) == day.day and int(month_text) == day.month


def test_date_line_examples_from_the_decree():
    assert vn_format.place_date_line("Hà Nội", dt.date(2020, 1, 5)) == (
        "Hà Nội, ngày 05 tháng 01 năm 2020"
    )
    assert vn_format.place_date_line("Thành phố Hồ Chí Minh", dt.date(2019, 6, 29)) == (
        "Thành phố Hồ Chí Minh, ngày 29 tháng 6 năm 2019"
    )
    assert vn_format.place_date_line("Cần Thơ", dt.date(2020, 12, 25)) == PLACE_DATE


VIETNAMESE_LOWER = (
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
)
VIETNAMESE_UPPER = (
    "AÀẢÃÁẠĂẰẲẴẮẶÂẦẨẪẤẬBCDĐEÈẺẼÉẸÊỀỂỄẾỆGHIÌỈĨÍỊKLMNOÒỎÕÓỌÔỒỔỖỐỘƠỜỞỠỚỢPQRSTUÙỦŨÚỤƯỪỬỮỨỰVXYỲỶỸÝỴ"
)


def test_uppercase_maps_every_vietnamese_letter():
    assert len(VIETNAMESE_LOWER) == len(VIETNAMESE_UPPER) == 89
    assert vn_format.vn_upper(VIETNAMESE_LOWER) == VIETNAMESE_UPPER
    assert vn_format.vn_upper("đ") == "Đ"
    assert vn_format.vn_upper("Sở Văn hóa, Thể thao và Du lịch") == (
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"
    )


@given(st.text(alphabet=VIETNAMESE_LOWER + VIETNAMESE_UPPER + " ,.-–0123456789", max_size=60))
def test_uppercase_keeps_vietnamese_letters(text: str):
    upper = vn_format.vn_upper(text)
    assert len(upper) == len(text)  # one precomposed capital per letter, nothing expands
    for before, after in zip(text, upper, strict=True):
        if before in VIETNAMESE_LOWER:
            assert after == VIETNAMESE_UPPER[VIETNAMESE_LOWER.index(before)]
        else:
            assert after == before
    assert vn_format.vn_upper(upper) == upper


@given(st.text(alphabet=VIETNAMESE_LOWER, min_size=1, max_size=20))
def test_uppercase_of_decomposed_text_is_precomposed(text: str):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text)
    assert vn_format.vn_upper(decomposed) == vn_format.vn_upper(text)


@given(st.integers(min_value=1, max_value=99999))
def test_numbers_below_ten_take_a_leading_zero(number: int):
    text = vn_format.number_symbol(number, "KH-SVHTTDL")
    digits, _, symbol = text.partition("/")
    assert symbol == "KH-SVHTTDL"
    assert int(digits) == number
    assert digits == (f"0{number}" if number < 10 else str(number))


def test_symbols_and_recipient_lists():
    assert vn_format.document_symbol("QĐ", "SVHTTDL") == "QĐ-SVHTTDL"
    assert vn_format.document_symbol("QyĐ", " UBND ") == "QyĐ-UBND"
    assert vn_format.number_symbol("3887", "KH-SVHTTDL") == "3887/KH-SVHTTDL"
    assert vn_format.recipient_lines(["- Như trên;", "Sở Nội vụ."], archive="TCCB") == [
        "- Như trên;",
        "- Sở Nội vụ;",
        "- Lưu: VT, TCCB.",
    ]
    assert vn_format.recipient_lines(["Lưu: VT, VP, 02b"]) == ["- Lưu: VT, VP, 02b."]
    assert vn_format.terminate(["Căn cứ A;", "Căn cứ B"]) == ["Căn cứ A;", "Căn cứ B."]
    assert vn_format.strip_type_name("Kế hoạch về việc X", "Kế hoạch") == "Về việc X"
