"""Build the certificate's Word template, thidua/documents/docx_templates/giay_khen.docx:
`python -m tools.build_certificate` (``--check`` compares the committed file with a fresh
build); `python -m tools.build_templates` builds it with the ND 30 templates.

Every field is a Word frame at the x/y of certificate_layout.FIELDS, the table the renderer
(thidua/documents/certificate.py) reads too; the four margins are equal so a printer's
calibration offset moves every frame at render time without touching this file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from thidua.documents.certificate import set_margins, twips
from thidua.documents.certificate_layout import (
    BASE_MARGIN_MM,
    BLACK,
    FIELDS,
    MOTTO_RULE_BELOW_MM,
    MOTTO_RULE_MM,
    PAGE_HEIGHT_MM,
    PAGE_WIDTH_MM,
    TEMPLATE_NAME,
    Field,
)
from thidua.documents.rendering import TEMPLATES_DIR
from tools import build_templates as nd30


def _frame(paragraph: Paragraph, field: Field) -> None:
    """w:framePr: a frame `width` wide, height growing with its text, placed relative to the
    margins. Consecutive paragraphs with equal frame properties would merge into one frame,
    so no two fields share a position."""
    frame = OxmlElement("w:framePr")
    frame.set(qn("w:w"), str(twips(field.width_mm).twips))
    frame.set(qn("w:hRule"), "auto")
    frame.set(qn("w:wrap"), "around")
    # No distance from surrounding text: without it LibreOffice moved a frame holding only a
    # picture (the QR code) 3.2 mm right, Word's default distance for frames.
    frame.set(qn("w:hSpace"), "0")
    frame.set(qn("w:vSpace"), "0")
    frame.set(qn("w:hAnchor"), "margin")
    frame.set(qn("w:vAnchor"), "margin")
    frame.set(qn("w:x"), str(twips(field.x_mm - BASE_MARGIN_MM).twips))
    frame.set(qn("w:y"), str(twips(field.y_mm - BASE_MARGIN_MM).twips))
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
    set_margins(section, 0, 0)
    section.gutter = Mm(0)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def build_giay_khen() -> Document:
    doc = new_document()
    nd30._drop_python_docx_leftovers(doc)
    nd30._document_defaults(doc)
    _page(doc)
    nd30._properties(doc, "Giấy khen")
    doc.core_properties.subject = "Giấy khen in trên phôi (Điều 104 Nghị định 98/2023/NĐ-CP)"
    doc.core_properties.comments = "Mẫu docxtpl, tạo bởi tools/build_certificate.py"
    for field in FIELDS:
        _add_field(doc, field)
    # The body's last paragraph holds no frame: Word attaches the section to it.
    doc.add_paragraph().paragraph_format.line_spacing = Pt(1)
    return doc


TEMPLATES: dict[str, Callable[[], Document]] = {TEMPLATE_NAME: build_giay_khen}


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
