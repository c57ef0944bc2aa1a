"""The write path of the numbering registry, one module per entity.

- `issuers`: issuing bodies (what an agency prints: symbol, place, names)
- `doc_types`: the catalogue of document types
- `numbering`: a series' counter, the order of dates, the printed number and symbol
- `issuing`: issuing a document (number, verification code, files, row) in one transaction
- `pdfs`: the archival PDF made afterwards by a background task
- `verification`: verification codes, the public address and its QR code
- `templates`: which template makes a document, and the `render` the issue calls

Each service: authorise → validate → write → audit, inside one transaction.

Other apps import the registry's public names from here (`documents.services.document_issue`);
documents' own modules import the entity module.
"""

from .doc_types import document_type_save
from .issuers import issuing_body_of, issuing_body_save
from .issuing import document_issue, user_or_none
from .numbering import download_name, format_number
from .pdfs import document_pdf_retry, pdf_failed, store_pdf
from .templates import Render, TemplateRecord, choose_template, registry_renderer, render_template
from .verification import normalise_code, qr_png, qr_svg, verification_url

__all__ = [
    "Render",
    "TemplateRecord",
    "choose_template",
    "document_issue",
    "document_pdf_retry",
    "document_type_save",
    "download_name",
    "format_number",
    "issuing_body_of",
    "issuing_body_save",
    "normalise_code",
    "pdf_failed",
    "qr_png",
    "qr_svg",
    "registry_renderer",
    "render_template",
    "store_pdf",
    "user_or_none",
    "verification_url",
]
