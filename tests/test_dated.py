"""valid_on: the one "in force on this day" condition, on a real dated table."""

from __future__ import annotations

import datetime as dt

import pytest

from thidua.documents.models import NationalLegalBasis
from thidua.lib.dated import valid_on
from thidua.lib.hashing import canonical_digest, canonical_json

D = dt.date


@pytest.fixture
def bases(db) -> None:
    for name, start, end in (
        ("closed", D(2018, 1, 1), D(2020, 12, 31)),
        ("open", D(2021, 1, 1), None),
        ("later", D(2024, 7, 1), None),
    ):
        NationalLegalBasis.objects.create(
            text=name, short_name=name, valid_from=start, valid_to=end
        )


def names(day: dt.date, **fields: str | None) -> list[str]:
    rows = NationalLegalBasis.objects.filter(  # the migrations' own bases are left out
        valid_on(day, **fields),  # type: ignore[arg-type]
        short_name__in=["closed", "open", "later"],
    )
    return sorted(rows.values_list("short_name", flat=True))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2017, 12, 31), []),
        (D(2018, 1, 1), ["closed"]),  # the first day counts
        (D(2020, 12, 31), ["closed"]),  # and the last
        (D(2021, 1, 1), ["open"]),
        (D(2024, 7, 1), ["later", "open"]),
    ],
)
def test_a_span_covers_its_first_and_last_day_and_an_empty_end_is_open(bases, day, expected):
    assert names(day) == expected


def test_without_a_start_only_the_end_counts(bases):
    assert names(D(2019, 6, 1), start=None) == ["closed", "later", "open"]
    assert names(D(2021, 6, 1), start=None) == ["later", "open"]


def test_other_field_names_and_relations():
    condition = str(valid_on(D(2021, 1, 4), start="starts_on", end="ends_on"))
    assert "starts_on__lte" in condition and "ends_on__gte" in condition
    condition = str(valid_on(D(2021, 1, 4), start=None, end="employments__valid_to"))
    assert "employments__valid_to__isnull" in condition and "__lte" not in condition


def test_the_canonical_digest_is_the_sha256_of_the_canonical_json():
    import hashlib

    value = {"b": [1, D(2021, 1, 4)], "a": "Hà Nội"}
    assert canonical_digest(value) == hashlib.sha256(canonical_json(value).encode()).hexdigest()
    assert canonical_digest({"a": "Hà Nội", "b": [1, D(2021, 1, 4)]}) == canonical_digest(value)
