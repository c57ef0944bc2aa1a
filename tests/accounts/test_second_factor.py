"""The optional second factor (TOTP) of administrators and the secretariat."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.demo.loader import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice, at: float) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at
    return f"{totp.token():06d}"


def _at(moment: float) -> Any:
    return mock.patch("django_otp.plugins.otp_totp.models.time.time", return_value=moment)


def _wait_out_the_throttle(device: TOTPDevice) -> None:
    # After a wrong code the device refuses every code for a while (django-otp's throttle).
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(seconds=10)
    )


def _enrol(client: Client, now: float) -> TOTPDevice:
    page = client.get(reverse("accounts:otp_setup"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user__username="lan", confirmed=False)
    _wait_out_the_throttle(device)
    with _at(now):
        done = client.post(reverse("accounts:otp_setup"), {"token": _code(device, now)})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def _password_login(username: str = "lan") -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def test_the_secretariat_enrols_and_then_every_login_asks_a_code(login: Any) -> None:
    now = time.time()
    enrolling = login("lan")
    wrong = enrolling.post(reverse("accounts:otp_setup"), {"token": "000000"})
    assert wrong.status_code == 200 and "không đúng" in wrong.content.decode()
    device = _enrol(enrolling, now)
    assert enrolling.get("/").status_code == 200  # the enrolling session is verified
    assert "Đang bật" in enrolling.get(reverse("accounts:home")).content.decode()

    client = _password_login()
    asked = client.get(reverse("report_home"))
    assert asked.status_code == 302
    assert asked.url.startswith(reverse("accounts:otp_verify"))
    later = now + 60  # a code is used once: the next one
    with _at(later):
        refused = client.post(asked.url, {"token": "123456"})
        assert refused.status_code == 200
        assert client.get("/").status_code == 302
        # Right after a wrong code even the right one waits (django-otp's throttle) ...
        assert client.post(asked.url, {"token": _code(device, later)}).status_code == 200
        # ... and passes once the wait is over.
        _wait_out_the_throttle(device)
        passed = client.post(asked.url, {"token": _code(device, later)})
    assert passed.status_code == 302 and passed.url == reverse("report_home")
    assert client.get(reverse("report_home")).status_code == 200
    actions = list(
        AuditEvent.objects.filter(action__startswith="accounts.account.second_factor")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        AuditAction.ACCOUNT_SECOND_FACTOR_ENROLLED,
        AuditAction.ACCOUNT_SECOND_FACTOR_FAILED,
        AuditAction.ACCOUNT_SECOND_FACTOR_FAILED,
    ]


def test_a_person_without_a_device_is_never_asked() -> None:
    client = _password_login()
    assert client.get("/").status_code == 200


def test_unit_staff_are_not_offered_the_second_factor(login: Any) -> None:
    client = login("mai")
    assert "otp_setup" not in client.get(reverse("accounts:home")).content.decode()
    assert client.get(reverse("accounts:otp_setup")).status_code == 403


def test_an_administrator_resets_a_lost_device_and_it_is_audited(login: Any) -> None:
    _enrol(login("lan"), time.time())
    lan = TOTPDevice.objects.get(user__username="lan").user
    assert login("mai").post(reverse("accounts:otp_reset", args=[lan.pk])).status_code == 403
    admin = login("khoa")
    assert "Nguyễn Thị Lan" in admin.get(reverse("accounts:security")).content.decode()
    admin.post(reverse("accounts:otp_reset", args=[lan.pk]))
    assert not TOTPDevice.objects.filter(user=lan).exists()
    (event,) = AuditEvent.objects.filter(action=AuditAction.ACCOUNT_SECOND_FACTOR_RESET)
    assert event.actor_label == "Huỳnh Đăng Khoa" and event.object_label == str(lan)
    assert _password_login().get("/").status_code == 200
