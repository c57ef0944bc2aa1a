"""The national legal bases are configuration: dated rows an administrator edits, which
decisions cite according to their own date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.org.helpers import events_after, last_seq
from thidua.audit.actions import AuditAction
from thidua.documents.legal import bases_not_in_force, legal_basis_save, national_bases_on
from thidua.documents.models import NationalLegalBasis

D = dt.date


def short_names(day: dt.date) -> list[str]:
    texts = national_bases_on(day)
    by_text = {b.text: b.short_name for b in NationalLegalBasis.objects.all()}
    return [by_text[text] for text in texts]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # The seed's year: the 2003 Law as amended and its decree 91/2017.
        (
            D(2021, 1, 4),
            ["Luật Thi đua, Khen thưởng 2003 (sửa đổi 2005, 2013)", "Nghị định 91/2017/NĐ-CP"],
        ),
        (
            D(2023, 12, 31),
            ["Luật Thi đua, Khen thưởng 2003 (sửa đổi 2005, 2013)", "Nghị định 91/2017/NĐ-CP"],
        ),
        # The 2022 Law from 01/01/2024, with ND 98/2023 until ND 152/2025 replaced it.
        (D(2024, 1, 1), ["Luật Thi đua, khen thưởng 2022", "Nghị định 98/2023/NĐ-CP"]),
        (D(2025, 6, 30), ["Luật Thi đua, khen thưởng 2022", "Nghị định 98/2023/NĐ-CP"]),
        (D(2025, 7, 1), ["Luật Thi đua, khen thưởng 2022", "Nghị định 152/2025/NĐ-CP"]),
    ],
)
def test_a_document_cites_the_bases_in_force_on_its_date(day: dt.date, expected: list[str]) -> None:
    assert short_names(day) == expected


@pytest.mark.django_db
def test_an_administrator_adds_the_next_decree_without_a_release(persona: Any) -> None:
    seq = last_seq()
    current = NationalLegalBasis.objects.get(short_name="Nghị định 152/2025/NĐ-CP")
    current.valid_to = D(2027, 2, 28)
    legal_basis_save(actor=persona("khoa"), basis=current)
    legal_basis_save(
        actor=persona("khoa"),
        basis=NationalLegalBasis(
            text="Căn cứ Nghị định số 1/2027/NĐ-CP của Chính phủ (giả định cho kiểm thử);",
            short_name="Nghị định 1/2027/NĐ-CP",
            valid_from=D(2027, 3, 1),
            order=60,
        ),
    )
    assert short_names(D(2027, 2, 28))[-1] == "Nghị định 152/2025/NĐ-CP"
    assert short_names(D(2027, 3, 1)) == [
        "Luật Thi đua, khen thưởng 2022",
        "Nghị định 1/2027/NĐ-CP",
    ]
    # The trailing ";" a clerk copies from another decision is dropped: the generator
    # terminates the list itself.
    assert national_bases_on(D(2027, 3, 1))[-1].endswith("kiểm thử)")
    actions = [e.action for e in events_after(seq)]
    assert actions == [AuditAction.LEGAL_BASIS_SAVED, AuditAction.LEGAL_BASIS_SAVED]


@pytest.mark.django_db
def test_only_an_administrator_changes_what_every_decision_cites(persona: Any) -> None:
    basis = NationalLegalBasis.objects.first()
    assert basis is not None
    basis.text = "Căn cứ gì đó"
    with pytest.raises(PermissionDenied):
        legal_basis_save(actor=persona("lan"), basis=basis)
    basis.refresh_from_db()
    assert basis.text != "Căn cứ gì đó"


@pytest.mark.django_db
def test_a_basis_must_read_as_one_and_its_period_must_run_forwards(persona: Any) -> None:
    seq = last_seq()
    with pytest.raises(ValidationError) as raised:
        legal_basis_save(
            actor=persona("khoa"),
            basis=NationalLegalBasis(
                text="Luật Thi đua", short_name="", valid_from=D(2027, 3, 1), valid_to=D(2027, 1, 1)
            ),
        )
    assert set(raised.value.message_dict) == {"text", "short_name", "valid_to"}
    assert last_seq() == seq
    assert not NationalLegalBasis.objects.filter(text="Luật Thi đua").exists()


@pytest.mark.django_db
def test_each_seeded_basis_carries_its_own_dates_and_source() -> None:
    law = NationalLegalBasis.objects.get(short_name="Luật Thi đua, khen thưởng 2022")
    assert (law.passed_on, law.valid_from, law.valid_to) == (D(2022, 6, 15), D(2024, 1, 1), None)
    decree = NationalLegalBasis.objects.get(short_name="Nghị định 152/2025/NĐ-CP")
    assert (decree.passed_on, decree.valid_from, decree.valid_to) == (
        D(2025, 6, 14),
        D(2025, 7, 1),
        D(2027, 2, 28),
    )
    for basis in NationalLegalBasis.objects.all():
        assert basis.passed_on is not None and basis.passed_on <= basis.valid_from
        assert basis.source


@pytest.mark.django_db
def test_a_typed_citation_out_of_force_is_found_by_its_text_or_its_number() -> None:
    lines = [
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 98/2023/NĐ-CP của Chính phủ",
        "Căn cứ Quyết định số 12/2019/QĐ-UBND của tỉnh (the agency's own, not checked)",
    ]
    stale = bases_not_in_force(lines, D(2023, 5, 2))
    assert [m.split("”")[0].lstrip("“") for m in stale] == [
        "Luật Thi đua, khen thưởng 2022",
        "Nghị định 98/2023/NĐ-CP",
    ]
    assert bases_not_in_force(lines, D(2024, 5, 2)) == []
    assert bases_not_in_force(national_bases_on(D(2026, 1, 1)), D(2026, 1, 1)) == []
