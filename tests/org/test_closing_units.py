"""What happens to people's employment when a unit merges, dissolves or is archived."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from thidua.org.models import Employment, User
from thidua.org.services.employment import employment_add
from thidua.org.services.people import person_save
from thidua.org.services.ratings import staff_rating_set
from thidua.org.services.units import unit_archive, unit_dissolve, unit_merge

from .helpers import nothing_written, person, text, unit


@pytest.fixture
def lan(db) -> User:
    return User.objects.get(username="lan")


def test_merge_moves_employment_that_starts_after_the_merge_date(lan):
    newcomer = person_save(actor=lan, unit=unit("QLTDTT"), code="NEW-1", full_name="Mạc Thị Mới")
    employment_add(actor=lan, person=newcomer, unit=unit("QLTDTT"), valid_from=dt.date(2023, 3, 1))
    unit_merge(actor=lan, sources=[unit("QLTDTT")], target=unit("QLVHGD"), on=dt.date(2023, 1, 1))
    employment = Employment.objects.get(person=newcomer)
    assert employment.unit.code == "QLVHGD"
    assert employment.valid_from == dt.date(2023, 3, 1)


def test_dissolving_is_refused_while_someone_is_due_to_start_there(lan):
    newcomer = person_save(actor=lan, unit=unit("BQLDT"), code="NEW-2", full_name="Lâm Văn Sắp")
    employment_add(actor=lan, person=newcomer, unit=unit("BQLDT"), valid_from=dt.date(2023, 6, 1))
    with nothing_written(), pytest.raises(ValidationError) as refused:
        unit_dissolve(actor=lan, unit=unit("BQLDT"), on=dt.date(2023, 1, 1))
    assert "Lâm Văn Sắp" in text(refused.value)
    assert unit("BQLDT").is_active


def test_archiving_ends_the_staff_employment_the_day_before(lan):
    unit_archive(actor=lan, unit=unit("BQLDT"), on=dt.date(2023, 1, 1))
    periods = Employment.objects.filter(unit=unit("BQLDT"))
    assert periods.exists()
    assert all(e.valid_to is not None and e.valid_to <= dt.date(2022, 12, 31) for e in periods)


def test_a_head_without_rights_learns_nothing_about_another_units_staff(db):
    tuan = User.objects.get(username="tuan")
    stranger = person("NHTD-001")
    with pytest.raises(PermissionDenied):
        staff_rating_set(actor=tuan, person=stranger, year=2015, rating="HTTNV")
