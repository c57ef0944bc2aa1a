"""Rows with history are never deleted: the services refuse and point to archiving."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.org.helpers import (
    AGENCY,
    D,
    events_after,
    last_seq,
    node,
    nothing_written,
    person,
    text,
    unit,
)
from thidua.audit.models import AuditEvent
from thidua.org.models import Person, Role, Unit, UnitKind, UnitStatus
from thidua.org.selectors import org_tree, unit_version_on
from thidua.org.services.blocks import block_create, block_term_save
from thidua.org.services.employment import employment_add
from thidua.org.services.people import person_archive, person_delete, person_save
from thidua.org.services.ratings import unit_rating_set
from thidua.org.services.roles import role_assign
from thidua.org.services.units import unit_archive, unit_create, unit_delete, unit_move, unit_rename


@pytest.fixture
def khoa(persona):
    return persona("khoa")


def new_unit(actor, code: str, parent: Unit | None = None) -> Unit:
    return unit_create(
        actor=actor,
        code=code,
        name=f"Đơn vị {code}",
        kind=UnitKind.DIVISION,
        parent=parent or unit(AGENCY),
        valid_from=D(2021, 1, 1),
    )


# Units ------------------------------------------------------------------------------------


def test_deleting_a_unit_with_history_is_refused(khoa):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        unit_delete(actor=khoa, unit=unit("QLDL"))

    message = text(refused.value)
    assert "“Phòng Quản lý Du lịch” has history" in message
    assert "archive it instead" in message
    assert unit("QLDL").status == UnitStatus.ACTIVE


def test_archiving_a_unit_with_history_closes_it_and_keeps_its_past(khoa):
    unit_archive(actor=khoa, unit=unit("QLDL"), on=D(2022, 1, 1))

    qldl = unit("QLDL")
    assert qldl.status == UnitStatus.ARCHIVED
    assert unit_version_on(qldl, D(2021, 12, 31)).status == UnitStatus.ACTIVE
    assert unit_version_on(qldl, D(2022, 1, 1)).status == UnitStatus.ARCHIVED
    assert node(org_tree(), "QLDL") is None
    assert node(org_tree(on=D(2021, 6, 1)), "QLDL") is not None
    assert qldl.employments.exists() and qldl.ratings.exists()


def test_archiving_a_closed_unit_is_refused(khoa):
    unit_archive(actor=khoa, unit=unit("QLDL"), on=D(2022, 1, 1))

    with nothing_written(), pytest.raises(ValidationError) as refused:
        unit_archive(actor=khoa, unit=unit("QLDL"), on=D(2022, 2, 1))

    assert "already closed" in text(refused.value)


def test_a_unit_entered_by_mistake_can_be_deleted(khoa):
    mistake = new_unit(khoa, "TYPO")
    seq = last_seq()

    unit_delete(actor=khoa, unit=mistake)

    assert not Unit.objects.filter(code="TYPO").exists()
    [event] = events_after(seq)
    assert (event.action, event.data["before"]["code"]) == ("unit.deleted", "TYPO")


def _employ(admin, scratch: Unit) -> None:
    employment_add(actor=admin, person=person("VP-001"), unit=scratch, valid_from=D(2021, 2, 1))


def _rename(admin, scratch: Unit) -> None:
    unit_rename(actor=admin, unit=scratch, name="Tên mới", short_name="", on=D(2021, 6, 1))


def _rate(admin, scratch: Unit) -> None:
    unit_rating_set(actor=admin, unit=scratch, year=2021, rating="HTTNV")


def _sub_unit(admin, scratch: Unit) -> None:
    new_unit(admin, "SCRATCH-CHILD", parent=scratch)


def _block_member(admin, scratch: Unit) -> None:
    block = block_create(actor=admin, agency=unit(AGENCY), code="K3", name="Khối 3", kind="khoi")
    leader = new_unit(admin, "K3-LEADER")
    block_term_save(
        actor=admin, block=block, year=2022, leader=leader, deputy=None, members=[leader, scratch]
    )


@pytest.mark.parametrize(
    "history",
    [_employ, _rename, _rate, _sub_unit, _block_member],
    ids=["staff", "renamed", "rated", "sub-unit", "block member"],
)
def test_deleting_a_unit_with_any_one_kind_of_history_is_refused(khoa, history):
    scratch = new_unit(khoa, "SCRATCH")
    history(khoa, scratch)

    with nothing_written(), pytest.raises(ValidationError) as refused:
        unit_delete(actor=khoa, unit=scratch)

    assert "has history" in text(refused.value)
    assert Unit.objects.filter(code="SCRATCH").exists()


def test_deleting_a_unit_that_once_had_a_subunit_is_refused(khoa):
    former_parent = new_unit(khoa, "OLD-PARENT")
    child = new_unit(khoa, "CHILD", parent=former_parent)
    unit_move(actor=khoa, unit=child, parent=unit(AGENCY), on=D(2021, 6, 1))

    with nothing_written(), pytest.raises(ValidationError) as refused:
        unit_delete(actor=khoa, unit=former_parent)

    assert "has history" in text(refused.value)
    assert unit_version_on(child, D(2021, 3, 1)).parent == former_parent


def test_deleting_a_unit_that_scopes_a_role_is_refused(khoa, persona):
    scoped = new_unit(khoa, "SCOPED")
    role_assign(
        actor=khoa, user=persona("mai"), role=Role.STAFF, unit=scoped, valid_from=D(2021, 1, 1)
    )

    with nothing_written(), pytest.raises(ValidationError) as refused:
        unit_delete(actor=khoa, unit=scoped)

    assert "has history" in text(refused.value)


# People -----------------------------------------------------------------------------------


def test_deleting_a_person_with_history_is_refused(khoa):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        person_delete(actor=khoa, person=person("QLDL-001"), scope=unit("QLDL"))

    message = text(refused.value)
    assert f"“{person('QLDL-001').full_name}” has history" in message
    assert "archive them instead" in message


def test_archiving_a_person_keeps_their_employment_and_ratings(khoa):
    seq = last_seq()

    person_archive(actor=khoa, person=person("QLDL-001"))

    archived = person("QLDL-001")
    assert archived.is_archived
    assert archived.employments.exists() and archived.ratings.count() == 2
    [event] = events_after(seq)
    assert event.action == "person.archived"
    assert event.data["before"]["is_archived"] is False
    assert event.data["after"]["is_archived"] is True


def test_a_person_entered_by_mistake_can_be_deleted(khoa):
    mistake = person_save(actor=khoa, unit=unit("QLDL"), code="TYPO-1", full_name="Nhập Nhầm")
    seq = last_seq()

    person_delete(actor=khoa, person=mistake, scope=unit("QLDL"))

    assert not Person.objects.filter(code="TYPO-1").exists()
    assert AuditEvent.objects.get(seq=seq + 1).action == "person.deleted"
