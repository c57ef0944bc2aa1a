"""The import pages: upload checks by content and size, the job page (preview, confirm,
result), the list of recent imports, and 403s.

The tests run with the ImmediateBackend, so a task runs as soon as its enqueue is committed
(`committed()` in conftest); test_jobs.py covers a job seen before its task ran."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.org.importer import build_template
from thidua.org.models import Employment, ImportJob, ImportStage, Person, Unit

from .conftest import (
    AGENCY,
    bad_file,
    confirm,
    data_counts,
    fill_template,
    good_file,
    job_of,
    job_url,
    upload,
)


@pytest.fixture
def agency(db):
    return Unit.objects.get(code=AGENCY)


def test_upload_form_lists_the_agencies_the_officer_may_import_into(login, english, agency):
    html = login("lan").get(reverse("import_upload")).content.decode()
    assert f'<option value="{agency.pk}"' in html
    assert "Ủy ban nhân dân thành phố Cần Thơ" not in html
    assert reverse("import_template") in html
    assert "My recent imports" not in html  # none yet


def test_upload_then_the_job_page_shows_the_preview(login, english, agency, settings):
    client = login("lan")
    data = good_file()
    sha = hashlib.sha256(data).hexdigest()

    response = upload(client, agency, data, name="so-vhttdl.xlsx")

    job = job_of(response)
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert (job.stage, job.sha256, job.file_name) == (ImportStage.AWAITING, sha, "so-vhttdl.xlsx")
    assert (job.user.username, job.agency, job.language) == ("lan", agency, "en")
    assert (settings.DATA_DIR / "uploads" / "imports" / f"{sha}.xlsx").read_bytes() == data
    html = client.get(job_url(job)).content.decode()
    assert "Confirm the import" in html
    assert '<th scope="row">Đơn vị</th><td class="text-end">1</td>' in html
    assert 'hx-trigger="every 2s"' not in html  # nothing left to wait for
    assert not Unit.objects.filter(code="TTPHIM").exists()  # the preview writes nothing


def test_the_job_page_lists_each_error_with_sheet_row_and_column(login, english, agency):
    client = login("lan")
    job = job_of(upload(client, agency, bad_file()))
    html = client.get(job_url(job)).content.decode()
    assert job.stage == ImportStage.REFUSED
    assert "The file has 1 error." in html
    assert "<td>Xếp loại</td><td>2</td><td>Năm</td>" in html
    assert "Confirm the import" not in html
    assert job.plan["errors"] == [
        {
            "sheet": "Xếp loại",
            "row": 2,
            "column": "Năm",
            "message": "VP-001 was not employed by any unit of Sở Văn hóa, Thể thao và Du lịch "
            "thành phố Cần Thơ in 2014, so cannot be rated for that year.",
        }
    ]


def test_confirm_imports_and_a_second_click_changes_nothing(login, english, agency):
    client = login("lan")
    job = job_of(upload(client, agency, good_file()))

    first = confirm(client, job)
    after_first = data_counts()
    events = AuditEvent.objects.count()
    second = confirm(client, job)

    job.refresh_from_db()
    assert (job.stage, job.confirmed_by.username) == (ImportStage.DONE, "lan")
    assert job.result["created"] == 4 and job.result["updated"] == 0
    assert "4 rows added, 0 rows updated" in first.content.decode()
    assert "4 rows added, 0 rows updated" in second.content.decode()
    assert Person.objects.filter(code="NV-900").count() == 1
    assert data_counts() == after_first
    assert AuditEvent.objects.count() == events


def test_the_same_file_confirmed_in_two_jobs_is_written_once(login, english, agency):
    # Two uploads of one file, both previewed before either is confirmed: the second import
    # plans against what the first wrote and finds nothing left to do.
    client = login("lan")
    first, second = (job_of(upload(client, agency, good_file())) for _ in range(2))
    assert first.pk != second.pk and first.stage == second.stage == ImportStage.AWAITING

    confirm(client, first)
    after_first = data_counts()
    events = AuditEvent.objects.count()
    html = confirm(client, second).content.decode()

    second.refresh_from_db()
    assert (second.stage, second.result["created"], second.result["updated"]) == ("done", 0, 0)
    assert "Nothing to change: the data already matches this file." in html
    assert data_counts() == after_first
    assert AuditEvent.objects.count() == events


def test_a_job_with_errors_cannot_be_confirmed(login, english, agency):
    client = login("lan")
    job = job_of(upload(client, agency, bad_file()))
    before = data_counts()
    response = confirm(client, job)
    job.refresh_from_db()
    assert job.stage == ImportStage.REFUSED and job.confirmed_by is None
    assert "The file has 1 error." in response.content.decode()
    assert data_counts() == before


def test_a_file_that_no_longer_fits_the_data_is_refused_at_import(login, english, agency):
    # Valid at the preview; by the confirmation the person has started work in another
    # agency, whose details only that agency may change. The import re-plans and refuses.
    client = login("lan")
    stranger = Person.objects.create(code="UB-1", full_name="Người Ủy ban", search_text="ub-1")
    job = job_of(upload(client, agency, fill_template(people=[["UB-1", "Tên khác", None, None]])))
    assert job.stage == ImportStage.AWAITING
    Employment.objects.create(
        person=stranger, unit=Unit.objects.get(code="UBND-CT"), valid_from="2019-01-01"
    )
    before = data_counts()

    html = confirm(client, job).content.decode()

    job.refresh_from_db()
    assert job.stage == ImportStage.REFUSED
    assert job.message == "The file has 1 error; nothing was imported."
    assert "<td>Nhân sự</td><td>2</td><td>Mã cán bộ</td>" in html
    assert data_counts() == before
    assert Person.objects.get(code="UB-1").full_name == "Người Ủy ban"


def test_a_file_that_is_not_xlsx_is_refused_by_its_content(login, english, agency, settings):
    response = upload(login("lan"), agency, b"Ma don vi;Ten don vi\nVP;Van phong\n")
    assert response.status_code == 400
    assert "This is not an Excel .xlsx file." in response.content.decode()
    assert not (settings.DATA_DIR / "uploads" / "imports").exists()
    assert not ImportJob.objects.exists()


def test_a_zip_that_is_not_a_workbook_is_refused(login, english, agency):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    response = upload(login("lan"), agency, buffer.getvalue())
    assert response.status_code == 400
    assert "This is not an Excel .xlsx file." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_oversize_file_is_refused(login, english, agency, settings):
    # One build: the workbook carries its creation time, so two builds can
    # compress to sizes a byte apart and slip under a limit set from the other.
    workbook = build_template()
    settings.IMPORT_MAX_BYTES = len(workbook) - 1
    response = upload(login("lan"), agency, workbook)
    assert response.status_code == 400
    assert "The file is larger than" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_unit_head_gets_403_on_every_import_page(login, agency):
    job = job_of(upload(login("lan"), agency, good_file()))
    client = login("tuan")
    before = data_counts()
    assert client.get(reverse("import_upload")).status_code == 403
    assert client.get(reverse("import_template")).status_code == 403
    assert upload(client, agency, good_file()).status_code == 403
    assert client.get(job_url(job)).status_code == 403
    assert client.get(job_url(job), headers={"HX-Request": "true"}).status_code == 403
    assert confirm(client, job).status_code == 403
    job.refresh_from_db()
    assert (job.stage, job.confirmed_by) == (ImportStage.AWAITING, None)
    assert data_counts() == before


def test_a_colleague_who_may_import_into_the_agency_sees_and_confirms_the_job(login, agency):
    job = job_of(upload(login("lan"), agency, good_file()))
    client = login("khoa")  # system administrator of the same agency
    assert client.get(job_url(job)).status_code == 200
    confirm(client, job)
    job.refresh_from_db()
    assert (job.stage, job.user.username, job.confirmed_by.username) == ("done", "lan", "khoa")
    # The import is the act of whoever confirmed it, as when it ran in the request.
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor.username) == (AuditAction.ORG_IMPORTED, "khoa")


def test_an_unknown_job_is_404(login):
    url = reverse("import_job", kwargs={"job_id": "00000000-0000-0000-0000-000000000000"})
    assert login("lan").get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, login, agency):
    job = job_of(upload(login("lan"), agency, good_file()))
    client.logout()
    for url in (reverse("import_upload"), job_url(job)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_preview_of_an_already_imported_file_says_nothing_will_change(login, english, agency):
    client = login("lan")
    confirm(client, job_of(upload(client, agency, good_file())))
    job = job_of(upload(client, agency, good_file()))
    html = client.get(job_url(job)).content.decode()
    assert job.stage == ImportStage.DONE and job.confirmed_by is None
    assert "Nothing to change: the data already matches this file." in html
    assert "Confirm the import" not in html


def test_recent_imports_are_listed_on_the_upload_page(login, english, agency):
    client = login("lan")
    done = job_of(upload(client, agency, good_file(), name="lan-dau.xlsx"))
    confirm(client, done)
    refused = job_of(upload(client, agency, bad_file(), name="co-loi.xlsx"))
    job_of(upload(login("khoa"), agency, good_file(), name="cua-khoa.xlsx"))

    html = login("lan").get(reverse("import_upload")).content.decode()

    assert "My recent imports" in html
    assert f'<a href="{job_url(done)}">lan-dau.xlsx</a>' in html
    assert f'<a href="{job_url(refused)}">co-loi.xlsx</a>' in html
    assert "Done" in html and "Refused" in html
    assert "cua-khoa.xlsx" not in html  # another officer's upload
    assert html.index("co-loi.xlsx") < html.index("lan-dau.xlsx")  # newest first
