from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.voting.models import Vote
from thidua.voting.verification import vote_verify


class Command(BaseCommand):
    help = (
        "Re-verify closed votes: the ballot chain against the head in the minutes, ballots "
        "against voters, and the tally recounted from the stored ballots. Exit code 1 if any "
        "check fails."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("votes", nargs="*", help="vote ids (the UUID in the vote's address)")
        parser.add_argument("--meeting", type=int, help="every closed vote of this meeting")
        parser.add_argument("--all", action="store_true", help="every closed vote")

    def handle(self, *args: Any, **options: Any) -> None:
        votes = Vote.objects.select_related("meeting", "item").order_by(
            "meeting", "item", "round_number"
        )
        if options["all"]:
            chosen = votes.filter(status=Vote.Status.CLOSED)
        elif options["meeting"]:
            chosen = votes.filter(status=Vote.Status.CLOSED, meeting_id=options["meeting"])
        elif options["votes"]:
            try:
                chosen = votes.filter(pk__in=options["votes"])
                found = len(chosen)
            except Exception as error:  # a malformed UUID
                raise CommandError(f"not a vote id: {error}") from error
            if found != len(set(options["votes"])):
                raise CommandError("a vote id was not found")
        else:
            raise CommandError("name vote ids, --meeting ID or --all")
        failed = 0
        for vote in chosen:
            result = vote_verify(vote)
            status = self.style.SUCCESS("OK") if result.ok else self.style.ERROR("FAILED")
            self.stdout.write(
                f"{status} {vote.pk} {vote.meeting.title} — {vote.item.title} ({vote.round_number})"
            )
            for check in result.checks:
                self.stdout.write(f"  {'✓' if check.ok else '✗'} {check.label}: {check.detail}")
            failed += not result.ok
        if failed:
            raise CommandError(f"{failed} vote(s) do not check out")
