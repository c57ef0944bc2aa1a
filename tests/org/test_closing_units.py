"""What happens to people's employment when a unit merges, dissolves or is archived."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from thidua.org.models import Employment, Role, Unit, User
from thidua.org.services.employment import employment_add
from thidua.org.services.people import person_save
from thidua.org.services.ratings import staff_rating_set
from thidua.org.services.units import unit_archive, unit_dissolve, unit_merge

from .factories import make_person, make_unit, make_user
from .helpers import nothing_written, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency() -> Unit:
    return make_unit()


@pytest.fixture
def lan(agency: Unit) -> User:
    """The agency's emulation officer, with rights over every unit in it."""
    return make_user(role=Role.SECRETARIAT, unit=agency, include_descendants=True)


def division(agency: Unit, *, staff: int = 1) -> Unit:
    unit = make_unit(parent=agency, valid_from=dt.date(2019, 1, 1))
    for _ in range(staff):
        make_person(unit=unit, valid_from=dt.date(2019, 1, 1))
    return unit


def test_merge_moves_employment_that_starts_after_the_merge_date(agency, lan):
    qltdtt, qlvhgd = division(agency), division(agency)
    newcomer = person_save(actor=lan, unit=qltdtt, code="NEW-1", full_name="Mạc Thị Mới")
    employment_add(actor=lan, person=newcomer, unit=qltdtt, valid_from=dt.date(2023, 3, 1))
    unit_merge(actor=lan, sources=[qltdtt], target=qlvhgd, on=dt.date(2023, 1, 1))
    employment = Employment.objects.get(person=newcomer)
    assert employment.unit.code == qlvhgd.code
    assert employment.valid_from == dt.date(2023, 3, 1)


def test_dissolving_is_refused_while_someone_is_due_to_start_there(agency, lan):
    bqldt = division(agency)
    newcomer = person_save(actor=lan, unit=bqldt, code="NEW-2", full_name="Lâm Văn Sắp")
    employment_add(actor=lan, person=newcomer, unit=bqldt, valid_from=dt.date(2023, 6, 1))
    with nothing_written(), pytest.raises(ValidationError) as refused:
        unit_dissolve(actor=lan, unit=bqldt, on=dt.date(2023, 1, 1))
    assert "Lâm Văn Sắp" in text(refused.value)
    assert Unit.objects.get(pk=bqldt.pk).is_active


def test_archiving_ends_the_staff_employment_the_day_before(agency, lan):
    bqldt = division(agency, staff=3)
    unit_archive(actor=lan, unit=bqldt, on=dt.date(2023, 1, 1))
    periods = Employment.objects.filter(unit=bqldt)
    assert periods.exists()
    assert all(e.valid_to is not None and e.valid_to <= dt.date(2022, 12, 31) for e in periods)


def test_a_head_without_rights_learns_nothing_about_another_units_staff(agency):
    tuan = make_user(role=Role.UNIT_HEAD, unit=division(agency))
    stranger = make_person(unit=division(agency, staff=0), valid_from=dt.date(2019, 1, 1))
    with pytest.raises(PermissionDenied):
        staff_rating_set(actor=tuan, person=stranger, year=2015, rating="HTTNV")
