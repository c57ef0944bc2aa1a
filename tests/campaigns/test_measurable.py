"""Measurable criteria are computed from the organisation's data, never typed in."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.org.factories import make_admin, make_unit
from tests.org.helpers import AGENCY, D, person, unit
from thidua.campaigns.indicators import Evaluation
from thidua.campaigns.models import Campaign, Criterion
from thidua.campaigns.selectors import (
    campaign_units,
    evaluate_measurable,
    evaluation_matrix,
    staff_rating_counts,
)
from thidua.org.models import RATING_RANK, DisciplineLevel, Rating, UnitKind
from thidua.org.selectors import unit_staff
from thidua.org.services.discipline import discipline_record_add
from thidua.org.services.employment import employment_add
from thidua.org.services.people import person_save
from thidua.org.services.ratings import staff_rating_set
from thidua.org.services.units import unit_merge

WEAK_UNITS = {"QLTDTT", "NHTD", "TTHLTD"}  # below 95% of staff rated HTTNV or better in 2021
DISCIPLINED_UNITS = {"NHTD"}  # a cảnh cáo in 2021; TTXTDL's khiển trách does not count


def campaign() -> Campaign:
    return Campaign.objects.get(agency__code=AGENCY, year=2021)


def criterion(indicator: str) -> Criterion:
    return Criterion.objects.get(group__campaign=campaign(), indicator=indicator)


def share_criterion() -> Criterion:
    return criterion("staff_share_rated_at_least")


def discipline_criterion() -> Criterion:
    return criterion("staff_disciplined_at_least")


def verdicts(crit: Criterion) -> dict[str, bool | None]:
    units = list(campaign_units(campaign()))
    results = evaluate_measurable(campaign(), [u.pk for u in units], [crit])
    return {u.code: results[(crit.pk, u.pk)].met for u in units}


def evaluation(crit: Criterion, code: str) -> Evaluation:
    target = unit(code)
    return evaluate_measurable(campaign(), [target.pk], [crit])[(crit.pk, target.pk)]


def test_the_demo_criteria_are_the_plans_95_percent_and_no_warning_rules(db):
    share, discipline = share_criterion(), discipline_criterion()

    assert (share.comparator, share.threshold, share.min_rating) == (
        "gte",
        Decimal(95),
        Rating.GOOD,
    )
    assert (discipline.comparator, discipline.threshold, discipline.min_discipline) == (
        "lte",
        Decimal(0),
        DisciplineLevel.WARNING,
    )


def test_95_percent_criterion_fails_exactly_for_the_weak_units(db):
    results = verdicts(share_criterion())

    assert {code for code, met in results.items() if met is False} == WEAK_UNITS
    assert {code for code, met in results.items() if met is True} == set(results) - WEAK_UNITS


def test_no_warning_criterion_fails_only_for_the_unit_with_a_warning(db):
    results = verdicts(discipline_criterion())

    assert {code for code, met in results.items() if not met} == DISCIPLINED_UNITS
    assert results["TTXTDL"] is True  # a reprimand is lighter than a warning


def test_share_shows_what_it_was_computed_from(db):
    result = evaluation(share_criterion(), "NHTD")

    staff = list(unit_staff(unit("NHTD"), on=D(2021, 12, 31)))
    good = [
        e
        for e in staff
        if any(r.year == 2021 and r.rating_rank >= 3 for r in e.person.ratings.all())
    ]
    assert (result.numerator, result.denominator) == (len(good), len(staff))
    exact = Decimal(100 * len(good)) / Decimal(len(staff))
    assert result.value == exact.quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert result.met is False


def test_lowering_one_rating_makes_a_unit_miss_the_95_percent(persona):
    assert evaluation(share_criterion(), "QLDL").met is True

    staff_rating_set(
        actor=persona("tuan"), person=person("QLDL-001"), year=2021, rating=Rating.COMPLETED
    )

    after = evaluation(share_criterion(), "QLDL")
    assert after.met is False
    assert after.numerator == after.denominator - 1


def test_raising_the_weak_ratings_makes_a_unit_meet_the_95_percent(persona):
    lan = persona("lan")
    for employment in unit_staff(unit("NHTD"), on=D(2021, 12, 31)):
        rating = employment.person.ratings.get(year=2021)
        if rating.rating_rank < RATING_RANK[Rating.GOOD]:
            staff_rating_set(actor=lan, person=employment.person, year=2021, rating=Rating.GOOD)

    assert evaluation(share_criterion(), "NHTD").value == Decimal("100.00")
    assert evaluation(share_criterion(), "NHTD").met is True


def test_an_unrated_newcomer_counts_against_the_share(persona):
    khoa = persona("khoa")
    before = evaluation(share_criterion(), "QLDL")
    newcomer = person_save(actor=khoa, unit=unit("QLDL"), code="QLDL-NEW", full_name="Đỗ Văn Mới")
    employment_add(actor=khoa, person=newcomer, unit=unit("QLDL"), valid_from=D(2021, 9, 1))

    after = evaluation(share_criterion(), "QLDL")

    assert (after.numerator, after.denominator) == (before.numerator, before.denominator + 1)


def test_a_warning_recorded_through_the_service_fails_the_criterion(persona):
    assert evaluation(discipline_criterion(), "QLDL").met is True

    discipline_record_add(
        actor=persona("lan"),
        person=person("QLDL-002"),
        unit=unit("QLDL"),
        level=DisciplineLevel.WARNING,
        decided_on=D(2021, 9, 20),
        decision_number="07/QĐ-SVHTTDL",
    )

    after = evaluation(discipline_criterion(), "QLDL")
    assert (after.met, after.value) == (False, Decimal(1))


def test_a_reprimand_does_not_fail_the_criterion(persona):
    discipline_record_add(
        actor=persona("lan"),
        person=person("QLDL-002"),
        unit=unit("QLDL"),
        level=DisciplineLevel.REPRIMAND,
        decided_on=D(2021, 9, 20),
    )

    assert evaluation(discipline_criterion(), "QLDL").met is True


def test_a_warning_of_another_year_does_not_count(persona):
    discipline_record_add(
        actor=persona("lan"),
        person=person("QLDL-002"),
        unit=unit("QLDL"),
        level=DisciplineLevel.DISMISSAL_FROM_POST,
        decided_on=D(2020, 12, 31),
    )

    assert evaluation(discipline_criterion(), "QLDL").met is True


def test_merging_a_unit_after_the_year_leaves_that_years_verdicts_alone(persona):
    before = evaluation(share_criterion(), "NHTD")

    unit_merge(actor=persona("khoa"), sources=[unit("NHTD")], target=unit("TTVH"), on=D(2022, 1, 1))

    after = evaluation(share_criterion(), "NHTD")
    assert (after.met, after.numerator, after.denominator) == (
        before.met,
        before.numerator,
        before.denominator,
    )
    assert evaluation(discipline_criterion(), "NHTD").met is False


def test_evaluation_matrix_lists_every_member_of_both_blocks(db):
    matrix = evaluation_matrix(campaign())

    rows = {row["unit"].code: row for rows in matrix["blocks"].values() for row in rows}
    assert len(rows) == 14
    assert matrix["on"] == D(2021, 12, 31)
    column = [c.pk for c in matrix["criteria"]].index(share_criterion().pk)
    failing = {code for code, row in rows.items() if row["cells"][column].met is False}
    assert failing == WEAK_UNITS


# The SQL aggregate against a plain count --------------------------------------------------

REF_DAY = D(2021, 12, 31)
PERIODS = [
    (D(2019, 1, 1), None),  # long-serving
    (D(2021, 3, 1), None),  # joined during the year
    (D(2021, 3, 1), D(2021, 6, 30)),  # left during the year
    (D(2020, 1, 1), D(2020, 12, 31)),  # left the year before
    (D(2021, 12, 31), None),  # joined on the reference day
    (D(2022, 1, 1), None),  # joins after the reference day
]
RATINGS = st.one_of(st.none(), st.sampled_from(list(Rating)))
STAFF = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=1),  # unit A or B
        st.lists(st.sampled_from(range(len(PERIODS))), min_size=1, max_size=2, unique=True),
        RATINGS,  # 2020
        RATINGS,  # 2021
    ),
    max_size=7,
)
_serial = itertools.count(1)


def employed_in_year(periods: list[tuple[dt.date, dt.date | None]], year: int) -> bool:
    return any(
        start <= D(year, 12, 31) and (end is None or end >= D(year, 1, 1)) for start, end in periods
    )


def overlapping(periods: list[tuple[dt.date, dt.date | None]]) -> bool:
    (a_start, a_end), (b_start, b_end) = periods
    return not ((a_end is not None and a_end < b_start) or (b_end is not None and b_end < a_start))


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    staff=STAFF,
    year=st.sampled_from([2020, 2021]),
    min_rank=st.integers(min_value=1, max_value=4),
)
def test_sql_rating_counts_equal_a_plain_count(db, staff, year, min_rank):
    khoa = make_admin()
    serial = next(_serial)
    agency = make_unit(valid_from=D(2015, 1, 1), actor=khoa)
    units = [
        make_unit(
            code=f"PROP-{serial}-{side}",
            kind=UnitKind.OTHER,
            parent=agency,
            valid_from=D(2015, 1, 1),
            actor=khoa,
        )
        for side in "AB"
    ]
    expected = {u.pk: [0, 0] for u in units}
    for index, (side, period_ids, rating_2020, rating_2021) in enumerate(staff):
        periods = [PERIODS[i] for i in period_ids]
        if len(periods) == 2 and overlapping(periods):
            periods = periods[:1]
        target = units[side]
        someone = person_save(
            actor=khoa, unit=target, code=f"PROP-{serial}-{index}", full_name=f"Người thử {index}"
        )
        for start, end in periods:
            employment_add(actor=khoa, person=someone, unit=target, valid_from=start, valid_to=end)
        rank_in_year = None
        for rating_year, rating in ((2020, rating_2020), (2021, rating_2021)):
            if rating is not None and employed_in_year(periods, rating_year):
                staff_rating_set(actor=khoa, person=someone, year=rating_year, rating=rating)
                if rating_year == year:
                    rank_in_year = RATING_RANK[rating]
        if any(start <= REF_DAY and (end is None or end >= REF_DAY) for start, end in periods):
            expected[target.pk][1] += 1
            if rank_in_year is not None and rank_in_year >= min_rank:
                expected[target.pk][0] += 1

    counts = staff_rating_counts([u.pk for u in units], year=year, min_rank=min_rank, on=REF_DAY)

    assert {pk: counts.get(pk, (0, 0)) for pk in expected} == {
        pk: tuple(pair) for pk, pair in expected.items()
    }


@pytest.mark.parametrize("code", ["QLDL", "NHTD", "TTHLTD"])
def test_sql_rating_counts_on_the_demo_equal_a_plain_count(db, code):
    target = unit(code)
    staff = [e.person for e in unit_staff(target, on=REF_DAY)]
    good = [p for p in staff if p.ratings.filter(year=2021, rating_rank__gte=3).exists()]

    counts = staff_rating_counts([target.pk], year=2021, min_rank=3, on=REF_DAY)

    assert counts[target.pk] == (len(good), len(staff))
