from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from thidua.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and name the first changed or deleted row."

    def handle(self, *args: Any, **options: Any) -> None:
        problem = verify_chain()
        if problem is not None:
            raise CommandError(f"audit chain broken: row #{problem.seq} was {problem.reason}")
        self.stdout.write(self.style.SUCCESS("audit chain intact"))
