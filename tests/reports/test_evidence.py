"""Evidence files: accepted by content only, capped in size, one per file and criterion, and
downloadable only by those who may see the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from thidua.reports import evidence, services
from thidua.reports.models import Evidence, Period

from . import helpers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("bien-ban.pdf", lambda: helpers.PDF, "pdf"),
        ("bao-cao.docx", helpers.docx, "docx"),
        ("so-lieu.xlsx", helpers.xlsx, "xlsx"),
        ("anh.jpg", lambda: helpers.JPEG, "jpeg"),
        ("anh.JPEG", lambda: helpers.JPEG, "jpeg"),
        ("so-do.png", lambda: helpers.PNG, "png"),
    ],
)
def test_each_allowed_type_is_accepted_by_content(name: str, make: Any, kind: str) -> None:
    checked = evidence.check(make(), name)
    assert checked.kind == kind
    assert checked.content_type == evidence.CONTENT_TYPES[kind]


@pytest.mark.parametrize(
    ("name", "make", "fragment"),
    [
        ("anh-hoat-dong.jpg", lambda: helpers.EXE, "is not a PDF, Word (.docx), Excel"),
        ("setup.exe", lambda: helpers.EXE, "is not a PDF, Word (.docx), Excel"),
        ("bao-cao.pdf", helpers.plain_zip, "is not a PDF, Word (.docx), Excel"),
        ("bao-cao.pdf", helpers.docx, "is named .pdf but its content is DOCX"),
        ("bao-cao.docm", helpers.docm, "contains macros"),
        ("bao-cao.docx", helpers.docm, "contains macros"),
        ("ghi-chu.txt", lambda: b"plain text", "is not a PDF, Word (.docx), Excel"),
        ("anh.png", lambda: helpers.JPEG, "is named .png but its content is JPEG"),
    ],
)
def test_disguised_files_are_refused_naming_the_file(name: str, make: Any, fragment: str) -> None:
    with pytest.raises(ValidationError) as refused:
        evidence.check(make(), name)
    message = refused.value.messages[0]
    assert fragment in message
    assert f"“{name}”" in message


def test_size_cap_comes_from_the_settings(settings: Any) -> None:
    settings.REPORT_EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match=r"larger than the 0\.0 MB allowed"):
        evidence.check(helpers.PDF + b"0" * 2000, "lon.pdf")
    assert evidence.check(helpers.PDF, "nho.pdf").kind == "pdf"


def test_upload_stores_outside_the_web_root_with_hash_and_detected_type(
    persona: Any, settings: Any
) -> None:
    tuan = persona("tuan")
    report = helpers.open_report(tuan)
    item = services.evidence_add(
        actor=tuan,
        report=report,
        criterion=helpers.criterion("1.1"),
        data=helpers.PNG,
        name="C:\\Users\\tuan\\ảnh hội nghị.png",
    )
    assert item.kind == "png" and item.content_type == "image/png"
    assert item.original_name == "ảnh hội nghị.png"
    assert item.size == len(helpers.PNG)
    stored = Path(settings.DATA_DIR) / "report-evidence" / item.path
    assert stored.read_bytes() == helpers.PNG
    assert item.sha256 in stored.name
    assert not str(stored).startswith(str(settings.STATIC_ROOT))
    assert not str(stored).startswith(str(settings.MEDIA_ROOT))


def test_same_file_twice_on_a_criterion_is_one_attachment(persona: Any) -> None:
    tuan = persona("tuan")
    report = helpers.open_report(tuan)
    criterion = helpers.criterion("1.1")
    first = services.evidence_add(
        actor=tuan, report=report, criterion=criterion, data=helpers.PDF, name="a.pdf"
    )
    again = services.evidence_add(
        actor=tuan, report=report, criterion=criterion, data=helpers.PDF, name="a (1).pdf"
    )
    other = services.evidence_add(
        actor=tuan,
        report=report,
        criterion=helpers.criterion("1.2"),
        data=helpers.PDF,
        name="a.pdf",
    )
    assert again.pk == first.pk
    assert other.pk != first.pk
    assert Evidence.objects.filter(report=report).count() == 2


def test_a_refused_file_writes_nothing(persona: Any, settings: Any) -> None:
    tuan = persona("tuan")
    report = helpers.open_report(tuan)
    with pytest.raises(ValidationError):
        services.evidence_add(
            actor=tuan,
            report=report,
            criterion=helpers.criterion("1.1"),
            data=helpers.EXE,
            name="virus.jpg",
        )
    assert not Evidence.objects.filter(report=report).exists()
    assert not (Path(settings.DATA_DIR) / "report-evidence").exists()


def test_staff_cannot_upload(persona: Any) -> None:
    report = helpers.open_report(persona("tuan"))
    with pytest.raises(PermissionDenied):
        services.evidence_add(
            actor=persona("mai"),
            report=report,
            criterion=helpers.criterion("1.1"),
            data=helpers.PDF,
            name="a.pdf",
        )


def _uploaded(persona: Any) -> tuple[Any, Evidence]:
    tuan = persona("tuan")
    report = helpers.open_report(tuan)
    item = services.evidence_add(
        actor=tuan,
        report=report,
        criterion=helpers.criterion("1.1"),
        data=helpers.docx(),
        name="Báo cáo minh chứng.docx",
    )
    return report, item


@pytest.mark.parametrize("username", ["tuan", "mai", "minh", "hoa", "lan", "thu"])
def test_download_for_those_who_may_see_the_report(login: Any, persona: Any, username: str) -> None:
    report, item = _uploaded(persona)
    response = login(username).get(reverse("report_evidence_download", args=[report.pk, item.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == evidence.CONTENT_TYPES["docx"]
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''B%C3%A1o" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == evidence.read(item.path)


def test_head_of_another_block_can_neither_see_nor_download(client: Any, persona: Any) -> None:
    report, item = _uploaded(persona)
    outsider = helpers.head_of("TVIEN")  # leads Khối 2
    client.force_login(outsider)
    assert client.get(reverse("report_detail", args=[report.pk])).status_code == 403
    download = client.get(reverse("report_evidence_download", args=[report.pk, item.pk]))
    assert download.status_code == 403
    assert client.get(reverse("report_board", args=[report.cycle_id, "yearend"])).status_code == 403


def test_head_of_another_member_unit_cannot_see_a_report(client: Any, persona: Any) -> None:
    report, item = _uploaded(persona)
    client.force_login(helpers.head_of("KHTC"))  # a member of Khối 1, not leader or deputy
    assert client.get(reverse("report_detail", args=[report.pk])).status_code == 403
    download = client.get(reverse("report_evidence_download", args=[report.pk, item.pk]))
    assert download.status_code == 403


def test_anonymous_is_sent_to_sign_in(client: Any, persona: Any) -> None:
    report, item = _uploaded(persona)
    response = client.get(reverse("report_evidence_download", args=[report.pk, item.pk]))
    assert response.status_code == 302


def _kept_files(settings: Any) -> list[Path]:
    return [p for p in (Path(settings.DATA_DIR) / "report-evidence").rglob("*") if p.is_file()]


def test_evidence_refused_for_a_submitted_report_leaves_no_file(settings: Any) -> None:
    report = helpers.submit("QLDL")
    with pytest.raises(ValidationError):
        services.evidence_add(
            actor=helpers.head_of("QLDL"),
            report=report,
            criterion=helpers.criterion("1.1"),
            data=helpers.PDF + b"% late\n",
            name="nop-muon.pdf",
        )
    assert not Evidence.objects.filter(report=report).exists()
    assert _kept_files(settings) == []


def test_a_refusal_never_removes_the_file_another_row_keeps(settings: Any) -> None:
    report = helpers.submit("QLDL")
    head = helpers.head_of("QLDL")
    midyear = helpers.open_report(head, code="QLDL", period=Period.MIDYEAR)
    kept = services.evidence_add(
        actor=head,
        report=midyear,
        criterion=helpers.criterion("1.1"),
        data=helpers.PDF,
        name="a.pdf",
    )
    with pytest.raises(ValidationError):
        services.evidence_add(
            actor=head,
            report=report,
            criterion=helpers.criterion("1.1"),
            data=helpers.PDF,
            name="a.pdf",
        )
    assert [p.name for p in _kept_files(settings)] == [Path(kept.path).name]
