"""One ZIP with every submitted report of a block for a period: per report (its latest
submitted version) a PDF made through the document engine, the DOCX it was made from, a
printable HTML page, and the evidence files of that version; plus a CSV summary of every
member's state. Drafts are the unit's work in progress and are never exported.

A block has a handful of members and evidence is capped per file, so the archive is built in
the request; the PDFs of frozen versions are kept, so only the first export converts. Without
LibreOffice the ZIP still has the DOCX and HTML, and the CSV says why the PDF is missing.
"""

from __future__ import annotations

import csv
import io
import zipfile

from django.template.loader import render_to_string
from django.utils.text import slugify

from . import document
from . import evidence as files
from .selectors import Board, explain, version_evidence


def _folder(code: str, name: str) -> str:
    return f"{code}-{slugify(name)[:40]}".strip("-")


def export_zip(board: Board) -> tuple[str, bytes]:
    """(file name, bytes) of the block's archive for the board's period."""
    buffer = io.BytesIO()
    summary = io.StringIO()
    writer = csv.writer(summary)
    writer.writerow(
        [
            "unit_code",
            "unit",
            "state",
            "version",
            "submitted_on",
            "due_on",
            "late_days",
            "sha256",
            "pdf",
        ]
    )
    versions = [row.version for row in board.rows if row.version is not None]
    docx = {version.pk: document.version_docx(version) for version in versions}
    pdfs = document.version_pdfs(versions, docx) if versions else {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for row in board.rows:
            version = row.version
            writer.writerow(
                [
                    row.unit.code,
                    row.unit.name,
                    row.state,
                    version.number if version else "",
                    version.submitted_on.isoformat() if version else "",
                    board.deadline.isoformat() if board.deadline else "",
                    version.late_days if version else "",
                    version.text_hash if version else "",
                    _pdf_note(pdfs.get(version.pk)) if version else "",
                ]
            )
            if version is None or row.report is None:
                continue
            folder = _folder(row.unit.code, row.unit.name)
            evidence = version_evidence(version)
            page = render_to_string(
                "reports/print.html",
                {
                    "report": row.report,
                    "version": version,
                    "indicators": [(i, explain(i)) for i in version.indicators],
                    "evidence": evidence,
                    "standalone": True,
                },
            )
            base = f"{folder}/bao-cao-v{version.number}"
            archive.writestr(f"{base}.html", page)
            archive.writestr(f"{base}.docx", docx[version.pk])
            pdf = pdfs.get(version.pk)
            if isinstance(pdf, bytes):
                archive.writestr(f"{base}.pdf", pdf)
            used: set[str] = set()
            for item in evidence:
                prefix = f"{folder}/minh-chung/{item.criterion.code}"
                name = f"{prefix}-{item.original_name}"
                if name in used:  # two different files with the same name on a criterion
                    name = f"{prefix}-{item.sha256[:8]}-{item.original_name}"
                used.add(name)
                archive.writestr(name, files.read(item.path))
        # A BOM so Excel opens the Vietnamese names as UTF-8.
        archive.writestr("tong-hop.csv", "\ufeff" + summary.getvalue())
    term = board.cycle.term
    name = f"bao-cao-{term.block.code}-{term.year}-{board.period}.zip"
    return name, buffer.getvalue()


def _pdf_note(pdf: bytes | str | None) -> str:
    if isinstance(pdf, bytes):
        return "ok"
    return pdf or ""
