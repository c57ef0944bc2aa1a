"""The certificate (Giấy khen) printed on pre-printed blanks: every field at its place in
the DOCX and in the PDF, the pre-printed texts only in full mode, and a printer's offset
moving everything by exactly that much. Review PNGs of both modes go to review/documents/.

The PDFs (blank, full, blank with an offset) are made in one soffice run for the module.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tests.documents.docx_reading import REVIEW_DIR, TWIPS_PER_MM, DocxFile, W, normalise
from thidua.documents.certificate import certificate_sample, render_certificate
from thidua.documents.certificate_layout import (
    FIELD_BY_KEY,
    FIELDS,
    MAX_OFFSET_MM,
    QR_WIDTH_MM,
    TEMPLATE_NAME,
)
from thidua.documents.layout import FONT_SUBSTITUTES
from thidua.documents.pdf import docx_to_pdf_many
from thidua.documents.rendering import TEMPLATES_DIR
from tools import build_templates
from tools.build_certificate import TEMPLATES, build_giay_khen

PRE_PRINTED = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "GIẤY KHEN"]
# What the system prints on every certificate, from certificate_sample().
VARIABLE = [
    "GIÁM ĐỐC SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
    "TẶNG",
    "Bà Nguyễn Thị Hằng",
    "Trưởng phòng Quản lý Văn hóa và Gia đình",
    "dẫn đầu Khối thi đua số 1",
    "Số quyết định: 15/QĐ-SVHTTDL, ngày 12/01/2022",
    "Số sổ vàng: 07",
    "Cần Thơ, ngày 12 tháng 01 năm 2022",
    "GIÁM ĐỐC",
    "Nguyễn Khánh Tùng",
    "Mã xác thực: K7QX4M2P",
]
OFFSET = (7.5, -4.0)
# The longest texts the layout is made for: a two-line position and unit, a three-line
# achievement (about 250 characters).
LONG = {
    "recipient_detail": "Phó Trưởng phòng phụ trách Phòng Quản lý Văn hóa và Gia đình kiêm Giám "
    "đốc Trung tâm Văn hóa, Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ",
    "achievement": "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ chính trị năm 2021, dẫn "
    "đầu Khối thi đua số 1, góp phần tích cực vào phong trào thi đua “Văn hóa, thể thao và du "
    "lịch chung tay xây dựng thành phố Cần Thơ văn minh, hiện đại” và công tác phòng, chống "
    "dịch Covid-19 của Sở.",
}
MM_PER_PT = 25.4 / 72


# --------------------------------------------------------------------------- DOCX


def _frames(data: bytes) -> dict[str, tuple[float, float, float]]:
    """Field key → (x, y, width) in mm from the sheet's top-left corner: the frame's
    position plus the section margin it is anchored to, as Word and LibreOffice place it."""
    docx = DocxFile(data)
    margins = docx.section.find(f"{W}pgMar")
    left = int(margins.get(f"{W}left")) / TWIPS_PER_MM
    top = int(margins.get(f"{W}top")) / TWIPS_PER_MM
    by_style = {
        "GK" + "".join(part.title() for part in field.key.split("_")): field.key for field in FIELDS
    }
    frames = {}
    for p in docx.paragraphs():
        frame = p.find(f"{W}pPr/{W}framePr")
        if frame is None:
            continue
        style = p.find(f"{W}pPr/{W}pStyle").get(f"{W}val")
        assert frame.get(f"{W}hAnchor") == "margin"
        assert frame.get(f"{W}vAnchor") == "margin"
        x = left + int(frame.get(f"{W}x")) / TWIPS_PER_MM
        y = top + int(frame.get(f"{W}y")) / TWIPS_PER_MM
        width = int(frame.get(f"{W}w")) / TWIPS_PER_MM
        key = by_style[style]
        if key == "motto" and p.find(f"{W}pPr/{W}pBdr") is not None:
            key = "motto_rule"
        frames[key] = (x, y, width)
    return frames


def _text(data: bytes) -> str:
    return normalise(DocxFile(data).text())


def test_template_is_built_deterministically() -> None:
    """The committed template is what the builder makes, byte for byte, every time."""
    fresh = build_templates.to_bytes(build_giay_khen())
    assert fresh == build_templates.to_bytes(TEMPLATES[TEMPLATE_NAME]())
    assert (TEMPLATES_DIR / TEMPLATE_NAME).read_bytes() == fresh


def test_page_is_a4_landscape() -> None:
    size = DocxFile(render_certificate(certificate_sample())).section.find(f"{W}pgSz")
    assert size.get(f"{W}orient") == "landscape"
    assert round(int(size.get(f"{W}w")) / TWIPS_PER_MM) == 297
    assert round(int(size.get(f"{W}h")) / TWIPS_PER_MM) == 210


def test_blank_mode_prints_only_the_variable_fields() -> None:
    blank = _text(render_certificate(certificate_sample(), mode="blank"))
    full = _text(render_certificate(certificate_sample(), mode="full"))
    for text in PRE_PRINTED:
        assert text not in blank, f"pre-printed {text!r} printed again on the blank"
        assert text in full
    for text in VARIABLE:
        assert text in blank
        assert text in full
    assert "{{" not in full and "{%" not in full


def test_full_mode_draws_a_border_for_plain_paper() -> None:
    def borders(mode: str) -> Any:
        data = render_certificate(certificate_sample(), mode=mode)
        return DocxFile(data).section.find(f"{W}pgBorders")

    assert borders("blank") is None
    assert borders("full") is not None


def test_each_field_at_its_configured_position() -> None:
    frames = _frames(render_certificate(certificate_sample(), mode="full"))
    assert set(frames) == {field.key for field in FIELDS} | {"motto_rule"}
    for field in FIELDS:
        x, y, width = frames[field.key]
        assert x == pytest.approx(field.x_mm, abs=0.05), field.key
        assert y == pytest.approx(field.y_mm, abs=0.05), field.key
        assert width == pytest.approx(field.width_mm, abs=0.05), field.key
    # The rule under the motto is centred under it.
    motto = FIELD_BY_KEY["motto"]
    x, _, width = frames["motto_rule"]
    assert x + width / 2 == pytest.approx(motto.x_mm + motto.width_mm / 2, abs=0.05)


def test_caps_fields_are_upper_cased_whatever_is_typed() -> None:
    """Art. 104 wants lines (3)–(5) and the signer's title in capitals: the sample types them
    in sentence case, the certificate prints them in capitals, đ → Đ included."""
    for field in FIELDS:
        expressions = re.findall(r"{{(.*?)}}", field.text)
        if field.caps:
            assert all("|vn_upper" in e for e in expressions), field.key
    text = _text(render_certificate(certificate_sample(), mode="full"))
    assert "GIÁM ĐỐC SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH" in text
    assert "Giám đốc" not in text


@pytest.mark.parametrize("offset", [OFFSET, (-MAX_OFFSET_MM, MAX_OFFSET_MM), (0.3, 0)])
def test_offset_moves_every_field_by_exactly_that_much(offset: tuple[float, float]) -> None:
    plain = _frames(render_certificate(certificate_sample(), mode="full"))
    moved = _frames(render_certificate(certificate_sample(), mode="full", offset_mm=offset))
    one_twip = 1 / TWIPS_PER_MM
    for key, (x, y, width) in plain.items():
        mx, my, mwidth = moved[key]
        assert mx - x == pytest.approx(offset[0], abs=one_twip), key
        assert my - y == pytest.approx(offset[1], abs=one_twip), key
        assert mwidth == width


@pytest.mark.parametrize(
    "offset", [(MAX_OFFSET_MM + 0.1, 0), (0, -25), (float("nan"), 0), (1, 2, 3)]
)
def test_offset_beyond_the_bound_is_refused(offset: tuple[float, ...]) -> None:
    with pytest.raises(ValueError, match=r"between|dx, dy"):
        render_certificate(certificate_sample(), offset_mm=offset)


def test_offset_message_for_the_clerk() -> None:
    with pytest.raises(ValueError) as caught:
        render_certificate(certificate_sample(), offset_mm=(0, 30))
    assert str(caught.value) == "The printer offset must be between -20 and 20 mm."


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError):
        render_certificate(certificate_sample(), mode="preview")


def test_optional_lines_and_signing_on_behalf() -> None:
    """Without a verification code there is no QR code and no code line; without a register
    number no "Số sổ vàng"; a deputy signing for the director gets the KT. line above the
    title, both in capitals however they were typed."""
    context = certificate_sample()
    del context["verification_code"], context["verification_url"], context["register_number"]
    context["signer"] = {"authority": "KT. Giám đốc", "title": "Phó Giám đốc", "name": "Lê Văn A"}
    data = render_certificate(context)
    text = _text(data)
    assert "Mã xác thực" not in text and "Số sổ vàng" not in text
    assert not [name for name in DocxFile(data).zip.namelist() if name.startswith("word/media/")]
    signer = DocxFile(data).paragraph("KT. GIÁM ĐỐCPHÓ GIÁM ĐỐC")
    assert len(signer.findall(f".//{W}br")) == 1  # two lines in one field


def test_verification_qr_is_embedded() -> None:
    data = render_certificate(certificate_sample())
    media = [name for name in DocxFile(data).zip.namelist() if name.startswith("word/media/")]
    assert len(media) == 1
    assert DocxFile(data).zip.read(media[0]).startswith(b"\x89PNG")


def test_user_text_is_escaped() -> None:
    context = {**certificate_sample(), "recipient_name": "Tổ Văn hóa & Gia đình <1>"}
    data = render_certificate(context)
    etree.fromstring(DocxFile(data).zip.read("word/document.xml"))  # still well-formed
    assert "Tổ Văn hóa & Gia đình <1>" in _text(data)


# --------------------------------------------------------------------------- PDF


def _tool(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout


def _publish(source: Path, name: str) -> None:
    """Copy into review/documents/ atomically: with pytest-xdist, each worker running this
    module makes its own PDFs, and a half-written file must never be what a person opens."""
    partial = REVIEW_DIR / f".{name}.{os.getpid()}"
    shutil.copyfile(source, partial)
    os.replace(partial, REVIEW_DIR / name)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Blank, full and blank with OFFSET, in one soffice run; PNGs of the first two."""
    docs = {
        "giay-khen-blank": render_certificate(certificate_sample(), mode="blank"),
        "giay-khen-full": render_certificate(certificate_sample(), mode="full"),
        "giay-khen-offset": render_certificate(certificate_sample(), offset_mm=OFFSET),
        "giay-khen-long": render_certificate({**certificate_sample(), **LONG}),
    }
    work = tmp_path_factory.mktemp("certificate")
    REVIEW_DIR.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, result in zip(docs, docx_to_pdf_many(list(docs.values())), strict=True):
        assert isinstance(result, bytes), f"{name}: {result}"
        path = work / f"{name}.pdf"
        path.write_bytes(result)
        paths[name] = path
        _publish(path, path.name)
    for name in ("giay-khen-blank", "giay-khen-full"):
        _tool("pdftoppm", "-r", "80", "-png", str(paths[name]), str(work / name))
        _publish(work / f"{name}-1.png", f"{name}-1.png")
    return paths


def _words(pdf: Path) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax) in mm and the word, from pdftotext -bbox."""
    html = _tool("pdftotext", "-bbox", str(pdf), "-")
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<'
    return [
        (*(float(v) * MM_PER_PT for v in match[:4]), normalise(match[4]))
        for match in re.findall(pattern, html)
    ]


def _line_box(pdf: Path, first: str, last: str) -> tuple[float, float, float]:
    """(left, top, right) in mm of the line that starts with the word `first` and ends with
    `last`."""
    words = _words(pdf)
    for start in (w for w in words if w[4] == first):
        line = [w for w in words if abs(w[1] - start[1]) < 0.1 and w[0] >= start[0]]
        ends = [w for w in line if w[4] == last]
        if ends:
            return start[0], start[1], ends[0][2]
    raise AssertionError(f"no line {first} … {last} in {pdf.name}")


@pytest.mark.parametrize("name", ["giay-khen-blank", "giay-khen-full"])
def test_pdf_is_one_landscape_a4_page(pdfs: dict[str, Path], name: str) -> None:
    info = _tool("pdfinfo", str(pdfs[name]))
    assert re.search(r"Pages:\s+1\n", info), info
    assert re.search(r"Page size:\s+841\.\d+ x 595\.\d+ pts \(A4\)", info), info


@pytest.mark.parametrize("name", ["giay-khen-blank", "giay-khen-full"])
def test_pdf_embeds_times_metric_fonts(pdfs: dict[str, Path], name: str) -> None:
    rows = _tool("pdffonts", str(pdfs[name])).splitlines()[2:]
    allowed = tuple(family.replace(" ", "") for family in FONT_SUBSTITUTES)
    assert rows
    for row in rows:
        assert row.split()[0].split("+")[-1].startswith(allowed), row
        assert row.split()[-5] == "yes", row


def test_pdf_text_vietnamese_intact(pdfs: dict[str, Path]) -> None:
    blank = normalise(_tool("pdftotext", str(pdfs["giay-khen-blank"]), "-"))
    full = normalise(_tool("pdftotext", str(pdfs["giay-khen-full"]), "-"))
    # ơ ư ằ ẫ ệ Đ: letters a font without Vietnamese glyphs loses or decomposes.
    for word in ("Cần Thơ", "Trưởng phòng", "Hằng", "dẫn đầu", "nhiệm vụ", "Đã có"):
        assert word in blank
    assert "\ufffd" not in blank
    for text in VARIABLE:
        assert text in blank and text in full
    for text in PRE_PRINTED:
        assert text not in blank
        assert text in full


def test_pdf_recipient_name_where_configured(pdfs: dict[str, Path]) -> None:
    """The awardee's name, centred in its field, its top at the field's y (pdftotext's box
    starts at the font's ascent, which is where the line starts)."""
    field = FIELD_BY_KEY["recipient_name"]
    left, top, right = _line_box(pdfs["giay-khen-blank"], "Bà", "Hằng")
    assert (left + right) / 2 == pytest.approx(field.x_mm + field.width_mm / 2, abs=1.5)
    assert top == pytest.approx(field.y_mm, abs=1.5)


def test_pdf_offset_shifts_the_printed_text(pdfs: dict[str, Path]) -> None:
    left, top, right = _line_box(pdfs["giay-khen-blank"], "Bà", "Hằng")
    moved = _line_box(pdfs["giay-khen-offset"], "Bà", "Hằng")
    assert moved[0] - left == pytest.approx(OFFSET[0], abs=0.3)
    assert moved[1] - top == pytest.approx(OFFSET[1], abs=0.3)
    assert moved[2] - right == pytest.approx(OFFSET[0], abs=0.3)
    # The bottom-right signer moves with it: the offset is the whole sheet's.
    signer = _line_box(pdfs["giay-khen-blank"], "Nguyễn", "Tùng")
    signer_moved = _line_box(pdfs["giay-khen-offset"], "Nguyễn", "Tùng")
    assert signer_moved[0] - signer[0] == pytest.approx(OFFSET[0], abs=0.3)
    assert signer_moved[1] - signer[1] == pytest.approx(OFFSET[1], abs=0.3)


def _image_boxes(pdf: Path) -> list[tuple[float, float, float]]:
    """(left, top, width) in mm of every image drawn: the "w 0 0 h x y cm /Im Do" operators
    LibreOffice writes in the page's content stream (y counted from the bottom)."""
    boxes = []
    height_pt = 595.3
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf.read_bytes(), re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        for w, h, x, y in re.findall(
            rb"([\d.]+) 0 0 ([\d.]+) ([\d.]+) ([\d.]+) cm\s*/Im\d+ Do", content
        ):
            top = height_pt - float(y) - float(h)
            boxes.append((float(x) * MM_PER_PT, top * MM_PER_PT, float(w) * MM_PER_PT))
    return boxes


@pytest.mark.parametrize("name", ["giay-khen-blank", "giay-khen-full"])
def test_pdf_carries_the_qr_code(pdfs: dict[str, Path], name: str) -> None:
    images = _tool("pdfimages", "-list", str(pdfs[name])).splitlines()[2:]
    assert len(images) == 1
    # Exactly in its frame: an earlier version printed it 3.2 mm right, over the code's line.
    [(left, top, width)] = _image_boxes(pdfs[name])
    qr = FIELD_BY_KEY["verification_qr"]
    assert left == pytest.approx(qr.x_mm, abs=0.5)
    assert top == pytest.approx(qr.y_mm, abs=0.5)
    assert width == pytest.approx(QR_WIDTH_MM, abs=0.1)
    # Bottom-left corner, under the decision number: the code's line starts beside it.
    code = next(w for w in _words(pdfs[name]) if w[4] == "Mã")
    field = FIELD_BY_KEY["verification_code"]
    assert code[0] == pytest.approx(field.x_mm, abs=1.5)
    assert code[1] == pytest.approx(field.y_mm, abs=1.5)


def test_pdf_long_texts_stay_in_their_place(pdfs: dict[str, Path]) -> None:
    """A two-line position and a three-line achievement end above the bottom blocks, and
    the position's second line above the achievement."""
    words = _words(pdfs["giay-khen-long"])
    achievement = FIELD_BY_KEY["achievement"]
    bottom = min(FIELD_BY_KEY[key].y_mm for key in ("decision_line", "place_date"))
    detail_words = [w for w in words if FIELD_BY_KEY["recipient_detail"].y_mm - 1 < w[1]]
    detail_words = [w for w in detail_words if w[1] < achievement.y_mm - 1]
    assert len({round(w[1]) for w in detail_words}) == 2  # two lines, both above
    lines = {round(w[1], 1) for w in words if achievement.y_mm - 1 < w[1] < bottom - 1}
    assert len(lines) == 3
    assert max(w[3] for w in words if achievement.y_mm - 1 < w[1] < bottom - 1) < bottom
    assert "Covid-19 của Sở." in normalise(_tool("pdftotext", str(pdfs["giay-khen-long"]), "-"))


def test_review_pngs_written(pdfs: dict[str, Path]) -> None:
    for name in ("giay-khen-blank", "giay-khen-full"):
        assert (REVIEW_DIR / f"{name}-1.png").read_bytes().startswith(b"\x89PNG")
        assert (REVIEW_DIR / f"{name}.pdf").read_bytes().startswith(b"%PDF-")
