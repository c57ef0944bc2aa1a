"""The report pages: the unit's form, uploads with clear errors, the history, the leader's
board and the ZIP of a block's reports."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from thidua.reports import services
from thidua.reports.models import Period, Report

from . import helpers

pytestmark = pytest.mark.django_db


def test_unit_head_starts_fills_and_submits_through_the_pages(login: Any, persona: Any) -> None:
    client = login("tuan")
    cycle = helpers.cycle()
    unit = helpers.unit("QLDL")
    start = reverse("report_for_unit", args=[cycle.pk, "yearend", unit.pk])
    assert 'id="start-report"' in client.get(start).content.decode()
    response = client.post(start)
    report = Report.objects.get(cycle=cycle, unit=unit, period="yearend")
    assert response.url == reverse("report_detail", args=[report.pk])
    page = client.get(response.url).content.decode()
    assert "31/12/2021" in page and 'class="text-muted indicator-fraction"' in page
    groups = list(cycle.campaign.groups.order_by("order"))
    data = {f"narrative_{g.pk}": f"Nhóm {g.code}: đã thực hiện." for g in groups}
    data.update({f"value_{c.pk}": "100" for c in helpers.reported_criteria()})
    saved = client.post(reverse("report_detail", args=[report.pk]), data)
    assert saved.status_code == 302
    assert helpers.fresh(report).narratives[str(groups[1].pk)] == "Nhóm 2: đã thực hiện."
    bad = dict(data, **{f"value_{helpers.reported_criteria()[0].pk}": "abc"})
    refused = client.post(reverse("report_detail", args=[report.pk]), bad)
    assert refused.status_code == 400
    assert "“abc”" in refused.content.decode()
    client.post(reverse("report_submit", args=[report.pk]))
    client.post(reverse("report_submit", args=[report.pk]))  # double click
    assert helpers.fresh(report).versions.count() == 1
    assert helpers.fresh(report).status == Report.Status.SUBMITTED


def test_upload_errors_name_the_file_in_vietnamese(login: Any, persona: Any) -> None:
    report = helpers.open_report(persona("tuan"))
    client = login("tuan")
    upload = SimpleUploadedFile("anh-hoi-nghi.jpg", helpers.EXE, content_type="image/jpeg")
    with translation.override("vi"):
        response = client.post(
            reverse("report_evidence_upload", args=[report.pk]),
            {"criterion": helpers.criterion("1.1").pk, "file": upload},
            HTTP_ACCEPT_LANGUAGE="vi",
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert "“anh-hoi-nghi.jpg”" in page
    assert not report.evidence.exists()
    good = SimpleUploadedFile("bien-ban.pdf", helpers.PDF, content_type="application/pdf")
    done = client.post(
        reverse("report_evidence_upload", args=[report.pk]),
        {"criterion": helpers.criterion("1.1").pk, "file": good},
    )
    assert done.status_code == 302
    assert report.evidence.get().original_name == "bien-ban.pdf"


def test_upload_through_htmx_answers_with_the_evidence_panel(login: Any, persona: Any) -> None:
    # The narrative typed but not yet saved stays on the page: only the panel is swapped.
    report = helpers.open_report(persona("tuan"))
    client = login("tuan")
    url = reverse("report_evidence_upload", args=[report.pk])
    bad = SimpleUploadedFile("bao-cao.pdf", helpers.plain_zip(), content_type="application/pdf")
    refused = client.post(
        url, {"criterion": helpers.criterion("1.1").pk, "file": bad}, HTTP_HX_REQUEST="true"
    )
    assert refused.status_code == 200
    assert 'id="evidence-errors"' in refused.content.decode()
    assert "“bao-cao.pdf”" in refused.content.decode()
    good = SimpleUploadedFile("anh.png", helpers.PNG, content_type="image/png")
    done = client.post(
        url,
        {"criterion": helpers.criterion("1.1").pk, "file": good},
        HTTP_HX_REQUEST="true",
        follow=True,
    )
    page = done.content.decode()
    assert 'hx-select="#evidence"' in page and "anh.png" in page
    assert report.evidence.get().kind == "png"


def test_staff_sees_the_draft_but_cannot_edit(login: Any, persona: Any) -> None:
    report = helpers.fill(persona("tuan"), helpers.open_report(persona("tuan")))
    client = login("mai")
    page = client.get(reverse("report_detail", args=[report.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Hoàn thành xuất sắc nhiệm vụ." in text
    assert 'id="report-form"' not in text
    assert reverse("report_evidence_upload", args=[report.pk]) not in text
    assert client.post(reverse("report_detail", args=[report.pk]), {}).status_code == 403
    assert client.post(reverse("report_submit", args=[report.pk])).status_code == 403


def test_leader_does_not_see_a_draft_before_it_is_submitted(login: Any, persona: Any) -> None:
    report = helpers.fill(persona("tuan"), helpers.open_report(persona("tuan")))
    page = login("minh").get(reverse("report_detail", args=[report.pk])).content.decode()
    assert 'id="draft-hidden"' in page
    assert "Hoàn thành xuất sắc nhiệm vụ." not in page


def test_return_page_and_history(login: Any, persona: Any) -> None:
    tuan = persona("tuan")
    report = helpers.fill(tuan, helpers.open_report(tuan), text="Dòng một.\nDòng hai.")
    services.report_submit(actor=tuan, report=report)
    client = login("minh")
    empty = client.post(reverse("report_return", args=[report.pk]), {"reason": ""})
    assert empty.status_code == 400
    client.post(reverse("report_return", args=[report.pk]), {"reason": "Bổ sung minh chứng."})
    assert helpers.fresh(report).status == Report.Status.RETURNED
    helpers.fill(tuan, helpers.fresh(report), text="Dòng một.\nDòng hai đã sửa.")
    services.report_submit(actor=tuan, report=helpers.fresh(report))
    page = login("tuan").get(reverse("report_versions", args=[report.pk])).content.decode()
    assert "Bổ sung minh chứng." in page
    assert 'class="bg-success-subtle diff-added">Dòng hai đã sửa.' in page
    assert "diff-removed" in page
    printable = login("tuan").get(reverse("report_version", args=[report.pk, 1]))
    assert "Dòng hai." in printable.content.decode()


def _submit(code: str, *, text: str = "Đã thực hiện.") -> Report:
    user = helpers.head_of(code)
    report = helpers.fill(user, helpers.open_report(user, code=code), text=text)
    services.report_submit(actor=user, report=report)
    return report


def test_board_states_and_days_left(login: Any, persona: Any, settings: Any) -> None:
    settings.THIDUA_TODAY = "2021-11-10"
    _submit("QLDL")
    returned = _submit("KHTC")
    accepted = _submit("TTVH")
    helpers.open_report(helpers.head_of("VP"), code="VP")  # a draft
    minh = persona("minh")
    services.report_return(actor=minh, report=returned, reason="Thiếu số liệu.")
    services.report_accept(actor=minh, report=accepted)
    settings.THIDUA_TODAY = "2021-11-16"
    _submit("TCPC")  # late by two days
    page = login("minh").get(reverse("report_board", args=[helpers.cycle().pk, "yearend"]))
    assert page.status_code == 200
    text = page.content.decode()
    states = {
        code: text.split(f'data-unit="{code}" data-state="')[1].split('"')[0]
        for code in ["QLDL", "KHTC", "TTVH", "VP", "TCPC", "QLVHGD", "QLTDTT"]
    }
    assert states == {
        "QLDL": "submitted",
        "KHTC": "returned",
        "TTVH": "accepted",
        "VP": "draft",
        "TCPC": "late",
        "QLVHGD": "not_started",
        "QLTDTT": "not_started",
    }
    assert "Thiếu số liệu." in text
    overdue = text.count('data-days-left="-2" data-overdue="1"')
    assert overdue == 4  # KHTC (returned), VP (draft), QLVHGD and QLTDTT (not started)
    assert 'data-late-days="2"' in text
    assert 'data-submitted="3" data-members="7"' in text


def test_board_for_leader_deputy_secretariat_not_for_members(login: Any) -> None:
    url = reverse("report_board", args=[helpers.cycle().pk, "midyear"])
    for username in ("minh", "hoa", "lan", "thu"):
        assert login(username).get(url).status_code == 200
    assert login("tuan").get(url).status_code == 403


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
    _submit("KHTC", text="Báo cáo của KHTC.")
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
    _submit("QLDL")
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


def test_pages_speak_vietnamese(login: Any, persona: Any) -> None:
    report = helpers.fill(persona("tuan"), helpers.open_report(persona("tuan")))
    client = login("tuan")
    with translation.override("vi"):
        page = client.get(
            reverse("report_detail", args=[report.pk]), HTTP_ACCEPT_LANGUAGE="vi"
        ).content.decode()
    assert '<html lang="vi">' in page
    assert "Hạn chót: 14/11/2021" in page  # the deadline, in the catalogue's Vietnamese
    assert "tổng kết" in page.lower()
    # The board's "not started" state uses the shared catalogue's wording too.
    board = login("minh").get(reverse("report_board", args=[report.cycle_id, Period.YEAREND]))
    assert "Chưa soạn" in board.content.decode()


def test_home_lists_my_units_reports_and_the_boards_i_follow(login: Any) -> None:
    cycle = helpers.cycle()
    qldl = helpers.unit("QLDL")
    tuan = login("tuan").get(reverse("report_home")).content.decode()
    assert reverse("report_for_unit", args=[cycle.pk, "yearend", qldl.pk]) in tuan
    assert reverse("report_for_unit", args=[cycle.pk, "midyear", qldl.pk]) in tuan
    board = f'href="{reverse("report_board", args=[cycle.pk, "yearend"])}"'
    assert board not in tuan
    minh = login("minh").get(reverse("report_home")).content.decode()
    assert board in minh
    assert reverse("report_home") in minh  # the menu links here
