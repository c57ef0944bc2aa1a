"""The certificate (Giấy khen), printed on pre-printed blanks or on plain paper.

Agencies buy blanks with the decorative border, the national emblem, the national title and
motto and the words "GIẤY KHEN" already printed; the system prints only what changes from
one awardee to the next, at fixed places on the sheet. So, unlike the ND 30 documents
(build_templates.py), whose text flows, every field here is a Word frame (w:framePr) at a
fixed x/y, taken from one declarative table, FIELDS.

Layout rule: ND 98/2023 Art. 104 (documents.md §2.6, source S4): A4 landscape 297 × 210 mm;
top centre the emblem; lines (1)–(2) national title and motto, bold, black, a rule under the
motto as long as the motto; (3) the deciding officer's title, caps, bold, RED; (4) "TẶNG",
caps, bold, black; (5) the award's name, caps, bold, RED; then the awardee's name, their
position/unit (for a collective: its managing body) and the achievement, black; bottom left
"Số quyết định, ngày, tháng, năm" and below it "Số sổ vàng" (the awardee's order in the
decision), bold italic; bottom right the place and date, bold italic, under it the officer's
title, caps, bold, the room for signature and seal, and the name. "Fonts and sizes are left
to the awarding body": the sizes below are ours. ND 98 is repealed from 01/7/2025 but
applies until the Prime Minister's replacement decision (ND 152 Art. 6(1)(a), 60(2)), which
documents.md lists as NOT FOUND: re-verify when it is published.

Two modes:

* ``blank``: only the variable fields, for the pre-printed paper;
* ``full``: the pre-printed texts as well (national title, motto and its rule, "GIẤY KHEN")
  and a plain double border standing in for the decorative one, for plain paper and for
  the on-screen preview. The emblem is not drawn: we have no licensed artwork for it.

Printers feed paper with an offset of a few millimetres. Frames are anchored to the page
margins (hAnchor/vAnchor "margin"), and the template's four margins are equal (BASE_MARGIN_MM),
so a calibration offset (dx, dy; positive right/down) is applied at render time by moving the
margins: left += dx, right -= dx, top += dy, bottom -= dy. Every field moves by exactly the
same amount and the committed template never changes; each agency measures once.

Build the template with ``python -m thidua.documents.certificate`` (``--check`` compares the
committed file with a fresh build); the ND 30 builder registers TEMPLATES below as well.
"""

from __future__ import annotations

import argparse
import io
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate, InlineImage

from thidua.documents import build_templates as nd30
from thidua.documents.rendering import TEMPLATES_DIR, environment, plain, template_path

TEMPLATE_NAME = "giay_khen.docx"
MODES = ("blank", "full")

PAGE_WIDTH_MM = 297.0  # Art. 104(1): "khổ giấy A4, kích thước là 297 mm x 210 mm"
PAGE_HEIGHT_MM = 210.0
# All four margins of the template. Frames are placed relative to the margins, so the
# calibration offset moves them by moving the margins; 25 mm leaves 5 mm at the largest
# offset, and every field lies at least 25 mm inside the sheet (no negative frame position,
# which LibreOffice and Word treat differently).
BASE_MARGIN_MM = 25.0
# A feed error beyond this is a printer to repair, not to calibrate around.
MAX_OFFSET_MM = 20.0

RED = "FF0000"  # Art. 104(2): lines (3) and (5) "màu đỏ"
BLACK = "000000"

# Full mode's stand-in for the pre-printed border: a double line 10 mm from the edge.
PREVIEW_BORDER_SPACE_PT = 28  # w:space is in points, at most 31
# The QR code's printed width: large enough for a phone camera at reading distance, small
# enough for the corner under the decision number.
QR_WIDTH_MM = 16.0


@dataclass(frozen=True)
class Field:
    """One printed element: a frame `width_mm` wide whose top-left corner is `x_mm`, `y_mm`
    from the sheet's top-left corner (before any calibration offset)."""

    key: str  # the frame's name and style; the context key(s) it prints are in `text`
    label: str  # the paragraph style's name, what a clerk sees in Word
    text: str  # Jinja text of the paragraph(s); "\n" is a line break inside the field
    x_mm: float
    y_mm: float
    width_mm: float
    size_pt: float
    bold: bool = False
    italic: bool = False
    caps: bool = False  # the template upper-cases the value (vn_upper), whatever is typed
    color: str = BLACK
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER
    fixed: bool = False  # pre-printed on the blank: printed in full mode only
    optional: str = ""  # a context key; the field is left out when it is missing or empty


# The centre column spans the sheet inside the border: 40–257 mm, centred on 148.5 mm.
CENTRE_X, CENTRE_W = 40.0, 217.0
# Bottom blocks: left (decision number, register number) and right (place/date, signer).
LEFT_X, LEFT_W = 25.0, 125.0
RIGHT_X, RIGHT_W = 160.0, 112.0

FIELDS: tuple[Field, ...] = (
    # (1)–(2) Quốc hiệu, Tiêu ngữ: bold, black, under the emblem (Art. 104(2), first two
    # lines; ND 30 sizes 13 and 14). Pre-printed.
    Field(
        "national_title",
        "GK Quốc hiệu",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        CENTRE_X,
        50,
        CENTRE_W,
        13,
        bold=True,
        fixed=True,
    ),
    Field(
        "motto",
        "GK Tiêu ngữ",
        "Độc lập - Tự do - Hạnh phúc",
        CENTRE_X,
        56,
        CENTRE_W,
        14,
        bold=True,
        fixed=True,
    ),
    # (3) "chức vụ của người có thẩm quyền quyết định khen thưởng": caps, bold, red.
    Field(
        "authority_line",
        "GK Chức vụ người khen",
        "{{ authority_line|vn_upper }}",
        CENTRE_X,
        67,
        CENTRE_W,
        15,
        bold=True,
        caps=True,
        color=RED,
    ),
    # (4) "TẶNG" (Giấy khen) or "TẶNG DANH HIỆU" (Chiến sĩ thi đua cơ sở): caps, bold, black.
    Field(
        "award_verb",
        "GK Tặng",
        "{{ award_verb|vn_upper }}",
        CENTRE_X,
        75,
        CENTRE_W,
        15,
        bold=True,
        caps=True,
    ),
    # (5) the award's name: caps, bold, red. Pre-printed ("GIẤY KHEN" on the blank).
    Field(
        "award_title",
        "GK Tên hình thức khen",
        "{{ award_title|vn_upper }}",
        CENTRE_X,
        82,
        CENTRE_W,
        32,
        bold=True,
        caps=True,
        color=RED,
        fixed=True,
    ),
    # "Các dòng tiếp theo": the awardee, their position and unit (or a collective's managing
    # body), the achievement; black. Sizes: ours, the name largest.
    Field(
        "recipient_name",
        "GK Người được khen",
        "{{ recipient_name }}",
        CENTRE_X,
        98,
        CENTRE_W,
        20,
        bold=True,
    ),
    Field(
        "recipient_detail",
        "GK Chức vụ, đơn vị",
        "{{ recipient_detail }}",
        CENTRE_X,
        108,
        CENTRE_W,
        14,
        italic=True,
    ),
    # Room for two lines of position and unit (to 119.5 mm) and three of achievement (to
    # 138.5 mm, about 250 characters) before the bottom blocks; test_certificate checks it.
    Field(
        "achievement",
        "GK Thành tích",
        "{{ achievement }}",
        CENTRE_X,
        121,
        CENTRE_W,
        14,
    ),
    # Bottom left: "Số quyết định, ngày, tháng, năm", "Số sổ vàng" under it; bold italic.
    Field(
        "decision_line",
        "GK Số quyết định",
        "Số quyết định: {{ decision_number }}, ngày {{ decision_date }}",
        LEFT_X,
        151,
        LEFT_W,
        13,
        bold=True,
        italic=True,
    ),
    Field(
        "register_line",
        "GK Số sổ vàng",
        "Số sổ vàng: {{ register_number }}",
        LEFT_X,
        157.5,
        LEFT_W,
        13,
        bold=True,
        italic=True,
        optional="register_number",
    ),
    # Bottom right: place and date, bold italic; the officer's title, caps, bold (with the
    # KT./TM. line above it when the signer signs for someone); the name after the room for
    # signature and seal.
    Field(
        "place_date",
        "GK Địa danh, ngày tháng",
        "{{ place_date }}",
        RIGHT_X,
        145,
        RIGHT_W,
        14,
        bold=True,
        italic=True,
    ),
    Field(
        "signer_title",
        "GK Chức vụ người ký",
        "{% if signer.authority %}{{ signer.authority|vn_upper }}\n{% endif %}"
        "{{ signer.title|vn_upper }}",
        RIGHT_X,
        151.5,
        RIGHT_W,
        14,
        bold=True,
        caps=True,
    ),
    Field(
        "signer_name",
        "GK Họ tên người ký",
        "{{ signer.name }}",
        RIGHT_X,
        181,
        RIGHT_W,
        14,
        bold=True,
    ),
    # Outside Art. 104: the verification code and its QR, bottom-left corner, both modes.
    Field(
        "verification_qr",
        "GK Mã QR",
        "{{ verification_qr }}",
        LEFT_X,
        166,
        QR_WIDTH_MM + 2,
        9,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        optional="verification_code",
    ),
    Field(
        "verification_code",
        "GK Mã xác thực",
        "Mã xác thực: {{ verification_code }}\n{{ verification_url }}",
        LEFT_X + QR_WIDTH_MM + 3,
        173,
        LEFT_W - QR_WIDTH_MM - 3,
        9,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        optional="verification_code",
    ),
)
FIELD_BY_KEY = {field.key: field for field in FIELDS}
# The rule under the motto "có độ dài bằng độ dài của dòng chữ": the motto at 14 pt bold is
# 60.4 mm in Liberation Serif (56.1 mm at 13 pt, layout.MOTTO_RULE_MM).
MOTTO_RULE_MM = 60.0
# The motto's line is 5.7 mm high (14 pt, single spacing): the rule's 1 pt paragraph starts
# just below it.
MOTTO_RULE_BELOW_MM = 5.8


def certificate_sample() -> dict[str, Any]:
    """A complete context, plain data and no queries: its keys are the template's fields.
    The text uses ơ, ư, ằ, ẫ, ệ and Đ, which a font without Vietnamese glyphs would lose."""
    return {
        "authority_line": "Giám đốc Sở Văn hóa, Thể thao và Du lịch",
        "award_verb": "Tặng",
        "award_title": "Giấy khen",
        "recipient_name": "Bà Nguyễn Thị Hằng",
        "recipient_detail": "Trưởng phòng Quản lý Văn hóa và Gia đình, Sở Văn hóa, Thể thao và "
        "Du lịch thành phố Cần Thơ",
        "achievement": "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ, dẫn đầu Khối thi "
        "đua số 1 trong phong trào thi đua năm 2021 của Sở Văn hóa, Thể thao và Du lịch thành "
        "phố Cần Thơ.",
        "decision_number": "15/QĐ-SVHTTDL",
        "decision_date": "12/01/2022",
        "register_number": "07",
        "place_date": "Cần Thơ, ngày 12 tháng 01 năm 2022",
        "signer": {"authority": "", "title": "Giám đốc", "name": "Nguyễn Khánh Tùng"},
        "verification_code": "K7QX4M2P",
        "verification_url": "https://thidua.example.vn/xac-thuc/K7QX4M2P/",
    }


# --------------------------------------------------------------------------- template


def _twips(mm: float) -> Twips:
    return Twips(round(mm * 1440 / 25.4))


def _frame(paragraph: Paragraph, field: Field) -> None:
    """w:framePr: a frame `width` wide, height growing with its text, placed relative to the
    margins. Consecutive paragraphs with equal frame properties would merge into one frame,
    so no two fields share a position."""
    frame = OxmlElement("w:framePr")
    frame.set(qn("w:w"), str(_twips(field.width_mm).twips))
    frame.set(qn("w:hRule"), "auto")
    frame.set(qn("w:wrap"), "around")
    # No distance from surrounding text: without it LibreOffice moved a frame holding only a
    # picture (the QR code) 3.2 mm right, Word's default distance for frames.
    frame.set(qn("w:hSpace"), "0")
    frame.set(qn("w:vSpace"), "0")
    frame.set(qn("w:hAnchor"), "margin")
    frame.set(qn("w:vAnchor"), "margin")
    frame.set(qn("w:x"), str(_twips(field.x_mm - BASE_MARGIN_MM).twips))
    frame.set(qn("w:y"), str(_twips(field.y_mm - BASE_MARGIN_MM).twips))
    ppr = paragraph._p.get_or_add_pPr()
    # Schema order inside w:pPr: pStyle, keepNext, keepLines, pageBreakBefore, framePr, …
    anchor = ppr.find(qn("w:pStyle"))
    if anchor is not None:
        anchor.addnext(frame)
    else:
        ppr.insert(0, frame)


def _style(doc: Document, field: Field) -> str:
    style = doc.styles.add_style(field.label, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = "GK" + "".join(part.title() for part in field.key.split("_"))
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    font = style.font
    font.size = Pt(field.size_pt)
    font.bold = field.bold
    font.italic = field.italic
    font.color.rgb = RGBColor.from_string(field.color)
    nd30._set_fonts(style.element.get_or_add_rPr())
    fmt = style.paragraph_format
    fmt.alignment = field.align
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    return field.label


def _add_field(doc: Document, field: Field) -> None:
    style = _style(doc, field)
    condition = f"{field.optional} is defined and {field.optional}" if field.optional else ""
    if field.fixed:
        condition = "print_fixed" + (f" and {condition}" if condition else "")
    if condition:
        doc.add_paragraph(f"{{%p if {condition} %}}")
    paragraph = doc.add_paragraph(style=style)
    paragraph.add_run(field.text)  # python-docx turns "\n" into a line break
    _frame(paragraph, field)
    if field.key == "motto":
        _motto_rule(doc, field)
    if condition:
        doc.add_paragraph("{%p endif %}")


def _motto_rule(doc: Document, motto: Field) -> None:
    """The rule under the motto: the bottom border of an empty paragraph in a frame of its
    own, as wide as the rule and centred under the motto. (In the motto's own frame, as a
    second paragraph, LibreOffice moved the merged frame to the top margin and lost the
    rule.) A paragraph border rather than a drawn line, for build_templates' reasons."""
    rule = Field(
        "motto_rule",
        motto.label,
        "",
        motto.x_mm + (motto.width_mm - MOTTO_RULE_MM) / 2,
        motto.y_mm + MOTTO_RULE_BELOW_MM,
        MOTTO_RULE_MM,
        motto.size_pt,
    )
    paragraph = doc.add_paragraph(style=doc.styles[motto.label])
    paragraph.paragraph_format.line_spacing = Pt(1)
    _frame(paragraph, rule)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", BLACK)):
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().find(qn("w:framePr")).addnext(borders)


def _page(doc: Document) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width = Mm(PAGE_WIDTH_MM)
    section.page_height = Mm(PAGE_HEIGHT_MM)
    _set_margins(section, 0, 0)
    section.gutter = Mm(0)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def _set_margins(section: Section, dx_mm: float, dy_mm: float) -> None:
    section.left_margin = _twips(BASE_MARGIN_MM + dx_mm)
    section.right_margin = _twips(BASE_MARGIN_MM - dx_mm)
    section.top_margin = _twips(BASE_MARGIN_MM + dy_mm)
    section.bottom_margin = _twips(BASE_MARGIN_MM - dy_mm)


def build_giay_khen() -> Document:
    doc = new_document()
    nd30._drop_python_docx_leftovers(doc)
    nd30._document_defaults(doc)
    _page(doc)
    nd30._properties(doc, "Giấy khen")
    doc.core_properties.subject = "Giấy khen in trên phôi (Điều 104 Nghị định 98/2023/NĐ-CP)"
    doc.core_properties.comments = "Mẫu docxtpl, tạo bởi thidua/documents/certificate.py"
    for field in FIELDS:
        _add_field(doc, field)
    # The body's last paragraph holds no frame: Word attaches the section to it.
    doc.add_paragraph().paragraph_format.line_spacing = Pt(1)
    return doc


TEMPLATES: dict[str, Callable[[], Document]] = {TEMPLATE_NAME: build_giay_khen}


# --------------------------------------------------------------------------- rendering


def check_offset(offset_mm: Sequence[float]) -> tuple[float, float]:
    """(dx, dy) as floats, each within ±MAX_OFFSET_MM; ValueError otherwise."""
    if len(offset_mm) != 2:
        raise ValueError("offset_mm must be (dx, dy)")
    dx, dy = (float(value) for value in offset_mm)
    for value in (dx, dy):
        if not math.isfinite(value) or abs(value) > MAX_OFFSET_MM:
            # Shown to the clerk who calibrates the printer.
            raise ValueError(
                _("The printer offset must be between -%(limit)s and %(limit)s mm.")
                % {"limit": f"{MAX_OFFSET_MM:g}"}
            )
    return dx, dy


def _preview_border(section: Section) -> None:
    """A double line around the sheet, standing in for the pre-printed border."""
    borders = OxmlElement("w:pgBorders")
    borders.set(qn("w:offsetFrom"), "page")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        for name, value in (
            ("val", "double"),
            ("sz", "12"),
            ("space", str(PREVIEW_BORDER_SPACE_PT)),
            ("color", RED),
        ):
            edge.set(qn(f"w:{name}"), value)
        borders.append(edge)
    # Schema order in w:sectPr: …, pgSz, pgMar, paperSrc, pgBorders, …
    section._sectPr.find(qn("w:pgMar")).addnext(borders)


class _FlushImage(InlineImage):
    """An inline picture with no distance from the text around it. python-docx writes
    wp:inline without distL/distR, and LibreOffice then keeps 1/8 inch (3.2 mm) clear on
    either side: the QR code printed that far right of its frame, into the code's line."""

    def _insert_image(self) -> str:
        xml: str = super()._insert_image()
        return xml.replace("<wp:inline ", '<wp:inline distT="0" distB="0" distL="0" distR="0" ', 1)


def render_certificate(
    context: Mapping[str, Any],
    *,
    mode: str = "blank",
    offset_mm: Sequence[float] = (0, 0),
    content: bytes | None = None,
) -> bytes:
    """The certificate as DOCX bytes. `mode` "blank" prints the variable fields only (for
    pre-printed paper), "full" the pre-printed texts too. `offset_mm` (dx, dy), positive
    right/down, shifts everything to compensate a printer's feed. When the context has a
    `verification_code`, its QR code (of `verification_url`, or the PNG given as
    `verification_qr_png`) and the code are printed bottom left. `content` is an agency's
    own version of the template (template_versions), filled instead of the built-in file."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    dx, dy = check_offset(offset_mm)
    qr = context.get("verification_qr_png")
    data = plain({key: value for key, value in context.items() if key != "verification_qr_png"})
    source = io.BytesIO(content) if content is not None else template_path(TEMPLATE_NAME)
    template = DocxTemplate(source)
    template.init_docx()
    section = template.docx.sections[0]
    _set_margins(section, dx, dy)
    if mode == "full":
        _preview_border(section)
    data["print_fixed"] = mode == "full"
    if data.get("verification_code"):
        if not isinstance(qr, bytes):
            from thidua.documents.services import qr_png, verification_url

            url = data.get("verification_url") or verification_url(data["verification_code"])
            data["verification_url"] = url
            qr = qr_png(url)
        data["verification_qr"] = _FlushImage(template, io.BytesIO(qr), width=Mm(QR_WIDTH_MM))
    # The same sandboxed environment as every other template: an uploaded version is code
    # written outside the project.
    template.render(data, jinja_env=environment(), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build docx_templates/giay_khen.docx.")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args(argv)
    path = TEMPLATES_DIR / TEMPLATE_NAME
    fresh = nd30.to_bytes(build_giay_khen())
    if args.check:
        stale = not path.exists() or path.read_bytes() != fresh
        if stale:
            print(f"stale: {path}")
        return 1 if stale else 0
    path.write_bytes(fresh)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
