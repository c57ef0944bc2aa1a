"""Where the certificate (Giấy khen) prints each field: the declarative table FIELDS and
the page it sits on. Data read by both the renderer (documents/certificate.py) and the
template's build script (tools/build_certificate.py).

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
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.enum.text import WD_ALIGN_PARAGRAPH

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
