"""Rows with history are never deleted: the services refuse and point to archiving."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.org.factories import make_admin, make_person, make_unit, make_user
from tests.org.helpers import D, events_after, last_seq, node, nothing_written, text
from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.org.models import Person, Role, Unit, UnitStatus, User
from thidua.org.selectors import org_tree, unit_version_on
from thidua.org.services.blocks import block_create, block_term_save
from thidua.org.services.employment import employment_add
from thidua.org.services.people import person_archive, person_delete, person_save
from thidua.org.services.ratings import staff_rating_set, unit_rating_set
from thidua.org.services.roles import role_assign
from thidua.org.services.units import unit_archive, unit_delete, unit_move, unit_rename

pytestmark = pytest.mark.django_db


@pytest.fixture
def khoa() -> User:
    return make_admin()


@pytest.fixture
def agency() -> Unit:
    return make_unit(name="Sở Văn hóa, Thể thao và Du lịch")


@pytest.fixture
def qldl(agency: Unit) -> Unit:
    """A division with staff and ratings: history that must never be deleted."""
    division = make_unit(name="Phòng Quản lý Du lịch", parent=agency)
    make_person(unit=division)
    unit_rating_set(actor=make_admin(), unit=division, year=2021, rating="HTTNV")
    return division


@pytest.fixture
def rated_person(qldl: Unit) -> Person:
    """Employed in QLDL, rated in two years."""
    someone = make_person(unit=qldl, full_name="Trần Thị Bình", valid_from=D(2019, 1, 1))
    for year in (2019, 2020):
        staff_rating_set(actor=make_admin(), person=someone, year=year, rating="HTTNV")
    return someone


def fresh(unit: Unit) -> Unit:
    return Unit.objects.get(pk=unit.pk)


# Units ------------------------------------------------------------------------------------


def test_deleting_a_unit_with_history_is_refused(khoa, qldl):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        unit_delete(actor=khoa, unit=qldl)

    message = text(refused.value)
    assert "“Phòng Quản lý Du lịch” has history" in message
    assert "archive it instead" in message
    assert fresh(qldl).status == UnitStatus.ACTIVE


def test_archiving_a_unit_with_history_closes_it_and_keeps_its_past(khoa, qldl):
    unit_archive(actor=khoa, unit=qldl, on=D(2022, 1, 1))

    qldl = fresh(qldl)
    assert qldl.status == UnitStatus.ARCHIVED
    assert unit_version_on(qldl, D(2021, 12, 31)).status == UnitStatus.ACTIVE
    assert unit_version_on(qldl, D(2022, 1, 1)).status == UnitStatus.ARCHIVED
    assert node(org_tree(), qldl.code) is None
    assert node(org_tree(on=D(2021, 6, 1)), qldl.code) is not None
    assert qldl.employments.exists() and qldl.ratings.exists()


def test_archiving_a_closed_unit_is_refused(khoa, qldl):
    unit_archive(actor=khoa, unit=qldl, on=D(2022, 1, 1))

    with nothing_written(), pytest.raises(ValidationError) as refused:
        unit_archive(actor=khoa, unit=fresh(qldl), on=D(2022, 2, 1))

    assert "already closed" in text(refused.value)


def test_a_unit_entered_by_mistake_can_be_deleted(khoa, agency):
    mistake = make_unit(code="TYPO", parent=agency, actor=khoa)
    seq = last_seq()

    unit_delete(actor=khoa, unit=mistake)

    assert not Unit.objects.filter(code="TYPO").exists()
    [event] = events_after(seq)
    assert (event.action, event.data["before"]["code"]) == (AuditAction.UNIT_DELETED, "TYPO")


def _employ(admin, scratch: Unit) -> None:
    elsewhere = make_person(unit=make_unit(parent=scratch.parent))
    employment_add(actor=admin, person=elsewhere, unit=scratch, valid_from=D(2021, 2, 1))


def _rename(admin, scratch: Unit) -> None:
    unit_rename(actor=admin, unit=scratch, name="Tên mới", short_name="", on=D(2021, 6, 1))


def _rate(admin, scratch: Unit) -> None:
    unit_rating_set(actor=admin, unit=scratch, year=2021, rating="HTTNV")


def _sub_unit(admin, scratch: Unit) -> None:
    make_unit(code="SCRATCH-CHILD", parent=scratch, actor=admin)


def _block_member(admin, scratch: Unit) -> None:
    agency = scratch.parent
    block = block_create(actor=admin, agency=agency, code="K3", name="Khối 3", kind="khoi")
    leader = make_unit(code="K3-LEADER", parent=agency, actor=admin)
    block_term_save(
        actor=admin, block=block, year=2022, leader=leader, deputy=None, members=[leader, scratch]
    )


@pytest.mark.parametrize(
    "history",
    [_employ, _rename, _rate, _sub_unit, _block_member],
    ids=["staff", "renamed", "rated", "sub-unit", "block member"],
)
def test_deleting_a_unit_with_any_one_kind_of_history_is_refused(khoa, agency, history):
    scratch = make_unit(code="SCRATCH", parent=agency, actor=khoa)
    history(khoa, scratch)

    with nothing_written(), pytest.raises(ValidationError) as refused:
        unit_delete(actor=khoa, unit=scratch)

    assert "has history" in text(refused.value)
    assert Unit.objects.filter(code="SCRATCH").exists()


def test_deleting_a_unit_that_once_had_a_subunit_is_refused(khoa, agency):
    former_parent = make_unit(code="OLD-PARENT", parent=agency, actor=khoa)
    child = make_unit(code="CHILD", parent=former_parent, actor=khoa)
    unit_move(actor=khoa, unit=child, parent=agency, on=D(2021, 6, 1))

    with nothing_written(), pytest.raises(ValidationError) as refused:
        unit_delete(actor=khoa, unit=former_parent)

    assert "has history" in text(refused.value)
    assert unit_version_on(child, D(2021, 3, 1)).parent == former_parent


def test_deleting_a_unit_that_scopes_a_role_is_refused(khoa, agency):
    scoped = make_unit(code="SCOPED", parent=agency, actor=khoa)
    role_assign(
        actor=khoa, user=make_user(), role=Role.STAFF, unit=scoped, valid_from=D(2021, 1, 1)
    )

    with nothing_written(), pytest.raises(ValidationError) as refused:
        unit_delete(actor=khoa, unit=scoped)

    assert "has history" in text(refused.value)


# People -----------------------------------------------------------------------------------


def test_deleting_a_person_with_history_is_refused(khoa, qldl, rated_person):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        person_delete(actor=khoa, person=rated_person, scope=qldl)

    message = text(refused.value)
    assert f"“{rated_person.full_name}” has history" in message
    assert "archive them instead" in message


def test_archiving_a_person_keeps_their_employment_and_ratings(khoa, rated_person):
    seq = last_seq()

    person_archive(actor=khoa, person=rated_person)

    archived = Person.objects.get(pk=rated_person.pk)
    assert archived.is_archived
    assert archived.employments.exists() and archived.ratings.count() == 2
    [event] = events_after(seq)
    assert event.action == AuditAction.PERSON_ARCHIVED
    assert event.data["before"]["is_archived"] is False
    assert event.data["after"]["is_archived"] is True


def test_a_person_entered_by_mistake_can_be_deleted(khoa, qldl):
    mistake = person_save(actor=khoa, unit=qldl, code="TYPO-1", full_name="Nhập Nhầm")
    seq = last_seq()

    person_delete(actor=khoa, person=mistake, scope=qldl)

    assert not Person.objects.filter(code="TYPO-1").exists()
    assert AuditEvent.objects.get(seq=seq + 1).action == AuditAction.PERSON_DELETED
