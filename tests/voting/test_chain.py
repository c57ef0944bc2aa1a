"""The ballot hash chain, pure: the sealed chain, without a database."""

from __future__ import annotations

import itertools

from thidua.lib.hashing import GENESIS_HASH
from thidua.voting import chain

VOTE = "7f1d2c3a-0000-4000-8000-000000000001"
BALLOTS = [chain.Link(5, '["a"]'), chain.Link(17, '["b"]'), chain.Link(42, '["a","b"]')]


def test_a_sealed_chain_starts_at_genesis_links_each_ballot_and_checks_out() -> None:
    sealed = chain.seal(VOTE, BALLOTS)
    assert [link.seq for link in sealed] == [5, 17, 42]
    assert sealed[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(sealed))
    assert chain.chain_problem(VOTE, sealed, sealed[-1].hash) is None
    assert chain.seal(VOTE, []) == []
    assert chain.chain_problem(VOTE, [], GENESIS_HASH) is None


def test_a_broken_chain_names_the_first_bad_ballot_or_the_head() -> None:
    sealed = chain.seal(VOTE, BALLOTS)
    head = sealed[-1].hash
    changed = list(sealed)
    changed[1] = chain.Link(17, '["a"]', sealed[1].prev_hash, sealed[1].hash)
    assert chain.chain_problem(VOTE, changed, head) == "Ballot #2 was changed."
    dropped = [sealed[0], sealed[2]]
    assert chain.chain_problem(VOTE, dropped, head) == (
        "Ballot #2 does not follow the one before it."
    )
    assert chain.chain_problem(VOTE, sealed, "f" * 64) == (
        "The chain does not end where the last ballot left it."
    )
