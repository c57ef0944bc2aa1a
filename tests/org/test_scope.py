"""Unit heads manage people and ratings of their own unit only; staff manage nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from tests.org.helpers import AGENCY, D, nothing_written, person, unit
from thidua.org.models import Person, Rating, Role, Unit
from thidua.org.permissions import Action, can, scope_q
from thidua.org.services.people import person_save
from thidua.org.services.ratings import staff_rating_set
from thidua.org.services.roles import role_assign


def test_unit_head_may_rate_staff_of_their_own_unit(persona):
    staff_rating_set(
        actor=persona("tuan"), person=person("QLDL-001"), year=2021, rating=Rating.COMPLETED
    )

    assert person("QLDL-001").ratings.get(year=2021).rating == Rating.COMPLETED


def test_unit_head_may_not_rate_staff_of_another_unit(persona):
    before = person("QLVHGD-001").ratings.get(year=2021).rating

    with nothing_written(), pytest.raises(PermissionDenied):
        staff_rating_set(
            actor=persona("tuan"), person=person("QLVHGD-001"), year=2021, rating=Rating.COMPLETED
        )

    assert person("QLVHGD-001").ratings.get(year=2021).rating == before


def test_unit_head_may_correct_a_name_in_their_own_unit(persona):
    qldl_001 = person("QLDL-001")

    person_save(
        actor=persona("tuan"),
        unit=unit("QLDL"),
        code=qldl_001.code,
        full_name="Nguyễn Văn Sửa",
        person=qldl_001,
    )

    assert person("QLDL-001").full_name == "Nguyễn Văn Sửa"


def test_unit_head_may_not_edit_a_person_of_another_unit_by_naming_their_own(persona):
    other = person("QLVHGD-001")
    name = other.full_name

    with nothing_written(), pytest.raises(PermissionDenied):
        person_save(
            actor=persona("tuan"),
            unit=unit("QLDL"),  # tuan's own unit, but the person works in QLVHGD
            code=other.code,
            full_name="Tên bị sửa",
            person=other,
        )

    assert person("QLVHGD-001").full_name == name


def test_head_of_the_agency_itself_does_not_manage_its_divisions(persona):
    # tung heads the agency's own directorate, without its sub-units.
    tung = persona("tung")

    assert can(tung, Action.PERSON_MANAGE, unit(AGENCY))
    assert not can(tung, Action.PERSON_MANAGE, unit("QLDL"))


def test_staff_may_not_add_a_colleague(persona):
    with nothing_written(), pytest.raises(PermissionDenied):
        person_save(actor=persona("mai"), unit=unit("QLDL"), code="QLDL-900", full_name="Người Mới")


def test_expired_role_grants_nothing(persona):
    khoa = persona("khoa")
    role_assign(
        actor=khoa,
        user=persona("mai"),
        role=Role.UNIT_HEAD,
        unit=unit("QLDL"),
        valid_from=D(2019, 1, 1),
        valid_to=D(2020, 12, 31),  # before the pinned today, 04/01/2021
    )

    assert not can(persona("mai"), Action.PERSON_MANAGE, unit("QLDL"))


def test_list_scope_matches_the_permission_check(persona):
    tuan = persona("tuan")
    roles = frozenset({Role.UNIT_HEAD})

    visible = set(Unit.objects.filter(scope_q(tuan, roles)).values_list("code", flat=True))
    people = Person.objects.filter(
        employments__unit__in=Unit.objects.filter(scope_q(tuan, roles))
    ).distinct()

    assert visible == {"QLDL"}
    assert people.filter(code="QLDL-001").exists()
    assert not people.filter(code="QLVHGD-001").exists()


def test_secretariat_scope_covers_every_unit_of_the_agency(persona):
    lan = persona("lan")
    visible = set(
        Unit.objects.filter(scope_q(lan, frozenset({Role.SECRETARIAT}))).values_list(
            "code", flat=True
        )
    )

    assert visible == set(
        Unit.objects.filter(path__startswith=unit(AGENCY).path).values_list("code", flat=True)
    )
    assert "UBND-CT" not in visible
