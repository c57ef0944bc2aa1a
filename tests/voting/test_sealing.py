"""Sealed ballots, pure: every ballot of a vote seals to one length and opens only with its
vote's key."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thidua.lib.hashing import canonical_json
from thidua.voting import sealing
from thidua.voting import tally as pure

MASTER = b"a server's ballot key, for the test"
VOTE = "7f1d2c3a-0000-4000-8000-000000000001"
CANDIDATES = [7, 81, 1204, 99999]


@st.composite
def ballots(draw: st.DrawFn) -> str:
    style = draw(st.sampled_from([pure.APPROVE, pure.CHOOSE_UP_TO]))
    answers = draw(st.lists(st.sampled_from(["agree", "disagree", None]), min_size=4, max_size=4))
    chosen = draw(st.lists(st.sampled_from(CANDIDATES), unique=True))
    content = pure.normalize_choices(
        style=style,
        max_choices=None,
        candidates=CANDIDATES,
        agree=[c for c, a in zip(CANDIDATES, answers, strict=True) if a == "agree"],
        disagree=[c for c, a in zip(CANDIDATES, answers, strict=True) if a == "disagree"],
        chosen=chosen,
    )
    return canonical_json(content)


@given(ballots(), ballots())
def test_any_two_ballots_seal_to_the_same_length_and_open_to_what_was_cast(a: str, b: str):
    key = sealing.vote_key(MASTER, VOTE)
    size = sealing.padded_size(CANDIDATES)
    box_a, box_b = sealing.seal(key, VOTE, a, size), sealing.seal(key, VOTE, b, size)
    assert len(box_a) == len(box_b) == sealing.box_size(size)
    assert sealing.unseal(key, VOTE, box_a) == a and sealing.unseal(key, VOTE, box_b) == b
    # The same choice twice seals to two different boxes: equal boxes would show equal choices.
    assert sealing.seal(key, VOTE, a, size) != box_a


def test_a_box_opens_only_with_its_votes_key_and_unchanged():
    key = sealing.vote_key(MASTER, VOTE)
    size = sealing.padded_size(CANDIDATES)
    box = sealing.seal(key, VOTE, '{"chosen":[81]}', size)
    other = "7f1d2c3a-0000-4000-8000-000000000002"
    with pytest.raises(sealing.Unreadable):
        sealing.unseal(sealing.vote_key(MASTER, other), other, box)  # moved to another vote
    with pytest.raises(sealing.Unreadable):
        sealing.unseal(key, other, box)  # another vote's id as associated data
    with pytest.raises(sealing.Unreadable):
        sealing.unseal(sealing.vote_key(b"another server", VOTE), VOTE, box)
    with pytest.raises(sealing.Unreadable):
        sealing.unseal(key, VOTE, box[:-1] + bytes([box[-1] ^ 1]))
    with pytest.raises(ValueError):
        sealing.seal(key, VOTE, "x" * size, size)  # content longer than the padded size
