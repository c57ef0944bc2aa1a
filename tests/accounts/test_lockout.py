"""Guessing passwords: the attack of issue #13 replayed against django-axes' lockout."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"


def _try(client: Client, username: str, password: str, ip: str = ATTACKER) -> Any:
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_forty_wrong_passwords_then_the_right_one_is_refused(demo_password: str) -> None:
    client = Client()
    statuses = [_try(client, "minh", f"guess-{n}").status_code for n in range(40)]
    assert statuses[:4] == [200] * 4  # the form again, with its error
    assert set(statuses[5:]) == {429}  # locked from the fifth failure on
    response = _try(client, "minh", demo_password)
    assert response.status_code == 429
    assert not _signed_in(client)
    assert "Đăng nhập bị tạm khóa" in response.content.decode()
    # The same account is locked from another address too (lockout per account).
    assert _try(Client(), "minh", demo_password, ip="198.51.100.9").status_code == 429
    locked = AuditEvent.objects.filter(action=AuditAction.ACCOUNT_LOCKED)
    assert [event.data["username"] for event in locked] == ["minh"]  # once, not 36 times


def test_guessing_many_accounts_from_one_address_locks_the_address(demo_password: str) -> None:
    client = Client()
    for n, name in enumerate(["minh", "lan", "khoa", "nobody", "root"]):
        _try(client, name, f"guess-{n}")
    # The sixth account, never guessed, is refused from that address, not from others.
    assert _try(client, "thu", demo_password).status_code == 429
    other = Client()
    assert _try(other, "thu", demo_password, ip="198.51.100.9").status_code == 302
    assert _signed_in(other)


def test_an_administrator_lifts_the_lockout_and_it_is_audited(
    login: Any, demo_password: str
) -> None:
    attacker = Client()
    for n in range(5):
        _try(attacker, "minh", f"guess-{n}")
    admin = login("khoa")
    page = admin.get(reverse("accounts:security"))
    assert "minh" in page.content.decode()
    admin.post(reverse("accounts:unlock"), {"kind": "username", "value": "minh"})
    assert 'id="lockouts"' not in admin.get(reverse("accounts:security")).content.decode()
    owner = Client()
    assert _try(owner, "minh", demo_password).status_code == 302
    unlocked = AuditEvent.objects.filter(action=AuditAction.ACCOUNT_UNLOCKED).order_by("seq")
    assert [(e.actor_label, e.data["username"], e.data["cleared"]) for e in unlocked] == [
        ("Huỳnh Đăng Khoa", "minh", 1)
    ]


def test_a_locked_address_is_lifted_by_its_address(login: Any, demo_password: str) -> None:
    attacker = Client()
    for n in range(5):
        _try(attacker, f"nobody-{n}", "guess")
    assert _try(attacker, "minh", demo_password).status_code == 429
    login("khoa").post(reverse("accounts:unlock"), {"kind": "ip_address", "value": ATTACKER})
    assert _try(Client(), "minh", demo_password).status_code == 302
    (event,) = AuditEvent.objects.filter(action=AuditAction.ACCOUNT_UNLOCKED)
    assert (event.object_type, event.data["ip_address"], event.data["cleared"]) == (
        "axes.accessattempt",
        ATTACKER,
        5,
    )


def test_only_an_administrator_sees_or_lifts_lockouts(login: Any) -> None:
    client = login("minh")
    assert client.get(reverse("accounts:security")).status_code == 403
    response = client.post(reverse("accounts:unlock"), {"kind": "username", "value": "minh"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.ACCOUNT_UNLOCKED).exists()


def test_a_success_before_the_limit_clears_the_count(demo_password: str) -> None:
    client = Client()
    for n in range(4):
        _try(client, "minh", f"guess-{n}")
    assert _try(client, "minh", demo_password).status_code == 302
    for n in range(4):
        assert _try(Client(), "minh", f"again-{n}").status_code == 200
