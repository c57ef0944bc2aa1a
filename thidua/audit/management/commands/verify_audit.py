from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from thidua.audit.verify import verify


class Command(BaseCommand):
    help = (
        "Verify the audit log with its key against the head and the published checkpoints; "
        "name the row (or head, checkpoint, key) that was changed or deleted."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify()
        if report.problems:
            for problem in report.problems[1:]:
                self.stderr.write(_("also: %(problem)s") % {"problem": problem.message})
            raise CommandError(
                _("audit chain broken: %(problem)s") % {"problem": report.problems[0].message}
            )
        self.stdout.write(
            self.style.SUCCESS(_("audit chain intact: %(rows)s rows") % {"rows": report.rows})
        )
        checkpoint = report.checkpoint
        if checkpoint is None:
            self.stdout.write(_("no checkpoint published yet: nothing anchors the log"))
        else:
            self.stdout.write(
                _(
                    "last checkpoint: %(number)s, row #%(seq)s, %(at)s; rows after it are "
                    "anchored only by the key"
                )
                % {
                    "number": checkpoint.number,
                    "seq": checkpoint.seq,
                    "at": checkpoint.published_at,
                }
            )
        if report.legacy_seq:
            self.stdout.write(
                _("rows up to #%(seq)s were written before the chain was keyed (re-keyed)")
                % {"seq": report.legacy_seq}
            )
