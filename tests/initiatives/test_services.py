"""Registering an initiative, filing the request, the reviews and the decisions, for an
agency and a year other than the demo's (Sở KH&CN Hậu Giang, 2024)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.initiatives.world import TODAY, World, build_world
from thidua.audit.models import AuditEvent
from thidua.initiatives.models import (
    Initiative,
    InitiativeScope,
    InitiativeStatus,
    ReviewOutcome,
)
from thidua.initiatives.selectors import initiatives_recognised
from thidua.initiatives.services.decisions import (
    RecognitionInput,
    ReviewInput,
    initiative_recognise,
    initiative_review_record,
    recognition_record_received,
)
from thidua.initiatives.services.registration import (
    AuthorInput,
    InitiativeInput,
    initiative_evidence_add,
    initiative_register,
    initiative_request,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(settings: Any) -> World:
    settings.THIDUA_TODAY = TODAY
    return build_world()


def _data(world: World, **changes: Any) -> InitiativeInput:
    values: dict[str, Any] = {
        "unit": world.division,
        "year": 2024,
        "title": "Phần mềm theo dõi hồ sơ thẩm định công nghệ",
        "solution_kind": "management",
        "field": "Quản lý khoa học và công nghệ",
        "improves": "Theo dõi hồ sơ thẩm định trên một phần mềm thay cho sổ giấy.",
        "applied_at": "Phòng Quản lý công nghệ",
        "effect": "Thời gian tra cứu hồ sơ giảm từ 2 ngày xuống 10 phút.",
        "first_applied_on": dt.date(2024, 3, 1),
        "authors": [AuthorInput(world.author, 60), AuthorInput(world.coauthor, "40")],
    }
    values.update(changes)
    return InitiativeInput(**values)


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def _review(scope: str = "co_so", outcome: str = "recognised", **changes: Any) -> ReviewInput:
    values: dict[str, Any] = {
        "scope": scope,
        "reviewed_on": dt.date(2024, 11, 15),
        "outcome": outcome,
        "chair": {"name": "Phạm Quốc Việt", "position": "Giám đốc Sở"},
        "secretary": {"name": "Đỗ Thu Trang", "position": "Chuyên viên"},
        "score": Decimal("86.5"),
        "votes_for": 5,
        "votes_against": 0,
        "members_present": 5,
    }
    values.update(changes)
    return ReviewInput(**values)


def _decision(scope: str = "co_so", **changes: Any) -> RecognitionInput:
    values: dict[str, Any] = {
        "scope": scope,
        "recognised_on": dt.date(2024, 11, 15),
        "effect_from": dt.date(2024, 11, 15),
        "effect_until": None,
        "authority": "Giám đốc Sở Khoa học và Công nghệ",
        "signer": {"authority": "", "title": "Giám đốc", "name": "Phạm Quốc Việt"},
        "legal_bases": ["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"],
    }
    values.update(changes)
    return RecognitionInput(**values)


def test_an_author_registers_requests_and_the_director_recognises(world: World) -> None:
    initiative = initiative_register(
        actor=world.author_user, data=_data(world), idempotency_key="form-1"
    )
    assert initiative.agency == world.agency
    assert [(a.name_then, a.share) for a in initiative.authors.all()] == [
        ("Trần Thị Bích", Decimal(60)),
        ("Lê Văn Đức", Decimal(40)),
    ]
    # A double submit returns the first registration.
    again = initiative_register(
        actor=world.author_user, data=_data(world), idempotency_key="form-1"
    )
    assert again.pk == initiative.pk and Initiative.objects.filter(unit=world.division).count() == 1

    initiative_evidence_add(
        actor=world.author_user, initiative=initiative, data=PDF, name="mo-ta.pdf"
    )
    initiative = initiative_request(
        actor=world.author_user, initiative=initiative, idempotency_key="t1"
    )
    assert initiative.status == InitiativeStatus.REQUESTED
    request = initiative.request_document
    assert request is not None and request.number is None
    assert request.issuer.unit == world.agency and "công nhận sáng kiến" in request.summary

    # The author cannot decide on their own initiative.
    with pytest.raises(PermissionDenied):
        initiative_review_record(
            actor=world.author_user, initiative=initiative, data=_review(), idempotency_key="r"
        )
    review = initiative_review_record(
        actor=world.director, initiative=initiative, data=_review(), idempotency_key="r1"
    )
    assert review.minutes_document is not None
    assert review.minutes_document.symbol.endswith("/BB-SKHCNHG")
    recognition = initiative_recognise(
        actor=world.director, initiative=initiative, data=_decision(), idempotency_key="d1"
    )
    assert recognition.document is not None
    assert recognition.symbol == recognition.document.symbol
    assert recognition.symbol.endswith("/QĐ-SKHCNHG")
    # A retry of the same press returns the same decision and takes no second number.
    assert (
        initiative_recognise(
            actor=world.director, initiative=initiative, data=_decision(), idempotency_key="d1"
        ).pk
        == recognition.pk
    )
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.RECOGNISED
    rows = initiatives_recognised(
        person_ids=[world.author.pk, world.coauthor.pk], unit_ids=[], until=dt.date(2024, 12, 31)
    )
    assert {(r.person_id, r.scope) for r in rows} == {
        (world.author.pk, "co_so"),
        (world.coauthor.pk, "co_so"),
    }
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "initiatives.initiative.registered",
        "initiatives.initiative.evidence_added",
        "initiatives.initiative.requested",
        "initiatives.initiative.reviewed",
        "initiatives.initiative.recognised",
    } <= actions


def test_the_province_council_recognises_after_the_grassroots(world: World) -> None:
    initiative = initiative_register(actor=world.author_user, data=_data(world))
    initiative_request(actor=world.author_user, initiative=initiative, idempotency_key="t")
    # Not at the province before the grassroots.
    with pytest.raises(ValidationError, match="first be recognised"):
        initiative_review_record(
            actor=world.province_secretariat,
            initiative=initiative,
            data=_review("tinh_bo"),
            idempotency_key="p0",
        )
    initiative_review_record(
        actor=world.director, initiative=initiative, data=_review(), idempotency_key="r"
    )
    initiative_recognise(
        actor=world.director, initiative=initiative, data=_decision(), idempotency_key="d"
    )
    # The Department's director does not sit on the province's council.
    with pytest.raises(PermissionDenied):
        initiative_review_record(
            actor=world.director,
            initiative=initiative,
            data=_review("tinh_bo"),
            idempotency_key="p1",
        )
    review = initiative_review_record(
        actor=world.province_secretariat,
        initiative=initiative,
        data=_review("tinh_bo", reviewed_on=dt.date(2024, 11, 15)),
        idempotency_key="p2",
    )
    assert review.council == world.council
    recognition = initiative_recognise(
        actor=world.province_secretariat,
        initiative=initiative,
        data=_decision(
            "tinh_bo",
            recognised_on=dt.date(2024, 11, 15),
            effect_from=dt.date(2024, 11, 15),
            effect_until=dt.date(2027, 12, 31),
            authority="Chủ tịch Ủy ban nhân dân tỉnh",
        ),
        idempotency_key="p3",
    )
    assert recognition.symbol.endswith("/QĐ-UBNDHG")
    assert recognition.effect_until == dt.date(2027, 12, 31)
    scopes = {
        r.scope
        for r in initiatives_recognised(
            person_ids=[world.author.pk], unit_ids=[], until=dt.date(2024, 12, 31)
        )
    }
    assert scopes == {"co_so", "tinh_bo"}


def test_shares_that_do_not_make_100_are_refused_naming_the_total(world: World) -> None:
    data = _data(world, authors=[AuthorInput(world.author, 60), AuthorInput(world.coauthor, 30)])
    with pytest.raises(ValidationError) as caught:
        initiative_register(actor=world.author_user, data=data)
    assert "add up to 90%, not 100%" in _messages(caught.value)
    assert not Initiative.objects.filter(unit=world.division).exists()


def test_an_author_outside_the_unit_is_refused_by_name(world: World) -> None:
    data = _data(world, authors=[AuthorInput(world.author, 50), AuthorInput(world.outsider, 50)])
    with pytest.raises(ValidationError) as caught:
        initiative_register(actor=world.author_user, data=data)
    assert "Ngô Thanh Hải does not work in Phòng Quản lý công nghệ on 15/11/2024" in _messages(
        caught.value
    )
    assert not Initiative.objects.filter(unit=world.division).exists()


def test_a_person_named_twice_and_a_duplicate_title_are_refused(world: World) -> None:
    twice = _data(world, authors=[AuthorInput(world.author, 50), AuthorInput(world.author, 50)])
    with pytest.raises(ValidationError, match="Trần Thị Bích is named twice"):
        initiative_register(actor=world.author_user, data=twice)
    initiative_register(actor=world.author_user, data=_data(world))
    # The same title, typed without diacritics and in capitals, is the same initiative.
    same = _data(world, title="PHAN MEM theo doi  ho so tham dinh cong nghe")
    with pytest.raises(ValidationError, match="already registered an initiative"):
        initiative_register(actor=world.author_user, data=same)
    assert Initiative.objects.filter(unit=world.division).count() == 1


def test_missing_fields_are_named_and_a_stranger_may_not_register(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        initiative_register(
            actor=world.author_user, data=_data(world, title=" ", effect="", year=2025)
        )
    assert set(caught.value.message_dict) == {"title", "effect", "year"}
    stranger = build_stranger(world)
    with pytest.raises(PermissionDenied):
        initiative_register(actor=stranger, data=_data(world))


def build_stranger(world: World) -> Any:
    from tests.org.factories import make_user
    from thidua.org.models import Role

    return make_user(role=Role.STAFF, unit=world.other_division)


def test_evidence_is_checked_by_content(world: World) -> None:
    initiative = initiative_register(actor=world.author_user, data=_data(world))
    with pytest.raises(ValidationError, match="content is PDF"):
        initiative_evidence_add(
            actor=world.author_user, initiative=initiative, data=PDF, name="anh.png"
        )
    with pytest.raises(ValidationError, match="is not a PDF"):
        initiative_evidence_add(
            actor=world.author_user, initiative=initiative, data=b"MZ\x90\x00", name="a.pdf"
        )
    first = initiative_evidence_add(
        actor=world.author_user, initiative=initiative, data=PDF, name="mo-ta.pdf"
    )
    second = initiative_evidence_add(
        actor=world.author_user, initiative=initiative, data=PDF, name="ban-sao.pdf"
    )
    assert first.pk == second.pk and initiative.evidence.count() == 1


def test_a_review_that_declines_ends_the_grassroots_path(world: World) -> None:
    initiative = initiative_register(actor=world.author_user, data=_data(world))
    initiative_request(actor=world.author_user, initiative=initiative, idempotency_key="t")
    with pytest.raises(ValidationError, match="More votes than members present"):
        initiative_review_record(
            actor=world.director,
            initiative=initiative,
            data=_review(votes_for=6),
            idempotency_key="x",
        )
    initiative_review_record(
        actor=world.director,
        initiative=initiative,
        data=_review(outcome=ReviewOutcome.NOT_RECOGNISED, votes_for=1, votes_against=4),
        idempotency_key="r",
    )
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.NOT_RECOGNISED
    with pytest.raises(ValidationError, match="found it worth recognising"):
        initiative_recognise(
            actor=world.director, initiative=initiative, data=_decision(), idempotency_key="d"
        )


def test_a_decision_received_from_the_province_is_recorded_once(world: World) -> None:
    initiative = initiative_register(actor=world.author_user, data=_data(world))
    with pytest.raises(PermissionDenied):
        recognition_record_received(
            actor=world.author_user,
            initiative=initiative,
            scope=InitiativeScope.TINH_BO,
            symbol="123/QĐ-UBNDHG",
            issuer_name="UBND tỉnh Hậu Giang",
            recognised_on=dt.date(2024, 10, 1),
            effect_from=dt.date(2024, 10, 1),
        )
    kwargs: dict[str, Any] = {
        "initiative": initiative,
        "scope": InitiativeScope.TINH_BO,
        "symbol": "123/QĐ-UBNDHG",
        "issuer_name": "UBND tỉnh Hậu Giang",
        "recognised_on": dt.date(2024, 10, 1),
        "effect_from": dt.date(2024, 10, 1),
    }
    first = recognition_record_received(actor=world.agency_secretariat, **kwargs)
    assert recognition_record_received(actor=world.agency_secretariat, **kwargs).pk == first.pk
    with pytest.raises(ValidationError, match="already recognised at this scope"):
        recognition_record_received(
            actor=world.agency_secretariat, **{**kwargs, "symbol": "124/QĐ-UBNDHG"}
        )
