from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from thidua.audit.checkpoints import ChainNotPublishable, checkpoint_publish


class Command(BaseCommand):
    help = "Publish the audit chain's head as a signed checkpoint (the job worker does it too)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checkpoint = checkpoint_publish()
        except ChainNotPublishable as refusal:
            raise CommandError(_("checkpoint refused: %(reason)s") % {"reason": refusal}) from None
        if checkpoint is None:
            self.stdout.write(_("nothing new since the last checkpoint"))
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("checkpoint %(number)s published: row #%(seq)s")
                % {"number": checkpoint.number, "seq": checkpoint.seq}
            )
        )
