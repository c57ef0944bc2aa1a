"""What a file is by its first bytes, never by its name: one table for every upload check
(report evidence, award originals, signed PDFs)."""

from __future__ import annotations

# Leading bytes of each format the system accepts somewhere. Office files (DOCX, XLSX) are
# zip packages: "zip" only says that much, the caller looks inside for the main part.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"PK\x03\x04", "zip"),
)

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": DOCX_CONTENT_TYPE,
    "xlsx": XLSX_CONTENT_TYPE,
}


def sniff(data: bytes) -> str | None:
    """ "pdf", "png", "jpeg" or "zip" from the leading bytes; None for anything else."""
    for signature, kind in SIGNATURES:
        if data.startswith(signature):
            return kind
    return None
