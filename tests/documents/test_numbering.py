"""The numbering registry: one series per issuer, year and type; a number is given at issue
time, never twice, and never lost to an issue that failed."""

from __future__ import annotations

import hashlib
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tests.documents.factories import make_issuer
from tests.documents.helpers import DAY, D, FakeRenderer, files, issue, nothing_written
from tests.org.factories import make_admin, make_unit, make_user
from tests.org.helpers import events_after, last_seq
from thidua.audit.actions import AuditAction
from thidua.audit.services import verify_chain
from thidua.documents import services
from thidua.documents.models import DocumentType, IssuedDocument, IssuingBody, NumberCounter
from thidua.documents.services import issuing, verification
from thidua.org.demo_issuers import ensure_demo_issuers
from thidua.org.models import Role, Unit, UnitKind, UnitStatus, User
from thidua.org.services.roles import role_assign
from thidua.org.services.units import unit_create


@pytest.fixture
def agency(db: None) -> Unit:
    return make_unit(name="Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ")


@pytest.fixture
def lan(agency) -> User:
    """The agency's emulation officer."""
    return make_user(role=Role.SECRETARIAT, unit=agency, include_descendants=True)


@pytest.fixture
def svh(agency) -> IssuingBody:
    return make_issuer(
        unit=agency,
        symbol="STTDL",
        printed_name="SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        governing_body_name="UBND THÀNH PHỐ CẦN THƠ",
    )


@pytest.fixture
def city(db: None) -> IssuingBody:
    """Another agency's issuing body (the city's People's Committee)."""
    return make_issuer(symbol="UBTP", printed_name="ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ")


def counter(issuer: IssuingBody, year: int, code: str) -> int | None:
    row = NumberCounter.objects.filter(issuer=issuer, year=year, doc_type__code=code).first()
    return row.last_number if row else None


# Series -------------------------------------------------------------------------------------


def test_numbers_follow_each_other_in_a_series_with_nd30_symbols(lan, svh):
    documents = [issue(lan, svh) for _ in range(3)]

    assert [d.number for d in documents] == [1, 2, 3]
    # ND 30: numbers below 10 take a leading zero; symbol = type-issuer, joined by "-".
    assert [d.symbol for d in documents] == ["01/KH-STTDL", "02/KH-STTDL", "03/KH-STTDL"]
    assert counter(svh, 2021, "KH") == 3


def test_large_numbers_are_printed_as_they_are(lan, svh):
    NumberCounter.objects.create(
        issuer=svh, year=2021, doc_type=DocumentType.objects.get(code="KH"), last_number=3886
    )
    assert issue(lan, svh).symbol == "3887/KH-STTDL"


def test_each_document_type_has_its_own_series(lan, svh):
    issue(lan, svh)
    issue(lan, svh)
    decision = issue(lan, svh, doc_type_code="QĐ")
    proposal = issue(lan, svh, doc_type_code="TTr")

    assert (decision.number, decision.symbol) == (1, "01/QĐ-STTDL")
    assert (proposal.number, proposal.symbol) == (1, "01/TTr-STTDL")


def test_each_issuer_has_its_own_series(lan, svh, city):
    issue(lan, svh)
    decision = issue(make_admin(), city, doc_type_code="QĐ")
    assert (decision.number, decision.symbol) == (1, "01/QĐ-UBTP")


def test_the_series_restarts_each_year(lan, svh):
    late_2020 = issue(lan, svh, issued_on=D(2020, 12, 30))
    first_2021 = issue(lan, svh, issued_on=D(2021, 1, 2))
    last_2020 = issue(lan, svh, issued_on=D(2020, 12, 31))

    assert (late_2020.year, late_2020.number) == (2020, 1)
    assert (first_2021.year, first_2021.number) == (2021, 1)
    assert (last_2020.year, last_2020.number) == (2020, 2)


def test_an_unnumbered_type_takes_no_number_and_touches_no_counter(lan, svh):
    covenant = issue(lan, svh, doc_type_code="GUTĐ", summary="Giao ước thi đua năm 2021")

    assert covenant.number is None
    assert covenant.symbol == ""
    assert len(covenant.verification_code) == 8
    assert not NumberCounter.objects.filter(issuer=svh).exists()


def test_whether_a_certificate_is_numbered_is_configurable(lan, svh):
    assert issue(lan, svh, doc_type_code="GK").symbol == "01/GK-STTDL"
    DocumentType.objects.filter(code="GK").update(is_numbered=False)
    assert issue(lan, svh, doc_type_code="GK").number is None


def test_a_number_is_never_dated_before_the_number_it_follows(lan, svh):
    issue(lan, svh, issued_on=D(2021, 1, 4))
    with nothing_written(), pytest.raises(ValidationError) as refused:
        issue(lan, svh, issued_on=D(2021, 1, 3))
    assert "was issued on 04/01/2021" in refused.value.message_dict["issued_on"][0]
    assert counter(svh, 2021, "KH") == 1


def test_a_document_cannot_be_dated_in_the_future(lan, svh):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        issue(lan, svh, issued_on=D(2021, 1, 5))
    assert "future" in refused.value.message_dict["issued_on"][0]


def test_required_fields_and_unknown_types_are_refused_before_a_number_is_taken(lan, svh):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        issue(lan, svh, summary="  ", signer_name="", signer_title="")
    assert set(refused.value.message_dict) == {"summary", "signer_name", "signer_title"}
    with nothing_written(), pytest.raises(ValidationError) as refused:
        issue(lan, svh, doc_type_code="XX")
    assert "Unknown document type" in refused.value.message_dict["doc_type_code"][0]


def test_a_unit_that_is_no_longer_active_issues_nothing(lan, svh):
    Unit.objects.filter(pk=svh.unit_id).update(status=UnitStatus.MERGED)
    svh.refresh_from_db()
    svh.unit.refresh_from_db()
    with nothing_written(), pytest.raises(ValidationError) as refused:
        issue(lan, svh)
    assert "no longer active" in refused.value.messages[0]


# Issue: files, hashes, code, audit ----------------------------------------------------------


def test_an_issue_renders_with_its_number_code_and_url_and_stores_both_files(
    lan, svh, data_dir, settings
):
    settings.PUBLIC_BASE_URL = "https://thidua.cantho.gov.vn/"
    renderer = FakeRenderer()
    document = issue(lan, svh, render=renderer)

    [context] = renderer.contexts
    code = document.verification_code
    assert context["number"] == 1
    assert context["number_text"] == "01"
    assert context["symbol"] == "01/KH-STTDL"
    assert context["verification_code"] == code
    assert context["verification_url"] == f"https://thidua.cantho.gov.vn/verify/{code}/"
    assert context["verification_qr_png"].startswith(b"\x89PNG")
    assert context["issuer_name"] == "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"
    assert context["governing_body_name"] == "UBND THÀNH PHỐ CẦN THƠ"
    assert context["place"] == "Cần Thơ"

    root = data_dir / "documents"
    pdf = (root / document.pdf_path).read_bytes()
    docx = (root / document.docx_path).read_bytes()
    assert document.pdf_path == f"STTDL/2021/{code}.pdf"
    assert pdf == f"%PDF-1.7 01/KH-STTDL|{code}".encode()
    assert document.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert document.docx_sha256 == hashlib.sha256(docx).hexdigest()
    assert files() == sorted([root / document.docx_path, root / document.pdf_path])


def test_without_a_pdf_the_pdf_hash_stays_blank(lan, svh):
    document = issue(lan, svh, render=FakeRenderer(pdf=False))
    assert document.pdf_sha256 == document.pdf_path == ""
    assert len(document.docx_sha256) == 64


def test_without_a_renderer_the_document_is_registered_without_files(lan, svh):
    document = issue(lan, svh, render=None)
    assert document.number == 1
    assert document.docx_sha256 == document.docx_path == ""
    assert files() == []


def test_the_verification_code_is_eight_unambiguous_characters(lan, svh):
    codes = {issue(lan, svh).verification_code for _ in range(5)}
    assert len(codes) == 5
    for code in codes:
        assert len(code) == 8
        assert set(code) <= set(verification.CODE_ALPHABET)
        assert not set(code) & set("01ILO")


def test_a_verification_code_already_taken_is_drawn_again(lan, svh, monkeypatch):
    taken = issue(lan, svh).verification_code
    draws = iter([taken, taken, "ZZZZ2345"])
    monkeypatch.setattr(verification, "new_verification_code", lambda: next(draws))
    assert issue(lan, svh).verification_code == "ZZZZ2345"


def test_the_issue_is_audited(lan, svh):
    seq = last_seq()
    document = issue(lan, svh)

    [event] = events_after(seq)
    assert event.action == AuditAction.DOCUMENT_ISSUED
    assert event.actor == lan
    assert event.data["after"]["symbol"] == "01/KH-STTDL"
    assert event.data["after"]["verification_code"] == document.verification_code
    assert event.data["after"]["pdf_sha256"] == document.pdf_sha256
    assert document.created_by == lan
    assert document.issuer_name == "Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ"


# Failures consume nothing ----------------------------------------------------------------------


def test_a_render_failure_consumes_no_number_and_leaves_nothing(lan, svh):
    issue(lan, svh)

    def broken(context):
        raise RuntimeError("LibreOffice crashed")

    with nothing_written(), pytest.raises(RuntimeError):
        issue(lan, svh, render=broken)

    assert counter(svh, 2021, "KH") == 1
    assert issue(lan, svh).number == 2


def test_the_first_issue_of_a_series_failing_leaves_no_counter(lan, svh):
    def broken(context):
        raise RuntimeError("template missing")

    with nothing_written(), pytest.raises(RuntimeError):
        issue(lan, svh, render=broken)
    assert issue(lan, svh).number == 1


def test_a_failure_after_the_files_were_written_removes_them(lan, svh, monkeypatch):
    issue(lan, svh)

    def audit_down(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(issuing, "record", audit_down)
    with nothing_written(), pytest.raises(RuntimeError):
        issue(lan, svh)
    monkeypatch.undo()
    assert issue(lan, svh).number == 2


# Double submits and retries ---------------------------------------------------------------------


def test_the_same_request_key_twice_returns_one_document(lan, svh):
    first = issue(lan, svh, idempotency_key="form-7f3c")
    seq, stored = last_seq(), files()

    again = issue(lan, svh, idempotency_key="form-7f3c")

    assert again.pk == first.pk
    assert again.symbol == "01/KH-STTDL"
    assert last_seq() == seq
    assert files() == stored
    assert IssuedDocument.objects.filter(issuer=svh).count() == 1
    assert counter(svh, 2021, "KH") == 1


def test_a_request_key_reused_for_another_document_is_refused(lan, svh):
    issue(lan, svh, idempotency_key="form-7f3c")
    with nothing_written(), pytest.raises(ValidationError) as refused:
        issue(lan, svh, idempotency_key="form-7f3c", summary="Một kế hoạch khác")
    assert "already used" in refused.value.message_dict["idempotency_key"][0]


def test_a_request_key_is_required(lan, svh):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        issue(lan, svh, idempotency_key=" ")
    assert "idempotency_key" in refused.value.message_dict


# Permissions --------------------------------------------------------------------------------


def test_plain_staff_cannot_issue_and_nothing_is_written(agency, svh):
    mai = make_user(role=Role.STAFF, unit=make_unit(parent=agency))
    with nothing_written(), pytest.raises(PermissionDenied):
        issue(mai, svh)
    assert counter(svh, 2021, "KH") is None


def test_an_officer_cannot_issue_for_another_agency(lan, city):
    with nothing_written(), pytest.raises(PermissionDenied):
        issue(lan, city)


# Issuing bodies --------------------------------------------------------------------------------


def test_demo_issuers_are_created_once(db):
    issuers = {body.symbol: body for body in ensure_demo_issuers()}
    assert set(issuers) == {"SVHTTDL", "UBND"}
    seq = last_seq()
    assert {b.pk for b in ensure_demo_issuers()} == {b.pk for b in issuers.values()}
    assert last_seq() == seq


def test_an_issuing_body_symbol_is_checked_and_its_change_audited(lan, svh, city):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.issuing_body_save(actor=lan, unit=svh.unit, symbol="STT DL", place="Cần Thơ")
    assert "without spaces" in refused.value.messages[0]
    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.issuing_body_save(actor=lan, unit=svh.unit, symbol="UBTP", place="Cần Thơ")
    assert "already used" in refused.value.message_dict["symbol"][0]

    seq = last_seq()
    body = services.issuing_body_save(actor=lan, unit=svh.unit, symbol="STTDL-CT", place="Cần Thơ")
    assert body.pk == svh.pk
    [event] = events_after(seq)
    assert event.action == AuditAction.DOCUMENT_ISSUER_SAVED
    assert event.data["before"]["symbol"] == "STTDL"
    assert event.data["after"]["symbol"] == "STTDL-CT"


def test_only_an_administrator_changes_the_document_types(lan):
    doc_type = DocumentType.objects.get(code="GK")
    doc_type.is_numbered = False
    with nothing_written(), pytest.raises(PermissionDenied):
        services.document_type_save(actor=lan, doc_type=doc_type)
    services.document_type_save(actor=make_admin(), doc_type=doc_type)
    assert DocumentType.objects.get(code="GK").is_numbered is False


def test_the_cycle_types_are_seeded(db):
    types = {t.code: t for t in DocumentType.objects.all()}
    assert {"KH", "QĐ", "BC", "BB", "TTr", "GK", "GUTĐ"} <= set(types)
    assert types["GK"].is_numbered and not types["GK"].is_nd30_type
    assert not types["GUTĐ"].is_numbered and not types["GUTĐ"].is_nd30_type
    assert types["TTr"].name == "Tờ trình"


# Concurrency ------------------------------------------------------------------------------------

THREADS, PER_THREAD = 8, 10


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "needs PostgreSQL: SQLite serialises writers (one write transaction at a time), so "
        "two issues can never race there and the test would prove nothing"
    ),
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_every_number_once_without_gaps():
    # A transactional test sees no session data it can rely on: it sets up its own.
    admin = User.objects.create(username="conc-admin", is_superuser=True, is_staff=True)
    agency = unit_create(
        actor=admin,
        code="CONC-AGENCY",
        name="Sở thử đồng thời",
        kind=UnitKind.AGENCY,
        parent=None,
        valid_from=D(2020, 1, 1),
    )
    body = services.issuing_body_save(actor=admin, unit=agency, symbol="STĐT", place="Cần Thơ")
    DocumentType.objects.get_or_create(code="KH", defaults={"name": "Kế hoạch"})
    officers = []
    for i in range(THREADS):
        officer = User.objects.create(username=f"conc-officer-{i}")
        role_assign(
            actor=admin, user=officer, role=Role.SECRETARIAT, unit=agency, valid_from=D(2020, 1, 1)
        )
        officers.append(officer.pk)

    barrier = threading.Barrier(THREADS)
    numbers: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def slow_render(context):
        # Holding the number a little while widens the window in which a racing issue
        # would read the same counter value.
        threading.Event().wait(0.002)
        return b"DOCX " + context["symbol"].encode(), None

    def worker(index: int) -> None:
        try:
            actor = User.objects.get(pk=officers[index])
            issuer = IssuingBody.objects.get(pk=body.pk)
            barrier.wait(timeout=30)
            for j in range(PER_THREAD):
                document = services.document_issue(
                    actor=actor,
                    issuer=issuer,
                    doc_type_code="KH",
                    issued_on=DAY,
                    summary=f"Kế hoạch {index}-{j}",
                    signer_name="Người ký",
                    signer_title="Giám đốc",
                    idempotency_key=f"conc-{index}-{j}",
                    render=slow_render,
                )
                with lock:
                    numbers.append(document.number)
        except BaseException as error:  # reported by the main thread
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    total = THREADS * PER_THREAD
    assert sorted(numbers) == list(range(1, total + 1))
    stored = list(IssuedDocument.objects.filter(issuer=body).values_list("number", flat=True))
    assert sorted(stored) == list(range(1, total + 1))
    assert NumberCounter.objects.get(issuer=body).last_number == total
    codes = IssuedDocument.objects.filter(issuer=body).values_list("verification_code")
    assert len(set(codes)) == total
    assert verify_chain() is None
