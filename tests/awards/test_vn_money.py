"""The bonus in words: known examples and, for any amount, a parser written here reads the
words back to the same number (so no digit, group or scale word is lost or doubled)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thidua.awards.vn_money import amount_in_words, number_words

DIGIT = {
    "không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "lăm": 5,
    "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
}  # fmt: skip
SCALE = {"nghìn": 1_000, "triệu": 1_000_000}


def parse(text: str) -> int:
    """Words → number: small groups (trăm, mươi/mười, linh) then scales, "tỷ" multiplying
    everything before it."""
    total = 0  # completed parts above a billion
    below = 0  # completed groups below a billion (with nghìn / triệu)
    group = 0  # the group being read (< 1000)
    for word in text.split():
        if word == "trăm":
            group *= 100  # a single digit so far
        elif word == "mươi":
            group = group - group % 10 + (group % 10) * 10
        elif word == "mười":
            group += 10
        elif word == "linh":
            continue
        elif word in DIGIT:
            group += DIGIT[word]
        elif word in SCALE:
            below += group * SCALE[word]
            group = 0
        elif word == "tỷ":
            total = (total + below + group) * 1_000_000_000
            below = group = 0
        else:
            raise ValueError(word)
    return total + below + group


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (1_870_000, "Một triệu tám trăm bảy mươi nghìn đồng"),
        (710_000, "Bảy trăm mười nghìn đồng"),
        (2_340_000, "Hai triệu ba trăm bốn mươi nghìn đồng"),
        (20_240_000, "Hai mươi triệu hai trăm bốn mươi nghìn đồng"),
        (30_360_000, "Ba mươi triệu ba trăm sáu mươi nghìn đồng"),
        (21, "Hai mươi mốt đồng"),
        (11, "Mười một đồng"),
        (15, "Mười lăm đồng"),
        (25, "Hai mươi lăm đồng"),
        (5, "Năm đồng"),
        (105, "Một trăm linh năm đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (2_000_000_000, "Hai tỷ đồng"),
        (1_500_000_000_000, "Một nghìn năm trăm tỷ đồng"),
        (0, "Không đồng"),
    ],
)
def test_known_amounts(amount: int, words: str) -> None:
    assert amount_in_words(amount) == words


@given(st.integers(min_value=0, max_value=10**15))
def test_words_read_back_to_the_amount(amount: int) -> None:
    assert parse(number_words(amount)) == amount


@given(st.integers(min_value=1, max_value=10**15))
def test_structure(amount: int) -> None:
    words = number_words(amount).split()
    # "mốt" only after a tens word above ten, "lăm" only after a tens word, "linh" never last.
    for before, word in itertools.pairwise(words):
        if word == "mốt":
            assert before == "mươi"
        if word == "lăm":
            assert before in ("mươi", "mười")
    assert words[-1] != "linh"
    assert words[0] != "không"


def test_negative_refused() -> None:
    with pytest.raises(ValueError):
        number_words(-1)
