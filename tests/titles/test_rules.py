"""The eligibility engine on plain data: the counting rules (hypothesis) and the officer's
sentences."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from thidua.titles import rules
from thidua.titles.rules import (
    Kind,
    Member,
    Pack,
    ParamError,
    PersonFacts,
    Rule,
    UnitFacts,
    Verdict,
)

D = dt.date
BASIS = "khoản 1 Điều 27 Luật Thi đua, khen thưởng 2022"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def pack(*rows: Rule) -> Pack:
    return Pack(
        rules=rows,
        title_names={"LDTT": "LĐTT", "CSTDCS": "CSTĐCS", "TTLDTT": "TTLĐTT", "X": "X"},
        title_recipients={"LDTT": "individual", "CSTDCS": "individual", "TTLDTT": "collective"},
    )


def person(pid: int = 1, **kw: object) -> PersonFacts:
    return PersonFacts(id=pid, code=f"NV{pid}", name=f"Người {pid}", **kw)  # type: ignore[arg-type]


def share_rule(ratio: float = 0.7, strict: bool = False, counted_on: str = "12-31") -> Rule:
    return Rule(
        "TTLDTT",
        "share",
        Kind.MEMBER_SHARE_HOLDING,
        {"title": "LDTT", "ratio": ratio, "strict": strict, "counted_on": counted_on},
        BASIS,
    )


def unit_with(holders: int, total: int, year: int = 2021) -> UnitFacts:
    members = tuple(
        Member(
            person(i, titles={"LDTT": frozenset({year})} if i < holders else {}),
            D(2020, 1, 1),
        )
        for i in range(total)
    )
    return UnitFacts(id=1, code="P1", name="Phòng 1", members=members)


# Consecutive years (ND 152 Art. 33(7)) ------------------------------------------------------


@given(
    held=st.sets(st.integers(2010, 2030), max_size=15),
    until=st.integers(2012, 2030),
    years=st.integers(1, 5),
    step=st.integers(1, 3),
)
def test_consecutive_needs_every_year_of_the_window_and_a_gap_breaks_it(
    held: set[int], until: int, years: int, step: int
) -> None:
    window = [until - step * i for i in range(years)]
    assert rules.consecutive_years(held, until, years, step) == all(y in held for y in window)
    if rules.consecutive_years(held, until, years, step):
        # Removing any year of the window (a gap) breaks the run.
        for gap in window:
            assert not rules.consecutive_years(held - {gap}, until, years, step)


@given(held=st.sets(st.integers(2015, 2021), max_size=7))
def test_consecutive_condition_agrees_with_the_counting_rule(held: set[int]) -> None:
    rule = Rule("CSTD_TINH", "three", Kind.HOLDS_CONSECUTIVE, {"title": "CSTDCS", "years": 3}, "")
    subject = person(titles={"CSTDCS": frozenset(held)})
    result = rules.evaluate(pack(rule), subject, "CSTD_TINH", 2021)
    expected = {2019, 2020, 2021} <= held
    assert result.verdict == (Verdict.MET if expected else Verdict.NOT_MET)


# Shares at the boundary ---------------------------------------------------------------------


@given(total=st.integers(1, 60), data=st.data())
def test_share_at_least_compares_exactly(total: int, data: st.DataObject) -> None:
    holders = data.draw(st.integers(0, total))
    result = rules.evaluate(pack(share_rule(0.7)), unit_with(holders, total), "TTLDTT", 2021)
    met = Decimal(holders) / total >= Decimal("0.7")
    assert result.verdict == (Verdict.MET if met else Verdict.NOT_MET)


def test_exactly_seventy_percent_is_enough_and_strict_more_than_half_is_not_half() -> None:
    assert rules.evaluate(pack(share_rule(0.7)), unit_with(7, 10), "TTLDTT", 2021).verdict == (
        Verdict.MET
    )
    strict = pack(share_rule(0.5, strict=True))
    assert rules.evaluate(strict, unit_with(5, 10), "TTLDTT", 2021).verdict == Verdict.NOT_MET
    assert rules.evaluate(strict, unit_with(6, 10), "TTLDTT", 2021).verdict == Verdict.MET


def test_the_officers_sentence() -> None:
    with translation.override("vi"):
        result = rules.evaluate(pack(share_rule(0.7)), unit_with(11, 17), "TTLDTT", 2021)
    assert result.conditions[0].explanation == (
        "Chưa đủ: 11/17 thành viên đạt LĐTT = 64,7% < 70% "
        "(khoản 1 Điều 27 Luật Thi đua, khen thưởng 2022)"
    )


# Members who joined or left during the year -------------------------------------------------


@given(
    spans=st.lists(
        st.tuples(st.integers(0, 364), st.one_of(st.none(), st.integers(0, 364)), st.booleans()),
        min_size=1,
        max_size=20,
    ),
    counted=st.integers(0, 364),
)
def test_only_members_on_the_counting_day_count(
    spans: list[tuple[int, int | None, bool]], counted: int
) -> None:
    start = D(2021, 1, 1)
    day = start + dt.timedelta(days=counted)
    members = []
    for i, (joined, left, holds) in enumerate(spans):
        valid_from = start + dt.timedelta(days=joined)
        valid_to = None if left is None else max(valid_from, start + dt.timedelta(days=left))
        titles = {"LDTT": frozenset({2021})} if holds else {}
        members.append(Member(person(i, titles=titles), valid_from, valid_to))
    unit = UnitFacts(id=1, code="P", name="P", members=tuple(members))
    rule = share_rule(0.7, counted_on=day.strftime("%m-%d"))
    result = rules.evaluate(pack(rule), unit, "TTLDTT", 2021)
    present = [m for m in members if m.member_on(day)]
    assert result.conditions[0].inputs["members"] == len(present)
    if not present:
        assert result.verdict == Verdict.UNKNOWN
    else:
        holders = sum(1 for m in present if m.person.titles)
        met = Decimal(holders) >= Decimal("0.7") * len(present)
        assert result.verdict == (Verdict.MET if met else Verdict.NOT_MET)


# Unknown is never met -----------------------------------------------------------------------


def test_missing_rating_is_unknown_and_a_low_one_not_met() -> None:
    rule = Rule("LDTT", "rating", Kind.RATING_AT_LEAST, {"rating": "HTTNV"}, "Điều 24")
    assert rules.evaluate(pack(rule), person(), "LDTT", 2021).verdict == Verdict.UNKNOWN
    low = person(ratings={2021: "HTNV"})
    result = rules.evaluate(pack(rule), low, "LDTT", 2021)
    assert result.verdict == Verdict.NOT_MET
    assert result.conditions[0].inputs == {"year": 2021, "rating": "HTNV", "at_least": "HTTNV"}


@given(ratings=st.lists(st.sampled_from(["HTXSNV", "HTTNV", "HTNV", "KHTNV", None]), min_size=1))
def test_all_members_completed_is_unknown_only_while_unrated_members_could_decide(
    ratings: list[str | None],
) -> None:
    rule = Rule("TTLDXS", "all", Kind.MEMBER_SHARE_RATED, {"rating": "HTNV", "ratio": 1}, "")
    members = tuple(
        Member(person(i, ratings={2021: r} if r else {}), D(2020, 1, 1))
        for i, r in enumerate(ratings)
    )
    unit = UnitFacts(id=1, code="P", name="P", members=members)
    verdict = rules.evaluate(pack(rule), unit, "TTLDXS", 2021).verdict
    if any(r == "KHTNV" for r in ratings):
        assert verdict == Verdict.NOT_MET
    elif any(r is None for r in ratings):
        assert verdict == Verdict.UNKNOWN
    else:
        assert verdict == Verdict.MET


def test_alternatives_and_the_standard_of_another_title() -> None:
    rows = (
        Rule("LDTT", "rating", Kind.RATING_AT_LEAST, {"rating": "HTTNV"}, "Điều 24"),
        Rule("CSTDCS", "ldtt", Kind.MEETS_STANDARD, {"title": "LDTT"}, "khoản 1 Điều 23"),
        Rule("CSTDCS", "xs", Kind.RATING_AT_LEAST, {"rating": "HTXSNV"}, "Điều 23", group="a"),
        Rule("CSTDCS", "sk", Kind.INITIATIVE, {"scope": "co_so"}, "khoản 2 Điều 23", group="a"),
    )  # fmt: skip
    good = person(ratings={2021: "HTTNV"})
    # No initiative register: the alternative is unknown, so the title is unknown, not met.
    assert rules.evaluate(pack(*rows), good, "CSTDCS", 2021).verdict == Verdict.UNKNOWN
    none = person(ratings={2021: "HTTNV"}, initiatives=())
    result = rules.evaluate(pack(*rows), none, "CSTDCS", 2021)
    assert result.verdict == Verdict.NOT_MET
    assert len(rules.reasons(result)) == 2
    one = person(ratings={2021: "HTTNV"}, initiatives=(rules.Initiative("co_so", D(2021, 6, 1)),))
    assert rules.evaluate(pack(*rows), one, "CSTDCS", 2021).verdict == Verdict.MET
    excellent = person(ratings={2021: "HTXSNV"})
    result = rules.evaluate(pack(*rows), excellent, "CSTDCS", 2021)
    assert result.verdict == Verdict.MET and rules.reasons(result) == []


def test_discipline_in_the_year_excludes_and_a_lighter_measure_does_not() -> None:
    rule = Rule("LDTT", "kl", Kind.NO_DISCIPLINE, {"level": "canh_cao"}, "")
    warned = person(discipline=(rules.Discipline("canh_cao", D(2021, 8, 16)),))
    reprimanded = person(discipline=(rules.Discipline("khien_trach", D(2021, 8, 16)),))
    last_year = person(discipline=(rules.Discipline("cach_chuc", D(2020, 12, 31)),))
    assert rules.evaluate(pack(rule), warned, "LDTT", 2021).verdict == Verdict.NOT_MET
    assert rules.evaluate(pack(rule), reprimanded, "LDTT", 2021).verdict == Verdict.MET
    assert rules.evaluate(pack(rule), last_year, "LDTT", 2021).verdict == Verdict.MET


# Parameters and packs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "params", "key"),
    [
        (Kind.MEMBER_SHARE_HOLDING, {"title": "LDTT", "ratio": 1.2}, "ratio"),
        (Kind.MEMBER_SHARE_HOLDING, {"title": "LDTT", "ratio": -0.1}, "ratio"),
        (Kind.MEMBER_SHARE_HOLDING, {"title": "NOPE", "ratio": 0.7}, "title"),
        (Kind.RATING_AT_LEAST, {"rating": "GOOD"}, "rating"),
        (Kind.HOLDS_CONSECUTIVE, {"title": "LDTT", "years": 0}, "years"),
        (Kind.COUNCIL_VOTE, {"share": "lots"}, "share"),
    ],
)
def test_bad_parameters_name_the_parameter(kind: str, params: dict, key: str) -> None:
    with pytest.raises(ParamError) as refused:
        rules.check_params(kind, params, {"LDTT", "CSTDCS"})
    assert refused.value.key == key


def test_cycles_are_found() -> None:
    assert rules.find_cycle([("A", "B"), ("B", "C")]) is None
    assert rules.find_cycle([("A", "B"), ("B", "C"), ("C", "A")]) == ["A", "B", "C", "A"]


def test_a_layer_tightens_by_key_and_adds_the_rest() -> None:
    national = [
        Rule("TTLDTT", "share", Kind.MEMBER_SHARE_HOLDING, {"title": "LDTT", "ratio": 0.7}, "")
    ]
    province = [
        Rule("TTLDTT", "share", Kind.MEMBER_SHARE_HOLDING, {"title": "LDTT", "ratio": 0.8}, "P"),
        Rule("LDTT", "kl", Kind.NO_DISCIPLINE, {"level": "canh_cao"}, "P"),
    ]
    merged = rules.layer(national, province)
    assert len(merged) == 2
    assert merged[0].params["ratio"] == 0.8


def test_quota_on_a_list() -> None:
    assert rules.quota_verdict(2, 10, Decimal("0.2")) == Verdict.MET
    assert rules.quota_verdict(3, 10, Decimal("0.2")) == Verdict.NOT_MET
    assert rules.quota_verdict(1, 0, Decimal("0.2")) == Verdict.UNKNOWN


def test_percent_reads_like_vietnamese() -> None:
    assert rules.percent(Decimal(11) / 17) == "64,7%"
    assert rules.percent(Decimal("0.7")) == "70%"


@given(
    into=st.dictionaries(st.integers(0, 30), st.integers(0, 30), max_size=25),
    unit=st.integers(0, 30),
)
def test_a_merged_units_lineage_is_every_unit_whose_mergers_lead_to_it(
    into: dict[int, int], unit: int
) -> None:
    lineage = rules.merged_lineage(into, unit)

    def reaches(start: int) -> bool:
        seen, node = set(), start
        while node != unit and node in into and node not in seen:
            seen.add(node)
            node = into[node]
        return node == unit

    assert lineage == {u for u in set(into) | {unit} if reaches(u)}


@given(
    held=st.dictionaries(st.integers(0, 5), st.sets(st.integers(2018, 2025)), max_size=6),
    into=st.dictionaries(st.integers(1, 5), st.just(0), max_size=5),
)
def test_a_successor_holds_a_title_in_every_year_a_unit_of_its_lineage_held_it(
    held: dict[int, set[int]], into: dict[int, int]
) -> None:
    lineage = rules.merged_lineage(into, 0)
    years = frozenset().union(*(held.get(u, set()) for u in lineage))
    unit = UnitFacts(id=0, code="U0", name="U0", titles={"TTLDXS": years})
    rule = Rule("BK", "two", Kind.HOLDS_CONSECUTIVE, {"title": "TTLDXS", "years": 2}, "")
    verdict = rules.evaluate(pack(rule), unit, "BK", 2025).verdict
    assert (verdict == Verdict.MET) == ({2024, 2025} <= years)
