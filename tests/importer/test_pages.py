"""The import pages: upload checks by content and size, the preview, confirm, and 403s."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from tests.org.helpers import row_counts
from thidua.audit.models import AuditEvent
from thidua.org.importer import build_template
from thidua.org.models import Person, Unit

from .conftest import AGENCY, fill_template


@pytest.fixture
def agency(db):
    return Unit.objects.get(code=AGENCY)


def good_file() -> bytes:
    return fill_template(
        units=[
            ["TTPHIM", "Trung tâm Phát hành Phim", "", "Đơn vị sự nghiệp", AGENCY, "01/01/2016"]
        ],
        people=[["NV-900", "Đặng Ngọc Đạt", None, None]],
        employments=[["NV-900", "TTPHIM", "", "", "01/06/2018", None]],
        ratings=[["NV-900", 2020, "HTXSNV", ""]],
    )


def upload(client, agency, data, name="to-chuc.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(reverse("import_upload"), {"agency": agency.pk, "file": file})


def test_upload_form_lists_the_agencies_the_officer_may_import_into(login, english, agency):
    html = login("lan").get(reverse("import_upload")).content.decode()
    assert f'<option value="{agency.pk}"' in html
    assert "Ủy ban nhân dân thành phố Cần Thơ" not in html
    assert reverse("import_template") in html


def test_upload_then_preview_shows_what_will_happen(login, english, agency, settings):
    client = login("lan")
    data = good_file()
    sha = hashlib.sha256(data).hexdigest()

    response = upload(client, agency, data)

    preview = f"{reverse('import_preview', kwargs={'sha': sha})}?agency={agency.pk}"
    assert response.status_code == 302 and response["Location"] == preview
    assert (settings.UPLOAD_DIR / "imports" / f"{sha}.xlsx").read_bytes() == data
    html = client.get(preview).content.decode()
    assert "Confirm the import" in html
    assert '<th scope="row">Đơn vị</th><td class="text-end">1</td>' in html
    assert not Unit.objects.filter(code="TTPHIM").exists()  # the preview writes nothing


def test_preview_lists_each_error_with_sheet_row_and_column(login, english, agency):
    client = login("lan")
    data = fill_template(ratings=[["VP-001", 2014, "HTXSNV", ""]])
    response = upload(client, agency, data)
    html = client.get(response["Location"]).content.decode()
    assert "The file has 1 error." in html
    assert "<td>Xếp loại</td><td>2</td><td>Năm</td>" in html
    assert "Confirm the import" not in html


def test_confirm_imports_and_a_second_click_changes_nothing(login, english, agency):
    client = login("lan")
    data = good_file()
    sha = hashlib.sha256(data).hexdigest()
    upload(client, agency, data)
    confirm = reverse("import_confirm", kwargs={"sha": sha})

    first = client.post(confirm, {"agency": agency.pk}, follow=True)
    after_first = row_counts()
    events = AuditEvent.objects.count()
    second = client.post(confirm, {"agency": agency.pk}, follow=True)

    assert "4 rows added, 0 rows updated" in first.content.decode()
    assert "Nothing to change" in second.content.decode()
    assert Person.objects.filter(code="NV-900").count() == 1
    assert row_counts() == after_first
    assert AuditEvent.objects.count() == events


def test_confirm_refuses_a_file_with_errors(login, english, agency):
    client = login("lan")
    data = fill_template(ratings=[["VP-001", 2014, "HTXSNV", ""]])
    sha = hashlib.sha256(data).hexdigest()
    upload(client, agency, data)
    before = row_counts()
    response = client.post(
        reverse("import_confirm", kwargs={"sha": sha}), {"agency": agency.pk}, follow=True
    )
    assert "The file has 1 error; nothing was imported." in response.content.decode()
    assert row_counts() == before


def test_a_file_that_is_not_xlsx_is_refused_by_its_content(login, english, agency, settings):
    response = upload(login("lan"), agency, b"Ma don vi;Ten don vi\nVP;Van phong\n")
    assert response.status_code == 400
    assert "This is not an Excel .xlsx file." in response.content.decode()
    assert not (settings.UPLOAD_DIR / "imports").exists()


def test_a_zip_that_is_not_a_workbook_is_refused(login, english, agency):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    response = upload(login("lan"), agency, buffer.getvalue())
    assert response.status_code == 400
    assert "This is not an Excel .xlsx file." in response.content.decode()


def test_an_oversize_file_is_refused(login, english, agency, settings):
    settings.IMPORT_MAX_BYTES = len(build_template()) - 1
    response = upload(login("lan"), agency, build_template())
    assert response.status_code == 400
    assert "The file is larger than" in response.content.decode()


def test_a_unit_head_gets_403_on_every_import_page(login, agency):
    client = login("tuan")
    sha = hashlib.sha256(b"x").hexdigest()
    assert client.get(reverse("import_upload")).status_code == 403
    assert client.get(reverse("import_template")).status_code == 403
    assert upload(client, agency, good_file()).status_code == 403
    preview = f"{reverse('import_preview', kwargs={'sha': sha})}?agency={agency.pk}"
    assert client.get(preview).status_code == 403
    confirm = reverse("import_confirm", kwargs={"sha": sha})
    assert client.post(confirm, {"agency": agency.pk}).status_code == 403


def test_confirm_for_a_stored_file_is_403_for_a_unit_head(login, agency):
    lan = login("lan")
    data = good_file()
    upload(lan, agency, data)
    client = login("tuan")
    before = row_counts()
    confirm = reverse("import_confirm", kwargs={"sha": hashlib.sha256(data).hexdigest()})
    assert client.post(confirm, {"agency": agency.pk}).status_code == 403
    assert row_counts() == before


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("import_upload"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_preview_of_an_already_imported_file_says_nothing_will_change(login, english, agency):
    client = login("lan")
    data = good_file()
    preview = upload(client, agency, data)["Location"]
    client.post(
        reverse("import_confirm", kwargs={"sha": hashlib.sha256(data).hexdigest()}),
        {"agency": agency.pk},
    )
    html = client.get(preview).content.decode()
    assert "Nothing to change: the data already matches this file." in html
    assert "Confirm the import" not in html
