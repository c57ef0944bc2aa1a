"""The ZIP of a block's reports from the board, and the PDF made by LibreOffice."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from thidua.reports import services

from . import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf_runs(monkeypatch: Any) -> list[int]:
    """Real LibreOffice, watched: how many files each conversion run was given."""
    from thidua.documents import pdf

    runs: list[int] = []
    real = pdf.docx_to_pdf_many

    def convert(docs: list[bytes], **kwargs: Any) -> list[bytes | Exception]:
        runs.append(len(docs))
        return real(docs, **kwargs)

    monkeypatch.setattr("thidua.documents.pdf.docx_to_pdf_many", convert)
    return runs


def _export(client: Any) -> Any:
    """Queue the board's ZIP (the job worker runs it when the request commits; here at once)
    and download the file it made."""
    from django.http import HttpResponse
    from django.test import TestCase

    from thidua.reports.models import ReportExport

    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("report_export", args=[helpers.cycle().pk, "yearend"]))
    job = ReportExport.objects.filter(cycle=helpers.cycle(), period="yearend").first()
    assert job is not None
    download = client.get(reverse("report_export_download", args=[job.pk]))
    response = HttpResponse(b"".join(download.streaming_content), status=download.status_code)
    for header in ("Content-Type", "Content-Disposition"):
        response[header] = download[header]
    return response


def test_zip_holds_every_submitted_report_and_its_evidence(
    login: Any, persona: Any, pdf_runs: list[int], tmp_path: Path
) -> None:
    tuan = persona("tuan")
    report = helpers.fill(tuan, helpers.open_report(tuan), text="Báo cáo của QLDL.")
    services.evidence_add(
        actor=tuan,
        report=report,
        criterion=helpers.criterion("1.1"),
        data=helpers.PDF,
        name="biên bản.pdf",
    )
    services.report_submit(actor=tuan, report=report)
    helpers.submit("KHTC", text="Báo cáo của KHTC.")
    helpers.open_report(helpers.head_of("VP"), code="VP")  # a draft is never exported
    response = _export(login("minh"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "bao-cao-K1-2021-yearend.zip" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    pages = [n for n in names if n.endswith(".html")]
    assert len(pages) == 2
    qldl = next(n for n in pages if n.startswith("QLDL-"))
    assert "Báo cáo của QLDL." in archive.read(qldl).decode()
    evidence = [n for n in names if "/minh-chung/" in n]
    assert len(evidence) == 1 and evidence[0].endswith("1.1-biên bản.pdf")
    assert archive.read(evidence[0]) == helpers.PDF
    summary = archive.read("tong-hop.csv").decode("utf-8-sig").splitlines()
    assert len(summary) == 1 + 7
    assert any(line.startswith("VP,") and ",draft," in line for line in summary)
    pdfs = [n for n in names if n.endswith(".pdf") and "/minh-chung/" not in n]
    docx = [n for n in names if n.endswith(".docx")]
    assert len(pdfs) == 2 and len(docx) == 2
    assert pdf_runs == [2]  # both reports in one LibreOffice run
    qldl_pdf = tmp_path / "qldl.pdf"
    qldl_pdf.write_bytes(archive.read(next(n for n in pdfs if n.startswith("QLDL-"))))
    text = subprocess.run(
        ["pdftotext", str(qldl_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Báo cáo của QLDL." in text
    # A frozen version's PDF is kept: the next export converts nothing.
    _export(login("minh"))
    assert pdf_runs == [2]


def test_zip_without_libreoffice_still_has_the_documents(
    login: Any, persona: Any, monkeypatch: Any
) -> None:
    from thidua.documents.pdf import PdfUnavailable

    def missing(*_args: Any, **_kwargs: Any) -> list[bytes]:
        raise PdfUnavailable("LibreOffice is not installed.")

    monkeypatch.setattr("thidua.documents.pdf.docx_to_pdf_many", missing)
    helpers.submit("QLDL")
    response = _export(login("minh"))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert any(n.endswith(".docx") for n in names)
    assert not any(n.endswith(".pdf") for n in names)
    summary = archive.read("tong-hop.csv").decode("utf-8-sig")
    assert "LibreOffice is not installed." in summary


def test_the_pdf_is_made_by_libreoffice(persona: Any) -> None:
    from thidua.reports import document

    tuan = persona("tuan")
    report = helpers.fill(tuan, helpers.open_report(tuan), text="Báo cáo tổng kết năm 2021.")
    version = services.report_submit(actor=tuan, report=report)
    docx = document.version_docx(version)
    pdf = document.version_pdfs([version], {version.pk: docx})[version.pk]
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")
