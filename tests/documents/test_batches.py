"""Issuing many documents in the job worker: every item through the registry with a key of
its own, a broken item named with its reason while the others are issued, a crashed worker
resumed without issuing anything twice, one batch per submit, and the block dossier ZIP."""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading
import zipfile
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.documents.helpers import FakeRenderer, issue, nothing_written
from tests.titles.factories import justify
from thidua.awards import award_list as awards_list
from thidua.awards.models import AwardDecision
from thidua.campaigns.models import Campaign
from thidua.documents import batches, services
from thidua.documents.certificate import certificate_sample
from thidua.documents.models import (
    DocumentBatch,
    DocumentBatchItem,
    DocumentType,
    IssuedDocument,
    IssuingBody,
    NumberCounter,
)
from thidua.documents.services import issuing
from thidua.lib import files as stored_files
from thidua.lib.files import Area
from thidua.org.demo_issuers import ensure_demo_issuers
from thidua.org.models import Block, UnitKind, User
from thidua.org.services.units import unit_create

NAMES = ["Bà Nguyễn Thị Hằng", "Ông Trần Văn Đức", "Phòng Quản lý Du lịch"]


@pytest.fixture(autouse=True)
def _english_pages(client: Any, settings: Any) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def svh(db: Any) -> IssuingBody:
    return {b.symbol: b for b in ensure_demo_issuers()}["SVHTTDL"]


@pytest.fixture
def lan(persona: Any) -> Any:
    return persona("lan")


@pytest.fixture
def campaign(db: Any) -> Campaign:
    return Campaign.objects.get(agency__code="SVHTTDL", year=2021)


@pytest.fixture
def no_pdf(settings: Any, tmp_path: Any) -> None:
    settings.SOFFICE_PATH = str(tmp_path / "not-installed")


def certificate(name: str, position: int) -> tuple[str, dict[str, Any]]:
    fields = {**certificate_sample(), "recipient_name": name, "register_number": f"{position:02d}"}
    return name, {
        "doc_type_code": "GK",
        "issued_on": "2021-01-04",
        "summary": f"Giấy khen tặng {name}",
        "signer_name": "Nguyễn Khánh Tùng",
        "signer_title": "Giám đốc",
        "fields": fields,
    }


def certificates(names: list[str] = NAMES) -> list[tuple[str, dict[str, Any]]]:
    return [certificate(name, i) for i, name in enumerate(names, start=1)]


def start(actor: Any, issuer: IssuingBody, items: Any, key: str = "gk-batch-0001") -> DocumentBatch:
    return batches.batch_start(
        actor=actor,
        kind=DocumentBatch.Kind.CERTIFICATES,
        title="Giấy khen theo Quyết định 15/QĐ-SVHTTDL",
        items=items,
        issuer=issuer,
        idempotency_key=key,
    )


def gk_numbers(issuer: IssuingBody) -> int:
    counter = NumberCounter.objects.filter(issuer=issuer, year=2021, doc_type__code="GK").first()
    return counter.last_number if counter else 0


def test_a_batch_issues_every_item_and_makes_the_pdfs_together(
    lan, svh, django_capture_on_commit_callbacks, login
):
    # The real LibreOffice: one process converts the whole chunk.
    with django_capture_on_commit_callbacks(execute=True):
        batch = start(lan, svh, certificates())
    batch.refresh_from_db()
    assert batch.status == "done" and (batch.done_count, batch.failed_count) == (3, 0)
    assert batch.heartbeat_at is not None and batch.finished_at is not None
    items = list(batch.items.select_related("document").order_by("position"))
    assert [item.document.symbol for item in items] == [
        "01/GK-SVHTTDL",
        "02/GK-SVHTTDL",
        "03/GK-SVHTTDL",
    ]
    for item in items:
        document = item.document
        assert document.pdf_status == "ready", document.pdf_error
        pdf = stored_files.read(Area.DOCUMENTS, document.pdf_path)
        assert pdf.startswith(b"%PDF-") and stored_files.sha256_hex(pdf) == document.pdf_sha256
        assert document.template_key == "giay_khen"
    html = login("lan").get(reverse("document_batch", args=[batch.pk])).content.decode()
    assert "3 of 3 done" in html and "03/GK-SVHTTDL" in html


def test_a_broken_item_is_named_with_its_reason_and_the_others_are_issued(
    lan, svh, no_pdf, django_capture_on_commit_callbacks, login
):
    items = certificates()
    del items[1][1]["fields"]["recipient_name"]  # a template field the data lacks
    items.append(("Phòng Không Ngày", {**items[0][1], "issued_on": "2021-13-01"}))
    with django_capture_on_commit_callbacks(execute=True):
        batch = start(lan, svh, items)
    batch.refresh_from_db()
    assert batch.status == "done" and (batch.done_count, batch.failed_count) == (2, 2)
    failed = {item.label: item.error for item in batch.items.filter(status="failed")}
    assert set(failed) == {"Ông Trần Văn Đức", "Phòng Không Ngày"}
    assert "recipient_name" in failed["Ông Trần Văn Đức"]
    assert "month must be in 1..12" in failed["Phòng Không Ngày"]
    # The failed item took no number: the two issued ones are 01 and 02.
    assert sorted(IssuedDocument.objects.values_list("symbol", flat=True)) == [
        "01/GK-SVHTTDL",
        "02/GK-SVHTTDL",
    ]
    assert gk_numbers(svh) == 2
    # LibreOffice missing: the DOCX are issued, each PDF says why.
    assert set(IssuedDocument.objects.values_list("pdf_status", flat=True)) == {"failed"}
    html = login("lan").get(reverse("document_batch", args=[batch.pk])).content.decode()
    assert "Ông Trần Văn Đức" in html and "recipient_name" in html and "2 failed" in html


def test_a_worker_that_died_mid_batch_is_resumed_without_issuing_twice(
    lan, svh, no_pdf, monkeypatch
):
    batch = start(lan, svh, certificates())  # queued; the worker has not run
    real_issue = issuing.document_issue

    def dies_after_the_second_issue(**kwargs: Any) -> IssuedDocument:
        document = real_issue(**kwargs)
        if kwargs["idempotency_key"].endswith(":2"):
            # The process is killed after the registry committed, before the item is marked.
            raise KeyboardInterrupt
        return document

    monkeypatch.setattr(issuing, "document_issue", dies_after_the_second_issue)
    with pytest.raises(KeyboardInterrupt):
        batches.run_batch(batch.pk)
    batch.refresh_from_db()
    assert batch.status == "running" and batch.done_count == 1
    assert IssuedDocument.objects.count() == 2
    monkeypatch.setattr(issuing, "document_issue", real_issue)

    assert batches.run_batch(batch.pk) == "done"
    batch.refresh_from_db()
    assert (batch.done_count, batch.failed_count, batch.status) == (3, 0, "done")
    assert IssuedDocument.objects.count() == 3 and gk_numbers(svh) == 3
    documents = [item.document_id for item in batch.items.order_by("position")]
    assert len(set(documents)) == 3
    # Running a finished batch again does nothing.
    assert batches.run_batch(batch.pk) == "skipped"
    assert IssuedDocument.objects.count() == 3


def test_a_double_submit_starts_one_batch(lan, svh, no_pdf, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as first:
        one = start(lan, svh, certificates(), key="same-key-123")
    with django_capture_on_commit_callbacks(execute=True) as second:
        two = start(lan, svh, certificates(), key="same-key-123")
    assert one.pk == two.pk and len(first) == 1 and second == []
    assert DocumentBatch.objects.count() == 1 and DocumentBatchItem.objects.count() == 3
    assert IssuedDocument.objects.count() == 3


def test_a_unit_head_cannot_start_a_certificate_batch(persona, svh):
    with nothing_written(), pytest.raises(PermissionDenied):
        start(persona("minh"), svh, certificates())


def test_a_batch_silent_for_too_long_shows_as_failed(
    lan, svh, no_pdf, login, django_capture_on_commit_callbacks
):
    batch = start(lan, svh, certificates())
    long_ago = timezone.now() - batches.STALLED_AFTER - dt.timedelta(minutes=1)
    DocumentBatch.objects.filter(pk=batch.pk).update(status="running", heartbeat_at=long_ago)
    html = login("lan").get(reverse("document_batch", args=[batch.pk])).content.decode()
    assert "stopped without finishing" in html
    batch.refresh_from_db()
    assert batch.status == "failed"
    # Run it again from the page: it finishes, issuing each item once.
    with django_capture_on_commit_callbacks(execute=True):
        response = login("lan").post(reverse("document_batch_resume", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "done" and batch.done_count == 3
    assert IssuedDocument.objects.count() == 3


# The block dossier -------------------------------------------------------------------------


@pytest.fixture
def block1(campaign: Campaign) -> Block:
    return Block.objects.get(agency=campaign.agency, name__contains="số 1")


@pytest.fixture
def block2(campaign: Campaign) -> Block:
    return Block.objects.get(agency=campaign.agency, name__contains="số 2")


def dossier(actor: Any, campaign: Campaign, block: Block, key: str = "dossier-0001") -> Any:
    return batches.batch_start(
        actor=actor,
        kind=DocumentBatch.Kind.DOSSIER,
        title=f"Hồ sơ {block}",
        items=[],
        issuer=None,
        campaign=campaign,
        block=block,
        idempotency_key=key,
    )


def test_the_dossier_zip_holds_the_blocks_documents_and_a_manifest_with_their_hashes(
    lan, svh, campaign, block1, block2, django_capture_on_commit_callbacks, login
):
    plan = issue(lan, svh, campaign=campaign)  # campaign-wide, with a PDF
    report = issue(
        lan,
        svh,
        doc_type_code="BC",
        campaign=campaign,
        block=block1,
        render=FakeRenderer(pdf=False),
    )
    other = issue(lan, svh, campaign=campaign, block=block2)
    with django_capture_on_commit_callbacks(execute=True):
        batch = dossier(lan, campaign, block1)
    batch.refresh_from_db()
    assert batch.status == "done", batch.error
    data = b"".join(
        login("minh").get(reverse("document_batch_download", args=[batch.pk])).streaming_content
    )
    assert stored_files.sha256_hex(data) == batch.result_sha256
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        manifest = list(
            csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig")))
        )
        files = {row["file"]: row for row in manifest if row["file"]}
        for name, row in files.items():
            assert stored_files.sha256_hex(archive.read(name)) == row["sha256"]
    assert "manifest.csv" in names
    numbers = {row["number"] for row in files.values()}
    assert plan.symbol in numbers and report.symbol in numbers and other.symbol not in numbers
    # The PDF where there is one, else the Word file.
    assert any(n.endswith(".pdf") and "KH" in n for n in files)
    assert any(n.endswith(".docx") and "BC" in n for n in files)
    notes = [row["note"] for row in manifest if not row["file"]]
    assert any("covenant" in note.lower() for note in notes) or any("giao-uoc" in n for n in files)


def test_only_the_secretariat_and_the_blocks_leaders_get_its_dossier(
    lan, persona, campaign, block1, block2, django_capture_on_commit_callbacks, login
):
    with django_capture_on_commit_callbacks(execute=True):
        mine = dossier(persona("minh"), campaign, block1)  # minh leads Khối 1
    url = reverse("document_batch_download", args=[mine.pk])
    assert login("hoa").get(url).status_code == 200  # the deputy
    assert login("lan").get(url).status_code == 200
    assert login("tuan").get(url).status_code == 403  # a member, not a leader
    assert login("mai").get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        dossier(persona("minh"), campaign, block2, key="dossier-0002")
    with django_capture_on_commit_callbacks(execute=True):
        theirs = dossier(lan, campaign, block2, key="dossier-0003")
    assert (
        login("minh").get(reverse("document_batch_download", args=[theirs.pk])).status_code == 403
    )
    assert login("minh").get(reverse("document_batch", args=[theirs.pk])).status_code == 403


def test_the_secretariat_starts_a_dossier_from_the_campaign_page(
    lan, campaign, block1, django_capture_on_commit_callbacks, login
):
    client = login("lan")
    page = client.get(reverse("campaign_detail", args=[campaign.pk])).content.decode()
    url = reverse("block_dossier_start", args=[campaign.pk, block1.pk])
    assert url in page
    # The page names the competition block, not Django's template block of the same name.
    listing = client.get(url).content.decode()
    assert f"Dossier of {block1.name}, {campaign.year}" in listing
    assert "Block Node" not in listing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"key": "page-key-0001"})
        again = client.post(url, {"key": "page-key-0001"})
    assert response.status_code == again.status_code == 302
    assert response["Location"] == again["Location"]
    assert DocumentBatch.objects.filter(kind="dossier").count() == 1
    html = client.get(response["Location"]).content.decode()
    assert "Download the dossier (ZIP)" in html


# The award decision from an Excel list, and all its certificates ----------------------------


def award_list(rows: list[list[Any]], header: tuple[str, ...] = awards_list.HEADERS) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("danh-sach.xlsx", out.getvalue())


# The rows name a unit and a person of the demo agency and forms the Department awards
# itself: the register records one award per row (it refuses what it cannot match, and a
# provincial title such as "Tập thể lao động xuất sắc" is not the Director's to award).
GOOD_ROWS = [
    [
        "Phòng Quản lý Du lịch",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Tập thể lao động tiên tiến",
        "Tập thể",
    ],
    ["Bà Lê Thị Hoa", "Giám đốc Trung tâm Văn hóa", "Giấy khen", "Cá nhân"],
]


def post_award(client: Any, campaign: Campaign, upload: Any, key: str = "award-key-001") -> Any:
    return client.post(
        reverse("award_decision_new", args=[campaign.pk]),
        {
            "file": upload,
            "summary": "Về việc khen thưởng năm 2021",
            "authority": "Giám đốc Sở Văn hóa, Thể thao và Du lịch",
            "reason": "đã có thành tích xuất sắc trong phong trào thi đua năm 2021",
            "key": key,
        },
    )


def test_an_award_list_with_errors_is_reported_by_row_and_column_and_nothing_is_issued(
    login, campaign, svh
):
    rows = [
        GOOD_ROWS[0],
        ["Ông Trần Văn Đức", "Phó Giám đốc", "", "Cá nhân"],
        ["Bà X", "Y", "Z", "Đơn vị"],
    ]
    client = login("lan")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the messages are asserted in English
    with nothing_written():
        response = post_award(client, campaign, award_list(rows))
    assert response.status_code == 400
    html = response.content.decode()
    assert "nothing was issued" in html
    errors = [str(e) for e in response.context["cell_errors"]]
    assert errors == [
        "Row 3, column C: this cell is empty.",
        "Row 4, column D: write “Cá nhân” or “Tập thể”.",
    ]
    with nothing_written():
        wrong = post_award(client, campaign, award_list(GOOD_ROWS, header=("a", "b", "c", "d")))
    assert "The first row must be the header" in wrong.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    with nothing_written():
        fake = post_award(client, campaign, SimpleUploadedFile("x.xlsx", b"not a workbook"))
    assert "This is not an Excel .xlsx file" in fake.content.decode()


def test_an_award_list_row_the_register_cannot_match_refuses_the_whole_issue(login, campaign, svh):
    rows = [
        GOOD_ROWS[0],
        ["Bà Không Có Thật", "Chuyên viên", "Giấy khen", "Cá nhân"],
        ["Phòng Không Có", "Sở Văn hóa, Thể thao và Du lịch", "Giấy khen", "Tập thể"],
        ["Phòng Quản lý Du lịch", "Sở", "Cờ thi đua của Ủy ban nhân dân thành phố", "Tập thể"],
    ]
    client = login("lan")
    with nothing_written():
        response = post_award(client, campaign, award_list(rows))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Row 3: nobody named “Bà Không Có Thật” works in" in html
    assert "Row 4: no unit of Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ is named" in html
    assert "Row 5: “Cờ thi đua của Ủy ban nhân dân thành phố” is not awarded by" in html
    assert not AwardDecision.objects.exists()


def test_the_award_list_template_has_the_header_row(login, campaign, svh):
    from openpyxl import load_workbook

    response = login("lan").get(reverse("award_list_template", args=[campaign.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == list(awards_list.HEADERS)
    assert login("minh").get(reverse("award_list_template", args=[campaign.pk])).status_code == 403


def test_all_certificates_of_a_decision_print_its_number_and_date(
    login, campaign, svh, no_pdf, django_capture_on_commit_callbacks
):
    client = login("lan")
    justify(unit_code="QLDL", title="TTLDTT", year=campaign.year)
    response = post_award(client, campaign, award_list(GOOD_ROWS))
    assert response.status_code == 302, response.content.decode()[:3000]
    decision = IssuedDocument.objects.get(campaign=campaign, doc_type__code="QĐ")
    assert decision.template_key == "quyet_dinh_khen_thuong"
    text = docx_text(stored_files.read(Area.DOCUMENTS, decision.docx_path))
    assert "Bà Lê Thị Hoa" in text and decision.symbol in text
    # The register holds the same decision, one award per row, matched to the unit and person.
    recorded = AwardDecision.objects.get(document=decision)
    assert recorded.symbol == decision.symbol
    assert sorted((a.recipient_name, a.form.code) for a in recorded.awards.all()) == [
        ("Lê Thị Hoa", "GK_SO"),
        ("Phòng Quản lý Du lịch", "TTLDTT"),
    ]
    hoa = User.objects.get(username="hoa")
    assert recorded.awards.get(form__code="GK_SO").person_id == hoa.person_id
    # A double submit of the form returns the same decision.
    post_award(client, campaign, award_list(GOOD_ROWS))
    assert IssuedDocument.objects.filter(doc_type__code="QĐ").count() == 1
    page = client.get(reverse("document_detail", args=[decision.pk])).content.decode()
    assert "Issue all certificates" in page
    # The signed copy, once the director has signed with the token, is uploaded from here.
    assert reverse("signatures_document", args=[decision.pk]) in page
    start_url = reverse("decision_certificates_start", args=[decision.pk])
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(start_url, {"key": "certs-key-0001", "mode": "full"})
        client.post(start_url, {"key": "certs-key-0001", "mode": "full"})
    batch = DocumentBatch.objects.get(source=decision)
    assert started["Location"] == reverse("document_batch", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.status == "done" and batch.done_count == 2
    certificates_ = IssuedDocument.objects.filter(doc_type__code="GK").order_by("number")
    assert [c.symbol for c in certificates_] == ["01/GK-SVHTTDL", "02/GK-SVHTTDL"]
    date = decision.issued_on.strftime("%d/%m/%Y")
    for certificate_doc, name in zip(
        certificates_, ["Phòng Quản lý Du lịch", "Bà Lê Thị Hoa"], strict=True
    ):
        text = docx_text(stored_files.read(Area.DOCUMENTS, certificate_doc.docx_path))
        assert name in text and decision.symbol in text and date in text
        assert certificate_doc.campaign_id == campaign.pk
    assert login("minh").post(start_url, {"key": "certs-key-0002"}).status_code == 403


def test_an_annulled_decision_prints_no_certificates_from_the_documents_page(
    login, campaign, svh, no_pdf, persona
):
    from thidua.awards.services import annul_decision

    client = login("lan")
    justify(unit_code="QLDL", title="TTLDTT", year=campaign.year)
    post_award(client, campaign, award_list(GOOD_ROWS))
    decision = IssuedDocument.objects.get(campaign=campaign, doc_type__code="QĐ")
    recorded = AwardDecision.objects.get(document=decision)
    later = AwardDecision.objects.create(
        agency=recorded.agency,
        issuer_name=recorded.issuer_name,
        symbol="99/QĐ-SVHTTDL",
        issued_on=recorded.issued_on,
    )
    annul_decision(actor=persona("lan"), decision=recorded, by=later, reason="Kê khai sai")
    page = client.get(reverse("document_detail", args=[decision.pk])).content.decode()
    assert 'id="certificates-annulled"' in page and "Issue all certificates" not in page
    response = client.post(
        reverse("decision_certificates_start", args=[decision.pk]), {"key": "certs-key-0009"}
    )
    assert response["Location"] == reverse("document_detail", args=[decision.pk])
    assert not DocumentBatch.objects.filter(source=decision).exists()
    assert not IssuedDocument.objects.filter(doc_type__code="GK").exists()


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(
            archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("word/") and name.endswith(".xml")
        )


def test_the_block_leader_builds_their_dossier_from_its_page(
    campaign, block1, block2, django_capture_on_commit_callbacks, login
):
    client = login("minh")
    url = reverse("block_dossier_start", args=[campaign.pk, block1.pk])
    assert "Build the dossier now" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"key": "leader-key-0001"})
    batch = DocumentBatch.objects.get(kind="dossier", block=block1)
    assert response["Location"] == reverse("document_batch", args=[batch.pk])
    assert reverse("document_batch_download", args=[batch.pk]) in client.get(url).content.decode()
    other = reverse("block_dossier_start", args=[campaign.pk, block2.pk])
    assert client.get(other).status_code == 403
    assert client.post(other, {"key": "leader-key-0002"}).status_code == 403
    assert login("tuan").get(url).status_code == 403


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises writers, so two workers never race there",
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_batch_issue_each_item_once(settings, tmp_path):
    settings.SOFFICE_PATH = str(tmp_path / "not-installed")
    admin = User.objects.create(username="batch-admin", is_superuser=True, is_staff=True)
    agency = unit_create(
        actor=admin,
        code="BATCH-AGENCY",
        name="Sở thử lô",
        kind=UnitKind.AGENCY,
        parent=None,
        valid_from=dt.date(2020, 1, 1),
    )
    body = services.issuing_body_save(actor=admin, unit=agency, symbol="STL", place="Cần Thơ")
    DocumentType.objects.get_or_create(code="GK", defaults={"name": "Giấy khen"})
    names = [f"Ông Thử Đồng Thời {i}" for i in range(1, 13)]
    batch = start(admin, body, certificates(names), key="race-batch-0001")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=30)
            batches.run_batch(batch.pk)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    batch.refresh_from_db()
    assert (batch.status, batch.done_count, batch.failed_count) == ("done", 12, 0)
    numbers = sorted(IssuedDocument.objects.filter(issuer=body).values_list("number", flat=True))
    assert numbers == list(range(1, 13))
    assert NumberCounter.objects.get(issuer=body).last_number == 12
