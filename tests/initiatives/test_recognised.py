"""What the eligibility engine reads: one row per author and per collective author of each
recognition in force, decided by the day asked about."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.initiatives.factories import make_initiative, make_recognition
from tests.org.factories import make_person, make_unit
from thidua.initiatives.models import InitiativeScope
from thidua.initiatives.selectors import RecognisedInitiative, initiatives_recognised

pytestmark = pytest.mark.django_db


def test_each_author_gets_a_row_and_the_unit_one_when_it_is_an_author() -> None:
    unit = make_unit(parent=make_unit(name="Sở Y tế Hậu Giang"))
    first = make_person(unit=unit, full_name="Lê Văn Hùng")
    second = make_person(unit=unit, full_name="Phạm Thị Lan")
    initiative = make_initiative(
        unit=unit, authors=[(first, 60), (second, 40)], unit_is_author=True
    )
    recognition = make_recognition(
        initiative=initiative,
        scope=InitiativeScope.TINH_BO,
        recognised_on=dt.date(2024, 12, 2),
        effect_until=dt.date(2026, 12, 31),
    )

    rows = initiatives_recognised(
        person_ids=[first.pk, second.pk], unit_ids=[unit.pk], until=dt.date(2024, 12, 31)
    )

    common = {
        "scope": "tinh_bo",
        "recognised_on": dt.date(2024, 12, 2),
        "effect_from": dt.date(2024, 12, 2),
        "effect_until": dt.date(2026, 12, 31),
        "initiative_id": recognition.initiative_id,
    }
    assert set(rows) == {
        RecognisedInitiative(person_id=first.pk, unit_id=None, **common),
        RecognisedInitiative(person_id=second.pk, unit_id=None, **common),
        RecognisedInitiative(person_id=None, unit_id=unit.pk, **common),
    }


def test_later_annulled_and_other_peoples_recognitions_are_left_out() -> None:
    author = make_person(full_name="Võ Minh Tâm")
    stranger = make_person(full_name="Đặng Thu Hà")
    mine = make_initiative(authors=[(author, 100)])
    make_recognition(initiative=mine, recognised_on=dt.date(2024, 6, 1))
    make_recognition(
        initiative=mine, scope=InitiativeScope.TINH_BO, recognised_on=dt.date(2025, 3, 1)
    )
    make_recognition(initiative=make_initiative(authors=[(author, 100)]), annulled=True)
    make_recognition(initiative=make_initiative(authors=[(stranger, 100)]))

    rows = initiatives_recognised(person_ids=[author.pk], unit_ids=[], until=dt.date(2024, 12, 31))

    assert [(row.person_id, row.scope) for row in rows] == [(author.pk, "co_so")]
    # A unit that is not itself an author gets nothing from its staff's initiatives.
    assert (
        initiatives_recognised(person_ids=[], unit_ids=[mine.unit_id], until=dt.date(2025, 12, 31))
        == []
    )


def test_queries_do_not_grow_with_the_people_asked_about(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    people = [make_person(full_name=f"Tác giả {i}") for i in range(4)]
    units = [
        make_recognition(
            initiative=make_initiative(authors=[(person, 100)], unit_is_author=True)
        ).initiative.unit_id
        for person in people
    ]
    with django_assert_num_queries(2):
        rows = initiatives_recognised(
            person_ids=[p.pk for p in people], unit_ids=units, until=dt.date(2025, 1, 1)
        )
    assert len(rows) == 8


SCOPES = list(InitiativeScope.values)


@given(st.sampled_from(SCOPES), st.sampled_from(SCOPES))
def test_scope_comparison_follows_the_ladder(scope: str, minimum: str) -> None:
    assert InitiativeScope.at_least(scope, minimum) == (
        SCOPES.index(scope) >= SCOPES.index(minimum)
    )
    assert InitiativeScope.at_least(InitiativeScope.TOAN_QUOC, minimum)
    assert InitiativeScope.at_least(scope, InitiativeScope.CO_SO)
