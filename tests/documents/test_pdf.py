"""DOCX → PDF through LibreOffice: the demo plan and decision come out as A4 PDFs with the
Vietnamese text intact, Times-metric fonts embedded, page numbers from page 2, and PDF/A-2b
on request. Pages are rendered to PNG in review/documents/ for a person to look at.

These tests never skip: CI installs LibreOffice and poppler-utils via
scripts/setup-system.sh, and a missing binary must fail the build rather than pass quietly.
LibreOffice takes about a second to start, so the PDFs are made once per module.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.documents.docx_reading import REVIEW_DIR, normalise
from tests.documents.rendered import (
    DECISION_EXTRA_BASES,
    SEED_CLOSING,
    SEED_INTRO,
    SEED_ISSUER,
    SEED_RECIPIENTS,
)
from thidua.campaigns import documents as campaign_documents
from thidua.campaigns.models import Campaign
from thidua.documents.layout import FONT_SUBSTITUTES
from thidua.documents.pdf import (
    SOFFICE_PACKAGE,
    PdfConversionFailed,
    PdfUnavailable,
    docx_to_pdf,
    docx_to_pdf_many,
    pdf_available,
)
from thidua.documents.rendering import render_docx
from thidua.org.models import BlockTerm

# Every test here counts as a database test, even those that only read the module's PDFs:
# pytest-django runs database tests before transactional ones, and a transactional test on
# PostgreSQL (test_numbering's concurrency test) flushes the demo data the module fixture
# reads. It also keeps this module's tests together, so the PDFs are made once.
pytestmark = pytest.mark.django_db

PLAN = "ke-hoach-3887-KH-SVHTTDL-2020"
DECISION = "quyet-dinh-792-QD-SVHTTDL-2020"
HEADER_TEXTS = [
    "UBND THÀNH PHỐ CẦN THƠ",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Cần Thơ, ngày 25 tháng 12 năm 2020",
    "GIÁM ĐỐC",
    "Nguyễn Khánh Tùng",
]
EXPECTED_TEXTS = {
    PLAN: [
        *HEADER_TEXTS,
        "Số: 3887/KH-SVHTTDL",
        "KẾ HOẠCH",
        "phát động",
        "Thể thao",
        "Lưu: VT, TCPC.",
    ],
    DECISION: [
        *HEADER_TEXTS,
        "Số: 792/QĐ-SVHTTDL",
        "QUYẾT ĐỊNH",
        "Điều 1.",
        "Khối trưởng",
        "Phòng Tổ chức – Pháp chế",
    ],
}


def _tool(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout


def _text(pdf: Path, *args: str) -> str:
    return _tool("pdftotext", *args, str(pdf), "-")


def _review_pngs(pdf: Path) -> None:
    """Page PNGs next to the PDF, old ones removed so a shorter document leaves no stale
    page behind."""
    for old in REVIEW_DIR.glob(f"{pdf.stem}-*.png"):
        old.unlink()
    _tool("pdftoppm", "-r", "80", "-png", str(pdf), str(REVIEW_DIR / pdf.stem))


def _contexts() -> dict[str, tuple[str, dict[str, Any]]]:
    """The same contexts as tests/documents/rendered.py, built outside a test so one
    conversion serves the whole module."""
    campaign = Campaign.objects.get(agency__code="SVHTTDL", year=2021)
    terms = list(BlockTerm.objects.filter(block__agency__code="SVHTTDL", year=2021))
    return {
        PLAN: (
            "ke_hoach.docx",
            campaign_documents.plan_context(
                campaign,
                issuer=SEED_ISSUER,
                recipients=SEED_RECIPIENTS,
                intro=SEED_INTRO,
                closing=SEED_CLOSING,
            ),
        ),
        DECISION: (
            "quyet_dinh_phan_cong_khoi.docx",
            campaign_documents.block_assignment_decision_context(
                terms, issuer=SEED_ISSUER, extra_legal_bases=DECISION_EXTRA_BASES
            ),
        ),
    }


@pytest.fixture(scope="module")
def docx_files(django_db_setup: Any, django_db_blocker: Any) -> dict[str, bytes]:
    with django_db_blocker.unblock():
        contexts = _contexts()
    return {name: render_docx(template, context) for name, (template, context) in contexts.items()}


@pytest.fixture(scope="module")
def pdfs(docx_files: dict[str, bytes]) -> Iterator[dict[str, Path]]:
    """Both documents in one soffice run, plus the decision as PDF/A-2b."""
    names = list(docx_files)
    converted = docx_to_pdf_many([docx_files[name] for name in names])
    archived = docx_to_pdf(docx_files[DECISION], archive=True)
    REVIEW_DIR.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, result in zip(names, converted, strict=True):
        assert isinstance(result, bytes), f"{name}: {result}"
        path = REVIEW_DIR / f"{name}.pdf"
        path.write_bytes(result)
        _review_pngs(path)
        paths[name] = path
    paths["archive"] = REVIEW_DIR / f"{DECISION}-pdfa.pdf"
    paths["archive"].write_bytes(archived)
    yield paths


@pytest.mark.parametrize("name", [PLAN, DECISION])
def test_vietnamese_text_survives(pdfs: dict[str, Path], name: str) -> None:
    text = normalise(_text(pdfs[name]))
    missing = [expected for expected in EXPECTED_TEXTS[name] if expected not in text]
    assert not missing, f"not in the PDF text: {missing}"
    # No replacement boxes or stray decomposed marks from a font without the glyphs.
    assert "\ufffd" not in text


@pytest.mark.parametrize("name", [PLAN, DECISION])
def test_page_size_is_a4(pdfs: dict[str, Path], name: str) -> None:
    info = _tool("pdfinfo", str(pdfs[name]))
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info


def test_page_number_from_page_two(pdfs: dict[str, Path]) -> None:
    """ND 30: no number on page 1; from page 2 an Arabic number centred in the top
    margin."""
    pages = int(re.search(r"Pages:\s+(\d+)", _tool("pdfinfo", str(pdfs[PLAN])))[1])  # type: ignore[index]
    assert pages >= 2
    for page in range(1, pages + 1):
        lines = [
            line.strip()
            for line in _text(pdfs[PLAN], "-f", str(page), "-l", str(page)).splitlines()
            if line.strip()
        ]
        if page == 1:
            assert lines[0] == "UBND THÀNH PHỐ CẦN THƠ"
            assert str(page) not in lines[:3]
        else:
            assert lines[0] == str(page)


@pytest.mark.parametrize("name", [PLAN, DECISION])
def test_fonts_embedded_times_metric(pdfs: dict[str, Path], name: str) -> None:
    rows = _tool("pdffonts", str(pdfs[name])).splitlines()[2:]
    assert rows
    allowed = tuple(family.replace(" ", "") for family in FONT_SUBSTITUTES)
    for row in rows:
        font = row.split()[0].split("+")[-1]
        embedded = row.split()[-5]
        assert font.startswith(allowed), row
        assert embedded == "yes", row


def test_archive_is_pdfa_2b(pdfs: dict[str, Path]) -> None:
    meta = _tool("pdfinfo", "-meta", str(pdfs["archive"]))
    assert re.search(r"<pdfaid:part>2</pdfaid:part>|pdfaid:part=.2", meta), meta
    assert re.search(r"<pdfaid:conformance>B</pdfaid:conformance>|pdfaid:conformance=.B", meta)
    plain_meta = _tool("pdfinfo", "-meta", str(pdfs[DECISION]))
    assert "pdfaid" not in plain_meta


def test_batch_converts_each_file(docx_files: dict[str, bytes]) -> None:
    """Five decisions with their own numbers in one soffice run, a broken file in the
    middle: the broken one fails alone, the others come out in order."""
    terms = list(BlockTerm.objects.filter(block__agency__code="SVHTTDL", year=2021))
    numbers = ["101", "102", "103", "104", "105"]
    docs = [
        render_docx(
            "quyet_dinh_phan_cong_khoi.docx",
            campaign_documents.block_assignment_decision_context(
                terms, issuer=SEED_ISSUER, number=n
            ),
        )
        for n in numbers
    ]
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("word/document.xml", "<not-word/>")
    results = docx_to_pdf_many([*docs[:2], broken.getvalue(), *docs[2:]], batch_size=50)
    assert len(results) == 6
    assert isinstance(results[2], PdfConversionFailed)
    assert results[2].reason
    pdf_results = [r for i, r in enumerate(results) if i != 2]
    for number, result in zip(numbers, pdf_results, strict=True):
        assert isinstance(result, bytes)
        path = REVIEW_DIR / f"batch-{number}.pdf"
        path.write_bytes(result)
        assert f"Số: {number}/QĐ-SVHTTDL" in normalise(_text(path))
        path.unlink()


def test_batches_split_by_size(docx_files: dict[str, bytes]) -> None:
    results = docx_to_pdf_many([docx_files[DECISION]] * 3, batch_size=2)
    assert [isinstance(r, bytes) and r.startswith(b"%PDF-") for r in results] == [True] * 3
    assert docx_to_pdf_many([]) == []


def test_timeout_kills_the_conversion(docx_files: dict[str, bytes]) -> None:
    with pytest.raises(PdfConversionFailed) as caught:
        docx_to_pdf(docx_files[DECISION], timeout=0.01)
    assert "0.01 seconds" in caught.value.reason


def test_missing_soffice_is_unavailable(docx_files: dict[str, bytes], settings: Any) -> None:
    settings.SOFFICE_PATH = "/nonexistent/libreoffice/soffice"
    with pytest.raises(PdfUnavailable) as caught:
        docx_to_pdf(docx_files[DECISION])
    assert SOFFICE_PACKAGE in caught.value.reason
    with pytest.raises(PdfUnavailable):
        docx_to_pdf_many([docx_files[DECISION]])
    available, reason = pdf_available()
    assert not available
    assert SOFFICE_PACKAGE in reason


def test_soffice_not_on_path(settings: Any, monkeypatch: Any) -> None:
    settings.SOFFICE_PATH = None
    monkeypatch.setenv("PATH", "/nonexistent")
    available, reason = pdf_available()
    assert not available
    assert "not installed" in reason
    assert SOFFICE_PACKAGE in reason


def test_pdf_available_here() -> None:
    # CI installs LibreOffice (scripts/setup-system.sh): this fails loudly if it did not.
    assert pdf_available() == (True, "")


def test_doctor_passes_here(capsys: Any) -> None:
    call_command("doctor")
    out = capsys.readouterr().out
    assert "LibreOffice" in out
    assert "MISSING" not in out


def test_doctor_fails_without_soffice(settings: Any, capsys: Any) -> None:
    settings.SOFFICE_PATH = "/nonexistent/soffice"
    with pytest.raises(CommandError) as caught:
        call_command("doctor")
    assert caught.value.returncode == 1
    out = capsys.readouterr().out
    assert f"apt-get install --no-install-recommends {SOFFICE_PACKAGE}" in out


def test_layout_fixes_seen_in_review(pdfs: dict[str, Path]) -> None:
    """What the review PNGs showed: the Sở's name broke as "… VÀ DU" / "LỊCH" and the table
    head as "ST" / "T". Both now break where a clerk would (layout.ISSUER_TEXT_MM,
    build_templates.BLOCK_TABLE_MM)."""
    for name in (PLAN, DECISION):
        lines = [line.strip() for line in _text(pdfs[name], "-l", "1").splitlines()]
        assert "SỞ VĂN HÓA, THỂ THAO" in lines
        assert "VÀ DU LỊCH" in lines
    decision_lines = [line.strip() for line in _text(pdfs[DECISION], "-l", "1").splitlines()]
    assert any(line.split()[:1] == ["STT"] for line in decision_lines)
    assert "ST" not in decision_lines
