"""Bad input is refused with a message that names the problem, and nothing is written."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.org.helpers import AGENCY, K1_NAME, D, nothing_written, person, text, unit
from thidua.org.models import (
    Block,
    BlockMembership,
    BlockTerm,
    Employment,
    Rating,
    UnitKind,
    UnitStatus,
)
from thidua.org.services.blocks import block_term_save
from thidua.org.services.discipline import discipline_record_add
from thidua.org.services.employment import employment_add, employment_end
from thidua.org.services.people import person_save
from thidua.org.services.ratings import staff_rating_set
from thidua.org.services.units import unit_create, unit_dissolve, unit_move


@pytest.fixture
def khoa(persona):
    return persona("khoa")


@pytest.fixture
def lan(persona):
    return persona("lan")


def k1() -> Block:
    return Block.objects.get(agency__code=AGENCY, code="K1")


def term(code: str, year: int) -> BlockTerm:
    return BlockTerm.objects.get(block__agency__code=AGENCY, block__code=code, year=year)


def members(term_: BlockTerm) -> list[str]:
    return sorted(term_.memberships.values_list("unit__code", flat=True))


# Block terms ------------------------------------------------------------------------------


def test_rejects_leader_who_is_not_a_member(lan):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        block_term_save(
            actor=lan,
            block=k1(),
            year=2022,
            leader=unit("QLVHGD"),
            deputy=unit("VP"),
            members=[unit("VP"), unit("TCPC")],
        )

    assert refused.value.message_dict["leader"] == [
        "The leader “Phòng Quản lý Văn hóa và Gia đình” must be a member of the block."
    ]


def test_rejects_deputy_who_is_not_a_member(lan):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        block_term_save(
            actor=lan,
            block=k1(),
            year=2022,
            leader=unit("VP"),
            deputy=unit("TTVH"),
            members=[unit("VP"), unit("TCPC")],
        )

    assert refused.value.message_dict["deputy"] == [
        "The deputy “Trung tâm Văn hóa thành phố” must be a member of the block."
    ]


def test_rejects_the_same_unit_as_leader_and_deputy(lan):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        block_term_save(
            actor=lan,
            block=k1(),
            year=2022,
            leader=unit("VP"),
            deputy=unit("VP"),
            members=[unit("VP"), unit("TCPC")],
        )

    assert "different units" in text(refused.value)


def test_rejects_a_second_term_of_one_block_in_one_year(lan):
    block_term_save(
        actor=lan,
        block=k1(),
        year=2022,
        leader=unit("VP"),
        deputy=None,
        members=[unit("VP"), unit("TCPC")],
    )

    with nothing_written(), pytest.raises(ValidationError) as refused:
        block_term_save(
            actor=lan,
            block=k1(),
            year=2022,
            leader=unit("KHTC"),
            deputy=None,
            members=[unit("KHTC"), unit("QLDL")],
        )

    assert refused.value.message_dict == {
        "year": [f"{K1_NAME} already has a term for 2022; edit that term instead."]
    }
    assert members(term("K1", 2022)) == ["TCPC", "VP"]


def test_rejects_a_unit_in_two_blocks_of_one_agency_in_one_year(lan):
    k2_2021 = term("K2", 2021)
    before = members(k2_2021)

    with nothing_written(), pytest.raises(ValidationError) as refused:
        block_term_save(
            actor=lan,
            block=k2_2021.block,
            year=2021,
            leader=k2_2021.leader,
            deputy=k2_2021.deputy,
            members=[*(m.unit for m in k2_2021.memberships.all()), unit("QLDL")],
            term=k2_2021,
        )

    assert refused.value.message_dict["members"] == [
        "“Phòng Quản lý Du lịch” is already in Khối thi đua số 1 in 2021; a unit can be in "
        "only one block of an agency per year."
    ]
    assert members(term("K2", 2021)) == before


def test_database_refuses_a_unit_in_two_blocks_even_when_the_service_is_bypassed(db):
    k2_2021 = term("K2", 2021)

    with pytest.raises(IntegrityError), transaction.atomic():
        BlockMembership.objects.create(
            term=k2_2021, unit=unit("QLDL"), agency=unit(AGENCY), year=2021
        )

    assert not BlockMembership.objects.filter(term=k2_2021, unit__code="QLDL").exists()


def test_database_refuses_two_terms_of_one_block_in_one_year(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        BlockTerm.objects.create(block=k1(), year=2021, leader=unit("VP"))


def test_rejects_a_member_from_outside_the_agency(khoa, lan):
    outsider = unit_create(
        actor=khoa,
        code="SNV",
        name="Sở Nội vụ",
        kind=UnitKind.AGENCY,
        parent=unit("UBND-CT"),
        valid_from=D(2008, 4, 1),
    )

    with nothing_written(), pytest.raises(ValidationError) as refused:
        block_term_save(
            actor=lan,
            block=k1(),
            year=2022,
            leader=unit("VP"),
            deputy=None,
            members=[unit("VP"), outsider],
        )

    assert refused.value.message_dict["members"] == [
        "“Sở Nội vụ” does not belong to Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ."
    ]


def test_rejects_a_closed_unit_as_member(khoa, lan):
    unit_dissolve(actor=khoa, unit=unit("TTXTDL"), on=D(2022, 1, 1))

    with nothing_written(), pytest.raises(ValidationError) as refused:
        block_term_save(
            actor=lan,
            block=k1(),
            year=2022,
            leader=unit("VP"),
            deputy=None,
            members=[unit("VP"), unit("TTXTDL")],
        )

    assert "“Trung tâm Xúc tiến Du lịch” is no longer active." in text(refused.value)


# Ratings and discipline -------------------------------------------------------------------


def test_rejects_a_rating_for_a_person_not_employed_that_year(khoa):
    # QLDL-001 joined on 01/03/2015.
    with nothing_written(), pytest.raises(ValidationError) as refused:
        staff_rating_set(actor=khoa, person=person("QLDL-001"), year=2014, rating=Rating.GOOD)

    message = text(refused.value)
    assert "was not employed by any unit in 2014" in message
    assert person("QLDL-001").full_name in message


def test_rejects_a_rating_for_a_person_who_never_joined_a_unit(khoa):
    stranger = person_save(actor=khoa, unit=unit("QLDL"), code="NEW-001", full_name="Lý Văn Lạ")

    with nothing_written(), pytest.raises(ValidationError) as refused:
        staff_rating_set(actor=khoa, person=stranger, year=2021, rating=Rating.GOOD)

    assert "Lý Văn Lạ was not employed by any unit in 2021" in text(refused.value)


def test_rejects_an_unknown_rating(khoa):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        staff_rating_set(actor=khoa, person=person("QLDL-001"), year=2021, rating="A+")

    assert "Unknown rating “A+”" in text(refused.value)
    assert person("QLDL-001").ratings.get(year=2021).rating != "A+"


def test_rejects_discipline_in_a_unit_the_person_did_not_work_in(khoa):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        discipline_record_add(
            actor=khoa,
            person=person("QLDL-001"),
            unit=unit("VP"),
            level="canh_cao",
            decided_on=D(2021, 5, 1),
        )

    assert "did not work in “Văn phòng Sở” on 01/05/2021" in text(refused.value)


# Employment -------------------------------------------------------------------------------


def test_rejects_employment_that_ends_before_it_starts(khoa):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        employment_add(
            actor=khoa,
            person=person("QLDL-001"),
            unit=unit("VP"),
            valid_from=D(2021, 5, 1),
            valid_to=D(2021, 4, 30),
        )

    assert refused.value.message_dict == {"valid_to": ["The end date is before the start date."]}


def test_rejects_ending_an_employment_before_it_started(khoa):
    employment = Employment.objects.get(person__code="QLDL-001", unit__code="QLDL")

    with nothing_written(), pytest.raises(ValidationError) as refused:
        employment_end(actor=khoa, employment=employment, on=D(2015, 2, 28))

    assert refused.value.message_dict == {"valid_to": ["The end date is before the start date."]}
    employment.refresh_from_db()
    assert employment.valid_to is None


def test_database_refuses_an_employment_that_ends_before_it_starts(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Employment.objects.create(
            person=person("QLDL-001"),
            unit=unit("VP"),
            valid_from=D(2021, 5, 1),
            valid_to=D(2021, 4, 30),
        )


def test_rejects_overlapping_employment_in_the_same_unit(khoa):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        employment_add(
            actor=khoa, person=person("QLDL-001"), unit=unit("QLDL"), valid_from=D(2021, 1, 1)
        )

    assert "already works in this unit from 01/03/2015" in text(refused.value)


def test_rejects_employment_in_a_closed_unit(khoa):
    unit_dissolve(actor=khoa, unit=unit("TTXTDL"), on=D(2022, 1, 1))

    with nothing_written(), pytest.raises(ValidationError) as refused:
        employment_add(
            actor=khoa, person=person("VP-001"), unit=unit("TTXTDL"), valid_from=D(2022, 3, 1)
        )

    assert "“Trung tâm Xúc tiến Du lịch” is closed from 01/01/2022" in text(refused.value)


# The tree ---------------------------------------------------------------------------------


def test_rejects_moving_a_unit_under_its_own_descendant(khoa):
    team = unit_create(
        actor=khoa,
        code="QLDL-T1",
        name="Tổ Lữ hành",
        kind=UnitKind.OTHER,
        parent=unit("QLDL"),
        valid_from=D(2021, 1, 1),
    )

    with nothing_written(), pytest.raises(ValidationError) as refused:
        unit_move(actor=khoa, unit=unit("QLDL"), parent=team, on=D(2022, 1, 1))

    assert refused.value.message_dict == {
        "parent": ["A unit cannot be moved under itself or one of its sub-units."]
    }
    assert unit("QLDL").parent.code == AGENCY


def test_rejects_moving_a_unit_under_itself(khoa):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        unit_move(actor=khoa, unit=unit("QLDL"), parent=unit("QLDL"), on=D(2022, 1, 1))

    assert "under itself" in text(refused.value)


def test_rejects_moving_a_unit_under_a_closed_one(khoa):
    unit_dissolve(actor=khoa, unit=unit("TTXTDL"), on=D(2022, 1, 1))

    with nothing_written(), pytest.raises(ValidationError) as refused:
        unit_move(actor=khoa, unit=unit("QLDL"), parent=unit("TTXTDL"), on=D(2022, 3, 1))

    assert "no longer active" in text(refused.value)
    assert unit("TTXTDL").status == UnitStatus.DISSOLVED


def test_rejects_a_unit_without_a_name(khoa):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        unit_create(
            actor=khoa,
            code="EMPTY",
            name="   ",
            kind=UnitKind.DIVISION,
            parent=unit(AGENCY),
            valid_from=D(2021, 1, 1),
        )

    assert refused.value.message_dict == {"name": ["The name is required."]}
