"""Ballots: casting one in secret, checking the ballots of a vote and sealing their chain.

Secrecy rules for this module (docs/voting-secrecy.md has the whole argument and the attacks
it was tested against):
* `ballot_cast` writes no audit event and no log line, and keeps the choice out of error
  reports (`sensitive_variables`). In one transaction it writes the voter record and the
  ballot *sealed* (`voting.sealing`: encrypted under a key that is not in the database,
  padded to one length per vote), so an accepted ballot is as durable as the record that the
  voter voted, and the two rows' shared transaction id, neighbouring physical places or
  order lead only to a box nobody with the database, the logs and the files can open.
* The vote row is only read by a cast (FOR SHARE on PostgreSQL): no running count or digest
  that would leave one row version per ballot.
* `ballots_seal`, inside the close's transaction, opens the boxes, shuffles the contents
  with the system's random source, writes them as readable `Ballot`s in that order (their
  `seq` is the position in the shuffle, the chain order) and deletes the boxes; it rewrites
  the voter records in roll order, so no casting order survives. After the commit,
  `voting_tables_purge` rewrites the tables those deletions touched (PostgreSQL `VACUUM
  FULL`, so not even the bytes of a dead row version remain; SQLite runs with
  `secure_delete`).
* Audit events carry only non-secret facts: a vote opened or closed, its aggregate counts
  once closed, a broken ballot chain.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from thidua.lib.hashing import GENESIS_HASH, canonical_json
from thidua.org.permissions import Actor

from .. import chain, sealing
from .. import tally as pure
from ..models import Ballot, Entitlement, SealedBallot, Vote, VoterRecord
from ..selectors import entitlements_of

logger = logging.getLogger(__name__)


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


@sensitive_variables("agree", "disagree", "chosen")
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


@sensitive_variables("agree", "disagree", "chosen", "content", "sealed")
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
    vote = _vote_for_cast(vote.pk)
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
    sealed = sealing.seal(
        _vote_key(vote), vote.pk, canonical_json(content), sealing.padded_size(_ids(candidates))
    )
    SealedBallot.objects.create(vote=vote, box=sealed)


def _vote_for_cast(pk: UUID | str) -> Vote:
    """The vote, locked so that the close waits for the casts under way and a cast after the
    close sees it closed. PostgreSQL: FOR SHARE, so casts do not wait for each other (SQLite
    has one writer at a time anyway)."""
    if connection.vendor != "postgresql":
        return Vote.objects.select_for_update().select_related("meeting").get(pk=pk)
    table = Vote._meta.db_table
    vote = next(iter(Vote.objects.raw(f"SELECT * FROM {table} WHERE id = %s FOR SHARE", [pk])))
    return vote


def _ids(candidates: Iterable[object]) -> list[int]:
    return [c.pk for c in candidates]  # type: ignore[attr-defined]


def _vote_key(vote: Vote) -> bytes:
    return sealing.vote_key(settings.THIDUA_BALLOT_KEY, vote.pk)


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


class ChainBroken(Exception):
    pass


def ballots_verify(vote: Vote) -> str | None:
    """The first problem with the vote's ballots, or None. Open: as many sealed ballots as
    voters, each one sealed by a cast of this vote and none stored twice. Closed: as many
    ballots as voters, and every link of the sealed chain up to its head."""
    if vote.status == Vote.Status.CLOSED and vote.chain_head:
        return _closed_problem(vote)
    _contents, problem = _unsealed(vote)
    return problem


def _closed_problem(vote: Vote) -> str | None:
    voters = VoterRecord.objects.filter(vote=vote).count()
    ballots = list(Ballot.objects.filter(vote=vote).order_by("seq"))
    if len(ballots) != voters:
        return _count_problem(len(ballots), voters)
    links = [chain.Link(b.seq, b.choices, b.prev_hash, b.hash) for b in ballots]
    return chain.chain_problem(vote.pk, links, vote.chain_head)


def _count_problem(ballots: int, voters: int) -> str:
    return _("%(ballots)d ballots for %(voters)d voters.") % {"ballots": ballots, "voters": voters}


@sensitive_variables("contents")
def _unsealed(vote: Vote) -> tuple[list[str], str | None]:
    """The contents of the vote's sealed ballots (in no particular order), or a problem."""
    boxes = [
        bytes(box) for box in SealedBallot.objects.filter(vote=vote).values_list("box", flat=True)
    ]
    voters = VoterRecord.objects.filter(vote=vote).count()
    if len(boxes) != voters:
        return [], _count_problem(len(boxes), voters)
    changed = _("A ballot was changed, removed or added outside the vote.")
    if len({box[: sealing.NONCE_BYTES] for box in boxes}) != len(boxes):
        return [], changed  # a box copied: the same nonce twice
    key = _vote_key(vote)
    contents = []
    for box in boxes:
        try:
            contents.append(sealing.unseal(key, vote.pk, box))
        except sealing.Unreadable:
            return [], changed
    return contents, None


@sensitive_variables("contents")
def ballots_seal(vote: Vote) -> str:
    """Inside the close's transaction: open the sealed ballots, write them readable in a
    random order with their chain, delete the boxes, rewrite the voter records in roll order.
    Returns the chain head; raises ChainBroken when the ballots do not check out."""
    contents, problem = _unsealed(vote)
    if problem:
        raise ChainBroken(problem)
    secrets.SystemRandom().shuffle(contents)
    sealed = chain.seal(vote.pk, [chain.Link(seq, c) for seq, c in enumerate(contents, 1)])
    Ballot.objects.bulk_create(
        (
            Ballot(
                vote=vote,
                seq=link.seq,
                choices=link.choices,
                prev_hash=link.prev_hash,
                hash=link.hash,
            )
            for link in sealed
        ),
        batch_size=500,
    )
    SealedBallot.objects.filter(vote=vote).delete()
    _voter_records_in_roll_order(vote)
    head = sealed[-1].hash if sealed else GENESIS_HASH
    vote.chain_head = head
    vote.save(update_fields=["chain_head"])
    transaction.on_commit(voting_tables_purge)
    return head


def _voter_records_in_roll_order(vote: Vote) -> None:
    """New rows, new keys, in roll order: the old ones' transaction ids and places kept the
    order in which people voted."""
    lines = list(
        VoterRecord.objects.filter(vote=vote)
        .order_by("entitlement__order", "entitlement_id")
        .values_list("entitlement_id", flat=True)
    )
    VoterRecord.objects.filter(vote=vote).delete()
    VoterRecord.objects.bulk_create(VoterRecord(vote=vote, entitlement_id=e) for e in lines)


PURGED_TABLES = (SealedBallot._meta.db_table, VoterRecord._meta.db_table)
VACUUMED_TABLES = (Vote._meta.db_table, Ballot._meta.db_table)


def voting_tables_purge() -> None:
    """After a close commits (PostgreSQL): rewrite the sealed ballots' and voter records'
    tables, which leaves no dead row version and not even the bytes of one (a plain VACUUM
    frees the space but leaves the bytes), and vacuum the vote and ballot tables. Needs the
    tables' owner; without it, or when the lock is not granted within the time limit, the
    tables' autovacuum settings (migration 0005) clear dead versions within a minute."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
            try:
                cursor.execute(f"VACUUM FULL {', '.join(PURGED_TABLES)}")
                cursor.execute(f"VACUUM {', '.join(VACUUMED_TABLES)}")
            finally:
                cursor.execute("RESET lock_timeout")
    except DatabaseError as error:
        logger.warning("voting tables not purged after a close: %s", error)
