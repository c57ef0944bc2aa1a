"""The engine's inputs read from org and the award register: titles by achievement year (ND
152 Art. 33(7)), members who joined or left, merged units, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.org.factories import make_admin, make_person, make_unit
from tests.titles.factories import award, discipline, rate, rate_unit
from thidua.org.services.employment import employment_end
from thidua.org.services.units import unit_merge
from thidua.titles import rules, selectors
from thidua.titles.rules import Verdict

D = dt.date
pytestmark = pytest.mark.django_db


def verdicts(results: list[rules.TitleResult]) -> dict[str, Verdict]:
    return {r.title: r.verdict for r in results}


def test_a_title_counts_for_the_year_written_on_it_else_the_decision_year(later: None) -> None:
    agency = make_unit()
    person = make_person(unit=make_unit(parent=agency))
    award(agency=agency, code="CSTDCS", year=2022, person=person)  # decided 10/01/2023
    award(agency=agency, code="CSTDCS", year=2023, person=person, with_year=False,
          issued_on=D(2024, 1, 10))  # fmt: skip
    facts = selectors.people_facts([person.pk], year=2024)
    assert facts[person.pk].titles["CSTDCS"] == frozenset({2022, 2024})


def test_consecutive_titles_across_the_register(later: None) -> None:
    agency = make_unit()
    person = make_person(unit=make_unit(parent=agency))
    for year in (2022, 2023, 2024):
        award(agency=agency, code="CSTDCS", year=year, person=person)
    result = selectors.evaluate_subject(person=person, year=2024, title="CSTD_TINH")[0]
    three = next(c for c in result.conditions if c.rule.key == "cstdcs-3")
    assert three.verdict == Verdict.MET and three.inputs["years_held"] == [2022, 2023, 2024]
    # No initiative recognised at provincial scope in the register: not met.
    initiative = next(c for c in result.conditions if c.rule.key == "initiative")
    assert initiative.verdict == Verdict.NOT_MET and result.verdict == Verdict.NOT_MET


def test_a_unit_for_another_agency_and_year_with_members_who_joined_and_left(later: None) -> None:
    agency = make_unit()
    unit = make_unit(parent=agency)
    rate_unit(unit, 2025, "HTTNV")
    staff = [make_person(unit=unit) for _ in range(4)]
    for person in staff[:3]:
        rate(person, 2025, "HTTNV")
        award(agency=agency, code="LDTT", year=2025, person=person)
    # One member left in June: not counted on 31/12, so 3/3 hold LĐTT, not 3/4.
    leaver = staff[3].employments.get()
    employment_end(actor=make_admin(), employment=leaver, on=D(2025, 6, 30))
    result = selectors.evaluate_subject(unit=unit, year=2025, title="TTLDTT")[0]
    share = next(c for c in result.conditions if c.rule.key == "ldtt-share")
    assert share.inputs["members"] == 3 and share.verdict == Verdict.MET
    assert result.verdict == Verdict.MET
    # Disciplined at cảnh cáo in the year: the unit fails, with the reason.
    discipline(staff[0], unit, "canh_cao", D(2025, 5, 1))
    result = selectors.evaluate_subject(unit=unit, year=2025, title="TTLDTT")[0]
    assert result.verdict == Verdict.NOT_MET
    assert "disciplined with cảnh cáo in 2025" in rules.reasons(result)[0]


def test_a_merged_unit_carries_the_titles_of_the_units_merged_into_it(later: None) -> None:
    agency = make_unit()
    old, new = make_unit(parent=agency), make_unit(parent=agency)
    award(agency=agency, code="TTLDXS", year=2023, unit=old)
    award(agency=agency, code="TTLDXS", year=2024, unit=new)
    unit_merge(actor=make_admin(), sources=[old], target=new, on=D(2025, 1, 1))
    facts = selectors.units_facts([new.pk], year=2025)
    assert facts[new.pk].titles["TTLDXS"] == frozenset({2023, 2024})


def test_the_queries_do_not_grow_with_the_number_of_people(later: None) -> None:
    agency = make_unit()
    units = [make_unit(parent=agency) for _ in range(2)]

    def count(people: int) -> int:
        for unit in units:
            for _ in range(people):
                person = make_person(unit=unit)
                rate(person, 2025, "HTTNV")
        with CaptureQueriesContext(connection) as queries:
            facts = selectors.units_facts([u.pk for u in units], year=2025, lookback=3)
            for unit in units:
                rules.evaluate_all(
                    selectors.pack_for(agency, D(2025, 12, 31)), facts[unit.pk], 2025
                )
        return len(queries)

    small = count(2)
    assert count(10) == small


def test_initiatives_come_from_the_provider(later: None) -> None:
    person = make_person()
    rate(person, 2025, "HTTNV")

    class Row:
        person_id, unit_id, scope = person.pk, None, "co_so"
        recognised_on = D(2025, 5, 1)

    def provider(**kwargs: Any) -> list[Any]:
        return [Row()]

    def nobody(**kwargs: Any) -> list[Any]:
        return []

    met = selectors.evaluate_subject(person=person, year=2025, title="CSTDCS", provider=provider)
    assert met[0].verdict == Verdict.MET
    none = selectors.evaluate_subject(person=person, year=2025, title="CSTDCS", provider=nobody)
    assert none[0].verdict == Verdict.NOT_MET
