"""The PDF of an issued document is made by the job worker after the issue: LibreOffice
crashing, hanging or missing never takes the issued DOCX back nor a second number; the PDF
is retried, then reported with a clear reason, and may be asked for again."""

from __future__ import annotations

import datetime as dt
import subprocess
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.documents.helpers import DocxRenderer, fake_soffice, issue
from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.documents import services, tasks
from thidua.documents.models import IssuedDocument, IssuingBody, NumberCounter
from thidua.lib import files as stored_files
from thidua.lib.files import Area
from thidua.org.demo_issuers import ensure_demo_issuers


@pytest.fixture
def svh(db: Any) -> IssuingBody:
    return {b.symbol: b for b in ensure_demo_issuers()}["SVHTTDL"]


@pytest.fixture
def lan(persona: Any) -> Any:
    return persona("lan")


@pytest.fixture(autouse=True)
def _quick_retries(settings: Any) -> None:
    settings.PDF_RETRY_BASE_SECONDS = 0
    settings.PDF_MAX_ATTEMPTS = 3


def issue_in_background(
    lan: Any, svh: IssuingBody, capture: Any, **overrides: Any
) -> IssuedDocument:
    """Issue with the PDF left to the task, and run the task as the worker would."""
    with capture(execute=True):
        document = issue(lan, svh, render=DocxRenderer(), make_pdf=True, **overrides)
    document.refresh_from_db()
    return document


def counter(svh: IssuingBody) -> int:
    return NumberCounter.objects.get(issuer=svh, year=2021, doc_type__code="KH").last_number


def test_a_crashing_libreoffice_is_retried_then_reported_and_the_docx_stays_issued(
    lan, svh, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.SOFFICE_PATH = fake_soffice(
        tmp_path, 'echo "soffice: segmentation fault" >&2\nexit 139'
    )
    document = issue_in_background(lan, svh, django_capture_on_commit_callbacks)
    assert document.number == 1 and counter(svh) == 1
    assert stored_files.exists(Area.DOCUMENTS, document.docx_path)
    assert document.pdf_status == "failed" and document.pdf_attempts == 3
    assert "LibreOffice produced no PDF" in document.pdf_error
    assert "segmentation fault" in document.pdf_error
    assert "gave up after 3 attempts" in document.pdf_error
    assert not document.pdf_path and not document.pdf_sha256
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.DOCUMENT_PDF_FAILED, object_id=str(document.pk)
        ).count()
        == 1
    )


def test_a_hanging_libreoffice_is_stopped_at_the_timeout(
    lan, svh, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.SOFFICE_PATH = fake_soffice(tmp_path, "sleep 30")
    settings.PDF_TIMEOUT_SECONDS = 0.5
    settings.PDF_MAX_ATTEMPTS = 2
    started = dt.datetime.now()
    document = issue_in_background(lan, svh, django_capture_on_commit_callbacks)
    assert (dt.datetime.now() - started).total_seconds() < 10
    assert document.pdf_status == "failed" and document.pdf_attempts == 2
    assert "did not finish within 0.5 seconds" in document.pdf_error
    assert document.number == 1 and counter(svh) == 1


def test_without_libreoffice_the_pdf_fails_at_once_with_the_reason(
    lan, svh, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.SOFFICE_PATH = str(tmp_path / "not-installed")
    document = issue_in_background(lan, svh, django_capture_on_commit_callbacks)
    assert document.docx_path and document.number == 1
    assert document.pdf_status == "failed" and document.pdf_attempts == 0
    assert "LibreOffice not found at SOFFICE_PATH" in document.pdf_error
    # Asking again is pointless until it is installed, and says why.
    with pytest.raises(ValidationError, match="SOFFICE_PATH"):
        services.document_pdf_retry(actor=lan, document=document)


def test_a_retry_after_a_failure_makes_the_archival_pdf_once(
    lan, svh, settings, tmp_path, django_capture_on_commit_callbacks, client
):
    settings.SOFFICE_PATH = fake_soffice(tmp_path, "exit 1")
    document = issue_in_background(lan, svh, django_capture_on_commit_callbacks)
    assert document.pdf_status == "failed"
    settings.SOFFICE_PATH = None  # LibreOffice repaired: the real one on PATH
    with django_capture_on_commit_callbacks(execute=True):
        assert services.document_pdf_retry(actor=lan, document=document) is True
    document.refresh_from_db()
    assert document.pdf_status == "ready" and document.pdf_error == ""
    data = stored_files.read(Area.DOCUMENTS, document.pdf_path)
    assert stored_files.sha256_hex(data) == document.pdf_sha256
    pdf_file = tmp_path / "out.pdf"
    pdf_file.write_bytes(data)
    meta = subprocess.run(
        ["pdfinfo", "-meta", str(pdf_file)], capture_output=True, text=True, check=True
    ).stdout
    assert "<pdfaid:part>2</pdfaid:part>" in meta
    # A second click finds it ready and queues nothing.
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.document_pdf_retry(actor=lan, document=document) is False
    assert callbacks == []
    assert counter(svh) == 1 and IssuedDocument.objects.count() == 1
    verify = client.get(reverse("document_verify", args=[document.verification_code]))
    assert document.pdf_sha256 in verify.content.decode()


def test_the_verification_page_shows_no_pdf_hash_before_the_pdf_exists(lan, svh, client):
    # The issue is committed but the worker has not run yet (no on_commit callbacks here).
    document = issue(lan, svh, render=DocxRenderer(), make_pdf=True)
    assert document.pdf_status == "pending"
    client.cookies["django_language"] = "en"
    html = client.get(reverse("document_verify", args=[document.verification_code])).content
    assert b"being made" in html
    assert b'id="pdf-sha256"' in html and document.docx_sha256.encode() in html


def test_the_task_does_nothing_for_a_pdf_already_made(lan, svh):
    document = issue(lan, svh, render=DocxRenderer(), make_pdf=True)
    IssuedDocument.objects.filter(pk=document.pk).update(pdf_status="ready")
    assert tasks.make_pdf(document.pk) == "skipped"


def test_retries_wait_longer_each_time(settings):
    settings.PDF_RETRY_BASE_SECONDS = 30
    assert [tasks.retry_delay(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]


def test_only_the_secretariat_may_ask_for_the_pdf_again(
    lan, svh, persona, settings, tmp_path, django_capture_on_commit_callbacks, login
):
    settings.SOFFICE_PATH = fake_soffice(tmp_path, "exit 1")
    document = issue_in_background(lan, svh, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        services.document_pdf_retry(actor=persona("minh"), document=document)
    url = reverse("document_pdf_retry", args=[document.pk])
    assert login("mai").post(url).status_code == 403
    document.refresh_from_db()
    assert document.pdf_status == "failed"
    response = login("lan").post(url)
    assert response.status_code == 302
    document.refresh_from_db()
    # Queued again (the failing LibreOffice fails it again, but it was tried).
    assert document.pdf_status in ("pending", "failed")
    assert AuditEvent.objects.filter(action=AuditAction.DOCUMENT_PDF_REQUEUED).count() == 1
