"""Role assignments changed in the admin go through the service: checked and audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from thidua.audit.models import AuditEvent
from thidua.org.models import RoleAssignment, User
from thidua.org.services.roles import role_update


def test_ending_a_role_is_audited_with_before_and_after(persona):
    assignment = RoleAssignment.objects.get(user__username="tuan", role="unit_head")
    assignment.valid_to = dt.date(2021, 12, 31)
    role_update(actor=persona("khoa"), assignment=assignment)
    event = AuditEvent.objects.filter(action="role.updated").latest("seq")
    assert event.data["before"]["valid_to"] is None
    assert event.data["after"]["valid_to"] == "2021-12-31"
    assert event.actor_label == "Huỳnh Đăng Khoa"


def test_someone_without_the_admin_role_cannot_change_roles(persona):
    assignment = RoleAssignment.objects.get(user__username="mai", role="staff")
    assignment.role = "secretariat"
    with pytest.raises(PermissionDenied):
        role_update(actor=persona("lan"), assignment=assignment)
    assert RoleAssignment.objects.get(pk=assignment.pk).role == "staff"


def test_the_user_admin_page_with_its_roles_opens(client, persona):
    client.force_login(persona("khoa"))
    mai = User.objects.get(username="mai")
    response = client.get(f"/admin/org/user/{mai.pk}/change/")
    assert response.status_code == 200
    assert "roleassignment" in response.content.decode().lower()
