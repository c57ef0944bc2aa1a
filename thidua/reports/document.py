"""A submitted report version as a document: a DOCX built in code (A4, the NĐ 30 margins and
font) and its PDF made once through the document engine's LibreOffice converter, then kept.

The report has no official template of its own, so the DOCX is built here rather than
rendered from `docx_templates`; the PDF of a frozen version never changes and is stored under
DATA_DIR so a second export does not convert again.
"""

from __future__ import annotations

import io
import logging

from django.utils.translation import gettext as _

from thidua.lib import files
from thidua.lib.files import Area

from .models import ReportVersion
from .selectors import explain, version_evidence

logger = logging.getLogger(__name__)


def _pdf_name(version: ReportVersion) -> str:
    return f"{version.report_id}/v{version.number}-{version.text_hash[:16]}.pdf"


def version_docx(version: ReportVersion) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    report = version.report
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)

    header = document.add_paragraph(report.unit.name.upper())
    header.runs[0].bold = True
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"{report.get_period_display().upper()} {report.cycle.campaign.year}")
    run.bold = True
    subtitle = document.add_paragraph(report.cycle.term.block.name)
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER

    for narrative in version.narratives:
        heading = document.add_paragraph()
        heading.add_run(f"{narrative['code']}. {narrative['title']}").bold = True
        for line in (narrative["text"] or "—").splitlines() or ["—"]:
            document.add_paragraph(line)

    if version.indicators:
        document.add_paragraph().add_run(_("Indicators")).bold = True
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, label in zip(
            table.rows[0].cells,
            [_("Criterion"), _("Value"), _("How it was obtained")],
            strict=True,
        ):
            cell.text = str(label)
        for row in version.indicators:
            value = row.get("value") or "—"
            if row.get("unit"):
                value = f"{value} {row['unit']}"
            if row.get("denominator"):
                value = f"{value} ({row['numerator']}/{row['denominator']})"
            cells = table.add_row().cells
            cells[0].text = f"{row['code']} {row['text']}"
            cells[1].text = value
            cells[2].text = explain(row)

    document.add_paragraph().add_run(_("Evidence")).bold = True
    files = version_evidence(version)
    for item in files:
        document.add_paragraph(
            f"{item.criterion.code}: {item.original_name} (SHA-256 {item.sha256})"
        )
    if not files:
        document.add_paragraph("—")

    footer = document.add_paragraph(
        _("Version %(number)s, submitted on %(day)s at %(time)s by %(by)s")
        % {
            "number": version.number,
            "day": version.submitted_on.strftime("%d/%m/%Y"),
            "time": version.submitted_at.strftime("%H:%M"),
            "by": version.submitted_by,
        }
    )
    footer.runs[0].font.size = Pt(10)
    document.add_paragraph(f"SHA-256: {version.text_hash}").runs[0].font.size = Pt(9)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def version_pdfs(versions: list[ReportVersion], docx: dict[int, bytes]) -> dict[int, bytes | str]:
    """{version pk: PDF bytes, or why there is none}. Stored PDFs are reused; the others are
    converted in one LibreOffice run and kept."""
    from thidua.documents.pdf import PdfError, docx_to_pdf_many

    result: dict[int, bytes | str] = {}
    missing: list[ReportVersion] = []
    for version in versions:
        stored = files.read_if_exists(Area.REPORT_PDFS, _pdf_name(version))
        if stored is not None:
            result[version.pk] = stored
        else:
            missing.append(version)
    if not missing:
        return result
    try:
        converted = docx_to_pdf_many([docx[v.pk] for v in missing])
    except PdfError as error:
        return {**result, **{v.pk: error.reason for v in missing}}
    for version, pdf in zip(missing, converted, strict=True):
        if isinstance(pdf, bytes):
            files.write(Area.REPORT_PDFS, _pdf_name(version), pdf)
            result[version.pk] = pdf
        else:
            logger.warning("Report version %s: no PDF (%s)", version.pk, pdf)
            result[version.pk] = getattr(pdf, "reason", str(pdf))
    return result
