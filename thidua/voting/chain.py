"""The ballot hash chain, pure: no database, no clock.

While a vote is open, each ballot's leaf hash is added to an order-free running digest (a sum
mod 2^256), so a ballot changed, removed or slipped in outside casting is found before the
count. On closing, the ballots are chained in their random `seq` order from the genesis hash;
the head goes into the minutes, so any later change shows against it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from thidua.lib.hashing import GENESIS_HASH, chain_hash

EMPTY_DIGEST = "0" * 64
_MOD = 1 << 256


@dataclass(frozen=True)
class Link:
    """One stored ballot as the chain sees it."""

    seq: int
    choices: str
    prev_hash: str = ""
    hash: str = ""


def ballot_leaf(vote_id: Any, seq: int, choices: str) -> str:
    """The hash of one ballot alone: what the running digest adds up."""
    return chain_hash("", {"vote": str(vote_id), "seq": seq, "choices": choices})


def ballot_hash(prev_hash: str, vote_id: Any, seq: int, choices: str) -> str:
    """One link of the sealed chain."""
    return chain_hash(prev_hash, {"vote": str(vote_id), "seq": seq, "choices": choices})


def digest_add(digest: str, leaf: str) -> str:
    return f"{(int(digest, 16) + int(leaf, 16)) % _MOD:064x}"


def digest_of(vote_id: Any, ballots: Iterable[Link]) -> str:
    """The running digest the casts should have left, recomputed from the ballots."""
    digest = EMPTY_DIGEST
    for ballot in ballots:
        digest = digest_add(digest, ballot_leaf(vote_id, ballot.seq, ballot.choices))
    return digest


def seal(vote_id: Any, ballots: Sequence[Link]) -> list[Link]:
    """The ballots chained in the order given (their seq order), from the genesis hash."""
    sealed = []
    prev = GENESIS_HASH
    for ballot in ballots:
        link = Link(
            ballot.seq, ballot.choices, prev, ballot_hash(prev, vote_id, ballot.seq, ballot.choices)
        )
        sealed.append(link)
        prev = link.hash
    return sealed


def chain_problem(vote_id: Any, ballots: Sequence[Link], head: str) -> str | None:
    """The first broken link of a sealed chain (in seq order) ending at `head`, or None."""
    prev = GENESIS_HASH
    for position, ballot in enumerate(ballots, start=1):
        if ballot.prev_hash != prev:
            return _("Ballot #%(seq)d does not follow the one before it.") % {"seq": position}
        if ballot_hash(prev, vote_id, ballot.seq, ballot.choices) != ballot.hash:
            return _("Ballot #%(seq)d was changed.") % {"seq": position}
        prev = ballot.hash
    if prev != head:
        return _("The chain does not end where the last ballot left it.")
    return None
