"""Reminder e-mails through a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import datetime as dt
import email
import socket
from collections.abc import Iterator
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.core.management.base import CommandError

from thidua.campaigns.models import BlockCycle, Milestone
from thidua.covenants.models import Covenant
from thidua.notifications.models import ReminderSent
from thidua.notifications.reminders import due_reminders, send_reminders

D = dt.date
COVENANT_DUE = D(2021, 1, 5)  # "trước ngày 06/01/2021"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_TIMEOUT = 5
    try:
        yield inbox
    finally:
        controller.stop()


def subject(message: Message) -> str:
    raw = message["Subject"]
    return str(email.header.make_header(email.header.decode_header(raw)))


def body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


@pytest.mark.django_db
def test_the_day_before_the_covenant_deadline_the_leader_and_the_unit_yet_to_sign_hear_of_it(
    smtp: Inbox,
) -> None:
    summary = send_reminders(COVENANT_DUE - dt.timedelta(days=1))
    # Khối 1's covenant is out for signature with Phòng Quản lý Du lịch (tuan) not signed;
    # its leader (minh) must submit it. Khối 2 has not circulated one: its leader is
    # reminded, its members are not (there is nothing for them to sign yet).
    recipients = sorted(m["To"] for m in smtp.messages)
    assert "minh@thidua.example" in recipients
    assert "tuan@thidua.example" in recipients
    assert "hoa@thidua.example" not in recipients  # deputy, already signed
    assert "mai@thidua.example" not in recipients  # staff owe nothing
    assert len(summary.sent) == len(smtp.messages)
    to_tuan = smtp.to("tuan@thidua.example")[0]
    assert subject(to_tuan).startswith("[Thi đua] Còn 1 ngày: Khối")
    assert "05/01/2021" in subject(to_tuan)
    text = body(to_tuan)
    assert "Giao ước thi đua" in text
    assert "chữ ký" in text  # why: the covenant awaits the unit's signature
    assert "/" in text and "http" in text  # a link back to the system


@pytest.mark.django_db
def test_a_second_run_the_same_day_sends_nothing_again(smtp: Inbox) -> None:
    day = COVENANT_DUE - dt.timedelta(days=1)
    first = send_reminders(day)
    count = len(smtp.messages)
    second = send_reminders(day)
    assert first.sent and not second.sent
    assert second.already_sent == len(first.sent)
    assert len(smtp.messages) == count
    assert ReminderSent.objects.filter(status=ReminderSent.Status.SENT).count() == count


@pytest.mark.django_db
def test_when_the_mail_server_is_down_nothing_is_logged_and_the_next_run_sends(
    settings: Any, smtp: Inbox
) -> None:
    day = COVENANT_DUE - dt.timedelta(days=1)
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nobody listens there
    down = send_reminders(day)
    assert down.failed and not down.sent
    assert not ReminderSent.objects.exists()
    settings.EMAIL_PORT = working_port
    up = send_reminders(day)
    assert len(up.sent) == len(down.failed)
    assert len(smtp.messages) == len(up.sent)


@pytest.mark.django_db
def test_a_block_past_the_milestone_is_not_reminded() -> None:
    day = COVENANT_DUE - dt.timedelta(days=1)
    before = {(r.scope, r.user.username) for r in due_reminders(day)}
    cycle = BlockCycle.objects.get(term__leader__code="QLVHGD", term__year=2021)
    BlockCycle.objects.filter(pk=cycle.pk).update(state="active")
    after = {(r.scope, r.user.username) for r in due_reminders(day)}
    scope = f"block:{cycle.term.block_id}"
    assert {(s, u) for s, u in before if s == scope}
    assert not {(s, u) for s, u in after if s == scope}


@pytest.mark.django_db
def test_only_the_configured_days_send(settings: Any) -> None:
    settings.THIDUA_REMINDER_DAYS = [7]
    assert due_reminders(COVENANT_DUE - dt.timedelta(days=7))
    assert not due_reminders(COVENANT_DUE - dt.timedelta(days=6))
    assert not due_reminders(COVENANT_DUE - dt.timedelta(days=1))


@pytest.mark.django_db
def test_one_reminder_after_the_deadline_says_late_work_is_still_accepted(smtp: Inbox) -> None:
    send_reminders(COVENANT_DUE + dt.timedelta(days=1))
    late = smtp.to("minh@thidua.example")
    assert late and subject(late[0]).startswith("[Thi đua] Đã quá hạn")
    assert "không bị mất" in body(late[0])


@pytest.mark.django_db
def test_no_covenant_reminder_to_members_once_everyone_has_signed(smtp: Inbox) -> None:
    day = COVENANT_DUE - dt.timedelta(days=1)
    covenant = Covenant.objects.get(term__leader__code="QLVHGD", term__year=2021)
    assert covenant.status == Covenant.Status.SIGNING
    Covenant.objects.filter(pk=covenant.pk).update(status=Covenant.Status.SUBMITTED)
    assert "tuan" not in {r.user.username for r in due_reminders(day)}


@pytest.mark.django_db
def test_the_command_lists_what_it_would_send_without_sending(smtp: Inbox, capsys: Any) -> None:
    call_command("send_reminders", "--date", "2021-01-04", "--dry-run")
    out = capsys.readouterr().out
    assert "would send: tuan@thidua.example" in out
    assert not smtp.messages
    assert not ReminderSent.objects.exists()
    with pytest.raises(CommandError):
        call_command("send_reminders", "--date", "04/01/2021")


@pytest.mark.django_db
def test_milestones_far_away_send_nothing() -> None:
    # 04/01/2021 - the mid-year review is months away.
    midyear = Milestone.objects.get(kind=Milestone.Kind.MIDYEAR)
    assert midyear.pk not in {r.milestone.pk for r in due_reminders(D(2021, 1, 4))}


@pytest.mark.django_db
def test_a_member_unit_that_handed_in_its_annual_report_is_not_reminded_of_it() -> None:
    from thidua.org.models import Unit
    from thidua.reports.models import Period, Report

    milestone = Milestone.objects.get(kind=Milestone.Kind.REPORTS)
    day = milestone.due_on - dt.timedelta(days=1)

    def reminded() -> set[str]:
        due = due_reminders(day)
        return {r.user.username for r in due if r.milestone.pk == milestone.pk}

    assert "tuan" in reminded()  # head of QLDL, a member unit of K1
    qldl = Unit.objects.get(code="QLDL")
    cycle = BlockCycle.objects.get(term__memberships__unit=qldl, term__year=2021)
    report = Report.objects.create(cycle=cycle, unit=qldl, period=Period.YEAREND)
    assert "tuan" in reminded()  # started is not handed in
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBMITTED)
    assert "tuan" not in reminded()
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RETURNED)
    assert "tuan" in reminded()  # sent back: owed again
