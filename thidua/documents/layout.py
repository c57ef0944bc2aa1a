"""Nghị định 30/2020/NĐ-CP layout rules as data, each with the value we chose and its source.

Everything the template builder writes and the layout tests check comes from here, so a
change of rule (or of a choice inside a rule's range) is one edit. Sources are Phụ lục I of
ND 30 as quoted in shared/docs/documents.md §1.1–§1.3; "size (ex.)" is the size used in the
decree's own illustration (Phụ lục I, Mục V), a defensible default inside each range.

Pure data: no Django, no python-docx, so tests and the builder import it cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass

# Phụ lục I, Phần I, Mục I.4: "Phông chữ tiếng Việt Times New Roman, bộ mã ký tự Unicode …
# màu đen". Linux hosts without Microsoft's font substitute a metric-compatible face
# (Liberation Serif 2.x or Tinos; never Liberation 1.x, which lacks ơ, ư and stacked marks),
# so line breaks and page breaks stay where Word puts them.
FONT_NAME = "Times New Roman"
FONT_SUBSTITUTES = ("Liberation Serif", "Tinos")
FONT_SOURCE = "ND 30/2020, Phụ lục I, Phần I, Mục I.4"

# Spell-checking and hyphenation in Word/LibreOffice follow the text's language.
LANGUAGE = "vi-VN"


@dataclass(frozen=True)
class Range:
    low: float
    high: float

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int | float) and self.low <= value <= self.high


@dataclass(frozen=True)
class PageLayout:
    width_mm: float
    height_mm: float
    top_mm: float
    bottom_mm: float
    left_mm: float
    right_mm: float
    source: str

    @property
    def text_width_mm(self) -> float:
        return self.width_mm - self.left_mm - self.right_mm


# Mục I.1: "Khổ A4 (210 mm x 297 mm)"; Mục I.2: portrait; Mục I.3: "Cách mép trên và mép dưới
# 20 - 25 mm, cách mép trái 30 - 35 mm, cách mép phải 15 - 20 mm."
MARGIN_RANGES_MM = {
    "top": Range(20, 25),
    "bottom": Range(20, 25),
    "left": Range(30, 35),
    "right": Range(15, 20),
}
# We take the low end of every range (20/20/30/15): it is what Vietnamese agencies' Word
# templates use, it gives the widest text block (165 mm) so the two-column header fits
# "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" on one line, and it is the layout stack.md §2.7
# verified through LibreOffice.
PAGE = PageLayout(
    width_mm=210,
    height_mm=297,
    top_mm=20,
    bottom_mm=20,
    left_mm=30,
    right_mm=15,
    source="ND 30/2020, Phụ lục I, Phần I, Mục I.1–I.3",
)


@dataclass(frozen=True)
class Element:
    """One "thành phần thể thức": its ô số in the Mục IV diagram, size and style."""

    box: str
    size_pt: float
    size_range: Range
    bold: bool = False
    italic: bool = False
    uppercase: bool = False
    source: str = ""


# Sizes: the decree's illustration value ("size (ex.)" in documents.md §1.2) unless a comment
# says otherwise. Ranges are the decree's.
ELEMENTS: dict[str, Element] = {
    "national_title": Element(  # Quốc hiệu
        "1", 12, Range(12, 13), bold=True, uppercase=True, source="Mục II.1.a"
    ),
    "motto": Element("1", 13, Range(13, 14), bold=True, source="Mục II.1.b"),  # Tiêu ngữ
    "governing_body": Element(  # Tên cơ quan chủ quản: upright, not bold
        "2", 12, Range(12, 13), uppercase=True, source="Mục II.2.b"
    ),
    "issuer": Element(  # Tên cơ quan ban hành
        "2", 12, Range(12, 13), bold=True, uppercase=True, source="Mục II.2.b"
    ),
    "number": Element("3", 13, Range(13, 13), source="Mục II.3.c"),  # Số, ký hiệu: fixed 13
    "place_date": Element("4", 13, Range(13, 14), italic=True, source="Mục II.4.c"),
    "type_name": Element(  # Tên loại văn bản
        "5a", 14, Range(13, 14), bold=True, uppercase=True, source="Mục II.5.b"
    ),
    "summary": Element("5a", 14, Range(13, 14), bold=True, source="Mục II.5.b"),  # Trích yếu
    # The decision's "THẨM QUYỀN BAN HÀNH" line (Phụ lục III, Mẫu 1.2) has no size of its own
    # in Phụ lục I; it is set like the type name, as the decree's sample shows.
    "authority": Element(
        "6", 14, Range(13, 14), bold=True, uppercase=True, source="Phụ lục III, Mẫu 1.2"
    ),
    "legal_basis": Element(
        "6", 14, Range(13, 14), italic=True, source="Mục II.6 (căn cứ)"
    ),  # Căn cứ
    "body": Element("6", 14, Range(13, 14), source="Mục II.6.e"),  # Nội dung
    # Phần/Chương/Mục headings and "Điều n." are bold at the body size (Mục II.6).
    "heading": Element("6", 14, Range(13, 14), bold=True, source="Mục II.6 (phần, chương, điều)"),
    "signer_title": Element(  # Quyền hạn (TM./KT./TL./…) and chức vụ
        "7a", 14, Range(13, 14), bold=True, uppercase=True, source="Mục II.7"
    ),
    "signer_name": Element("7b", 14, Range(13, 14), bold=True, source="Mục II.7"),
    "recipients_label": Element(  # "Nơi nhận:"
        "9b", 12, Range(12, 12), bold=True, italic=True, source="Mục II.9 (ô 9b)"
    ),
    "recipients": Element("9b", 11, Range(11, 11), source="Mục II.9 (ô 9b)"),
    # Mục I.7: 13–14, upright, centred in the top margin, not shown on page 1.
    "page_number": Element("-", 14, Range(13, 14), source="Mục I.7"),
    # ô 9a of a Tờ trình or Báo cáo sent upward: "Kính gửi" and the addressees, "chữ in
    # thường, cỡ chữ từ 13 đến 14, kiểu chữ đứng".
    "addressee": Element("9a", 14, Range(13, 14), source="Mục II.9 (ô 9a)"),
    # An annex's title ("tên Phụ lục … chữ in hoa, cỡ chữ từ 13 đến 14, kiểu chữ đứng, đậm")
    # and the line tying it to its document ("… chữ in thường, cỡ chữ từ 13 đến 14, kiểu chữ
    # nghiêng"), Mục III.1.b–c.
    "annex_title": Element("-", 14, Range(13, 14), bold=True, uppercase=True, source="Mục III.1.b"),
    "annex_reference": Element("-", 14, Range(13, 14), italic=True, source="Mục III.1.c"),
}

# A note outside the ND 30 layout (the covenant's text fingerprint, the verification code):
# small enough not to be read as part of the document, still legible when printed.
NOTE_SIZE_PT = 9

# Mục II.6.e: "khi xuống dòng, chữ đầu dòng lùi vào 1 cm hoặc 1,27 cm; khoảng cách giữa các
# đoạn văn tối thiểu là 6pt; khoảng cách giữa các dòng tối thiểu là dòng đơn, tối đa là 1,5
# lines." We take 1.27 cm (Word's default tab stop, so a clerk's Tab lines up with our indent),
# 6 pt after each paragraph and single line spacing (the minimums: the plan keeps its length).
BODY_FIRST_LINE_INDENT_CM = 1.27
BODY_FIRST_LINE_INDENT_CHOICES_CM = (1.0, 1.27)
BODY_SPACE_AFTER_PT = 6
BODY_LINE_SPACING = 1.0
BODY_LINE_SPACING_RANGE = Range(1.0, 1.5)

# The two-column header (Phụ lục III, every template): left = ô 2 and 3, right = ô 1 and 4.
# Measured with Liberation Serif (metric-compatible with Times New Roman): the national title
# at 12 pt bold is 88.3 mm wide, so the right column gets 95 mm with 1 mm cell padding and
# keeps it on one line. The left column gets the remaining 70 mm, where "SỞ VĂN HÓA, THỂ THAO
# VÀ DU LỊCH" (77.4 mm) wraps onto two lines, which Mục II.2.b allows for long names.
HEADER_LEFT_MM = 70.0
HEADER_RIGHT_MM = 95.0
HEADER_CELL_PADDING_MM = 1.0
# The issuing body's name wraps inside a narrower, centred measure than the 68 mm cell: at 68
# mm the Sở's name broke as "SỞ VĂN HÓA, THỂ THAO VÀ DU" / "LỊCH", an orphaned word (seen in
# the review PNG). Measured in the LibreOffice PDF at 12 pt bold, "SỞ VĂN HÓA, THỂ THAO" is
# 51.1 mm and "… VÀ" 58.3 mm, so 57 mm gives the conventional "SỞ VĂN HÓA, THỂ THAO" / "VÀ DU
# LỊCH"; it also balances other long names ("ỦY BAN NHÂN DÂN THÀNH PHỐ" / "CẦN THƠ" rather
# than leaving "THƠ" alone), while names up to 57 mm stay on one line.
ISSUER_TEXT_MM = 57.0
# The governing body's line (12 pt, not bold) wraps inside its own measure, for the same
# reason: a Sở heading a block's papers broke as "SỞ VĂN HÓA, THỂ THAO VÀ DU" / "LỊCH" at the
# full cell width. Measured in the LibreOffice PDF at 12 pt regular: "UBND THÀNH PHỐ CẦN
# THƠ" is 57.1 mm (must stay on one line), "SỞ VĂN HÓA, THỂ THAO VÀ" 56.2 mm and "… VÀ DU"
# 63.3 mm, so 60 mm gives "SỞ VĂN HÓA, THỂ THAO VÀ" / "DU LỊCH".
GOVERNING_BODY_TEXT_MM = 60.0

# Rules under the issuing body, the motto and the summary are bottom borders of an empty,
# indented paragraph (see tools/build_templates.py for why). Their lengths:
# - motto: "độ dài bằng độ dài của dòng chữ" — "Độc lập - Tự do - Hạnh phúc" at 13 pt bold
#   measures 56.1 mm, so 56 mm;
# - issuing body: "1/3 đến 1/2 độ dài của dòng chữ" — the name varies per agency, so a fixed
#   25 mm, i.e. 1/3–1/2 of names 50–75 mm long (one wrapped line of a Sở's name);
# - summary: same 1/3–1/2 rule; summaries usually fill a line or two (~100–165 mm), so 45 mm.
# A clerk adjusts a rule by dragging the paragraph's indents.
MOTTO_RULE_MM = 56.0
ISSUER_RULE_MM = 25.0
SUMMARY_RULE_MM = 45.0
RULE_WIDTH_EIGHTHS_PT = 6  # w:sz is in eighths of a point: a 0.75 pt solid line

# Signature row (Phụ lục III footer): left "Nơi nhận", right the signer, centred.
SIGNATURE_LEFT_MM = 75.0
SIGNATURE_RIGHT_MM = 90.0
# Room for the handwritten signature and the seal over its left third (Art. 33(1)(b)):
# four empty 14 pt lines, about 25 mm, kept as visible empty paragraphs a clerk can adjust.
SIGNATURE_GAP_LINES = 4

# Two signers side by side (Biên bản, Phụ lục III Mẫu 1.9: THƯ KÝ left, CHỦ TỌA right): two
# equal halves of the text block.
MINUTES_SIGNATURE_MM = (82.5, 82.5)

# The covenant's member signature table: a row per unit, tall enough for a handwritten
# signature and a seal (about 40 mm across, Art. 33) beside the head's name.
COVENANT_SIGNATURE_ROW_MM = 24.0
