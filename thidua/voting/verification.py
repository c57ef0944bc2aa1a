"""Re-verifying a closed vote, at any time after its close: the ballot chain against the head
printed in the minutes, the counts, and the tally recomputed from the stored ballots.

A read: the page (`votes/<id>/verify/`, for those who may see the result) and the command
(`manage.py verify_vote`) call `vote_verify` and change nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import chain
from . import tally as pure
from .models import Ballot, Tally, Vote, VoterRecord


@dataclass(frozen=True)
class Check:
    label: str
    ok: bool
    detail: str


@dataclass
class VoteVerification:
    vote: Vote
    checks: list[Check] = field(default_factory=list)
    # The stored ballots in chain order, for anyone who wants to recount by hand.
    ballots: list[Ballot] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)


def vote_verify(vote: Vote) -> VoteVerification:
    """Every check that can be made on the vote as stored now."""
    result = VoteVerification(vote)
    tally: Tally | None = Tally.objects.filter(vote=vote).first()
    if vote.status != Vote.Status.CLOSED or tally is None:
        result.checks.append(Check(_("Closed"), False, _("The vote is still open.")))
        return result
    if tally.is_paper:
        result.checks.append(
            Check(_("Counted from"), True, _("Paper ballots: the counts entered are the record."))
        )
        return result
    ballots = list(Ballot.objects.filter(vote=vote).order_by("seq"))
    result.ballots = ballots
    links = [chain.Link(b.seq, b.choices, b.prev_hash, b.hash) for b in ballots]
    problem = chain.chain_problem(vote.pk, links, tally.chain_head)
    if problem is None and vote.chain_head != tally.chain_head:
        problem = _("The vote and its tally record different chain heads.")
    result.checks.append(
        Check(
            _("Ballot chain"),
            problem is None,
            problem or _("Every ballot links to the one before it up to the head in the minutes."),
        )
    )
    voters = VoterRecord.objects.filter(vote=vote).count()
    counts_ok = len(ballots) == voters == tally.ballots == tally.voters
    result.checks.append(
        Check(
            _("Ballots and voters"),
            counts_ok,
            _(
                "%(ballots)d ballots stored, %(voters)d voters; "
                "the tally says %(t_ballots)d and %(t_voters)d."
            )
            % {
                "ballots": len(ballots),
                "voters": voters,
                "t_ballots": tally.ballots,
                "t_voters": tally.voters,
            },
        )
    )
    result.checks.append(_recount(vote, tally, ballots))
    return result


def _recount(vote: Vote, tally: Tally, ballots: list[Ballot]) -> Check:
    try:
        counts = pure.count_ballots(
            (json.loads(b.choices) for b in ballots),
            entitled=vote.entitled_count,
            present=vote.present_count,
        )
    except (ValueError, AttributeError):
        return Check(_("Recount"), False, _("A stored ballot cannot be read."))
    stored = dict(tally.rows.values_list("candidate_id", "votes"))
    recounted = {pk: counts.votes.get(pk, 0) for pk in stored}
    same = (
        recounted == stored
        and set(counts.votes) <= set(stored)
        and (counts.ballots, counts.valid, counts.blank, counts.spoilt)
        == (tally.ballots, tally.valid, tally.blank, tally.spoilt)
    )
    return Check(
        _("Recount"),
        same,
        _("The stored ballots give the same votes for every candidate as the tally.")
        if same
        else _("Recounting the stored ballots gives %(recounted)s, the tally says %(stored)s.")
        % {"recounted": _numbers(recounted), "stored": _numbers(stored)},
    )


def _numbers(votes: dict[int, int]) -> str:
    return ", ".join(f"#{pk}: {n}" for pk, n in sorted(votes.items()))
