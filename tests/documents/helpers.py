"""Helpers for the registry's tests."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings

from tests.org.helpers import last_seq
from thidua.documents import services
from thidua.documents.models import IssuedDocument, IssuingBody

D = dt.date
DAY = D(2021, 1, 4)  # the demo's pinned today
WATCHED_APPS = ("org", "campaigns", "audit", "documents")


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in WATCHED_APPS
        for model in apps.get_app_config(app).get_models()
    }


def files() -> list[Path]:
    """Every file under the documents directory, partial ones included."""
    root = Path(settings.DATA_DIR) / "documents"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@contextmanager
def nothing_written() -> Iterator[None]:
    """Assert the block adds no row, no audit event and no file."""
    before, seq, before_files = row_counts(), last_seq(), files()
    yield
    assert last_seq() == seq, "an audit event was written"
    assert row_counts() == before, "rows were added or removed"
    assert files() == before_files, "files were left behind"


class FakeRenderer:
    """Stands in for the DOCX/PDF generator: records each context, returns bytes that
    print the symbol and code, as the real documents do."""

    def __init__(self, *, pdf: bool = True) -> None:
        self.pdf = pdf
        self.contexts: list[dict[str, Any]] = []

    def __call__(self, context: dict[str, Any]) -> tuple[bytes, bytes | None]:
        self.contexts.append(context)
        body = f"{context['symbol']}|{context['verification_code']}".encode()
        return b"DOCX " + body, (b"%PDF-1.7 " + body) if self.pdf else None


def issue(actor: Any, issuer: IssuingBody, **overrides: Any) -> IssuedDocument:
    arguments: dict[str, Any] = {
        "doc_type_code": "KH",
        "issued_on": DAY,
        "summary": "Tổ chức phong trào thi đua năm 2021",
        "signer_name": "Trần Văn Tâm",
        "signer_title": "Giám đốc",
        "idempotency_key": uuid.uuid4().hex,
        "render": FakeRenderer(),
    }
    arguments.update(overrides)
    return services.document_issue(actor=actor, issuer=issuer, **arguments)


def fake_soffice(folder: Path, script: str) -> str:
    """An executable standing in for LibreOffice (crashing, hanging…); its path, for
    settings.SOFFICE_PATH."""
    path = folder / "fake-soffice"
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(0o755)
    return str(path)


def real_docx(text: str = "Giấy khen — thử nghiệm") -> bytes:
    """A small genuine Word file that LibreOffice converts."""
    import io

    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class DocxRenderer:
    """Renders a genuine DOCX (no PDF: that is the background task's job)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, context: dict[str, Any]) -> tuple[bytes, bytes | None]:
        self.calls += 1
        return real_docx(f"{context['symbol']} {context['verification_code']}"), None
