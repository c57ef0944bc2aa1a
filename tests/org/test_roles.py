"""Role assignments changed in the admin go through the service: checked and audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.org.models import Role, RoleAssignment, Unit, User
from thidua.org.services.roles import role_update

from .factories import make_admin, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def khoa() -> User:
    return make_admin(username="khoa", full_name="Huỳnh Đăng Khoa")


@pytest.fixture
def agency() -> Unit:
    return make_unit()


@pytest.fixture
def mai(agency: Unit) -> User:
    return make_user(role=Role.STAFF, unit=make_unit(parent=agency))


def test_ending_a_role_is_audited_with_before_and_after(khoa, agency):
    tuan = make_user(role=Role.UNIT_HEAD, unit=make_unit(parent=agency))
    assignment = RoleAssignment.objects.get(user=tuan, role="unit_head")
    assignment.valid_to = dt.date(2021, 12, 31)
    role_update(actor=khoa, assignment=assignment)
    event = AuditEvent.objects.filter(action=AuditAction.ROLE_UPDATED).latest("seq")
    assert event.data["before"]["valid_to"] is None
    assert event.data["after"]["valid_to"] == "2021-12-31"
    assert event.actor_label == "Huỳnh Đăng Khoa"


def test_someone_without_the_admin_role_cannot_change_roles(agency, mai):
    lan = make_user(role=Role.SECRETARIAT, unit=agency, include_descendants=True)
    assignment = RoleAssignment.objects.get(user=mai, role="staff")
    assignment.role = "secretariat"
    with pytest.raises(PermissionDenied):
        role_update(actor=lan, assignment=assignment)
    assert RoleAssignment.objects.get(pk=assignment.pk).role == "staff"


def test_the_user_admin_page_with_its_roles_opens(client, khoa, mai):
    client.force_login(khoa)
    response = client.get(f"/admin/org/user/{mai.pk}/change/")
    assert response.status_code == 200
    assert "roleassignment" in response.content.decode().lower()
