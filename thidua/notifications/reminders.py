"""Reminder e-mails before a milestone's deadline, to the people who still owe it.

Who owes what comes from the data, never from a list kept by hand, read through the
owning apps' selectors (the home page's next actions read the same ones): the milestone's
owner role resolved for each block of the campaign (the heads of the leader's or deputy's
unit, the member units' heads, the secretariat, the council), skipping blocks whose year
has already passed the milestone (campaigns), member units that have handed in their
annual report (reports) and, for the covenant, adding the heads of member units that have
not signed the text in circulation (covenants).

`send_reminders` is idempotent: the log row for (milestone, scope, person, day) is claimed
before the e-mail goes out and released if sending fails, so a daily job started twice, or
re-run after an SMTP outage, sends each reminder exactly once.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from thidua.campaigns.cycle import Owner
from thidua.campaigns.models import BlockCycle, Milestone
from thidua.campaigns.selectors import campaign_cycles, cycle_owes
from thidua.covenants.selectors import units_yet_to_sign
from thidua.lib.dates import today
from thidua.org.models import Role, Unit, User
from thidua.org.selectors import agency_people, unit_heads
from thidua.reports.selectors import period_of_milestone, units_yet_to_report

from .models import ReminderSent

logger = logging.getLogger(__name__)

AGENCY_SCOPE = "agency"


@dataclass(frozen=True)
class Reminder:
    milestone: Milestone
    scope: str
    block_name: str
    user: User
    days_before: int
    why: str

    @property
    def key(self) -> tuple[int, str, int, int]:
        return (self.milestone.pk, self.scope, self.user.pk, self.days_before)


@dataclass
class Summary:
    sent: list[Reminder] = field(default_factory=list)
    already_sent: int = 0
    without_email: list[Reminder] = field(default_factory=list)
    failed: list[tuple[Reminder, str]] = field(default_factory=list)


def reminder_days() -> list[int]:
    """Days before the deadline on which a reminder goes out; a negative day is the one
    reminder after it has passed."""
    return sorted(set(settings.THIDUA_REMINDER_DAYS), reverse=True)


def due_reminders(on: dt.date | None = None) -> list[Reminder]:
    """Every reminder that should go out on `on` (today by default), sent or not."""
    day = on or today()
    by_due = {day + dt.timedelta(days=n): n for n in reminder_days()}
    milestones = Milestone.objects.filter(due_on__in=by_due).select_related("campaign__agency")
    reminders: list[Reminder] = []
    for milestone in milestones:
        days_before = by_due[milestone.due_on]
        reminders.extend(_for_milestone(milestone, days_before, day))
    unique = {r.key: r for r in reminders}
    return sorted(unique.values(), key=lambda r: (r.milestone.due_on, r.scope, r.user.username))


def _for_milestone(milestone: Milestone, days_before: int, day: dt.date) -> Iterable[Reminder]:
    campaign = milestone.campaign
    owner = Owner(milestone.owner)
    if milestone.kind == Milestone.Kind.PLAN:
        if campaign.plan_number:
            return
        for user in _agency_people(owner, campaign.agency, day):
            yield Reminder(milestone, AGENCY_SCOPE, "", user, days_before, _("The plan"))
        return
    cycles = [c for c in campaign_cycles(campaign) if cycle_owes(c, milestone)]
    if owner in (Owner.SECRETARIAT, Owner.COUNCIL):
        if cycles:
            why = ", ".join(c.term.block.name for c in cycles)
            for user in _agency_people(owner, campaign.agency, day):
                yield Reminder(milestone, AGENCY_SCOPE, "", user, days_before, why)
        return
    for cycle in cycles:
        term = cycle.term
        scope = f"block:{term.block_id}"
        owed = _owed_by_units(milestone, owner, cycle)
        heads = unit_heads(owed, day)
        for unit_id, why in owed.items():
            for user in heads.get(unit_id, []):
                yield Reminder(milestone, scope, term.block.name, user, days_before, why)


def _owed_by_units(milestone: Milestone, owner: Owner, cycle: BlockCycle) -> dict[int, str]:
    """The units of the block that owe the milestone's work, each with why: the owner's
    unit, and the member units whose own part (a signature, a report) is still missing."""
    term = cycle.term
    owed: dict[int, str] = {}
    if owner == Owner.BLOCK_LEADER:
        owed[term.leader_id] = _("as block leader")
    elif owner == Owner.BLOCK_DEPUTY and term.deputy_id:
        owed[term.deputy_id] = _("as block deputy")
    elif owner == Owner.MEMBERS:
        members = [m.unit_id for m in term.memberships.all()]
        period = period_of_milestone(milestone.kind)
        if period is not None:
            # A unit that has handed its report in owes nothing (the home page agrees).
            members = units_yet_to_report(cycle, period)
        for unit_id in members:
            owed.setdefault(unit_id, _("as a member unit"))
    if milestone.kind == Milestone.Kind.COVENANT:
        for unit_id in units_yet_to_sign(cycle):
            owed.setdefault(unit_id, _("the covenant awaits your unit's signature"))
    return owed


def _agency_people(owner: Owner, agency: Unit, day: dt.date) -> list[User]:
    role = Role.SECRETARIAT if owner == Owner.SECRETARIAT else Role.COUNCIL_MEMBER
    return agency_people(role, agency, day)


def _subject(reminder: Reminder) -> str:
    milestone = reminder.milestone
    due = milestone.due_on.strftime("%d/%m/%Y")
    what = milestone.title
    if reminder.block_name:
        what = f"{reminder.block_name}: {what}"
    if reminder.days_before > 0:
        lead = ngettext("%(days)s day left", "%(days)s days left", reminder.days_before) % {
            "days": reminder.days_before
        }
    elif reminder.days_before == 0:
        lead = _("Due today")
    else:
        lead = _("Overdue")
    deadline = _("due %(date)s") % {"date": due}
    return f"[Thi đua] {capfirst(lead)}: {what} ({deadline})"[:300]


def _body(reminder: Reminder) -> str:
    milestone = reminder.milestone
    lines = [
        _("Dear %(name)s,") % {"name": reminder.user.full_name or reminder.user.username},
        "",
        milestone.title,
    ]
    if reminder.block_name:
        lines.append(_("Block: %(block)s") % {"block": reminder.block_name})
    if milestone.deliverable:
        lines.append(_("What is due: %(what)s") % {"what": milestone.deliverable})
    if milestone.recipient:
        lines.append(_("Send to: %(to)s") % {"to": milestone.recipient})
    lines.append(_("Deadline: %(date)s") % {"date": milestone.due_on.strftime("%d/%m/%Y")})
    lines.append(_("Why you: %(why)s") % {"why": reminder.why})
    if reminder.days_before < 0:
        lines += [
            "",
            _(
                "The deadline has passed. Late work is still accepted and marked late; "
                "nothing you entered has been lost."
            ),
        ]
    lines += [
        "",
        _("Open Thi đua: %(url)s") % {"url": settings.PUBLIC_BASE_URL + reverse("dashboard")},
        "",
        _("This reminder is sent once; you will not receive it again for this day."),
    ]
    return "\n".join(lines)


def send_reminders(on: dt.date | None = None, *, dry_run: bool = False) -> Summary:
    summary = Summary()
    due = due_reminders(on)
    sent_keys = set(
        ReminderSent.objects.filter(milestone__in={r.milestone.pk for r in due}).values_list(
            "milestone_id", "scope", "user_id", "days_before"
        )
    )
    connection = None
    server_down = ""
    try:
        for reminder in due:
            if reminder.key in sent_keys:
                summary.already_sent += 1
                continue
            if not reminder.user.email:
                summary.without_email.append(reminder)
                continue
            if dry_run:
                summary.sent.append(reminder)
                continue
            if server_down:
                # One failed connection says it for the whole run: the rest wait for the
                # next run instead of each waiting for its own timeout.
                summary.failed.append((reminder, server_down))
                continue
            if connection is None:
                # One SMTP session for the whole run, not one per e-mail.
                connection = get_connection(fail_silently=False)
                try:
                    connection.open()
                except (smtplib.SMTPException, OSError) as exc:
                    connection = None
                    server_down = f"{type(exc).__name__}: {exc}"
                    summary.failed.append((reminder, server_down))
                    continue
            error = _send_one(reminder, connection)
            if error is None:
                summary.sent.append(reminder)
            elif error == "":
                summary.already_sent += 1
            else:
                summary.failed.append((reminder, error))
    finally:
        if connection is not None:
            connection.close()
    return summary


def _send_one(reminder: Reminder, connection: object) -> str | None:
    """None when sent, "" when another run had claimed it, else the reason it failed."""
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _subject(reminder), _body(reminder)
    try:
        with transaction.atomic():
            claim = ReminderSent.objects.create(
                milestone=reminder.milestone,
                scope=reminder.scope,
                user=reminder.user,
                days_before=reminder.days_before,
                email=reminder.user.email,
                subject=subject,
            )
    except IntegrityError:
        return ""
    try:
        EmailMessage(subject, body, to=[reminder.user.email], connection=connection).send()
    except (smtplib.SMTPException, OSError) as exc:  # retried on the next run
        claim.delete()
        logger.warning("reminder to %s failed: %s", reminder.user.email, exc)
        return f"{type(exc).__name__}: {exc}"
    ReminderSent.objects.filter(pk=claim.pk).update(status=ReminderSent.Status.SENT)
    return None
