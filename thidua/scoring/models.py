"""A block's scoring table (bảng chấm điểm): a versioned tree of items and its bands."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.campaigns.models import Campaign, ContentGroup, Criterion
from thidua.org.agency_rules import AgencyDatedRule
from thidua.org.models import Block, Unit

from .engine import Kind, Rounding

KIND_LABELS = {
    Kind.SECTION: _("Section"),
    Kind.QUANTITATIVE: _("Quantitative (formula)"),
    Kind.PASS_FAIL: _("Pass / fail"),
    Kind.PER_OCCURRENCE: _("Per occurrence"),
    Kind.BONUS: _("Bonus points"),
    Kind.PENALTY: _("Penalty points"),
    Kind.MANUAL: _("Manual points"),
}
ROUNDING_LABELS = {
    Rounding.HALF_UP: _("Round half up"),
    Rounding.HALF_EVEN: _("Round half to even"),
    Rounding.DOWN: _("Round down"),
    Rounding.UP: _("Round up"),
}


class ScoringTable(models.Model):
    """One version of a block's table for a campaign; with no block, an agency's template."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FROZEN = "frozen", _("Frozen")

    agency = models.ForeignKey(
        Unit, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="+"
    )
    block = models.ForeignKey(
        Block,
        verbose_name=_("block"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scoring_tables",
    )
    name = models.CharField(_("name"), max_length=300)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    rounding_places = models.PositiveSmallIntegerField(_("decimal places"), default=2)
    rounding_mode = models.CharField(
        _("rounding"),
        max_length=10,
        choices=[(r.value, label) for r, label in ROUNDING_LABELS.items()],
        default=Rounding.HALF_UP,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    frozen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["campaign", "block", "-version"]
        verbose_name = _("scoring table")
        verbose_name_plural = _("scoring tables")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "block", "version"],
                condition=Q(block__isnull=False),
                name="scoring_table_version_per_block",
            ),
            models.UniqueConstraint(
                fields=["campaign", "agency", "name", "version"],
                condition=Q(block__isnull=True),
                name="scoring_template_version",
            ),
            models.CheckConstraint(
                condition=Q(rounding_places__lte=4), name="scoring_table_places_at_most_4"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="scoring_table_version_1"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class ScoringItem(models.Model):
    """A node of the tree: a section (with an optional cap) or a scored leaf."""

    class Source(models.TextChoices):
        COMPUTED = "computed", _("Computed from the organisation data")
        REPORTED = "reported", _("Reported by the unit")
        # A penalty per day the report was submitted after its milestone: the block's
        # regulation decides what lateness costs (points per occurrence = per day).
        LATE_DAYS = "late_days", _("Days the report was late")

    table = models.ForeignKey(ScoringTable, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("text"))
    kind = models.CharField(
        _("kind"), max_length=20, choices=[(k.value, label) for k, label in KIND_LABELS.items()]
    )
    max_points = models.DecimalField(
        _("maximum points"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    cap = models.DecimalField(
        _("cap of the section"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    indicator_source = models.CharField(
        _("indicator source"), max_length=10, blank=True, choices=Source.choices
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("campaign criterion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    group = models.ForeignKey(
        ContentGroup,
        verbose_name=_("content group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    lower_is_better = models.BooleanField(_("a lower value is better"), default=False)
    formula = models.TextField(_("formula"), blank=True)
    points_per_occurrence = models.DecimalField(
        _("points per occurrence"), max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["table", "parent_id", "order", "id"]
        verbose_name = _("scoring item")
        verbose_name_plural = _("scoring items")
        constraints = [
            models.UniqueConstraint(fields=["table", "code"], name="scoring_item_code_per_table"),
            models.CheckConstraint(
                condition=Q(max_points__isnull=True) | Q(max_points__gt=0),
                name="scoring_item_max_positive",
            ),
            models.CheckConstraint(
                condition=Q(cap__isnull=True) | (Q(cap__gt=0) & Q(kind=Kind.SECTION)),
                name="scoring_item_cap_on_sections",
            ),
            models.CheckConstraint(
                condition=Q(points_per_occurrence__isnull=True) | Q(points_per_occurrence__gt=0),
                name="scoring_item_per_occurrence_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"

    @property
    def is_section(self) -> bool:
        return self.kind == Kind.SECTION


class Band(models.Model):
    """A classification (xếp loại) reached from a minimum total, e.g. "Xuất sắc" from 95."""

    table = models.ForeignKey(ScoringTable, on_delete=models.CASCADE, related_name="bands")
    name = models.CharField(_("name"), max_length=100)
    min_total = models.DecimalField(_("minimum total"), max_digits=8, decimal_places=2)
    eligible_for = models.CharField(_("eligible to be proposed for"), max_length=300, blank=True)

    class Meta:
        ordering = ["table", "-min_total"]
        verbose_name = _("band")
        verbose_name_plural = _("bands")
        constraints = [
            models.UniqueConstraint(fields=["table", "name"], name="band_name_per_table"),
            models.UniqueConstraint(fields=["table", "min_total"], name="band_minimum_per_table"),
            models.CheckConstraint(condition=Q(min_total__gte=0), name="band_minimum_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ≥ {self.min_total}"


# Scores ----------------------------------------------------------------------------------------


class FinalMethod(models.TextChoices):
    """How an item's final points come from the scores given to it."""

    VERIFIED = "verified", _("The verified score")
    PEER_MEAN = "peer_mean", _("The mean of the peers' scores")
    TRIMMED_MEAN = "trimmed_mean", _("The mean without the highest and lowest score")


class Scorers(models.TextChoices):
    """Who scores whom in a round, besides each unit's self-score."""

    LEADER_TEAM = "leader_team", _("The leader's team scores every unit")
    ALL_PEERS = "all_peers", _("Each member scores every other member (chấm chéo)")
    PAIRS = "pairs", _("Assigned pairs")


class OutlierThreshold(AgencyDatedRule):
    """How far from the other scorers a peer scorer may be, on average, before the matrix
    flags it: a share of the item's maximum. Dated configuration with its basis, per agency
    (its regulation) or, without an agency, for every agency without its own."""

    agency = AgencyDatedRule.agency_field(
        _("Empty: applies to every agency without a threshold of its own.")
    )
    share = models.DecimalField(
        _("share of the item's maximum"),
        max_digits=3,
        decimal_places=2,
        help_text=_(
            "For example 0.20: a scorer a fifth of the maximum away on average is flagged."
        ),
    )

    legal_basis_required = _("Give the legal basis (the regulation that sets it).")
    overlap_message = _("These dates overlap the threshold valid from %(day)s; end that one first.")

    class Meta(AgencyDatedRule.Meta):
        verbose_name = _("outlier-scorer threshold")
        verbose_name_plural = _("outlier-scorer thresholds")
        constraints = [AgencyDatedRule.period_constraint("scoring_outlier_threshold_period")]

    def __str__(self) -> str:
        return f"{self.share} — {self.agency or '—'} ({self.valid_from:%d/%m/%Y})"

    def rule_errors(self) -> dict[str, Any]:
        errors = super().rule_errors()
        if self.share is not None and not Decimal(0) < self.share <= Decimal(1):
            errors["share"] = _("The share of the item's maximum must be above 0 and at most 1.")
        return errors


class ScoringRound(models.Model):
    """One period's scoring of a block with a frozen table: its method, its tie-break rules,
    and the lock after which no score changes."""

    table = models.ForeignKey(ScoringTable, on_delete=models.PROTECT, related_name="rounds")
    period = models.CharField(_("period"), max_length=20)
    scorers = models.CharField(
        _("who scores whom"), max_length=20, choices=Scorers.choices, default=Scorers.LEADER_TEAM
    )
    method = models.CharField(
        _("final score method"),
        max_length=20,
        choices=FinalMethod.choices,
        default=FinalMethod.VERIFIED,
    )
    # Item codes (usually top-level sections = content groups) compared in order, higher
    # first, when totals are equal.
    tie_break = models.JSONField(_("tie-break items"), default=list, blank=True)
    # Verification published: each unit sees its changed scores and may answer (giải trình)
    # until `answer_until`; a second review then settles every answer before the lock.
    verification_published_at = models.DateTimeField(
        _("verification published at"), null=True, blank=True
    )
    answer_until = models.DateField(_("units may answer until"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["table", "period"]
        verbose_name = _("scoring round")
        verbose_name_plural = _("scoring rounds")
        constraints = [
            models.UniqueConstraint(fields=["table", "period"], name="one_round_per_table_period")
        ]

    def __str__(self) -> str:
        return f"{self.table} — {self.period}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def period_label(self) -> str:
        from thidua.reports.models import Period

        return str(Period(self.period).label) if self.period in Period.values else self.period


class ScoreSheet(models.Model):
    """A unit's scores in a round, tied to the report version its self-score judged."""

    round = models.ForeignKey(ScoringRound, on_delete=models.PROTECT, related_name="sheets")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    report_version = models.ForeignKey(
        "reports.ReportVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    self_scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    self_scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "unit__path"]
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="one_sheet_per_unit_round")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} — {self.round_id}"


class ScoreEntry(models.Model):
    """One leaf of one sheet: the unit's self-score and the verifier's score."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(ScoringItem, on_delete=models.PROTECT, related_name="+")
    self_points = models.DecimalField(
        _("self-score"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    self_note = models.TextField(_("explanation"), blank=True)
    verified_points = models.DecimalField(
        _("verified score"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    verified_reason = models.TextField(_("reason for the change"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("the unit's answer (giải trình)"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    review_points = models.DecimalField(
        _("score after the second review"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    review_reason = models.TextField(_("reason of the second review"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sheet", "item__order"]
        verbose_name = _("score entry")
        verbose_name_plural = _("score entries")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "item"], name="one_entry_per_sheet_item")
        ]

    def __str__(self) -> str:
        return f"{self.sheet_id}/{self.item_id}"

    @property
    def changed(self) -> bool:
        return self.verified_points is not None and self.verified_points != self.self_points


class RankingSnapshot(models.Model):
    """A published ranking, frozen: its rows and the SHA-256 of their canonical JSON. A
    correction is a new snapshot that names the one it replaces, what changed and why."""

    round = models.ForeignKey(ScoringRound, on_delete=models.PROTECT, related_name="snapshots")
    number = models.PositiveSmallIntegerField(_("number"))
    rows = models.JSONField()
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason for the correction"), blank=True)
    changes = models.JSONField(default=list, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        ordering = ["round", "number"]
        verbose_name = _("ranking snapshot")
        verbose_name_plural = _("ranking snapshots")
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="one_snapshot_number")
        ]

    def __str__(self) -> str:
        return f"{self.round} #{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("a published ranking snapshot is immutable")
        super().save(*args, **kwargs)


class PeerAssignment(models.Model):
    """A scorer unit that scores a scored unit in a round. Always materialised, whatever
    the round's `scorers` mode, so the services check one table; never a unit itself."""

    round = models.ForeignKey(ScoringRound, on_delete=models.CASCADE, related_name="assignments")
    scorer = models.ForeignKey(
        Unit, verbose_name=_("scoring unit"), on_delete=models.PROTECT, related_name="+"
    )
    scored = models.ForeignKey(
        Unit, verbose_name=_("scored unit"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["round", "scorer", "scored"]
        verbose_name = _("peer assignment")
        verbose_name_plural = _("peer assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "scorer", "scored"], name="one_assignment_per_pair"
            ),
            models.CheckConstraint(
                condition=~Q(scorer=models.F("scored")), name="assignment_never_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scorer_id} → {self.scored_id}"


class PeerScore(models.Model):
    """One scorer unit's points for one item of another unit's sheet."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="peer_scores")
    item = models.ForeignKey(ScoringItem, on_delete=models.PROTECT, related_name="+")
    scorer = models.ForeignKey(
        Unit, verbose_name=_("scoring unit"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2)
    # Why the scorer gave these points (a deduction's reason), shown to the verifier.
    note = models.TextField(_("note"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sheet", "item", "scorer"]
        verbose_name = _("peer score")
        verbose_name_plural = _("peer scores")
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "item", "scorer"], name="one_peer_score_per_scorer_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scorer_id} → {self.sheet_id}/{self.item_id}: {self.points}"
