"""Refuse or justify: the check titles registers on awards' one issue path.

Every recipient of a decision is evaluated for its title in the decision's achievement year,
under the rules in force on the decision's date. The decision's own awards count as held (a
unit's Tập thể lao động tiên tiến is decided with its members' Lao động tiên tiến). A
recipient that fails a condition, or whose conditions cannot be established from the data,
refuses the issue with the reasons, unless an override with a written reason was recorded for
that recipient, title, year and agency (`services.override_record`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from . import rules, selectors
from .models import Override


def _decision_titles(awards: list[Any]) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    people: dict[int, set[str]] = defaultdict(set)
    units: dict[int, set[str]] = defaultdict(set)
    for item in awards:
        if item.person is not None:
            people[item.person.pk].add(item.form.code)
        elif item.unit is not None:
            units[item.unit.pk].add(item.form.code)
    return people, units


def evaluate_recipients(
    *, agency: Any, issued_on: dt.date, year: int, awards: list[Any]
) -> list[tuple[Any, rules.TitleResult]]:
    """Each award input with its title's evaluation, in a fixed number of queries."""
    pack = selectors.pack_for(agency, issued_on)
    provider = selectors.default_provider()
    person_titles, unit_titles = _decision_titles(awards)
    lookback = pack.lookback()
    people = selectors.people_facts(person_titles, year=year, lookback=lookback, provider=provider)
    units = selectors.units_facts(unit_titles, year=year, lookback=lookback, provider=provider)
    people = {
        pid: selectors.with_titles(facts, year, person_titles.get(pid, ()))
        for pid, facts in people.items()
    }
    for uid, facts in list(units.items()):
        members = tuple(
            replace(m, person=selectors.with_titles(m.person, year, person_titles[m.person.id]))
            if m.person.id in person_titles
            else m
            for m in facts.members
        )
        units[uid] = replace(
            selectors.with_titles(facts, year, unit_titles.get(uid, ())),
            members=members,
        )
    results = []
    for item in awards:
        subject: rules.Subject | None = (
            people.get(item.person.pk) if item.person is not None else units.get(item.unit.pk)
        )
        if subject is None:
            continue
        results.append((item, rules.evaluate(pack, subject, item.form.code, year)))
    return results


def _overridden(agency: Any, year: int, awards: list[Any]) -> set[tuple[str, int, int]]:
    rows = Override.objects.filter(agency=agency, year=year).filter(
        Q(person__isnull=False) | Q(unit__isnull=False)
    )
    return {
        ("p" if row.person_id else "u", row.person_id or row.unit_id, row.title_id)  # type: ignore[misc]
        for row in rows
    }


def check_recipients(*, agency: Any, issued_on: dt.date, year: int, awards: list[Any]) -> list[str]:
    """The refusals of a decision's recipients (awards.eligibility_checks)."""
    overridden = _overridden(agency, year, awards)
    problems = []
    for index, (item, result) in enumerate(
        evaluate_recipients(agency=agency, issued_on=issued_on, year=year, awards=awards), start=1
    ):
        if result.verdict == rules.Verdict.MET:
            continue
        key = (
            "p" if item.person is not None else "u",
            (item.person or item.unit).pk,
            item.form.pk,
        )
        if key in overridden:
            continue
        message = (
            _("“%(name)s” does not meet the conditions of %(title)s for %(year)s")
            if result.verdict == rules.Verdict.NOT_MET
            else _("“%(name)s” cannot be shown to meet the conditions of %(title)s for %(year)s")
        ) % {"name": result.subject_name, "title": result.title_name, "year": year}
        problems.append(
            _("Row %(row)s") % {"row": item.row or index}
            + ": "
            + message
            + ": "
            + "; ".join(rules.reasons(result))
            + ". "
            + _("Award anyway only with an override recorded with a written reason.")
        )
    return problems
