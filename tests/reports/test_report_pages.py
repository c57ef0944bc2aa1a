"""The report pages: the unit's form, uploads with clear errors, the history, in Vietnamese."""

from __future__ import annotations

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
