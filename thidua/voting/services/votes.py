"""Votes: opening a round, closing it (electronic or paper), the tally and a tie settled by
the deciders."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.campaigns.cycle import CycleState
from thidua.campaigns.models import BlockCycle
from thidua.campaigns.services import block_cycle_follow
from thidua.org.permissions import Actor, acting_user

from .. import permissions as policy
from .. import tally as pure
from ..block_ranking import with_published_ranking
from ..models import (
    AgendaItem,
    Ballot,
    Candidate,
    Meeting,
    PaperTally,
    Tally,
    TallyRow,
    Vote,
    VoterRecord,
    VotingRule,
)
from ..permissions import require_runner, require_secretary
from ..selectors import quorum_numbers
from .ballots import ChainBroken, ballots_seal
from .meetings import meeting_lock, meeting_require_open


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
    meeting = meeting_lock(meeting)
    require_runner(actor, meeting)
    meeting_require_open(meeting)
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
        opened_by=acting_user(actor),
    )
    vote.candidates.set(candidates)
    meeting.status = Meeting.Status.IN_SESSION
    meeting.save(update_fields=["status"])
    record(
        actor=actor,
        action=AuditAction.VOTE_OPENED,
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
                action=AuditAction.VOTE_CHAIN_BROKEN,
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
    require_runner(actor, meeting)
    if vote.status != Vote.Status.OPEN:
        raise ValidationError(_("The vote is already closed."))
    if vote.mode != Vote.Mode.ELECTRONIC:
        raise ValidationError(_("A paper vote is closed by entering its tally."))
    ballots_seal(vote)  # ChainBroken when the sealed ballots do not check out
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
    require_secretary(actor, meeting)
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
        entered_by=acting_user(actor),
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
        action=AuditAction.PAPER_TALLY_ENTERED,
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
        action=AuditAction.VOTE_CLOSED,
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
    user = acting_user(actor)
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
        action=AuditAction.TALLY_DECIDED,
        obj=vote,
        after={"elected": sorted(labels.values()), "note": tally.decision_note},
    )
    _follow_cycle(actor, vote, tally)
    return tally
