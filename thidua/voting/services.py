"""The write path of meetings and votes: authorise → validate → write → audit.

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
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.audit.services import record
from thidua.campaigns.cycle import CycleState
from thidua.campaigns.models import BlockCycle
from thidua.campaigns.services import block_cycle_follow
from thidua.lib.dates import today
from thidua.lib.hashing import GENESIS_HASH, canonical_json, chain_hash
from thidua.org.models import BlockTerm, Council, CouncilMember, Person, Unit, User
from thidua.org.permissions import Actor, headed_unit_ids

from . import permissions as policy
from . import tally as pure
from .block_ranking import with_published_ranking
from .models import (
    AgendaItem,
    Attendance,
    Ballot,
    Candidate,
    Entitlement,
    Meeting,
    PaperTally,
    Tally,
    TallyRow,
    Vote,
    VoterRecord,
    VotingRule,
)

# Permissions ------------------------------------------------------------------------------------


# The policy lives in permissions.py; these names stay for the views and older callers.
may_run = policy.may_run
may_decide = policy.may_decide


def _user(actor: Actor) -> User:
    """Opening a vote or entering a tally names a person; the system account cannot."""
    if not isinstance(actor, User):
        raise PermissionDenied(_("Sign in to do this."))
    return actor


def _require_runner(actor: Actor, meeting: Meeting) -> None:
    if not policy.may_run(actor, meeting):
        raise PermissionDenied(_("Only the chair, the secretary or the secretariat may do this."))


def _require_secretary(actor: Actor, meeting: Meeting) -> None:
    if not policy.may_enter_paper(actor, meeting):
        raise PermissionDenied(_("Only the secretary of the meeting may enter a paper tally."))


def entitlements_of(actor: Actor, meeting: Meeting) -> list[Entitlement]:
    """The roll lines the actor may vote for: units they head, or themselves as a person."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return []
    q = Q(unit_id__in=headed_unit_ids(actor, meeting.held_on), person__isnull=True)
    person_id = getattr(actor, "person_id", None)
    if person_id:
        q |= Q(person_id=person_id)
    return list(meeting.roll.filter(q).select_related("unit", "attendance"))


# Meetings ---------------------------------------------------------------------------------------


def rule_in_force(code: str, on: dt.date) -> VotingRule | None:
    return (
        VotingRule.objects.filter(code=code, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )


@transaction.atomic
def meeting_create(
    *,
    actor: Actor,
    rule: VotingRule,
    title: str,
    held_on: dt.date,
    place: str,
    chair: User,
    secretary: User,
    term: BlockTerm | None = None,
    council: Council | None = None,
    starts_at: dt.time | None = None,
) -> Meeting:
    """A block's year-end review (by its leader or the secretariat) or a council session (by
    the secretariat or the council's chair or vice-chair), with the roll built from the
    block's members or the council's seats."""
    if (term is None) == (council is None):
        raise ValidationError(_("A meeting belongs to one block or to one council."))
    agency = term.block.agency if term else council.agency  # type: ignore[union-attr]
    if not policy.may_call(actor, agency=agency, term=term, council=council, on=held_on):
        raise PermissionDenied(
            _(
                "Only the block leader, the council's chair or vice-chair, or the secretariat "
                "may call this meeting."
            )
        )
    if rule.valid_from > held_on or (rule.valid_to is not None and rule.valid_to < held_on):
        raise ValidationError(
            {
                "rule": _("The voting rule “%(rule)s” is not in force on %(day)s.")
                % {"rule": rule, "day": held_on.strftime("%d/%m/%Y")}
            }
        )
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.BLOCK_REVIEW if term else Meeting.Kind.COUNCIL_SESSION,
        term=term,
        council=council,
        title=title.strip(),
        held_on=held_on,
        starts_at=starts_at,
        place=place.strip(),
        chair=chair,
        secretary=secretary,
        rule=rule,
    )
    _build_roll(meeting)
    record(
        actor=actor,
        action="voting.meeting.created",
        obj=meeting,
        after={
            "held_on": held_on,
            "starts_at": starts_at,
            "rule": rule.code,
            "roll": meeting.roll.count(),
        },
    )
    return meeting


def _build_roll(meeting: Meeting) -> None:
    if meeting.term_id:
        units = [m.unit for m in meeting.term.memberships.select_related("unit")]  # type: ignore[union-attr]
        lines = [Entitlement(unit=u, label=u.name) for u in units]
    else:
        seats = (
            CouncilMember.objects.filter(council=meeting.council)
            .sitting_on(meeting.held_on)
            .select_related("person")
        )
        lines = [Entitlement(person=s.person, label=s.person.full_name) for s in seats]
    for order, line in enumerate(lines, start=1):
        line.meeting, line.order = meeting, order
    Entitlement.objects.bulk_create(lines)


def _lock_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("term__block__agency", "council__agency", "rule")
        .get(pk=meeting.pk)
    )


def _require_not_closed(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CLOSED:
        raise ValidationError(_("The meeting is closed."))


@transaction.atomic
def attendance_record(
    *,
    actor: Actor,
    meeting: Meeting,
    present: Iterable[int],
    attendees: dict[int, str] | None = None,
) -> Meeting:
    """Record who is present (every line of the roll: present if listed, absent if not)."""
    meeting = _lock_meeting(meeting)
    _require_runner(actor, meeting)
    _require_not_closed(meeting)
    if meeting.votes.filter(status=Vote.Status.OPEN).exists():
        raise ValidationError(_("Attendance cannot change while a vote is open."))
    present_ids = set(present)
    roll = list(meeting.roll.all())
    unknown = present_ids - {e.pk for e in roll}
    if unknown:
        raise ValidationError(_("Some of those marked present are not on this meeting's roll."))
    for line in roll:
        Attendance.objects.update_or_create(
            entitlement=line,
            defaults={
                "present": line.pk in present_ids,
                "attendee": (attendees or {}).get(line.pk, "").strip(),
            },
        )
    meeting.status = Meeting.Status.IN_SESSION
    meeting.save(update_fields=["status"])
    record(
        actor=actor,
        action="voting.attendance.recorded",
        obj=meeting,
        after={
            "present": sorted(e.label for e in roll if e.pk in present_ids),
            "absent": sorted(e.label for e in roll if e.pk not in present_ids),
        },
    )
    return meeting


@dataclass(frozen=True)
class CandidateSpec:
    label: str
    unit: Unit | None = None
    person: Person | None = None
    ranking: int | None = None
    score: Any = None
    women_preferred: bool = False


@transaction.atomic
def agenda_item_add(
    *,
    actor: Actor,
    meeting: Meeting,
    title: str,
    candidates: list[CandidateSpec],
    seats: int | None = 1,
) -> AgendaItem:
    meeting = _lock_meeting(meeting)
    _require_runner(actor, meeting)
    _require_not_closed(meeting)
    if not candidates:
        raise ValidationError(_("An agenda item needs at least one candidate."))
    if seats is not None and seats < 1:
        raise ValidationError(_("At least one candidate must be chosen."))
    order = meeting.agenda.count() + 1
    item = AgendaItem.objects.create(meeting=meeting, order=order, title=title.strip(), seats=seats)
    Candidate.objects.bulk_create(
        Candidate(
            item=item,
            order=i,
            label=spec.label,
            unit=spec.unit,
            person=spec.person,
            ranking=spec.ranking,
            score=spec.score,
            women_preferred=spec.women_preferred,
        )
        for i, spec in enumerate(candidates, start=1)
    )
    record(
        actor=actor,
        action="voting.agenda.added",
        obj=item,
        after={"title": item.title, "seats": seats, "candidates": [c.label for c in candidates]},
    )
    return item


# Votes ------------------------------------------------------------------------------------------


def quorum_numbers(meeting: Meeting) -> tuple[int, int, int]:
    """(present, entitled, needed) by the meeting's rule; needed is the smallest whole
    number that reaches the quorum share."""
    entitled = meeting.roll.count()
    present = Attendance.objects.filter(entitlement__meeting=meeting, present=True).count()
    quorum = meeting.rule.quorum
    needed = -(-quorum.numerator * entitled // quorum.denominator)
    return present, entitled, needed


@transaction.atomic
def vote_open(
    *,
    actor: Actor,
    meeting: Meeting,
    item: AgendaItem,
    mode: str = Vote.Mode.ELECTRONIC,
    closes_at: dt.datetime | None = None,
    opens_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Vote:
    """Open the next round on an agenda item: the first round with all candidates, a runoff
    with the candidates tied in the previous round. Refused without a quorum."""
    meeting = _lock_meeting(meeting)
    _require_runner(actor, meeting)
    _require_not_closed(meeting)
    if item.meeting_id != meeting.pk:
        raise ValidationError(_("This agenda item belongs to another meeting."))
    previous = item.votes.order_by("-round_number").first()
    rule = meeting.rule
    if previous is not None:
        _require_runoff_due(previous, rule)
    present, entitled, needed = quorum_numbers(meeting)
    if present < needed or entitled == 0:
        raise ValidationError(
            _(
                "The meeting has no quorum: %(present)d of %(entitled)d present, %(needed)d "
                "needed (%(share)s of those entitled). No vote can be opened."
            )
            % {
                "present": present,
                "entitled": entitled,
                "needed": needed,
                "share": pure.share_label(rule.quorum),
            }
        )
    now = now or timezone.now()
    opens_at = opens_at or now
    if closes_at is not None and closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The vote must close after it opens.")})
    if previous is None:
        candidates = list(item.candidates.select_related("unit"))
        seats = item.seats
        if meeting.term_id is not None:
            # The tally compares the result with the ranking: an agenda set before the
            # ranking was published takes it now, at the latest moment it can.
            for candidate in with_published_ranking(candidates, meeting.term):  # type: ignore[arg-type]
                candidate.save(update_fields=["ranking", "score"])
    else:
        tally = previous.tally
        candidates = list(Candidate.objects.filter(pk__in=tally.tied))
        elected = tally.rows.filter(elected=True).count()
        seats = None if previous.seats is None else previous.seats - elected
    vote = Vote.objects.create(
        meeting=meeting,
        item=item,
        round_number=(previous.round_number + 1) if previous else 1,
        seats=seats,
        runoff_of=previous,
        mode=mode,
        rule_snapshot=rule.snapshot(),
        opens_at=opens_at,
        closes_at=closes_at,
        status=Vote.Status.OPEN,
        entitled_count=entitled,
        present_count=present,
        ballot_digest=EMPTY_DIGEST,
        opened_by=_user(actor),
    )
    vote.candidates.set(candidates)
    meeting.status = Meeting.Status.IN_SESSION
    meeting.save(update_fields=["status"])
    record(
        actor=actor,
        action="voting.vote.opened",
        obj=vote,
        after={
            "item": item.title,
            "round": vote.round_number,
            "mode": mode,
            "rule": rule.code,
            "entitled": entitled,
            "present": present,
            "candidates": sorted(c.label for c in candidates),
            "opens_at": opens_at,
            "closes_at": closes_at,
        },
    )
    return vote


def _require_runoff_due(previous: Vote, rule: VotingRule) -> None:
    if previous.status == Vote.Status.OPEN:
        raise ValidationError(_("A vote on this item is already open."))
    tally = getattr(previous, "tally", None)
    if tally is None or tally.outcome != Tally.Outcome.RUNOFF:
        raise ValidationError(_("This item has been decided; no further round is needed."))
    if previous.round_number >= previous.rule_snapshot["max_rounds"]:
        raise ValidationError(_("The last round allowed by the rule has been held."))


def window_problem(vote: Vote, now: dt.datetime) -> str | None:
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


EMPTY_DIGEST = "0" * 64
_MOD = 1 << 256


def ballot_leaf(vote_id: Any, seq: int, choices: str) -> str:
    """The hash of one ballot alone: what the running digest adds up."""
    return chain_hash("", {"vote": str(vote_id), "seq": seq, "choices": choices})


def ballot_hash(prev_hash: str, vote_id: Any, seq: int, choices: str) -> str:
    """One link of the sealed chain."""
    return chain_hash(prev_hash, {"vote": str(vote_id), "seq": seq, "choices": choices})


def digest_add(digest: str, leaf: str) -> str:
    return f"{(int(digest, 16) + int(leaf, 16)) % _MOD:064x}"


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
    problem = window_problem(vote, now or timezone.now())
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
    vote.ballot_digest = digest_add(vote.ballot_digest, ballot_leaf(vote.pk, seq, content))
    vote.save(update_fields=["ballot_count", "ballot_digest"])


# Closing and tallying ---------------------------------------------------------------------------


class ChainBroken(Exception):
    pass


def verify_ballots(vote: Vote) -> str | None:
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
    digest = EMPTY_DIGEST
    for ballot in ballots:
        digest = digest_add(digest, ballot_leaf(vote.pk, ballot.seq, ballot.choices))
    if digest != vote.ballot_digest:
        return _("A ballot was changed, removed or added outside the vote.")
    if vote.status != Vote.Status.CLOSED or not vote.chain_head:
        return None
    prev = GENESIS_HASH
    for position, ballot in enumerate(ballots, start=1):
        if ballot.prev_hash != prev:
            return _("Ballot #%(seq)d does not follow the one before it.") % {"seq": position}
        if ballot_hash(prev, vote.pk, ballot.seq, ballot.choices) != ballot.hash:
            return _("Ballot #%(seq)d was changed.") % {"seq": position}
        prev = ballot.hash
    if prev != vote.chain_head:
        return _("The chain does not end where the last ballot left it.")
    return None


def _seal_chain(vote: Vote) -> str:
    """Chain the ballots in their random seq order; returns the head."""
    ballots = list(Ballot.objects.filter(vote=vote).order_by("seq"))
    prev = GENESIS_HASH
    for ballot in ballots:
        ballot.prev_hash = prev
        ballot.hash = ballot_hash(prev, vote.pk, ballot.seq, ballot.choices)
        prev = ballot.hash
    # Rewrite the rows in chain order: their physical order (ctid in PostgreSQL, rowid in
    # SQLite, which any SQL user can sort by) followed the order of casting until now, and
    # from here on follows the random seq. Old row versions linger until VACUUM.
    Ballot.objects.filter(vote=vote).delete()
    Ballot.objects.bulk_create(ballots, batch_size=500)
    vote.chain_head = prev
    vote.save(update_fields=["chain_head"])
    return prev


def vote_close(
    *,
    actor: Actor,
    vote: Vote,
    chair_approved: Iterable[int] = (),
    now: dt.datetime | None = None,
) -> Tally:
    """Close an electronic vote and tally it. A broken chain refuses the close, and that
    refusal is itself recorded."""
    try:
        return _vote_close(actor=actor, vote=vote, chair_approved=chair_approved, now=now)
    except ChainBroken as error:
        with transaction.atomic():
            record(
                actor=actor,
                action="voting.vote.chain_broken",
                obj=vote,
                extra={"problem": str(error)},
            )
        raise ValidationError(
            _("The ballots do not check out, so the vote cannot be closed: %(problem)s")
            % {"problem": error}
        ) from error


@transaction.atomic
def _vote_close(
    *, actor: Actor, vote: Vote, chair_approved: Iterable[int], now: dt.datetime | None
) -> Tally:
    vote = (
        Vote.objects.select_for_update(of=("self",))
        .select_related("meeting", "item")
        .get(pk=vote.pk)
    )
    meeting = Meeting.objects.select_related("term__block__agency", "council__agency").get(
        pk=vote.meeting_id
    )
    _require_runner(actor, meeting)
    if vote.status != Vote.Status.OPEN:
        raise ValidationError(_("The vote is already closed."))
    if vote.mode != Vote.Mode.ELECTRONIC:
        raise ValidationError(_("A paper vote is closed by entering its tally."))
    problem = verify_ballots(vote)
    if problem:
        raise ChainBroken(problem)
    _seal_chain(vote)
    contents = (json.loads(b.choices) for b in Ballot.objects.filter(vote=vote).iterator())
    counts = pure.count_ballots(contents, entitled=vote.entitled_count, present=vote.present_count)
    return _save_tally(actor, vote, counts, set(chair_approved), now, is_paper=False)


@transaction.atomic
def paper_tally_enter(
    *,
    actor: Actor,
    vote: Vote,
    ballots_returned: int,
    blank: int,
    spoilt: int,
    counts: dict[int, int],
    chair_approved: Iterable[int] = (),
    now: dt.datetime | None = None,
) -> Tally:
    """The secretary enters the counts of a paper vote; the tally is marked as paper."""
    vote = (
        Vote.objects.select_for_update(of=("self",))
        .select_related("meeting", "item")
        .get(pk=vote.pk)
    )
    meeting = Meeting.objects.select_related("term__block__agency", "council__agency").get(
        pk=vote.meeting_id
    )
    _require_secretary(actor, meeting)
    if vote.mode != Vote.Mode.PAPER:
        raise ValidationError(_("This vote is electronic; its ballots are counted on closing."))
    if vote.status != Vote.Status.OPEN:
        raise ValidationError(_("The vote is already closed."))
    candidate_ids = set(vote.candidates.values_list("pk", flat=True))
    _check_paper(vote, candidate_ids, ballots_returned, blank, spoilt, counts)
    paper = PaperTally.objects.create(
        vote=vote,
        ballots_returned=ballots_returned,
        blank=blank,
        spoilt=spoilt,
        counts={str(k): v for k, v in sorted(counts.items())},
        entered_by=_user(actor),
    )
    tally_counts = pure.Counts(
        entitled=vote.entitled_count,
        present=vote.present_count,
        ballots=ballots_returned,
        blank=blank,
        spoilt=spoilt,
        votes={k: v for k, v in counts.items() if k in candidate_ids},
    )
    record(
        actor=actor,
        action="voting.paper_tally.entered",
        obj=vote,
        after={
            "ballots_returned": ballots_returned,
            "blank": blank,
            "spoilt": spoilt,
            "counts": paper.counts,
        },
    )
    return _save_tally(actor, vote, tally_counts, set(chair_approved), now, is_paper=True)


def _check_paper(
    vote: Vote,
    candidate_ids: set[int],
    returned: int,
    blank: int,
    spoilt: int,
    counts: dict[int, int],
) -> None:
    errors: list[str] = []
    if returned > vote.present_count:
        errors.append(
            _("%(returned)d ballots returned but only %(present)d voters present.")
            % {"returned": returned, "present": vote.present_count}
        )
    if blank + spoilt > returned:
        errors.append(_("Blank and spoilt ballots exceed the ballots returned."))
    if set(counts) - candidate_ids:
        errors.append(_("The counts name someone who is not a candidate in this vote."))
    if any(v < 0 for v in counts.values()):
        errors.append(_("A count cannot be negative."))
    marked = returned - blank - spoilt
    style = vote.rule_snapshot["ballot_style"]
    limit = {
        pure.APPROVE: None,
        pure.CHOOSE_ONE: marked,
        pure.CHOOSE_UP_TO: marked * (vote.rule_snapshot.get("max_choices") or len(candidate_ids)),
    }[style]
    if any(v > marked for v in counts.values()):
        errors.append(
            _("A candidate cannot have more votes than the %(marked)d marked ballots.")
            % {"marked": marked}
        )
    elif limit is not None and sum(counts.values()) > limit:
        errors.append(
            _("The counts add up to %(total)d, more than the ballots allow (%(limit)d).")
            % {"total": sum(counts.values()), "limit": limit}
        )
    if errors:
        raise ValidationError(errors)


def _save_tally(
    actor: Actor,
    vote: Vote,
    counts: pure.Counts,
    chair_approved: set[int],
    now: dt.datetime | None,
    *,
    is_paper: bool,
) -> Tally:
    candidates = list(vote.candidates.all())
    rule = pure.Rule.from_snapshot(vote.rule_snapshot)
    result = pure.tally(
        rule,
        [pure.CandidateIn(c.pk, c.ranking, c.women_preferred) for c in candidates],
        counts,
        round_number=vote.round_number,
        seats=vote.seats,
        chair_approved=frozenset(chair_approved),
    )
    voters = counts.ballots if is_paper else VoterRecord.objects.filter(vote=vote).count()
    tally = Tally.objects.create(
        vote=vote,
        is_paper=is_paper,
        entitled=counts.entitled,
        present=counts.present,
        voters=voters,
        ballots=counts.ballots,
        valid=counts.valid,
        blank=counts.blank,
        spoilt=counts.spoilt,
        chain_head="" if is_paper else vote.chain_head,
        outcome=result.outcome,
        tied=result.tied,
        preferred=result.preferred,
        differs_from_ranking=result.differs_from_ranking,
    )
    TallyRow.objects.bulk_create(
        TallyRow(
            tally=tally,
            candidate_id=row.key,
            votes=row.votes,
            base=row.base,
            percent=row.percent,
            threshold=row.threshold,
            passed=row.passed,
            elected=row.elected,
            reason=row.reason,
        )
        for row in result.rows
    )
    vote.status = Vote.Status.CLOSED
    vote.closed_at = now or timezone.now()
    vote.save(update_fields=["status", "closed_at"])
    labels = {c.pk: c.label for c in candidates}
    record(
        actor=actor,
        action="voting.vote.closed",
        obj=vote,
        after={
            "paper": is_paper,
            "ballots": counts.ballots,
            "voters": voters,
            "outcome": result.outcome,
            "votes": {labels[row.key]: row.votes for row in result.rows},
            "elected": sorted(labels[key] for key in result.elected),
            "chain_head": tally.chain_head,
        },
    )
    _follow_cycle(actor, vote, tally)
    return tally


def _follow_cycle(actor: Actor, vote: Vote, tally: Tally) -> None:
    """A block's year-end meeting that elects a unit has chosen its leading unit: the year
    moves to LEADER_ELECTED (only from SCORES_FINAL; campaigns.services says why)."""
    meeting = vote.meeting
    if meeting.kind != Meeting.Kind.BLOCK_REVIEW or not meeting.term_id:
        return
    if not tally.rows.filter(elected=True, candidate__unit__isnull=False).exists():
        return
    cycle = BlockCycle.objects.filter(term_id=meeting.term_id).first()
    if cycle is not None:
        block_cycle_follow(actor=actor, cycle=cycle, target=CycleState.LEADER_ELECTED, via="voting")


@transaction.atomic
def tally_decide(*, actor: Actor, vote: Vote, candidates: list[Candidate], note: str) -> Tally:
    """Record how the configured deciders settled a tie left after the last round."""
    tally = Tally.objects.select_for_update(of=("self",)).get(vote_id=vote.pk)
    vote = Vote.objects.select_related(
        "meeting__term__block__agency", "meeting__council__agency"
    ).get(pk=vote.pk)
    if not policy.may_decide(actor, vote):
        raise PermissionDenied(_("Only those the rule names may settle this tie."))
    if tally.outcome != Tally.Outcome.DECIDERS or tally.decided_by_id is not None:
        raise ValidationError(_("There is no open tie to settle in this vote."))
    elected = tally.rows.filter(elected=True).count()
    places = (vote.seats or len(tally.tied)) - elected
    chosen = {c.pk for c in candidates}
    if not chosen or chosen - set(tally.tied):
        raise ValidationError(_("Choose among the tied candidates."))
    if len(chosen) != places:
        raise ValidationError(
            _("Choose exactly %(places)d of the tied candidates.") % {"places": places}
        )
    if not note.strip():
        raise ValidationError({"note": _("Give the reason for the decision.")})
    user = _user(actor)
    for row in tally.rows.filter(candidate_id__in=chosen):
        row.elected = True
        row.reason = f"{row.reason}; " + _("chosen after the last round by %(who)s") % {"who": user}
        row.save(update_fields=["elected", "reason"])
    tally.decided_by = user
    tally.decision_note = note.strip()
    tally.save(update_fields=["decided_by", "decision_note"])
    labels = dict(Candidate.objects.filter(pk__in=chosen).values_list("pk", "label"))
    record(
        actor=actor,
        action="voting.tally.decided",
        obj=vote,
        after={"elected": sorted(labels.values()), "note": tally.decision_note},
    )
    _follow_cycle(actor, vote, tally)
    return tally


@transaction.atomic
def meeting_close(
    *,
    actor: Actor,
    meeting: Meeting,
    ended_at: dt.time | None = None,
    starts_at: dt.time | None = None,
) -> Meeting:
    """Close the meeting with the time it ended and, when given, the time it began (one the
    call left out, or a correction), for its minutes. Left out, the end is now when the
    meeting is closed on its own day; on a later day (a paper count entered afterwards) it
    stays unknown and the minutes leave it to be written by hand."""
    meeting = _lock_meeting(meeting)
    _require_runner(actor, meeting)
    if meeting.votes.filter(status=Vote.Status.OPEN).exists():
        raise ValidationError(_("Close the open votes first."))
    started = starts_at or meeting.starts_at
    if ended_at is not None and started is not None and ended_at < started:
        raise ValidationError(
            {
                "ended_at": _("The meeting cannot end before it started (%(start)s).")
                % {"start": started.strftime("%H:%M")}
            }
        )
    if ended_at is None and today() == meeting.held_on:
        now = timezone.localtime().time().replace(second=0, microsecond=0)
        if started is None or now >= started:
            ended_at = now
    if meeting.status != Meeting.Status.CLOSED:
        meeting.status = Meeting.Status.CLOSED
        meeting.starts_at, meeting.ended_at = started, ended_at
        meeting.save(update_fields=["status", "starts_at", "ended_at"])
        record(
            actor=actor,
            action="voting.meeting.closed",
            obj=meeting,
            after={"starts_at": started, "ended_at": ended_at},
        )
    return meeting
