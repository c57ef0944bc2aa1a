"""Meetings, their roll and attendance, votes, secret ballots and tallies.

Secrecy is a property of the schema and of when rows are written, not of the code that reads
them (docs/voting-secrecy.md gives the whole argument):

* While a vote is open, a cast writes in one transaction the `VoterRecord` (who voted) and a
  `SealedBallot` (what they chose, encrypted and padded to one length under a key that is never
  in the database). The two rows share a transaction id, but the sealed one says nothing.
* Closing opens the sealed ballots, shuffles them and writes the readable `Ballot`s in one
  transaction, in the shuffled order, with random keys; the sealed ballots are deleted and the
  voter records rewritten in roll order, so no casting order survives, and the dead row versions
  are vacuumed away after the commit.
* No row holds a per-ballot running state: the vote row is not written by a cast.
"""

from __future__ import annotations

import uuid
from fractions import Fraction

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.org.models import BlockTerm, Council, Person, Unit


class Denominator(models.TextChoices):
    ENTITLED = "entitled", _("all those entitled to vote")
    PRESENT = "present", _("those present")
    VALID = "valid", _("valid ballots")


class BallotStyle(models.TextChoices):
    APPROVE = "approve", _("Agree / disagree for each candidate")
    CHOOSE_ONE = "choose_one", _("Choose one candidate")
    CHOOSE_UP_TO = "choose_up_to", _("Choose up to N candidates")


class VoterBasis(models.TextChoices):
    UNIT = "unit", _("One vote per member unit")
    MEMBER = "member", _("One vote per attending member")


class Deciders(models.TextChoices):
    LEADER_DEPUTY = "leader_deputy", _("The block leader and deputy")
    CHAIR = "chair", _("The chair of the meeting")
    AUTHORITY = "authority", _("The competent authority")


class TiePreference(models.TextChoices):
    NONE = "none", _("None")
    WOMEN = (
        "women",
        _("Prefer a woman or a collective with at least 70% women (ND 152/2025 Art. 4(6))"),
    )


class VotingRule(models.Model):
    """Dated configuration of how a meeting decides, with its legal basis.

    Shares are exact fractions (numerator/denominator), never floats or rounded decimals:
    2/3 of 6 is 4, and 0.6667 × 6 is not.
    """

    code = models.CharField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=255)
    legal_basis = models.TextField(_("legal basis"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    quorum_num = models.PositiveSmallIntegerField(_("quorum (numerator)"))
    quorum_den = models.PositiveSmallIntegerField(_("quorum (denominator)"))
    approval_num = models.PositiveSmallIntegerField(_("approval share (numerator)"))
    approval_den = models.PositiveSmallIntegerField(_("approval share (denominator)"))
    denominator = models.CharField(
        _("approval share of"), max_length=10, choices=Denominator.choices
    )
    strictly_more = models.BooleanField(
        _("strictly more than the share"),
        default=False,
        help_text=_("Off: at least the share (≥). On: more than the share (>)."),
    )
    chair_must_approve = models.BooleanField(_("the chair must approve"), default=False)
    secret = models.BooleanField(_("secret ballot"), default=True)
    ballot_style = models.CharField(_("ballot style"), max_length=20, choices=BallotStyle.choices)
    max_choices = models.PositiveSmallIntegerField(
        _("maximum choices"), null=True, blank=True, help_text=_("For “choose up to N”.")
    )
    voter_basis = models.CharField(_("who votes"), max_length=10, choices=VoterBasis.choices)
    self_vote_allowed = models.BooleanField(_("a unit may vote for itself"), default=False)
    max_rounds = models.PositiveSmallIntegerField(_("maximum rounds"), default=2)
    deciders = models.CharField(
        _("who decides after the last round"), max_length=20, choices=Deciders.choices
    )
    tie_preference = models.CharField(
        _("tie preference"), max_length=10, choices=TiePreference.choices, default="none"
    )

    class Meta:
        ordering = ["code", "-valid_from"]
        verbose_name = _("voting rule")
        verbose_name_plural = _("voting rules")
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="voting_rule_version"),
            models.CheckConstraint(
                condition=Q(quorum_den__gt=0)
                & Q(approval_den__gt=0)
                & Q(quorum_num__lte=models.F("quorum_den"))
                & Q(approval_num__lte=models.F("approval_den")),
                name="voting_rule_shares_are_fractions",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def quorum(self) -> Fraction:
        return Fraction(self.quorum_num, self.quorum_den)

    @property
    def approval(self) -> Fraction:
        return Fraction(self.approval_num, self.approval_den)

    def snapshot(self) -> dict[str, object]:
        """What a vote keeps of its rule at opening: later edits do not change a result."""
        return {
            "id": self.pk,
            "code": self.code,
            "name": self.name,
            "legal_basis": self.legal_basis,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "quorum": [self.quorum_num, self.quorum_den],
            "approval": [self.approval_num, self.approval_den],
            "denominator": self.denominator,
            "strictly_more": self.strictly_more,
            "chair_must_approve": self.chair_must_approve,
            "secret": self.secret,
            "ballot_style": self.ballot_style,
            "max_choices": self.max_choices,
            "voter_basis": self.voter_basis,
            "self_vote_allowed": self.self_vote_allowed,
            "max_rounds": self.max_rounds,
            "deciders": self.deciders,
            "tie_preference": self.tie_preference,
        }


class Meeting(models.Model):
    class Kind(models.TextChoices):
        BLOCK_REVIEW = "block_review", _("Block year-end review")
        COUNCIL_SESSION = "council_session", _("Council session")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_SESSION = "in_session", _("In session")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    term = models.ForeignKey(
        BlockTerm,
        verbose_name=_("block term"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    council = models.ForeignKey(
        Council,
        verbose_name=_("council"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    title = models.CharField(_("title"), max_length=300)
    held_on = models.DateField(_("date"))
    # The minutes state when the meeting began and ended; votes may be opened (or a paper
    # count entered) at other times, so these are the meeting's own record.
    starts_at = models.TimeField(_("start time"), null=True, blank=True)
    ended_at = models.TimeField(_("end time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secretary"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    rule = models.ForeignKey(
        VotingRule, verbose_name=_("voting rule"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )

    class Meta:
        ordering = ["-held_on", "title"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="block_review") & Q(term__isnull=False) & Q(council__isnull=True))
                | (Q(kind="council_session") & Q(council__isnull=False) & Q(term__isnull=True)),
                name="meeting_of_a_block_or_a_council",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def agency(self) -> Unit:
        return self.term.block.agency if self.term_id else self.council.agency  # type: ignore[union-attr]


class Entitlement(models.Model):
    """One line of the roll: a member unit (voting through its head) or a person (a council
    member, or an attending member when each member votes)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="roll")
    order = models.PositiveSmallIntegerField(_("order"))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    label = models.CharField(_("name on the roll"), max_length=300)

    class Meta:
        ordering = ["meeting", "order"]
        verbose_name = _("entitlement")
        verbose_name_plural = _("roll")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(person__isnull=False),
                name="entitlement_names_a_unit_or_person",
            ),
            models.UniqueConstraint(
                fields=["meeting", "unit"],
                condition=Q(person__isnull=True),
                name="one_entitlement_per_unit",
            ),
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="one_entitlement_per_person",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Attendance(models.Model):
    """As recorded by the secretary: present or absent, and who attended for a unit."""

    entitlement = models.OneToOneField(
        Entitlement, on_delete=models.CASCADE, related_name="attendance"
    )
    present = models.BooleanField(_("present"))
    attendee = models.CharField(_("attended by"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.entitlement}: {self.present}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=500)
    seats = models.PositiveSmallIntegerField(
        _("to be chosen"),
        null=True,
        blank=True,
        help_text=_("How many candidates are chosen; empty: each candidate on its own."),
    )

    class Meta:
        ordering = ["meeting", "order"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class Candidate(models.Model):
    """A unit or person voted on, with the block ranking shown beside it (a snapshot taken
    when the agenda was set, so the minutes can flag a result that differs from it)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="candidates")
    order = models.PositiveSmallIntegerField(_("order"))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    label = models.CharField(_("name"), max_length=300)
    ranking = models.PositiveSmallIntegerField(_("rank in the block"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    women_preferred = models.BooleanField(
        _("woman, or collective with at least 70% women"), default=False
    )

    class Meta:
        ordering = ["item", "order"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")

    def __str__(self) -> str:
        return self.label


class Vote(models.Model):
    """One round of voting on an agenda item."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Mode(models.TextChoices):
        ELECTRONIC = "electronic", _("Electronic ballots")
        PAPER = "paper", _("Paper ballots")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="votes")
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="votes")
    candidates = models.ManyToManyField(Candidate, related_name="+")
    round_number = models.PositiveSmallIntegerField(_("round"), default=1)
    seats = models.PositiveSmallIntegerField(_("to be chosen"), null=True, blank=True)
    runoff_of = models.OneToOneField(
        "self",
        verbose_name=_("runoff of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="runoff",
    )
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices)
    rule_snapshot = models.JSONField(_("rule at opening"))
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    entitled_count = models.PositiveIntegerField(_("entitled"))
    present_count = models.PositiveIntegerField(_("present"))
    # Set when the vote closes and the ballots are chained. Nothing on this row changes with a
    # cast: a running count or digest would leave one row version per ballot.
    chain_head = models.CharField(max_length=64, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["item", "round_number"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["item", "round_number"], name="one_vote_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.item} ({self.round_number})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class VoterRecord(models.Model):
    """Who voted in a vote: for the quorum and the minutes. No timestamp, random key; rewritten
    in roll order when the vote closes, so the casting order is not kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="voters")
    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["entitlement__order"]
        verbose_name = _("voter record")
        verbose_name_plural = _("voter records")
        constraints = [
            models.UniqueConstraint(fields=["vote", "entitlement"], name="one_ballot_per_voter")
        ]

    def __str__(self) -> str:
        return str(self.entitlement)


class SealedBallot(models.Model):
    """A ballot cast in a vote still open: sealed (`voting.sealing`), no link to anyone, no
    timestamp, a random key. Deleted when the vote closes and its content becomes a `Ballot`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="sealed_ballots")
    box = models.BinaryField()

    class Meta:
        verbose_name = _("sealed ballot")
        verbose_name_plural = _("sealed ballots")

    def __str__(self) -> str:
        return str(self.pk)


class Ballot(models.Model):
    """What was chosen, with no link to who chose it: written only when the vote closes, all
    of a vote's ballots in one transaction, in chain order. See the module docstring."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="ballots")
    # The chain order: a random permutation drawn at the close, unrelated to casting order
    # (votes closed before sealing have random 62-bit values here).
    seq = models.PositiveBigIntegerField()
    choices = models.TextField()
    # Filled when the vote closes and the chain is sealed.
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["vote", "seq"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [models.UniqueConstraint(fields=["vote", "seq"], name="ballot_seq_per_vote")]

    def __str__(self) -> str:
        return f"#{self.seq}"


class PaperTally(models.Model):
    """The counts of a paper vote, entered by the secretary."""

    vote = models.OneToOneField(Vote, on_delete=models.PROTECT, related_name="paper_tally")
    ballots_returned = models.PositiveIntegerField(_("ballots returned"))
    blank = models.PositiveIntegerField(_("blank ballots"), default=0)
    spoilt = models.PositiveIntegerField(_("spoilt ballots"), default=0)
    # {"<candidate id>": votes}
    counts = models.JSONField(_("votes per candidate"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("paper tally")
        verbose_name_plural = _("paper tallies")

    def __str__(self) -> str:
        return f"{self.vote}: {self.ballots_returned}"


class Tally(models.Model):
    class Outcome(models.TextChoices):
        DECIDED = "decided", _("Decided by the vote")
        RUNOFF = "runoff", _("Tie: a runoff is needed")
        DECIDERS = "deciders", _("Tie after the last round: to be decided")
        NONE = "none", _("No candidate reached the threshold")

    vote = models.OneToOneField(Vote, on_delete=models.PROTECT, related_name="tally")
    is_paper = models.BooleanField(_("paper tally"), default=False)
    entitled = models.PositiveIntegerField(_("entitled"))
    present = models.PositiveIntegerField(_("present"))
    voters = models.PositiveIntegerField(_("voters"))
    ballots = models.PositiveIntegerField(_("ballots"))
    valid = models.PositiveIntegerField(_("valid ballots"))
    blank = models.PositiveIntegerField(_("blank ballots"))
    spoilt = models.PositiveIntegerField(_("spoilt ballots"))
    chain_head = models.CharField(_("ballot chain head"), max_length=64, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    tied = models.JSONField(_("tied candidates"), default=list)
    preferred = models.JSONField(_("preferred after the last round"), default=list)
    differs_from_ranking = models.BooleanField(_("result differs from the ranking"), default=False)
    # After a tie in the last round: who settled it, and why (ND 152 Art. 4(6), ranking, …).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.CharField(_("reason for the decision"), max_length=500, blank=True)
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")

    def __str__(self) -> str:
        return f"{self.vote}: {self.get_outcome_display()}"


class TallyRow(models.Model):
    tally = models.ForeignKey(Tally, on_delete=models.CASCADE, related_name="rows")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="+")
    votes = models.PositiveIntegerField(_("votes"))
    base = models.PositiveIntegerField(_("counted against"))
    percent = models.DecimalField(_("percentage"), max_digits=6, decimal_places=2)
    threshold = models.CharField(_("threshold"), max_length=60)
    passed = models.BooleanField(_("reached the threshold"))
    elected = models.BooleanField(_("chosen"))
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        ordering = ["tally", "-votes", "candidate__order"]
        verbose_name = _("tally row")
        verbose_name_plural = _("tally rows")

    def __str__(self) -> str:
        return f"{self.candidate}: {self.votes}"
