"""The public verification page: anyone checks a paper copy or a file; a wrong code learns
nothing."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.documents.helpers import FakeRenderer, issue, nothing_written
from thidua.documents import services
from thidua.documents.models import IssuedDocument
from thidua.lib.files import sha256_hex
from thidua.org.demo_issuers import ensure_demo_issuers


@pytest.fixture
def english(client: Client, settings) -> Client:
    """An anonymous visitor who chose English (the site is Vietnamese by default)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def document(persona) -> IssuedDocument:
    issuer = {b.symbol: b for b in ensure_demo_issuers()}["SVHTTDL"]
    return issue(persona("lan"), issuer, render=FakeRenderer())


def pdf_bytes(document: IssuedDocument) -> bytes:
    return f"%PDF-1.7 {document.symbol}|{document.verification_code}".encode()


def docx_bytes(document: IssuedDocument) -> bytes:
    return f"DOCX {document.symbol}|{document.verification_code}".encode()


def page(response) -> str:
    """The page without its per-response CSRF token, so two pages can be compared."""
    html = response.content.decode()
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


# The document page ------------------------------------------------------------------------


def test_the_page_needs_no_login_and_shows_what_was_issued(english, document):
    response = english.get(f"/verify/{document.verification_code}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Kế hoạch" in html
    assert "01/KH-SVHTTDL" in html
    assert "04/01/2021" in html
    assert "Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ" in html
    assert "Tổ chức phong trào thi đua năm 2021" in html
    assert document.pdf_sha256 in html
    assert document.docx_sha256 in html
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "Log out" not in html


def test_the_page_is_vietnamese_by_default(client, document):
    html = client.get(f"/verify/{document.verification_code}/").content.decode()
    assert '<html lang="vi">' in html
    assert "Văn bản đã ban hành" in html


def test_a_code_typed_in_lower_case_or_with_separators_finds_the_document(english, document):
    code = document.verification_code
    for typed in (code.lower(), f"{code[:4]}-{code[4:]}".lower()):
        response = english.get(f"/verify/{typed}/")
        assert response.status_code == 200
        assert "01/KH-SVHTTDL" in response.content.decode()


def test_an_unnumbered_document_says_so(english, persona):
    issuer = {b.symbol: b for b in ensure_demo_issuers()}["SVHTTDL"]
    covenant = issue(persona("lan"), issuer, doc_type_code="GUTĐ", render=FakeRenderer(pdf=False))
    html = english.get(f"/verify/{covenant.verification_code}/").content.decode()
    assert "Giao ước thi đua" in html
    assert "not numbered" in html
    assert "No PDF has been recorded for this document." in html


# Wrong codes -------------------------------------------------------------------------------


WRONG_CODES = [
    "ZZZZ2345",  # well formed, unknown
    "ZZZZ234",  # too short
    "O0O0I1I1",  # letters the codes never use
    "<script>alert(1)</script>",
    "abc/def",
    "..%2F..%2Fetc%2Fpasswd",
    "X" * 300,
]


def test_every_wrong_code_gets_the_same_plain_not_found_page(english, document):
    pages = set()
    for code in WRONG_CODES:
        response = english.get(f"/verify/{code}/")
        assert response.status_code == 404, code
        assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
        pages.add(page(response))
    [html] = pages
    assert "No issued document matches this verification code." in html
    # Nothing about the code asked for, nor about any document that does exist.
    assert "ZZZZ" not in html and "script>alert" not in html
    assert document.verification_code not in html
    assert "SVHTTDL" not in html


def test_a_code_in_the_wrong_case_that_matches_nothing_is_just_not_found(english, document):
    wrong = "zzzz2345"
    response = english.get(f"/verify/{wrong}/")
    assert response.status_code == 404
    assert page(response) == page(english.get("/verify/ZZZZ2345/"))


def test_there_is_no_listing_to_enumerate(english, document):
    response = english.get("/verify/")
    assert response.status_code == 200
    assert document.verification_code not in response.content.decode()
    assert english.get("/verify/?page=2").content.decode().count("01/KH-") == 0


# The code form -----------------------------------------------------------------------------


def test_the_form_sends_a_typed_code_to_its_page(english, document):
    response = english.get("/verify/", {"code": f"  {document.verification_code.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{document.verification_code}/"


def test_the_form_sends_unknown_codes_along_too_without_looking_them_up(
    english, document, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = english.get("/verify/", {"code": "nothing-here"})
    assert response["Location"] == "/verify/NOTHINGHERE/"
    assert english.get(response["Location"]).status_code == 404


def test_the_form_page_is_public(english):
    response = english.get("/verify/")
    assert response.status_code == 200
    assert "Verification code" in response.content.decode()


# Checking a file ----------------------------------------------------------------------------


def check(client: Client, code: str, data: bytes, name: str = "van-ban.pdf"):
    return client.post(f"/verify/{code}/", {"file": SimpleUploadedFile(name, data)})


def test_the_issued_pdf_matches(english, document):
    with nothing_written():
        response = check(english, document.verification_code, pdf_bytes(document))
    assert response.status_code == 200
    assert "“van-ban.pdf” is exactly the issued PDF." in response.content.decode()


def test_the_issued_docx_matches(english, document):
    response = check(english, document.verification_code, docx_bytes(document), "vb.docx")
    assert "“vb.docx” is exactly the issued DOCX." in response.content.decode()


def test_a_changed_file_does_not_match_and_its_fingerprint_is_shown(english, document):
    changed = pdf_bytes(document) + b" "
    response = check(english, document.verification_code, changed)
    html = response.content.decode()
    assert "does not match the issued document" in html
    assert sha256_hex(changed) in html


def test_a_file_over_the_cap_is_refused_without_being_read_whole(english, document, settings):
    settings.DOCUMENT_VERIFY_MAX_BYTES = 1024
    response = check(english, document.verification_code, b"x" * 200_000)
    assert response.status_code == 200
    assert "larger than 1.0\xa0KB, so it cannot be the issued document" in response.content.decode()


def test_posting_without_a_file_asks_for_one(english, document):
    response = english.post(f"/verify/{document.verification_code}/", {})
    assert "Choose a file to check." in response.content.decode()


def test_uploading_against_a_wrong_code_is_just_not_found(english, document):
    response = check(english, "ZZZZ2345", pdf_bytes(document))
    assert response.status_code == 404
    assert page(response) == page(english.get("/verify/ZZZZ2345/"))


def test_the_file_check_keeps_csrf_protection(document, settings):
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = f"/verify/{document.verification_code}/"
    refused = client.post(url, {"file": SimpleUploadedFile("a.pdf", pdf_bytes(document))})
    assert refused.status_code == 403

    client.get(url)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    accepted = client.post(
        url,
        {"file": SimpleUploadedFile("a.pdf", pdf_bytes(document)), "csrfmiddlewaretoken": token},
    )
    assert accepted.status_code == 200
    assert "is exactly the issued PDF" in accepted.content.decode()


# URL and QR helpers ------------------------------------------------------------------------


def test_the_verification_url_uses_the_public_base_url(settings):
    settings.PUBLIC_BASE_URL = "https://thidua.cantho.gov.vn"
    assert services.verification_url("7K3MQ9TX") == "https://thidua.cantho.gov.vn/verify/7K3MQ9TX/"


def test_qr_codes_come_as_png_and_svg():
    url = "https://thidua.cantho.gov.vn/verify/7K3MQ9TX/"
    assert services.qr_png(url).startswith(b"\x89PNG\r\n\x1a\n")
    svg = services.qr_svg(url)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
