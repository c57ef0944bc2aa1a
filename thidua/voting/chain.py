"""The ballot hash chain, pure: no database, no clock.

While a vote is open its ballots are sealed (`sealing`: an authenticated cipher, so a box
changed, copied from another vote or forged is refused at the close). On closing, the ballots
are shuffled and chained in that order (`seq`) from the genesis hash; the head goes into the
minutes, so any later change shows against it. There is no running digest: a value on a row
that changed with each ballot would leave one row version per ballot behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from thidua.lib.hashing import GENESIS_HASH, chain_hash


@dataclass(frozen=True)
class Link:
    """One stored ballot as the chain sees it."""

    seq: int
    choices: str
    prev_hash: str = ""
    hash: str = ""


def ballot_hash(prev_hash: str, vote_id: Any, seq: int, choices: str) -> str:
    """One link of the sealed chain."""
    return chain_hash(prev_hash, {"vote": str(vote_id), "seq": seq, "choices": choices})


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
