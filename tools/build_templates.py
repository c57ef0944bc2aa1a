"""Build the Word templates in thidua/documents/docx_templates/: `python -m tools.build_templates`
(``--check``: exit 1 when a committed file differs from a fresh build).

The generated .docx files are committed: they are the source a clerk opens in Word or
LibreOffice to adjust wording, and docxtpl fills their Jinja tags. This script is how they
were made and how to remake them after a layout change; it is deterministic (fixed document
properties, fixed zip timestamps), so rebuilding an unchanged layout changes no committed
byte and a test holds the committed files to it. A clerk's edits made in Word should be
folded back here, or they are lost at the next rebuild.

Choices, and why:

* Formatting lives in named paragraph styles ("NĐ30 …"), not on runs: a clerk changes the
  body size once in the style, and the layout test reads the styles. Every style names
  Times New Roman explicitly, and so do the document defaults, with the theme-font
  attributes removed (in w:rFonts a theme font wins over an explicit one).
* The header and the signature block are borderless tables with a fixed layout and a width
  on every grid column and every cell: LibreOffice ignores python-docx's column widths
  unless each cell carries one (stack.md §2.7) and then wraps the national title.
* The short rules under the issuing body, the motto and the summary are the bottom border of
  an empty paragraph indented to the rule's length. Drawn lines (DrawingML shapes) float:
  they are anchored to a paragraph but positioned absolutely, so they drift when a clerk
  edits the text above them, and LibreOffice and Word place them differently. A paragraph
  border moves with the text, survives copy and paste, and both programs draw it the same.
  Its length is fixed (layout.py); a clerk changes it by dragging the paragraph's indents.
* Page numbers: a PAGE field centred in the default header; the section has "different
  first page" (w:titlePg) and an explicitly empty first-page header, so page 1 shows none
  (Phụ lục I, Mục I.7) in Word and LibreOffice alike.
* Jinja tags: `{%p … %}` and `{%tr … %}` each in a paragraph or row of its own (docxtpl
  drops that paragraph or row; both tags of a loop in one row fail with "unknown tag
  'endfor'", stack.md §2.7). Dict keys used in templates avoid dict method names
  (`group.criteria`, never `group.items`): Jinja looks attributes up before keys.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import io
import math
import sys
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Mm, Pt, Twips
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from thidua.documents import layout
from thidua.documents.rendering import TEMPLATES_DIR

# Fixed document properties and zip entry times make the build byte-for-byte repeatable.
FIXED_TIME = dt.datetime(2020, 1, 1)  # naive: python-docx writes it as UTC
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------------- styles


@dataclass(frozen=True)
class StyleSpec:
    style_id: str
    name: str  # what a clerk sees in Word's style gallery
    element: str  # key of layout.ELEMENTS giving size/bold/italic
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER
    first_line_cm: float = 0.0
    space_before_pt: float = 0
    space_after_pt: float = 0
    keep_with_next: bool = False
    size_pt: float | None = None  # overrides the element's size (rules, tables)


def _body_style(style_id: str, name: str, element: str, **extra: bool) -> StyleSpec:
    """Justified, first-line indent, 6 pt after: the body rule of Mục II.6.e."""
    return StyleSpec(
        style_id,
        name,
        element,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        first_line_cm=layout.BODY_FIRST_LINE_INDENT_CM,
        space_after_pt=layout.BODY_SPACE_AFTER_PT,
        **extra,
    )


STYLES = [
    StyleSpec("ND30GoverningBody", "NĐ30 Cơ quan chủ quản", "governing_body"),
    StyleSpec("ND30Issuer", "NĐ30 Cơ quan ban hành", "issuer"),
    StyleSpec("ND30NationalTitle", "NĐ30 Quốc hiệu", "national_title"),
    StyleSpec("ND30Motto", "NĐ30 Tiêu ngữ", "motto"),
    # An empty paragraph that only carries a rule: small so the rule sits close to the text.
    StyleSpec("ND30Rule", "NĐ30 Đường kẻ", "body", size_pt=4),
    StyleSpec("ND30Number", "NĐ30 Số, ký hiệu", "number", space_before_pt=6),
    StyleSpec("ND30PlaceDate", "NĐ30 Địa danh, ngày tháng", "place_date", space_before_pt=6),
    StyleSpec("ND30TypeName", "NĐ30 Tên loại", "type_name", space_before_pt=18),
    StyleSpec("ND30Summary", "NĐ30 Trích yếu", "summary"),
    StyleSpec(
        "ND30Authority",
        "NĐ30 Thẩm quyền ban hành",
        "authority",
        space_before_pt=12,
        space_after_pt=6,
    ),
    _body_style("ND30LegalBasis", "NĐ30 Căn cứ", "legal_basis"),
    _body_style("ND30Body", "NĐ30 Nội dung", "body"),
    _body_style("ND30Heading", "NĐ30 Đề mục", "heading", keep_with_next=True),
    # "QUYẾT ĐỊNH:" between the căn cứ and Điều 1 (Phụ lục III, Mẫu 1.2).
    StyleSpec(
        "ND30Decides",
        "NĐ30 Quyết định:",
        "heading",
        space_before_pt=6,
        space_after_pt=6,
        keep_with_next=True,
    ),
    # Tables inside the body: one point below the body size, as agencies commonly set them;
    # Phụ lục I gives no size for tables.
    StyleSpec("ND30TableHead", "NĐ30 Bảng tiêu đề", "heading", size_pt=13),
    StyleSpec("ND30TableCentre", "NĐ30 Bảng giữa", "body", size_pt=13),
    StyleSpec("ND30TableText", "NĐ30 Bảng nội dung", "body", WD_ALIGN_PARAGRAPH.LEFT, size_pt=13),
    StyleSpec("ND30RecipientsLabel", "NĐ30 Nơi nhận", "recipients_label", WD_ALIGN_PARAGRAPH.LEFT),
    StyleSpec("ND30Recipients", "NĐ30 Danh sách nơi nhận", "recipients", WD_ALIGN_PARAGRAPH.LEFT),
    StyleSpec("ND30SignerTitle", "NĐ30 Chức vụ người ký", "signer_title"),
    StyleSpec("ND30SignerName", "NĐ30 Họ tên người ký", "signer_name"),
    StyleSpec("ND30PageNumber", "NĐ30 Số trang", "page_number"),
    # "Kính gửi:" (right-aligned in its cell) and the addressees (left) of ô 9a.
    StyleSpec("ND30AddresseeLabel", "NĐ30 Kính gửi", "addressee", WD_ALIGN_PARAGRAPH.RIGHT),
    StyleSpec("ND30Addressee", "NĐ30 Nơi gửi đến", "addressee", WD_ALIGN_PARAGRAPH.LEFT),
    StyleSpec("ND30AnnexTitle", "NĐ30 Tên phụ lục", "annex_title"),
    StyleSpec("ND30AnnexReference", "NĐ30 Kèm theo văn bản", "annex_reference"),
    StyleSpec(
        "ND30Note",
        "NĐ30 Ghi chú ngoài thể thức",
        "recipients",
        WD_ALIGN_PARAGRAPH.LEFT,
        size_pt=layout.NOTE_SIZE_PT,
    ),
]


# Code refers to styles by their stable id; python-docx looks them up by display name.
STYLE_NAMES = {spec.style_id: spec.name for spec in STYLES}


def _set_fonts(rpr: BaseOxmlElement) -> None:
    """Name Times New Roman for every script slot and drop theme fonts, which take
    precedence over explicit names in w:rFonts."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme") or attr.endswith("theme"):
            del fonts.attrib[attr]
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), layout.FONT_NAME)


def _set_language(rpr: BaseOxmlElement) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), layout.LANGUAGE)


def _document_defaults(doc: Document) -> None:
    body_size = layout.ELEMENTS["body"].size_pt
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(int(body_size * 2)))
    _set_language(rpr)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")  # single
    spacing.set(qn("w:lineRule"), "auto")

    normal = doc.styles["Normal"]
    normal.font.size = Pt(body_size)
    _set_fonts(normal.element.get_or_add_rPr())


def _add_styles(doc: Document) -> None:
    normal = doc.styles["Normal"]
    for spec in STYLES:
        element = layout.ELEMENTS[spec.element]
        style = doc.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = spec.style_id
        style.base_style = normal
        style.quick_style = True
        font = style.font
        font.size = Pt(spec.size_pt or element.size_pt)
        font.bold = element.bold
        font.italic = element.italic
        _set_fonts(style.element.get_or_add_rPr())
        fmt = style.paragraph_format
        fmt.alignment = spec.align
        fmt.first_line_indent = Cm(spec.first_line_cm) if spec.first_line_cm else None
        fmt.space_before = Pt(spec.space_before_pt)
        fmt.space_after = Pt(spec.space_after_pt)
        fmt.line_spacing_rule = (
            WD_LINE_SPACING.SINGLE if layout.BODY_LINE_SPACING == 1.0 else WD_LINE_SPACING.MULTIPLE
        )
        if spec.keep_with_next:
            fmt.keep_with_next = True


# --------------------------------------------------------------------------- page set-up


def _page(doc: Document) -> None:
    page = layout.PAGE
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(page.width_mm)
    section.page_height = Mm(page.height_mm)
    # Margins are stored in twips (1/1440 inch); round up so a margin chosen at the low end
    # of its range (15 mm = 850.4 twips) never lands just below it (850 = 14.99 mm).
    section.top_margin = _twips_up(page.top_mm)
    section.bottom_margin = _twips_up(page.bottom_mm)
    section.left_margin = _twips_up(page.left_mm)
    section.right_margin = _twips_up(page.right_mm)
    section.gutter = Mm(0)
    # The page number sits "trong phần lề trên": a header 10 mm from the edge keeps a 14 pt
    # line (about 5 mm) inside the 20 mm top margin, so the body never moves down for it.
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)

    section.different_first_page_header_footer = True
    first = section.first_page_header
    first.is_linked_to_previous = False  # creates the (empty) first-page header part
    first.paragraphs[0].style = doc.styles[STYLE_NAMES["ND30PageNumber"]]

    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.style = doc.styles[STYLE_NAMES["ND30PageNumber"]]
    _page_field(paragraph)


def _twips_up(mm: float) -> Twips:
    return Twips(math.ceil(round(mm * 1440 / 25.4, 6)))


def _twips_down(mm: float) -> Twips:
    return Twips(math.floor(round(mm * 1440 / 25.4, 6)))


def _page_field(paragraph: Paragraph) -> None:
    """A complex PAGE field (begin / instruction / separate / cached result / end): Word and
    LibreOffice both update it on open and print."""

    def fld_char(kind: str) -> BaseOxmlElement:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    paragraph.add_run()._r.append(fld_char("begin"))
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    paragraph.add_run()._r.append(instruction)
    paragraph.add_run()._r.append(fld_char("separate"))
    paragraph.add_run("2")  # cached result; never shown on page 1
    paragraph.add_run()._r.append(fld_char("end"))


def _drop_python_docx_leftovers(doc: Document) -> None:
    """python-docx's blank document carries its own thumbnail (a python-docx logo shown by
    file managers) and Word 2010's stylesWithEffects copy of the styles; neither belongs in
    an agency's template."""
    package_rels = doc.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package_rels.pop(rel_id)
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.rels.pop(rel_id)


def _properties(doc: Document, title: str) -> None:
    props = doc.core_properties
    props.title = title
    props.subject = "Thể thức văn bản theo Nghị định 30/2020/NĐ-CP"
    props.author = "Thi đua"
    props.last_modified_by = "Thi đua"
    props.comments = "Mẫu docxtpl, tạo bởi tools/build_templates.py"
    props.keywords = ""
    props.category = ""
    props.language = layout.LANGUAGE
    props.revision = 1
    props.created = FIXED_TIME
    props.modified = FIXED_TIME


# --------------------------------------------------------------------------- helpers


def _para(container: Document | _Cell, text: str, style: str) -> Paragraph:
    """A paragraph in `container`, reusing a fresh cell's initial empty paragraph."""
    style = STYLE_NAMES.get(style, style)
    if isinstance(container, _Cell):
        paragraphs = container.paragraphs
        if len(paragraphs) == 1 and not paragraphs[0].text and not paragraphs[0].runs:
            paragraph = paragraphs[0]
            paragraph.style = style
            if text:
                paragraph.add_run(text)
            return paragraph
    return container.add_paragraph(text, style=style)


def _mixed(container: Document | _Cell, style: str, runs: Sequence[tuple[str, bool]]) -> None:
    """A paragraph whose runs differ only in bold ("Điều 1." bold, its text regular)."""
    paragraph = _para(container, "", style)
    for text, bold in runs:
        paragraph.add_run(text).bold = bold


def _rule(container: Document | _Cell, content_width_mm: float, rule_mm: float) -> None:
    """An empty paragraph whose bottom border is the rule, centred by equal indents."""
    paragraph = _para(container, "", "ND30Rule")
    indent = Mm(max(content_width_mm - rule_mm, 0) / 2)
    paragraph.paragraph_format.left_indent = indent
    paragraph.paragraph_format.right_indent = indent
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(layout.RULE_WIDTH_EIGHTHS_PT))
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    ppr = paragraph._p.get_or_add_pPr()
    # Schema order inside w:pPr: pStyle, keepNext, …, pBdr, shd, tabs, …, spacing, ind, jc.
    anchor = ppr.find(qn("w:pStyle"))
    if anchor is not None:
        anchor.addnext(borders)
    else:
        ppr.insert(0, borders)


def _table(
    doc: Document,
    rows: int,
    widths_mm: Sequence[float],
    *,
    borders: bool,
    padding_mm: float = layout.HEADER_CELL_PADDING_MM,
) -> Table:
    """A fixed-layout table with explicit widths on the table, each grid column and each
    cell (LibreOffice needs the cells'), and explicit borders (all or none) rather than a
    named table style a clerk's Word might not have."""
    # Round every column down so the table never exceeds the text block by a twip.
    widths = [_twips_down(mm) for mm in widths_mm]
    table = doc.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr

    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(sum(w.twips for w in widths)))
    width.set(qn("w:type"), "dxa")
    old = tbl_pr.find(qn("w:tblW"))
    if old is not None:
        tbl_pr.remove(old)
    _insert_tbl_pr(tbl_pr, width)

    edges = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        if borders:
            element.set(qn("w:val"), "single")
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        else:
            element.set(qn("w:val"), "nil")
        edges.append(element)
    _insert_tbl_pr(tbl_pr, edges)

    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(Mm(padding_mm).twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    _insert_tbl_pr(tbl_pr, margins)

    for column, column_width in zip(table.columns, widths, strict=True):
        column.width = column_width
    for row in table.rows:
        for cell, column_width in zip(row.cells, widths, strict=True):
            cell.width = column_width
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    return table


# Schema order of w:tblPr children (CT_TblPr); python-docx does not order what we append.
_TBL_PR_ORDER = [
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
]


def _insert_tbl_pr(tbl_pr: BaseOxmlElement, child: BaseOxmlElement) -> None:
    name = child.tag.split("}")[1]
    rank = _TBL_PR_ORDER.index(name)
    for index, existing in enumerate(tbl_pr):
        other = existing.tag.split("}")[1]
        if other in _TBL_PR_ORDER and _TBL_PR_ORDER.index(other) > rank:
            tbl_pr.insert(index, child)
            return
    tbl_pr.append(child)


def _content_mm(cell_mm: float) -> float:
    return cell_mm - 2 * layout.HEADER_CELL_PADDING_MM


# --------------------------------------------------------------------------- blocks


def _header(doc: Document, *, number_optional: bool = False, place_date: bool = True) -> None:
    """ô 1–4: issuing bodies and number (left), national title and place/date (right).

    Two rows so "Số: …" and the place/date line share a baseline, as Mục II.4 requires
    ("trình bày trên cùng một dòng với số, ký hiệu văn bản").

    `number_optional`: the whole "Số: …" line is left out when `number_symbol` is empty (an
    unnumbered covenant). The tags stay inside the paragraph, which remains as an empty
    line: a table cell must keep a paragraph, and the row keeps its height, so the title
    below does not move up against the header. `place_date=False`: no place/date line
    (Biên bản, Phụ lục III Mẫu 1.9).
    """
    left_mm, right_mm = layout.HEADER_LEFT_MM, layout.HEADER_RIGHT_MM
    table = _table(doc, 2, [left_mm, right_mm], borders=False)
    (left, right), (number, place) = (row.cells for row in table.rows)

    # A ministry-level issuer has no governing body: the line then disappears.
    _para(left, "{%p if governing_body %}", "ND30GoverningBody")
    governing = _para(left, "{{ governing_body }}", "ND30GoverningBody")
    _para(left, "{%p endif %}", "ND30GoverningBody")
    issuer = _para(left, "{{ issuer_name }}", "ND30Issuer")
    # Both names wrap inside a narrower, centred measure (layout.py says why).
    for paragraph, measure in (
        (governing, layout.GOVERNING_BODY_TEXT_MM),
        (issuer, layout.ISSUER_TEXT_MM),
    ):
        indent = Mm(max(_content_mm(left_mm) - measure, 0) / 2)
        paragraph.paragraph_format.left_indent = indent
        paragraph.paragraph_format.right_indent = indent
    _rule(left, _content_mm(left_mm), layout.ISSUER_RULE_MM)

    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ND30NationalTitle")
    _para(right, "Độc lập - Tự do - Hạnh phúc", "ND30Motto")
    _rule(right, _content_mm(right_mm), layout.MOTTO_RULE_MM)

    if number_optional:
        _para(number, "{% if number_symbol %}Số: {{ number_symbol }}{% endif %}", "ND30Number")
    else:
        _para(number, "Số: {{ number_symbol }}", "ND30Number")
    _para(place, "{{ place_date }}" if place_date else "", "ND30PlaceDate")


def _title(doc: Document, type_name: str) -> None:
    """ô 5a: type name and summary, with the summary's rule."""
    _para(doc, type_name, "ND30TypeName")
    _para(doc, "{{ summary }}", "ND30Summary")
    _rule(doc, layout.PAGE.text_width_mm, layout.SUMMARY_RULE_MM)
    # Without space below, the rule touched the ascenders of a first căn cứ that follows
    # directly (the plan; the decision's authority line has its own space before).
    doc.paragraphs[-1].paragraph_format.space_after = Pt(6)


def _loop(doc: Document | _Cell, item: str, items: str, text: str, style: str) -> None:
    _para(doc, f"{{%p for {item} in {items} %}}", style)
    _para(doc, text, style)
    _para(doc, "{%p endfor %}", style)


def _optional(doc: Document | _Cell, name: str, style: str) -> None:
    _para(doc, f"{{%p if {name} %}}", style)
    _para(doc, f"{{{{ {name} }}}}", style)
    _para(doc, "{%p endif %}", style)


def _signature(doc: Document) -> None:
    """ô 9b (left) and 7a–7c (right), "Nơi nhận:" level with the first signer line.

    A visible empty line above the table separates it from the body; spacing inside the
    cells would have to know whether the optional KT./TM. line is there.
    """
    _para(doc, "", "Normal")
    table = _table(doc, 1, [layout.SIGNATURE_LEFT_MM, layout.SIGNATURE_RIGHT_MM], borders=False)
    # The signer's title, signature and name stay on one page (the review found the name
    # alone at the top of a second page).
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    recipients, signer = table.rows[0].cells
    _para(recipients, "Nơi nhận:", "ND30RecipientsLabel")
    _loop(recipients, "line", "recipients", "{{ line }}", "ND30Recipients")

    # KT./TM./TL./TUQ./Q. line, only when the signer signs for someone (Mục II.7).
    _para(signer, "{%p if signer.authority %}", "ND30SignerTitle")
    _para(signer, "{{ signer.authority }}", "ND30SignerTitle")
    _para(signer, "{%p endif %}", "ND30SignerTitle")
    _para(signer, "{{ signer.title }}", "ND30SignerTitle")
    for _ in range(layout.SIGNATURE_GAP_LINES):
        _para(signer, "", "ND30SignerTitle")
    _para(signer, "{{ signer.name }}", "ND30SignerName")


def _verification(doc: Document) -> None:
    """Below Nơi nhận and the signature, outside the ND 30 layout: the verification code
    and its QR image, only in an issued document (a draft has no code, and the paragraphs
    drop out)."""
    _para(doc, "{%p if verification_code is defined and verification_code %}", "ND30Recipients")
    line = _para(
        doc,
        "{{ verification_qr }} Mã xác thực: {{ verification_code }} — kiểm tra tại "
        "{{ verification_url }}",
        "ND30Recipients",
    )
    line.runs[0].font.size = Pt(9)  # a note for the reader, smaller than Nơi nhận (11 pt)
    _para(doc, "{%p endif %}", "ND30Recipients")


def _finish(doc: Document) -> None:
    # Word expects a paragraph after a table that ends the body; keep it tiny.
    _para(doc, "", "ND30Rule")


# --------------------------------------------------------------------------- templates


def build_ke_hoach() -> Document:
    """Kế hoạch (Phụ lục III, Mẫu 1.4 "văn bản có tên loại"), laid out on the structure of
    the seed plan 3887/KH-SVHTTDL: căn cứ, an introduction, I. purposes, II. content groups
    with their criteria, III. implementation, a closing paragraph."""
    doc = _base("Kế hoạch")
    _header(doc)
    _title(doc, "KẾ HOẠCH")
    _loop(doc, "basis", "legal_bases", "{{ basis }}", "ND30LegalBasis")
    _optional(doc, "intro", "ND30Body")
    _para(doc, "I. MỤC ĐÍCH, YÊU CẦU", "ND30Heading")
    _loop(doc, "text", "purposes", "{{ text }}", "ND30Body")
    _para(doc, "II. NỘI DUNG PHONG TRÀO THI ĐUA", "ND30Heading")
    _para(doc, "{%p for group in groups %}", "ND30Heading")
    _para(doc, "{{ group.heading }}", "ND30Heading")
    _loop(doc, "text", "group.criteria", "{{ text }}", "ND30Body")
    _para(doc, "{%p endfor %}", "ND30Heading")
    _para(doc, "III. TỔ CHỨC THỰC HIỆN", "ND30Heading")
    _loop(doc, "text", "implementation", "{{ text }}", "ND30Body")
    _optional(doc, "closing", "ND30Body")
    _signature(doc)
    _verification(doc)
    _finish(doc)
    return doc


# Điều 1's table: STT, block, leader, deputy, members (mm; sums to the 165 mm text width).
# "STT" in 13 pt bold is 8.7 mm plus 3.8 mm of cell padding: at 12 mm it broke as "ST" / "T"
# in the review PNG, so the column gets 14 mm, taken from the members' column.
BLOCK_TABLE_MM = [14.0, 30.0, 35.0, 35.0, 51.0]


def build_quyet_dinh_phan_cong_khoi() -> Document:
    """Quyết định phân công Khối trưởng, Khối phó (Phụ lục III, Mẫu 1.2 "quy định trực
    tiếp"): the authority line, căn cứ, "Theo đề nghị của …", "QUYẾT ĐỊNH:", Điều 1 with the
    table of blocks, then the remaining articles."""
    doc = _base("Quyết định phân công Khối trưởng, Khối phó")
    _header(doc)
    _title(doc, "QUYẾT ĐỊNH")
    _para(doc, "{{ authority }}", "ND30Authority")
    _loop(doc, "basis", "legal_bases", "{{ basis }}", "ND30LegalBasis")
    _optional(doc, "proposal", "ND30LegalBasis")
    _para(doc, "QUYẾT ĐỊNH:", "ND30Decides")
    _mixed(doc, "ND30Body", [("Điều 1.", True), (" {{ article1 }}", False)])

    # Word's own default cell padding (1.9 mm) so text keeps clear of the drawn borders.
    table = _table(doc, 4, BLOCK_TABLE_MM, borders=True, padding_mm=1.9)
    heads = ["STT", "Khối thi đua", "Khối trưởng", "Khối phó", "Đơn vị thành viên"]
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        _para(cell, text, "ND30TableHead")
    # The table header repeats if the table breaks across pages.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))
    _para(table.rows[1].cells[0], "{%tr for block in blocks %}", "ND30TableText")
    data = table.rows[2].cells
    _para(data[0], "{{ block.number }}", "ND30TableCentre")
    _para(data[1], "{{ block.name }}", "ND30TableText")
    _para(data[2], "{{ block.leader }}", "ND30TableText")
    _para(data[3], "{{ block.deputy }}", "ND30TableText")
    _loop(data[4], "member", "block.members", "{{ member }}", "ND30TableText")
    _para(table.rows[3].cells[0], "{%tr endfor %}", "ND30TableText")
    for row in table.rows[1:]:
        for cell in row.cells:
            if not cell.paragraphs[0].text:
                cell.paragraphs[0].style = STYLE_NAMES["ND30TableText"]

    _para(doc, "", "ND30Rule")  # space between the table and Điều 2
    _para(doc, "{%p for article in articles %}", "ND30Body")
    _mixed(doc, "ND30Body", [("{{ article.label }}", True), (" {{ article.text }}", False)])
    _para(doc, "{%p endfor %}", "ND30Body")
    _signature(doc)
    _verification(doc)
    _finish(doc)
    return doc


# --------------------------------------------------------------------------- the yearly cycle
#
# The covenant, the block's report and minutes, the proposal and the award decision. They
# share the blocks above and the table helpers below; each table has a header row that
# repeats on every page it spans, and rows that are one record (a unit signing, a ballot
# line) are kept whole across a page break.

# Word's own default cell padding (1.9 mm) inside bordered tables, as the block table has.
TABLE_PADDING_MM = 1.9


def _repeat_header(row: _Row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _keep_row_whole(row: _Row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _cells(cell: _Cell, text: str, style: str) -> None:
    """One paragraph per line of `text` in `cell`."""
    for line in text.split("\n"):
        _para(cell, line, style)


def _head_row(table: Table, heads: Sequence[str]) -> None:
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        _cells(cell, text, "ND30TableHead")
    _repeat_header(table.rows[0])


def _tidy_empty_cells(table: Table) -> None:
    """Cells holding only a {%tr %} tag's row keep a table-text style, not Normal's 14 pt."""
    for row in table.rows[1:]:
        for cell in row.cells:
            if not cell.paragraphs[0].text:
                cell.paragraphs[0].style = STYLE_NAMES["ND30TableText"]


def _list_table(
    doc: Document,
    widths_mm: Sequence[float],
    heads: Sequence[str],
    loop: str,
    cells: Sequence[tuple[str, str]],
) -> Table:
    """A bordered table: a repeating header row and one row per item of `loop` ("x in xs"),
    each cell given as (text, style); a text with newlines becomes several paragraphs."""
    table = _table(doc, 4, widths_mm, borders=True, padding_mm=TABLE_PADDING_MM)
    _head_row(table, heads)
    _para(table.rows[1].cells[0], f"{{%tr for {loop} %}}", "ND30TableText")
    for cell, (text, style) in zip(table.rows[2].cells, cells, strict=True):
        _cells(cell, text, style)
    _keep_row_whole(table.rows[2])
    _para(table.rows[3].cells[0], "{%tr endfor %}", "ND30TableText")
    _tidy_empty_cells(table)
    return table


def _grouped_table(
    doc: Document,
    widths_mm: Sequence[float],
    heads: Sequence[str],
    group_loop: str,
    group_text: str,
    row_loop: str,
    cells: Sequence[tuple[str, str]],
) -> Table:
    """A bordered table whose rows come in groups, each group opened by a bold row spanning
    the table (a content group of the covenant, "I. TẬP THỂ" of an award list)."""
    table = _table(doc, 7, widths_mm, borders=True, padding_mm=TABLE_PADDING_MM)
    _head_row(table, heads)
    rows = table.rows
    _para(rows[1].cells[0], f"{{%tr for {group_loop} %}}", "ND30TableText")
    heading = rows[2].cells[0].merge(rows[2].cells[-1])
    _mixed(heading, "ND30TableText", [(group_text, True)])
    _para(rows[3].cells[0], f"{{%tr for {row_loop} %}}", "ND30TableText")
    for cell, (text, style) in zip(rows[4].cells, cells, strict=True):
        _cells(cell, text, style)
    _keep_row_whole(rows[4])
    _para(rows[5].cells[0], "{%tr endfor %}", "ND30TableText")
    _para(rows[6].cells[0], "{%tr endfor %}", "ND30TableText")
    _tidy_empty_cells(table)
    return table


def _addressees(doc: Document) -> None:
    """ô 9a: "Kính gửi:" with the addressees beside it, one per line under the colon when
    there are several (Mục II.9.a). A borderless two-cell table keeps the dashes aligned
    under the colon in Word and LibreOffice alike, which tab stops inside a hanging indent
    do not."""
    table = _table(doc, 1, ADDRESSEE_MM, borders=False)
    label, names = table.rows[0].cells
    _para(label, "Kính gửi:", "ND30AddresseeLabel")
    _loop(names, "line", "addressees", "{{ line }}", "ND30Addressee")
    _para(doc, "", "ND30Rule")  # space before the text that follows


# "Kính gửi:" at 14 pt is 21 mm wide; the list gets the rest of a centred 150 mm block.
ADDRESSEE_MM = (30.0, 120.0)


def _signer_cell(cell: _Cell, title: str, name: str, authority: str = "") -> None:
    if authority:
        _para(cell, f"{{%p if {authority} %}}", "ND30SignerTitle")
        _para(cell, f"{{{{ {authority} }}}}", "ND30SignerTitle")
        _para(cell, "{%p endif %}", "ND30SignerTitle")
    _para(cell, title, "ND30SignerTitle")
    for _ in range(layout.SIGNATURE_GAP_LINES):
        _para(cell, "", "ND30SignerTitle")
    _para(cell, name, "ND30SignerName")


def _recipients(container: Document | _Cell) -> None:
    _para(container, "Nơi nhận:", "ND30RecipientsLabel")
    _loop(container, "line", "recipients", "{{ line }}", "ND30Recipients")


def _annex_section(doc: Document) -> None:
    """The annex starts a section of its own, on a new page, whose page numbers start again
    at 1 ("Số trang của Phụ lục được đánh số riêng theo từng Phụ lục", Mục III.1.đ) and,
    like the document's, show from its second page. The decision's section ends in an empty
    paragraph carrying a copy of the page set-up and header references (a section without
    them would have no header in Word); the annex's section is the body's own."""
    final = doc.element.body.sectPr
    paragraph = _para(doc, "", "ND30Rule")
    paragraph._p.get_or_add_pPr().append(copy.deepcopy(final))
    restart = OxmlElement("w:pgNumType")
    restart.set(qn("w:start"), "1")
    # Schema order in w:sectPr: … pgSz, pgMar, paperSrc, pgBorders, lnNumType, pgNumType, cols …
    final.find(qn("w:pgMar")).addnext(restart)


# Covenant tables (mm, each summing to the 165 mm text block).
COVENANT_ITEMS_MM = [16.0, 99.0, 50.0]  # code, criterion, target
COVENANT_SIGNATURES_MM = [14.0, 55.0, 53.0, 43.0]  # STT, unit, head, signature


def build_giao_uoc() -> Document:
    """Giao ước thi đua of a block (documents.md §2.1, domain.md §8.1): not an ND 30 type,
    so laid out like a "văn bản có tên loại" (Mẫu 1.4): the block as issuer under the
    agency, unnumbered by default, căn cứ, I. members, II. content groups with each
    criterion's target, III. commitments, then one signature slot per member unit and the
    leader signing for the block. The text fingerprint at the end ties a signed copy to the
    revision it was made from."""
    doc = _base("Giao ước thi đua")
    _header(doc, number_optional=True)
    _title(doc, "GIAO ƯỚC THI ĐUA")
    _loop(doc, "basis", "legal_bases", "{{ basis }}", "ND30LegalBasis")
    _para(doc, "{{ intro }}", "ND30Body")
    _para(doc, "I. CÁC ĐƠN VỊ THÀNH VIÊN", "ND30Heading")
    _loop(doc, "member", "members", "{{ member }}", "ND30Body")
    _para(doc, "II. NỘI DUNG VÀ CHỈ TIÊU THI ĐUA", "ND30Heading")
    _grouped_table(
        doc,
        COVENANT_ITEMS_MM,
        ["Mã", "Nội dung thi đua", "Chỉ tiêu"],
        "group in groups",
        "{{ group.heading }}",
        "item in group.criteria",
        [
            ("{{ item.code }}", "ND30TableCentre"),
            ("{{ item.text }}", "ND30TableText"),
            ("{{ item.target }}", "ND30TableText"),
        ],
    )
    _para(doc, "", "ND30Rule")
    _para(doc, "{%p if commitments %}", "ND30Heading")
    _para(doc, "III. CAM KẾT", "ND30Heading")
    _loop(doc, "text", "commitments", "{{ text }}", "ND30Body")
    _para(doc, "{%p endif %}", "ND30Heading")
    _para(doc, "{{ closing }}", "ND30Body")
    _para(doc, "ĐẠI DIỆN CÁC ĐƠN VỊ THÀNH VIÊN KÝ KẾT", "ND30Decides")
    table = _list_table(
        doc,
        COVENANT_SIGNATURES_MM,
        ["STT", "Đơn vị", "Thủ trưởng đơn vị", "Ký tên"],
        "party in signatories",
        [
            ("{{ party.number }}", "ND30TableCentre"),
            ("{{ party.unit }}", "ND30TableText"),
            ("{{ party.title }}\n{{ party.name }}", "ND30TableText"),
            ("{{ party.note }}", "ND30Note"),
        ],
    )
    row = table.rows[2]
    row.height = Mm(layout.COVENANT_SIGNATURE_ROW_MM)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    _signature(doc)
    _para(doc, "", "ND30Note")
    _para(
        doc,
        "Mã nội dung: {{ text_fingerprint }} (bản sửa đổi {{ revision }})",
        "ND30Note",
    )
    _finish(doc)
    return doc


# Report: STT, unit, score, classification, rank.
# "Hoàn thành xuất sắc" and "Xếp hạng" (13 pt) each fit their column on one line.
REPORT_TABLE_MM = [14.0, 60.0, 20.0, 48.0, 23.0]


def build_bao_cao() -> Document:
    """Báo cáo tổng kết công tác thi đua of a block (Mẫu 1.4 with "Kính gửi", Mục II.9):
    I. results per content group, II. the members' scores and ranks, III. proposals."""
    doc = _base("Báo cáo tổng kết công tác thi đua")
    _header(doc)
    _title(doc, "BÁO CÁO")
    _addressees(doc)
    _optional(doc, "intro", "ND30Body")
    _para(doc, "I. KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG THI ĐUA", "ND30Heading")
    _para(doc, "{%p for group in groups %}", "ND30Heading")
    _para(doc, "{{ group.heading }}", "ND30Heading")
    _loop(doc, "text", "group.results", "{{ text }}", "ND30Body")
    _para(doc, "{%p endfor %}", "ND30Heading")
    _para(doc, "II. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG CÁC ĐƠN VỊ THÀNH VIÊN", "ND30Heading")
    _optional(doc, "ranking_note", "ND30Body")
    _list_table(
        doc,
        REPORT_TABLE_MM,
        ["STT", "Đơn vị", "Điểm", "Xếp loại", "Xếp hạng"],
        "unit in units",
        [
            ("{{ unit.number }}", "ND30TableCentre"),
            ("{{ unit.name }}", "ND30TableText"),
            ("{{ unit.score }}", "ND30TableCentre"),
            ("{{ unit.classification }}", "ND30TableCentre"),
            ("{{ unit.rank }}", "ND30TableCentre"),
        ],
    )
    _para(doc, "", "ND30Rule")
    _para(doc, "III. ĐỀ XUẤT, KIẾN NGHỊ", "ND30Heading")
    _loop(doc, "text", "proposals", "{{ text }}", "ND30Body")
    _optional(doc, "closing", "ND30Body")
    _signature(doc)
    _verification(doc)
    _finish(doc)
    return doc


# Ballot result: STT, unit, votes, percent.
BALLOT_TABLE_MM = [14.0, 91.0, 30.0, 30.0]


def _labelled(doc: Document, label: str, field: str) -> None:
    _mixed(doc, "ND30Body", [(label, True), (f" {{{{ {field} }}}}", False)])


def build_bien_ban() -> Document:
    """Biên bản họp bình xét of a block (Phụ lục III, Mẫu 1.9): numbered, no place/date
    line in the header; time, place, chair, secretary, attendance; the meeting's course;
    the ballot result the law requires in the minutes (ND 152/2025 Art. 33(5)); the
    conclusion and the closing time; THƯ KÝ and CHỦ TRÌ sign side by side, and the "Nơi
    nhận" sits under them on the left, as in Mẫu 1.9."""
    doc = _base("Biên bản họp bình xét thi đua")
    _header(doc, place_date=False)
    _title(doc, "BIÊN BẢN")
    _labelled(doc, "Thời gian bắt đầu:", "started")
    _labelled(doc, "Địa điểm:", "venue")
    _labelled(doc, "Chủ trì:", "chair.line")
    _labelled(doc, "Thư ký:", "secretary.line")
    _labelled(doc, "Thành phần tham dự:", "attendance")
    _loop(doc, "line", "attendees", "{{ line }}", "ND30Body")
    _para(doc, "NỘI DUNG", "ND30Decides")
    _para(doc, "I. CHƯƠNG TRÌNH CUỘC HỌP", "ND30Heading")
    _loop(doc, "text", "agenda", "{{ text }}", "ND30Body")
    _para(doc, "II. DIỄN BIẾN CUỘC HỌP", "ND30Heading")
    _loop(doc, "text", "discussion", "{{ text }}", "ND30Body")
    _para(doc, "III. KẾT QUẢ BỎ PHIẾU", "ND30Heading")
    _para(doc, "{{ ballot_summary }}", "ND30Body")
    _list_table(
        doc,
        BALLOT_TABLE_MM,
        ["STT", "Đơn vị", "Số phiếu đồng ý", "Tỷ lệ (%)"],
        "line in ballot",
        [
            ("{{ line.number }}", "ND30TableCentre"),
            ("{{ line.unit }}", "ND30TableText"),
            ("{{ line.votes }}", "ND30TableCentre"),
            ("{{ line.percent }}", "ND30TableCentre"),
        ],
    )
    _para(doc, "", "ND30Rule")
    _para(doc, "IV. KẾT LUẬN", "ND30Heading")
    _loop(doc, "text", "conclusion", "{{ text }}", "ND30Body")
    _para(doc, "{{ ended }}", "ND30Body")

    _two_signers_and_close(doc, ("THƯ KÝ", "{{ secretary.name }}"), ("CHỦ TRÌ", "{{ chair.name }}"))
    return doc


def _two_signers_and_close(doc: Document, left: tuple[str, str], right: tuple[str, str]) -> None:
    """Minutes are signed side by side (Mẫu 1.9), then the recipients, the verification
    code and the page setup, as every document ends."""
    _para(doc, "", "Normal")
    table = _table(doc, 1, layout.MINUTES_SIGNATURE_MM, borders=False)
    left_cell, right_cell = table.rows[0].cells
    _signer_cell(left_cell, *left)
    _signer_cell(right_cell, *right)
    _keep_row_whole(table.rows[0])
    _para(doc, "", "Normal")
    _recipients(doc)
    _verification(doc)
    _finish(doc)


# Tally: STT, candidate, votes, percent of the threshold's base, result.
TALLY_TABLE_MM = [14.0, 76.0, 25.0, 22.0, 28.0]


def build_bien_ban_kiem_phieu() -> Document:
    """Biên bản kiểm phiếu of one vote (one round): no statutory form exists (documents.md
    §2.3), so it follows the minutes (Mẫu 1.9: numbered, no place/date line) and the
    practice of kiểm-phiếu minutes: who counted (ban kiểm phiếu), how (paper, or the
    electronic ballots and the head of their hash chain), ballots issued, received, valid
    and invalid, the threshold and its base, the count per candidate and who passed, then
    the conclusion. The counting board's head and member sign side by side."""
    doc = _base("Biên bản kiểm phiếu")
    _header(doc, place_date=False)
    _title(doc, "BIÊN BẢN")
    _labelled(doc, "Thời gian:", "counted")
    _labelled(doc, "Địa điểm:", "venue")
    _labelled(doc, "Cuộc họp:", "meeting")
    _labelled(doc, "Nội dung biểu quyết:", "subject")
    _para(doc, "Ban kiểm phiếu gồm:", "ND30Body")
    _loop(doc, "line", "board", "{{ line }}", "ND30Body")
    _para(doc, "I. HÌNH THỨC VÀ SỐ PHIẾU", "ND30Heading")
    _para(doc, "{{ method }}", "ND30Body")
    _loop(doc, "line", "counts", "{{ line }}", "ND30Body")
    _para(doc, "II. KẾT QUẢ KIỂM PHIẾU", "ND30Heading")
    _para(doc, "{{ threshold }}", "ND30Body")
    _list_table(
        doc,
        TALLY_TABLE_MM,
        ["STT", "Đơn vị, cá nhân", "Số phiếu đồng ý", "Tỷ lệ (%)", "Kết quả"],
        "row in tally",
        [
            ("{{ row.number }}", "ND30TableCentre"),
            ("{{ row.name }}", "ND30TableText"),
            ("{{ row.votes }}", "ND30TableCentre"),
            ("{{ row.percent }}", "ND30TableCentre"),
            ("{{ row.result }}", "ND30TableCentre"),
        ],
    )
    _para(doc, "", "ND30Rule")
    _para(doc, "III. KẾT LUẬN", "ND30Heading")
    _loop(doc, "text", "conclusion", "{{ text }}", "ND30Body")
    _optional(doc, "differs", "ND30Body")
    _para(doc, "{{ ended }}", "ND30Body")

    _two_signers_and_close(
        doc,
        ("THÀNH VIÊN BAN KIỂM PHIẾU", "{{ member.name }}"),
        ("TRƯỞNG BAN KIỂM PHIẾU", "{{ head.name }}"),
    )
    return doc


# Proposal list: STT, name, title or form proposed.
PROPOSAL_TABLE_MM = [14.0, 91.0, 60.0]


def build_to_trinh() -> Document:
    """Tờ trình đề nghị khen thưởng (Mẫu 1.4 with "Kính gửi", Mục II.9): căn cứ, the
    request, the list of proposed units and individuals, the attached dossier; Nơi nhận
    starts "Như trên"."""
    doc = _base("Tờ trình đề nghị khen thưởng")
    _header(doc)
    _title(doc, "TỜ TRÌNH")
    _addressees(doc)
    _loop(doc, "basis", "legal_bases", "{{ basis }}", "ND30LegalBasis")
    _loop(doc, "text", "request", "{{ text }}", "ND30Body")
    _list_table(
        doc,
        PROPOSAL_TABLE_MM,
        ["STT", "Tên tập thể, cá nhân", "Danh hiệu, hình thức khen thưởng đề nghị"],
        "nominee in nominees",
        [
            ("{{ nominee.number }}", "ND30TableCentre"),
            ("{{ nominee.name }}", "ND30TableText"),
            ("{{ nominee.award }}", "ND30TableText"),
        ],
    )
    _para(doc, "", "ND30Rule")
    _loop(doc, "text", "closing", "{{ text }}", "ND30Body")
    _signature(doc)
    _verification(doc)
    _finish(doc)
    return doc


# Annex list: STT, name, unit or position, title or form.
AWARD_TABLE_MM = [14.0, 55.0, 56.0, 40.0]


def build_quyet_dinh_khen_thuong() -> Document:
    """Quyết định khen thưởng (Mẫu 1.2) with its list as an annex in the same file (Mục
    III.1, documents.md §2.5): Điều 1 awards the list "kèm theo", Điều 2 the bonus, Điều 3
    execution; the list starts on a new page with its own title, the "(Kèm theo Quyết định
    số … ngày … của …)" line and a table whose header repeats on every page."""
    doc = _base("Quyết định khen thưởng")
    _header(doc)
    _title(doc, "QUYẾT ĐỊNH")
    _para(doc, "{{ authority }}", "ND30Authority")
    _loop(doc, "basis", "legal_bases", "{{ basis }}", "ND30LegalBasis")
    _optional(doc, "proposal", "ND30LegalBasis")
    _para(doc, "QUYẾT ĐỊNH:", "ND30Decides")
    _para(doc, "{%p for article in articles %}", "ND30Body")
    _mixed(doc, "ND30Body", [("{{ article.label }}", True), (" {{ article.text }}", False)])
    _para(doc, "{%p endfor %}", "ND30Body")
    _signature(doc)
    _verification(doc)

    _annex_section(doc)
    _para(doc, "{{ annex.title }}", "ND30AnnexTitle")
    _para(doc, "{{ annex.reference }}", "ND30AnnexReference")
    _rule(doc, layout.PAGE.text_width_mm, layout.SUMMARY_RULE_MM)
    doc.paragraphs[-1].paragraph_format.space_after = Pt(6)
    _grouped_table(
        doc,
        AWARD_TABLE_MM,
        ["STT", "Tên tập thể, họ và tên", "Đơn vị, chức vụ", "Danh hiệu, hình thức"],
        "section in annex.sections",
        "{{ section.heading }}",
        "award in section.awards",
        [
            ("{{ award.number }}", "ND30TableCentre"),
            ("{{ award.name }}", "ND30TableText"),
            ("{{ award.detail }}", "ND30TableText"),
            ("{{ award.title }}", "ND30TableText"),
        ],
    )
    _finish(doc)
    return doc


TEMPLATES: dict[str, Callable[[], Document]] = {
    "ke_hoach.docx": build_ke_hoach,
    "quyet_dinh_phan_cong_khoi.docx": build_quyet_dinh_phan_cong_khoi,
    "giao_uoc.docx": build_giao_uoc,
    "bao_cao.docx": build_bao_cao,
    "bien_ban.docx": build_bien_ban,
    "bien_ban_kiem_phieu.docx": build_bien_ban_kiem_phieu,
    "to_trinh.docx": build_to_trinh,
    "quyet_dinh_khen_thuong.docx": build_quyet_dinh_khen_thuong,
}


def _base(title: str) -> Document:
    doc = new_document()
    _drop_python_docx_leftovers(doc)
    _document_defaults(doc)
    _add_styles(doc)
    _page(doc)
    _properties(doc, title)
    # python-docx's blank document has no body paragraph; nothing to remove.
    return doc


# --------------------------------------------------------------------------- output


def _preserve_spaces(doc: Document) -> None:
    """Mark every text node xml:space="preserve": a rendered blank number ("Số:      /KH-…")
    or a leading space before a Jinja tag must not be collapsed by Word."""
    parts = [doc.part] + [
        rel.target_part for rel in doc.part.rels.values() if rel.reltype in (RT.HEADER, RT.FOOTER)
    ]
    for part in parts:
        for text in part.element.iter(qn("w:t")):
            text.set(qn("xml:space"), "preserve")


def to_bytes(doc: Document) -> bytes:
    """Save with fixed zip entry times and attributes so equal documents give equal bytes."""
    _preserve_spaces(doc)
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(raw) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def all_templates() -> dict[str, Callable[[], Document]]:
    """The ND 30 templates, the certificate and an initiative's papers. Those builders live
    in their own modules, which import this one for the shared styles: they are looked up at
    call time."""
    from tools.build_certificate import TEMPLATES as CERTIFICATE_TEMPLATES
    from tools.build_initiative_templates import TEMPLATES as INITIATIVE_TEMPLATES

    return {**TEMPLATES, **CERTIFICATE_TEMPLATES, **INITIATIVE_TEMPLATES}


def build_all(out_dir: Path = TEMPLATES_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in all_templates().items():
        path = out_dir / name
        path.write_bytes(to_bytes(build()))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TEMPLATES_DIR, help="output folder")
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if the committed templates differ from a fresh build",
    )
    args = parser.parse_args(argv)
    if args.check:
        stale = [
            name
            for name, build in all_templates().items()
            if not (TEMPLATES_DIR / name).exists()
            or (TEMPLATES_DIR / name).read_bytes() != to_bytes(build())
        ]
        for name in stale:
            print(f"stale: {TEMPLATES_DIR / name}")
        return 1 if stale else 0
    for path in build_all(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
