"""`manage.py eligibility CODE YEAR [--title TITLE_CODE] [--on DATE] [--json]`: evaluate a
person or a unit (by its code) for every title, or one, in an achievement year, and print
each condition with its verdict and reason — or the JSON the API returns."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from thidua.org.models import Person, Unit
from thidua.titles import rules, selectors
from thidua.titles.report import evaluation_data


class Command(BaseCommand):
    help = "Evaluate a person or a unit for the titles of an achievement year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the code of a person or a unit")
        parser.add_argument("year", type=int, help="the achievement year")
        parser.add_argument("--title", help="one title's code (LDTT, CSTDCS, TTLDTT…)")
        parser.add_argument(
            "--on", type=dt.date.fromisoformat, help="rules in force on this day (YYYY-MM-DD)"
        )
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        code, year = options["code"], options["year"]
        person = Person.objects.filter(code=code).first()
        unit = Unit.objects.filter(code=code).first()
        if person is None and unit is None:
            raise CommandError(_("No person or unit has the code “%(code)s”.") % {"code": code})
        if person is not None and unit is not None:
            raise CommandError(
                _("Both a person and a unit have the code “%(code)s”.") % {"code": code}
            )
        try:
            results = selectors.evaluate_subject(
                person=person, unit=unit, year=year, on=options["on"], title=options["title"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        subject = person or unit
        assert subject is not None
        data = evaluation_data(
            kind="person" if person is not None else "unit",
            code=code,
            name=str(subject),
            year=year,
            results=results,
        )
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{subject} ({code}) — {year} — {data['pack']}")
        for result in results:
            self.stdout.write(f"\n{result.title_name}: {rules.verdict_word(result.verdict)}")
            for condition in result.conditions:
                self.stdout.write(f"  - {condition.explanation}")
