"""The certificate (Giấy khen), printed on pre-printed blanks or on plain paper.

Agencies buy blanks with the decorative border, the national emblem, the national title and
motto and the words "GIẤY KHEN" already printed; the system prints only what changes from
one awardee to the next, at fixed places on the sheet. So, unlike the ND 30 documents, whose
text flows, every field here is a Word frame (w:framePr) at a fixed x/y, taken from one
declarative table, certificate_layout.FIELDS, which the template's build script
(tools/build_certificate.py) reads too.

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
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Twips
from docxtpl import DocxTemplate, InlineImage

from thidua.documents.certificate_layout import (
    BASE_MARGIN_MM,
    MAX_OFFSET_MM,
    MODES,
    PREVIEW_BORDER_SPACE_PT,
    QR_WIDTH_MM,
    RED,
    TEMPLATE_NAME,
)
from thidua.documents.rendering import environment, plain, template_path


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


def twips(mm: float) -> Twips:
    return Twips(round(mm * 1440 / 25.4))


def set_margins(section: Section, dx_mm: float, dy_mm: float) -> None:
    section.left_margin = twips(BASE_MARGIN_MM + dx_mm)
    section.right_margin = twips(BASE_MARGIN_MM - dx_mm)
    section.top_margin = twips(BASE_MARGIN_MM + dy_mm)
    section.bottom_margin = twips(BASE_MARGIN_MM - dy_mm)


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
    set_margins(section, dx, dy)
    if mode == "full":
        _preview_border(section)
    data["print_fixed"] = mode == "full"
    if data.get("verification_code"):
        if not isinstance(qr, bytes):
            from thidua.documents.services.verification import qr_png, verification_url

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
