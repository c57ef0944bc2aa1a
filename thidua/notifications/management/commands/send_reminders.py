"""Send today's reminder e-mails. Run it once a day (cron or a systemd timer); running it
more often, or again after an SMTP failure, never sends a reminder twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.notifications.reminders import send_reminders


class Command(BaseCommand):
    help = "Send the reminder e-mails due today (once each)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="act as if today were this day (YYYY-MM-DD)")
        parser.add_argument(
            "--dry-run", action="store_true", help="list the reminders, send nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options["date"]:
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date: {exc}") from exc
        summary = send_reminders(day, dry_run=options["dry_run"])
        verb = "would send" if options["dry_run"] else "sent"
        for reminder in summary.sent:
            self.stdout.write(
                f"{verb}: {reminder.user.email} — {reminder.milestone.title}"
                f" ({reminder.days_before:+d} d)"
            )
        for reminder in summary.without_email:
            self.stdout.write(f"no e-mail address: {reminder.user.username}")
        for reminder, error in summary.failed:
            self.stderr.write(f"failed: {reminder.user.email}: {error}")
        self.stdout.write(
            f"{len(summary.sent)} {verb}, {summary.already_sent} already sent, "
            f"{len(summary.without_email)} without e-mail, {len(summary.failed)} failed"
        )
        if summary.failed:
            raise CommandError(f"{len(summary.failed)} reminders could not be sent")
