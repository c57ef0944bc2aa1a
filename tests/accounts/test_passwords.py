"""The password policy, the self-service change and the reset by e-mail."""

from __future__ import annotations

import re
from email.message import Message
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.notifications.test_reminders import Inbox, smtp  # noqa: F401  (the SMTP fixture)
from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.demo.loader import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("weak", ["mai12345", "12345678901", "password123", "vo thi mai"])
def test_weak_passwords_are_refused(persona: Any, weak: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(weak, persona("mai"))


def test_the_demo_password_passes_the_policy(persona: Any) -> None:
    validate_password(DEMO_PASSWORD, persona("mai"))


def test_a_person_changes_their_password_and_it_is_audited(login: Any) -> None:
    client = login("mai")
    url = reverse("password_change")
    assert "Đổi mật khẩu" in client.get(url).content.decode()
    refused = client.post(
        url,
        {"old_password": DEMO_PASSWORD, "new_password1": "mai12345", "new_password2": "mai12345"},
    )
    assert refused.status_code == 200
    assert "quá ngắn" in refused.content.decode()  # the policy's message, in Vietnamese
    new = "Hoa-Sen-Nở-2021"
    done = client.post(
        url, {"old_password": DEMO_PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200  # still signed in
    fresh = Client()
    fresh.post(reverse("login"), {"username": "mai", "password": new})
    assert "_auth_user_id" in fresh.session
    (event,) = AuditEvent.objects.filter(action=AuditAction.ACCOUNT_PASSWORD_CHANGE)
    assert event.actor_label == "Võ Thị Mai"


def _reset_link(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", body)
    assert match, body
    return match.group(1)


def _reset(client: Client, link: str, password: str) -> Any:
    form = client.get(link, follow=True)  # Django swaps the token for a session key
    assert form.status_code == 200
    return client.post(
        form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )


def test_a_locked_out_person_resets_by_e_mail(persona: Any) -> None:
    mai = persona("mai")
    for n in range(5):
        Client().post(reverse("login"), {"username": "mai", "password": f"guess-{n}"})
    client = Client()
    response = client.post(reverse("password_reset"), {"email": mai.email})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [mai.email]
    assert message.subject == "Thi đua: đặt mật khẩu mới"
    assert "Kính gửi Võ Thị Mai" in message.body
    link = _reset_link(message.body)
    weak = _reset(client, link, "mai12345")
    assert weak.status_code == 200  # refused by the policy, the form again
    done = _reset(client, link, "Sen-Hồng-2021")
    assert done.status_code == 302
    assert done.url == reverse("password_reset_complete")
    # The reset lifts the lockout of the account: the new password works at once.
    again = Client()
    assert (
        again.post(reverse("login"), {"username": "mai", "password": "Sen-Hồng-2021"}).status_code
        == 302
    )
    # The link works once.
    assert "không còn hiệu lực" in Client().get(link, follow=True).content.decode()
    (event,) = AuditEvent.objects.filter(action=AuditAction.ACCOUNT_PASSWORD_RESET)
    assert event.data["lockout_cleared"] >= 1


def test_an_unknown_address_gets_the_same_answer_and_no_mail() -> None:
    response = Client().post(reverse("password_reset"), {"email": "stranger@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_the_reset_mail_goes_through_a_real_smtp_server(
    smtp: Inbox,  # noqa: F811
    persona: Any,
) -> None:
    lan = persona("lan")
    Client().post(reverse("password_reset"), {"email": lan.email})
    (message,) = smtp.to(lan.email)
    body = _text(message)
    assert "/accounts/password/reset/" in body


def _text(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")
