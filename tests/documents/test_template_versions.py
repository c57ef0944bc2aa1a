"""Agency versions of the Word templates: checked with sample data at upload, refused with the
line, paragraph and field named, switched back and forth, and used to render documents."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.org.helpers import events_after, last_seq, nothing_written, text
from thidua.audit.actions import AuditAction
from thidua.campaigns import issuing
from thidua.campaigns.models import Campaign
from thidua.documents import template_versions as tv
from thidua.documents.models import IssuingBody, TemplateVersion
from thidua.documents.rendering import render_docx, sample_images
from thidua.documents.samples import SAMPLES
from thidua.lib import files as stored_files
from thidua.lib.dates import today
from thidua.lib.files import Area
from thidua.org.demo_issuers import ensure_demo_issuers

KEY = "ke_hoach"
HEADING = "I. MỤC ĐÍCH, YÊU CẦU"
CLERK_HEADING = "I. MỤC ĐÍCH VÀ YÊU CẦU CỦA KẾ HOẠCH"
NUMBER_TAG = "Số: {{ number_symbol }}"


def edited(
    old: str, new: str, *, part: str = "word/document.xml", extra: dict[str, bytes] | None = None
) -> bytes:
    """The built-in plan template with one text of `part` changed, as a clerk would in Word."""
    source = zipfile.ZipFile(io.BytesIO(tv.builtin_content(KEY)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part:
                xml = data.decode("utf-8")
                assert old in xml, f"{old!r} is not in {part}"
                data = xml.replace(old, new, 1).encode("utf-8")
            target.writestr(info, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def body_text(docx: bytes) -> str:
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode("utf-8")
    return " ".join(re.sub(r"<[^>]+>", " ", xml).split())


@pytest.fixture(autouse=True)
def _english_pages(client: Any, settings: Any) -> None:
    # The pages follow the visitor's language (Vietnamese by default); messages are asserted
    # in English except where a test asks for Vietnamese.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def issuer(db: Any) -> IssuingBody:
    ensure_demo_issuers()
    return IssuingBody.objects.select_related("unit").get(unit__code="SVHTTDL")


@pytest.fixture
def lan(persona: Any) -> Any:
    return persona("lan")


def upload(actor: Any, issuer: IssuingBody, data: bytes, **kwargs: Any) -> TemplateVersion:
    kwargs.setdefault("original_name", "ke-hoach-cua-so.docx")
    kwargs.setdefault("note", "")
    return tv.template_upload(actor=actor, issuer=issuer, key=KEY, data=data, **kwargs)


def refusal(actor: Any, issuer: IssuingBody, data: bytes) -> str:
    """Upload `data`, expect a refusal that writes nothing, and return its message."""
    versions = TemplateVersion.objects.count()
    with nothing_written(), pytest.raises(ValidationError) as caught:
        upload(actor, issuer, data)
    assert TemplateVersion.objects.count() == versions
    assert "file" in caught.value.message_dict
    return text(caught.value)


# The built-ins and their samples -------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_built_in_template_passes_the_check_with_its_own_sample(name):
    key = name.removesuffix(".docx")
    assert tv.check_template(key, tv.builtin_content(key)) == []


# Accepted and used ----------------------------------------------------------------------------


def test_a_clerk_edited_template_is_accepted_in_force_and_used_to_render(issuer, lan):
    data = edited(HEADING, CLERK_HEADING)
    seq = last_seq()
    version = upload(lan, issuer, data, note="Tiêu đề mục I theo mẫu của Sở")
    assert (version.version, version.is_active) == (1, True)
    assert version.uploaded_by == lan and version.original_name == "ke-hoach-cua-so.docx"
    assert [e.action for e in events_after(seq)] == [AuditAction.DOCUMENT_TEMPLATE_UPLOADED]

    choice = tv.active_template(KEY, issuer)
    assert choice.version == version and choice.content == data
    assert choice.sha256 == tv.sha256_hex(data)
    sample = SAMPLES["ke_hoach.docx"]()
    images = sample_images(sample)
    rendered = body_text(render_docx(choice, sample, images=images))
    assert CLERK_HEADING in rendered and "3887/KH-SVHTTDL" in rendered
    # The old way of calling still renders the built-in.
    assert HEADING in body_text(render_docx("ke_hoach.docx", sample, images=images))


def test_another_issuer_keeps_the_built_in(issuer, lan, persona):
    upload(lan, issuer, edited(HEADING, CLERK_HEADING))
    other = IssuingBody.objects.exclude(pk=issuer.pk).first()
    assert other is not None
    choice = tv.active_template(KEY, other)
    assert choice.version is None and choice.content == tv.builtin_content(KEY)


def test_an_issued_plan_is_made_from_the_version_in_force_and_records_it(
    issuer, lan, settings, tmp_path
):
    settings.SOFFICE_PATH = str(tmp_path / "no-such-soffice")  # the DOCX is enough here
    campaign = Campaign.objects.get(agency__code="SVHTTDL", year=2021)
    campaign.plan_number = campaign.plan_symbol = ""
    campaign.plan_date = None
    campaign.save()
    version = upload(lan, issuer, edited(HEADING, CLERK_HEADING))
    document = issuing.campaign_document_issue(
        actor=lan, campaign=campaign, kind="plan", token="with-v1-0001", issued_on=today()
    )
    assert (document.template_key, document.template_version) == (KEY, version)
    assert document.template_sha256 == version.sha256
    stored = stored_files.read(Area.DOCUMENTS, document.docx_path)
    assert CLERK_HEADING in body_text(stored)


# Refused, with the line, paragraph and field named ----------------------------------------------


def test_a_broken_tag_is_refused_naming_the_line_and_paragraph_and_the_old_version_stays(
    issuer, lan
):
    first = upload(lan, issuer, edited(HEADING, CLERK_HEADING))
    message = refusal(lan, issuer, edited(NUMBER_TAG, "Số: {{ so_hieu }"))
    assert re.search(r"Line \d+ \(paragraph “Số: \{\{ so_hieu \}”\)", message), message
    assert "cannot be read" in message
    assert tv.active_template(KEY, issuer).version == first


@pytest.mark.parametrize(
    ("tag", "field"),
    [("{{ ten_khong_co }}", "ten_khong_co"), ("{{ signer.nmae }}", "signer.nmae")],
)
def test_a_field_the_data_does_not_have_is_refused_by_name(issuer, lan, tag, field):
    message = refusal(lan, issuer, edited(NUMBER_TAG, f"Số: {tag}"))
    assert f"the field “{field}” is not among the template's fields" in message
    assert f"(paragraph “Số: {tag}”)" in message
    assert tv.active_template(KEY, issuer).version is None


def test_a_misspelt_field_inside_a_loop_is_named_as_written(issuer, lan):
    message = refusal(lan, issuer, edited("{{ group.heading }}", "{{ group.heading_text }}"))
    assert "“group.heading_text”" in message


def test_a_field_in_the_page_header_is_named_with_its_place(issuer, lan):
    page_number = '<w:pStyle w:val="ND30PageNumber"/></w:pPr>'
    data = edited(
        page_number, page_number + "<w:r><w:t>{{ so_trang }}</w:t></w:r>", part="word/header1.xml"
    )
    message = refusal(lan, issuer, data)
    assert re.search(r"Header, line \d+ \(paragraph “\{\{ so_trang \}\}”\)", message), message


def test_a_template_that_fails_with_the_sample_data_is_refused_with_the_reason(issuer, lan):
    message = refusal(lan, issuer, edited(NUMBER_TAG, "Số: {{ groups[5].heading }}"))
    assert "cannot be filled with the sample data" in message
    assert "(paragraph “Số: {{ groups[5].heading }}”)" in message


def test_a_template_reaching_into_python_is_refused(issuer, lan):
    # Uploaded templates run in Jinja's sandbox: no way from a field to Python's internals.
    tag = "{{ signer.__class__.__mro__ }}"
    message = refusal(lan, issuer, edited(NUMBER_TAG, f"Số: {tag}"))
    assert "unsafe" in message and f"(paragraph “Số: {tag}”)" in message


def test_every_problem_is_reported_at_once(issuer, lan):
    data = edited(NUMBER_TAG, "Số: {{ ten_khong_co }} {{ signer.nmae }}")
    message = refusal(lan, issuer, data)
    assert "“ten_khong_co”" in message and "“signer.nmae”" in message


def test_a_file_that_is_not_a_docx_is_refused_whatever_its_name(issuer, lan):
    message = refusal(lan, issuer, b"%PDF-1.4\n% a PDF renamed to .docx\n")
    assert "not a Word document" in message
    empty_zip = io.BytesIO()
    with zipfile.ZipFile(empty_zip, "w") as z:
        z.writestr("readme.txt", "not Word")
    assert "not a Word document" in refusal(lan, issuer, empty_zip.getvalue())
    # The right names with contents Word could not open either.
    broken = edited("<w:body>", "<w:body><w:p>", part="word/document.xml")
    assert "not a readable Word document" in refusal(lan, issuer, broken)


def test_a_docx_with_macros_is_refused(issuer, lan):
    data = edited(HEADING, CLERK_HEADING, extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})
    assert "macros" in refusal(lan, issuer, data)


def test_a_file_over_the_size_limit_is_refused(issuer, lan, monkeypatch):
    monkeypatch.setattr(tv, "MAX_UPLOAD_BYTES", 1024)
    assert "larger than" in refusal(lan, issuer, edited(HEADING, CLERK_HEADING))


def test_a_template_without_sample_data_cannot_be_replaced(issuer, lan, monkeypatch):
    monkeypatch.setattr(tv, "_sample_factories", lambda: {})
    assert "has no sample data" in refusal(lan, issuer, tv.builtin_content(KEY))


def test_an_unknown_template_key_is_refused(issuer, lan):
    with pytest.raises(ValidationError) as caught:
        tv.template_upload(actor=lan, issuer=issuer, key="khong_co", data=b"x")
    assert "no built-in template" in text(caught.value)


# Versions --------------------------------------------------------------------------------------


def test_uploading_the_same_file_twice_makes_one_version(issuer, lan):
    data = edited(HEADING, CLERK_HEADING)
    seq = last_seq()
    first = upload(lan, issuer, data)
    second = upload(lan, issuer, data)
    assert second.pk == first.pk
    assert TemplateVersion.objects.filter(issuer=issuer, key=KEY).count() == 1
    assert len(events_after(seq)) == 1


def test_an_earlier_version_goes_back_in_force_and_reset_returns_to_the_built_in(issuer, lan):
    v1 = upload(lan, issuer, edited(HEADING, CLERK_HEADING))
    v2 = upload(lan, issuer, edited(HEADING, "I. MỤC ĐÍCH"))
    assert v2.version == 2
    assert list(TemplateVersion.objects.filter(is_active=True, key=KEY)) == [v2]

    seq = last_seq()
    tv.template_activate(actor=lan, version=v1)
    choice = tv.active_template(KEY, issuer)
    assert choice.version == v1 and choice.sha256 == v1.sha256
    assert TemplateVersion.objects.get(pk=v2.pk).is_active is False

    assert tv.template_reset(actor=lan, issuer=issuer, key=KEY) == v1
    choice = tv.active_template(KEY, issuer)
    assert choice.version is None
    assert choice.sha256 == tv.sha256_hex(tv.builtin_content(KEY))
    assert [e.action for e in events_after(seq)] == [
        AuditAction.DOCUMENT_TEMPLATE_ACTIVATED,
        AuditAction.DOCUMENT_TEMPLATE_RESET,
    ]
    # Both versions stay in the history; resetting again changes nothing.
    assert TemplateVersion.objects.filter(issuer=issuer, key=KEY).count() == 2
    assert tv.template_reset(actor=lan, issuer=issuer, key=KEY) is None


def test_a_unit_head_may_not_upload_switch_or_reset(issuer, lan, persona):
    minh = persona("minh")
    version = upload(lan, issuer, edited(HEADING, CLERK_HEADING))
    with nothing_written():
        with pytest.raises(PermissionDenied):
            upload(minh, issuer, edited(HEADING, "I. MỤC ĐÍCH"))
        with pytest.raises(PermissionDenied):
            tv.template_reset(actor=minh, issuer=issuer, key=KEY)
        with pytest.raises(PermissionDenied):
            tv.template_activate(actor=minh, version=version)
    assert tv.active_template(KEY, issuer).version == version


# Pages -----------------------------------------------------------------------------------------


def test_the_list_shows_each_template_and_the_version_in_force(issuer, lan, login):
    upload(lan, issuer, edited(HEADING, CLERK_HEADING))
    page = login("lan").get(f"/documents/templates/{issuer.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Emulation plan" in html and "Decision assigning block leaders" in html
    row = html.split('id="template-ke_hoach"')[1].split("</tr>")[0]
    assert "Uploaded version 1" in row
    row = html.split('id="template-quyet_dinh_phan_cong_khoi"')[1].split("</tr>")[0]
    assert "Built-in" in row


def test_the_template_page_lists_the_fields_with_example_values(issuer, login):
    page = login("lan").get(f"/documents/templates/{issuer.pk}/{KEY}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<code>signer.name</code>" in html and "Nguyễn Khánh Tùng" in html
    assert "<code>groups[].heading</code>" in html
    assert "{{ item.field }}" in html


def test_an_upload_with_errors_is_shown_next_to_the_file_field(issuer, login):
    client = login("lan")
    data = edited(NUMBER_TAG, "Số: {{ so_hieu }")
    response = client.post(
        f"/documents/templates/{issuer.pk}/{KEY}/",
        {"file": _file(data), "note": "thử"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    errors = re.findall(r'<div class="invalid-feedback d-block" role="alert">(.*?)</div>', html)
    assert any("Số: {{ so_hieu }" in e and "Line" in e for e in errors), errors
    assert not TemplateVersion.objects.exists()


def test_the_page_speaks_vietnamese(issuer, login, settings):
    client = login("lan")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    response = client.post(
        f"/documents/templates/{issuer.pk}/{KEY}/",
        {"file": _file(edited(NUMBER_TAG, "Số: {{ ten_khong_co }}")), "note": ""},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'lang="vi"' in html
    # The paragraph and field are named whatever the language of the messages.
    assert "“ten_khong_co”" in html and "Số: {{ ten_khong_co }}" in html


def test_a_good_upload_through_the_page_is_in_force_and_downloadable(issuer, login):
    client = login("lan")
    data = edited(HEADING, CLERK_HEADING)
    response = client.post(
        f"/documents/templates/{issuer.pk}/{KEY}/", {"file": _file(data), "note": "mục I"}
    )
    assert response.status_code == 302
    version = TemplateVersion.objects.get(issuer=issuer, key=KEY)
    active = client.get(f"/documents/templates/{issuer.pk}/{KEY}/active.docx")
    assert active.status_code == 200 and b"".join(active.streaming_content) == data
    builtin = client.get(f"/documents/templates/{issuer.pk}/{KEY}/builtin.docx")
    assert b"".join(builtin.streaming_content) == tv.builtin_content(KEY)
    old = client.get(f"/documents/templates/{issuer.pk}/{KEY}/versions/{version.pk}.docx")
    assert b"".join(old.streaming_content) == data

    reset = client.post(f"/documents/templates/{issuer.pk}/{KEY}/reset/")
    assert reset.status_code == 302
    assert tv.active_template(KEY, issuer).version is None
    client.post(f"/documents/templates/{issuer.pk}/{KEY}/versions/{version.pk}/activate/")
    assert tv.active_template(KEY, issuer).version == version


@pytest.mark.parametrize(
    "path",
    ["", "{issuer}/", "{issuer}/ke_hoach/", "{issuer}/ke_hoach/active.docx"],
)
def test_the_pages_are_refused_to_a_unit_head(issuer, login, path):
    response = login("minh").get("/documents/templates/" + path.format(issuer=issuer.pk))
    assert response.status_code == 403


def test_a_unit_head_cannot_upload_through_the_page_nor_see_the_menu_entry(issuer, login):
    client = login("minh")
    data = edited(HEADING, CLERK_HEADING)
    response = client.post(f"/documents/templates/{issuer.pk}/{KEY}/", {"file": _file(data)})
    assert response.status_code == 403
    assert not TemplateVersion.objects.exists()
    assert "/documents/templates/" not in client.get("/").content.decode()
    assert "/documents/templates/" in login("lan").get("/").content.decode()


def test_the_admin_lists_versions_read_only(issuer, lan, login):
    upload(lan, issuer, edited(HEADING, CLERK_HEADING))
    client = login("khoa")
    assert client.get("/admin/documents/templateversion/").status_code == 200
    version = TemplateVersion.objects.get()
    assert client.get(f"/admin/documents/templateversion/{version.pk}/change/").status_code == 200
    assert client.get("/admin/documents/templateversion/add/").status_code == 403


def _file(data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("ke-hoach.docx", data, content_type="application/octet-stream")


def test_an_agency_certificate_is_checked_then_printed_by_the_certificate_renderer(issuer, lan):
    """The Giấy khen has its own renderer (fixed positions on pre-printed blanks); an agency's
    version of it is checked like the others and is what that renderer fills."""
    from thidua.documents.certificate import render_certificate

    source = zipfile.ZipFile(io.BytesIO(tv.builtin_content("giay_khen")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(
                    "Độc lập - Tự do - Hạnh phúc".encode(), "ĐỘC LẬP - TỰ DO - HẠNH PHÚC".encode()
                )
            target.writestr(info, data)
    version = tv.template_upload(
        actor=lan, issuer=issuer, key="giay_khen", data=out.getvalue(), original_name="gk.docx"
    )
    choice = tv.active_template("giay_khen", issuer)
    assert choice.version == version
    sample = SAMPLES["giay_khen.docx"]()
    printed = body_text(render_certificate(sample, mode="full", content=bytes(choice.content)))
    assert "ĐỘC LẬP - TỰ DO - HẠNH PHÚC" in printed
    assert sample["recipient_name"] in printed
    # On pre-printed blanks the motto is already on the paper, whichever version is in force.
    blank = body_text(render_certificate(sample, mode="blank", content=bytes(choice.content)))
    assert "ĐỘC LẬP" not in blank and sample["recipient_name"] in blank


def test_the_draft_preview_uses_the_version_in_force(issuer, lan, login):
    from thidua.campaigns.models import Campaign

    upload(lan, issuer, edited(HEADING, CLERK_HEADING))
    campaign = Campaign.objects.get(agency=issuer.unit, year=2021)
    response = login("lan").get(reverse("campaign_document_preview", args=[campaign.pk, "plan"]))
    assert response.status_code == 200
    assert CLERK_HEADING in body_text(b"".join(response.streaming_content))
