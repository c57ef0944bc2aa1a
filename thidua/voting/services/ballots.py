"""Ballots: casting one in secret, checking the ballots of a vote and sealing their chain.

Secrecy rules for this module:
* `ballot_cast` writes no audit event and no log line: the VoterRecord is the record of who
  voted, and what they chose goes only into a Ballot row that has no link to them.
* Audit events carry only non-secret facts: a vote opened or closed, its aggregate counts
  once closed, a broken ballot chain.
* Ballot order ("random sequence ordering"): each ballot gets a random 62-bit `seq`, drawn
  under the vote lock, and a random UUID key; there is no timestamp or serial number. When
  the vote closes, the ballots are chained in `seq` order, which is a uniformly random
  permutation of the order of casting, so neither `seq` nor the chain says who voted when.
  While the vote is open, each cast adds the ballot's leaf hash to an order-free digest on
  the vote row (a sum mod 2^256); closing recomputes it, so a ballot changed, removed or
  slipped in outside `ballot_cast` is found before the count, and the sealed chain makes any
  later change visible against the head printed in the minutes. Each cast costs O(1); the
  close costs O(n). While the vote is open the rows' physical order (ctid/rowid) follows the
  order of casting, as the voter records' does; sealing rewrites the ballot rows in chain
  order, so after the close only dead row versions (until VACUUM) keep the old order.
  Residual leaks we cannot close here: someone with SQL access watching rows arrive while
  the vote is open, dead row versions before VACUUM, and web-server access logs that record
  who posted when — keep those off for the ballot URL.
  (An earlier version shuffled on every insert, inside-out Fisher–Yates with the chain
  rehashed from the insert position: the same privacy, but O(n) per cast, 3 casts/s for
  500 voters on the shared test machine.)
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.lib.hashing import GENESIS_HASH, canonical_json
from thidua.org.permissions import Actor

from .. import chain
from .. import tally as pure
from ..models import (
    Ballot,
    Entitlement,
    Vote,
    VoterRecord,
)
from ..selectors import entitlements_of


def ballot_window_problem(vote: Vote, now: dt.datetime) -> str | None:
    if vote.mode != Vote.Mode.ELECTRONIC:
        return _("This vote is on paper; there is no electronic ballot.")
    if vote.status != Vote.Status.OPEN:
        return _("The vote is closed.")
    if now < vote.opens_at:
        return _("The vote opens at %(time)s.") % {
            "time": timezone.localtime(vote.opens_at).strftime("%H:%M %d/%m/%Y")
        }
    if vote.closes_at is not None and now >= vote.closes_at:
        return _("The voting window closed at %(time)s.") % {
            "time": timezone.localtime(vote.closes_at).strftime("%H:%M %d/%m/%Y")
        }
    return None


def ballot_cast(
    *,
    actor: Actor,
    vote: Vote,
    agree: Iterable[int] = (),
    disagree: Iterable[int] = (),
    chosen: Iterable[int] = (),
    entitlement: Entitlement | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Cast one ballot. Returns nothing the voter could show to prove a choice."""
    try:
        _ballot_cast(
            actor=actor,
            vote=vote,
            agree=agree,
            disagree=disagree,
            chosen=chosen,
            entitlement=entitlement,
            now=now,
        )
    except IntegrityError as error:
        # A second tab racing the first: the unique voter record refused it.
        raise ValidationError(_("You have already voted in this vote.")) from error


@transaction.atomic
def _ballot_cast(
    *,
    actor: Actor,
    vote: Vote,
    agree: Iterable[int],
    disagree: Iterable[int],
    chosen: Iterable[int],
    entitlement: Entitlement | None,
    now: dt.datetime | None,
) -> None:
    # The vote row lock serialises casts and the close: a ballot is in before the close
    # counts, or it is refused after it.
    vote = Vote.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=vote.pk)
    problem = ballot_window_problem(vote, now or timezone.now())
    if problem:
        raise ValidationError(problem)
    line = _voting_line(actor, vote, entitlement)
    if VoterRecord.objects.filter(vote=vote, entitlement=line).exists():
        raise ValidationError(_("You have already voted in this vote."))
    snapshot = vote.rule_snapshot
    candidates = list(vote.candidates.all())
    forbidden = (
        []
        if snapshot["self_vote_allowed"] or line.unit_id is None
        else [c.pk for c in candidates if c.unit_id == line.unit_id]
    )
    try:
        content = pure.normalize_choices(
            style=snapshot["ballot_style"],
            max_choices=snapshot.get("max_choices"),
            candidates=[c.pk for c in candidates],
            agree=agree,
            disagree=disagree,
            chosen=chosen,
            forbidden=forbidden,
        )
    except pure.InvalidChoice as error:
        raise ValidationError(str(error)) from error
    with transaction.atomic():
        VoterRecord.objects.create(vote=vote, entitlement=line)
    _insert_random(vote, canonical_json(content))


def _voting_line(actor: Actor, vote: Vote, chosen: Entitlement | None) -> Entitlement:
    lines = entitlements_of(actor, vote.meeting)
    if chosen is not None:
        lines = [line for line in lines if line.pk == chosen.pk]
    if not lines:
        raise PermissionDenied(_("You are not on the roll of this meeting."))
    if len(lines) > 1:
        raise ValidationError(_("Choose which unit you are voting for."))
    line = lines[0]
    attendance = getattr(line, "attendance", None)
    if attendance is None or not attendance.present:
        raise PermissionDenied(
            _("“%(name)s” is not recorded as present, so it cannot vote.") % {"name": line.label}
        )
    return line


def _insert_random(vote: Vote, content: str) -> None:
    """Store the ballot under a fresh random seq; see the module docstring."""
    taken = True
    while taken:  # 2^62 values: a clash is astronomically rare, but never a crash
        seq = secrets.randbits(62)
        taken = Ballot.objects.filter(vote=vote, seq=seq).exists()
    Ballot.objects.create(vote=vote, seq=seq, choices=content)
    vote.ballot_count += 1
    vote.ballot_digest = chain.digest_add(
        vote.ballot_digest, chain.ballot_leaf(vote.pk, seq, content)
    )
    vote.save(update_fields=["ballot_count", "ballot_digest"])


class ChainBroken(Exception):
    pass


def ballots_verify(vote: Vote) -> str | None:
    """The first problem with the vote's ballots, or None: their number against the voters
    and the running count, the running digest, and once the vote is closed every link of the
    sealed chain and its head."""
    voters = VoterRecord.objects.filter(vote=vote).count()
    ballots = list(Ballot.objects.filter(vote=vote).order_by("seq"))
    if len(ballots) != voters or voters != vote.ballot_count:
        return _("%(ballots)d ballots for %(voters)d voters (%(expected)d cast).") % {
            "ballots": len(ballots),
            "voters": voters,
            "expected": vote.ballot_count,
        }
    links = [chain.Link(b.seq, b.choices, b.prev_hash, b.hash) for b in ballots]
    if chain.digest_of(vote.pk, links) != vote.ballot_digest:
        return _("A ballot was changed, removed or added outside the vote.")
    if vote.status != Vote.Status.CLOSED or not vote.chain_head:
        return None
    return chain.chain_problem(vote.pk, links, vote.chain_head)


def ballots_seal(vote: Vote) -> str:
    """Chain the ballots in their random seq order; returns the head."""
    ballots = list(Ballot.objects.filter(vote=vote).order_by("seq"))
    sealed = chain.seal(vote.pk, [chain.Link(b.seq, b.choices) for b in ballots])
    for ballot, link in zip(ballots, sealed, strict=True):
        ballot.prev_hash, ballot.hash = link.prev_hash, link.hash
    head = sealed[-1].hash if sealed else GENESIS_HASH
    # Rewrite the rows in chain order: their physical order (ctid in PostgreSQL, rowid in
    # SQLite, which any SQL user can sort by) followed the order of casting until now, and
    # from here on follows the random seq. Old row versions linger until VACUUM.
    Ballot.objects.filter(vote=vote).delete()
    Ballot.objects.bulk_create(ballots, batch_size=500)
    vote.chain_head = head
    vote.save(update_fields=["chain_head"])
    return head
