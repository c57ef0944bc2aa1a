"""Start an agency's next year from the last one, as the "Bắt đầu năm" page does: print
what will be created, then (after a yes, or with --yes) create it all in one transaction.
Running it again for a year that exists is refused and changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.org.models import Unit, User
from thidua.years.selectors import YearPreview, year_preview
from thidua.years.services import year_start


def describe(preview: YearPreview) -> list[str]:
    """The preview as lines of text (the command's output)."""
    rule = preview.rule.get_rule_display() if preview.rule else "keep (no rule configured)"
    lines = [
        f"{preview.agency.code} {preview.year}, copied from {preview.source.year}",
        f"plan (draft): {preview.title}",
        f"  period {preview.starts_on:%d/%m/%Y} – {preview.ends_on:%d/%m/%Y}; theme left blank",
        f"  {len(preview.legal_bases)} legal bases, {len(preview.groups)} content groups, "
        f"{len(preview.criteria)} criteria",
        f"milestones ({len(preview.milestones)}):",
    ]
    for m in preview.milestones:
        flag = f"  ! {m.review}" if m.review else ""
        lines.append(f"  {m.due.day:%d/%m/%Y} {m.source.title}{flag}")
    lines.append(f"block terms (leaders by rule: {rule}; the naming decision left to fill in):")
    for t in preview.terms:
        if not t.creates:
            lines.append(f"  {t.block.code}: not created — {t.skip}")
            continue
        deputy = t.deputy.code if t.deputy else "—"
        table = f", scoring table v{t.table.version} copied" if t.table else ""
        leader = t.leader.code if t.leader else "?"
        lines.append(
            f"  {t.block.code}: {len(t.members)} members, leader {leader}, deputy {deputy}{table}"
        )
        lines.extend(f"    ! {note}" for note in [*t.dropped, *t.notes])
    lines.append(
        f"council: {len(preview.council_continuing)} members continue, "
        f"{len(preview.council_ended)} whose term ended are not carried over"
    )
    return lines


class Command(BaseCommand):
    help = "Start an agency's year from its previous one (plan, block terms, scoring tables)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("agency", help="the agency's unit code")
        parser.add_argument("year", type=int)
        parser.add_argument("--from", dest="from_year", type=int, help="copy this year")
        parser.add_argument("--yes", action="store_true", help="create without asking")
        parser.add_argument("--user", help="act as this user (default: the first active superuser)")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Unit.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"no unit with code {options['agency']!r}")
        users = User.objects.filter(is_active=True)
        actor = (
            users.filter(username=options["user"]).first()
            if options["user"]
            else users.filter(is_superuser=True).order_by("pk").first()
        )
        if actor is None:
            raise CommandError("no such active user (give --user)")
        try:
            preview = year_preview(agency, options["year"], options["from_year"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for line in describe(preview):
            self.stdout.write(line)
        if not options["yes"] and input("Create all of this? [y/N] ").strip().lower() != "y":
            self.stdout.write("nothing created")
            return
        try:
            campaign = year_start(
                actor=actor, agency=agency, year=options["year"], from_year=options["from_year"]
            )
        except (ValidationError, PermissionDenied) as error:
            messages = getattr(error, "messages", [str(error)])
            raise CommandError("nothing created: " + " ".join(messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"created {agency.code} {campaign.year} (campaign {campaign.pk}); "
                "open the blocks' years on the campaign's page"
            )
        )
