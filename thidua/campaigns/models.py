"""A yearly campaign (phong trào thi đua) with its plan, criteria, milestones and the
per-block cycle."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.org.agency_rules import AgencyDatedRule
from thidua.org.models import BlockTerm, DisciplineLevel, Rating, Unit

from .cycle import OWNER_LABELS, STATE_LABELS, CycleState, Owner
from .indicators import COMPUTED, INDICATOR_LABELS, Comparator


class Campaign(models.Model):
    agency = models.ForeignKey(
        Unit, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="campaigns"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=500)
    theme = models.TextField(_("theme"), blank=True)
    plan_number = models.CharField(_("plan number"), max_length=20, blank=True)
    plan_symbol = models.CharField(_("plan symbol"), max_length=40, blank=True)
    plan_date = models.DateField(_("plan date"), null=True, blank=True)
    plan_place = models.CharField(_("place of issue"), max_length=80, blank=True)
    signer_name = models.CharField(_("signer"), max_length=200, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    purposes = models.TextField(_("purposes and requirements"), blank=True)
    implementation = models.TextField(_("organisation of implementation"), blank=True)

    class Meta:
        ordering = ["-year", "agency"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="one_campaign_per_agency_year")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def plan_reference(self) -> str:
        if not self.plan_number:
            return ""
        return f"{self.plan_number}/{self.plan_symbol}" if self.plan_symbol else self.plan_number


class LegalBasis(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="legal_bases")
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["campaign", "order"]
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")

    def __str__(self) -> str:
        return self.text[:80]


class ContentGroup(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="groups")
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["campaign", "order"]
        verbose_name = _("content group")
        verbose_name_plural = _("content groups")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="group_code_per_campaign")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Criterion(models.Model):
    class Kind(models.TextChoices):
        QUALITATIVE = "qualitative", _("Qualitative")
        MEASURABLE = "measurable", _("Measurable")

    group = models.ForeignKey(ContentGroup, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("text"))
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.QUALITATIVE
    )
    indicator = models.CharField(
        _("indicator"),
        max_length=40,
        blank=True,
        choices=[(i.value, label) for i, label in INDICATOR_LABELS.items()],
    )
    comparator = models.CharField(
        _("comparison"),
        max_length=4,
        blank=True,
        choices=[(Comparator.GTE, "≥"), (Comparator.LTE, "≤"), (Comparator.EQ, "=")],
    )
    threshold = models.DecimalField(
        _("threshold"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    min_rating = models.CharField(
        _("minimum rating"), max_length=8, blank=True, choices=Rating.choices
    )
    min_discipline = models.CharField(
        _("discipline level counted"), max_length=20, blank=True, choices=DisciplineLevel.choices
    )
    unit_of_measure = models.CharField(_("unit of measure"), max_length=20, blank=True)
    staff_counted_on = models.DateField(
        _("staff counted on"),
        null=True,
        blank=True,
        help_text=_("For a share of staff: the staff employed on this day are counted."),
    )
    legal_basis = models.CharField(_("source or legal basis"), max_length=300, blank=True)

    class Meta:
        ordering = ["group", "order"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["group", "code"], name="criterion_code_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"

    @property
    def is_computed(self) -> bool:
        return self.kind == self.Kind.MEASURABLE and self.indicator in COMPUTED


class Milestone(models.Model):
    class Kind(models.TextChoices):
        PLAN = "plan", _("Plan and leaders")
        COVENANT = "covenant", _("Covenant")
        MIDYEAR = "midyear", _("Mid-year review")
        REPORTS = "reports", _("Annual reports")
        YEAREND = "yearend", _("Year-end review and vote")
        COUNCIL = "council", _("Council review")
        OTHER = "other", _("Other")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    deliverable = models.CharField(_("what is due"), max_length=500, blank=True)
    owner = models.CharField(
        _("owner"), max_length=20, choices=[(o.value, label) for o, label in OWNER_LABELS.items()]
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    due_on = models.DateField(_("due on"))
    recipient = models.CharField(_("sent to"), max_length=200, blank=True)

    class Meta:
        ordering = ["campaign", "due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on:%d/%m/%Y})"

    @property
    def owner_label(self) -> str:
        return str(OWNER_LABELS.get(Owner(self.owner), self.owner))


class DeadlineBands(AgencyDatedRule):
    """How close a deadline must be before the home page suggests the task and marks it soon
    or urgent: dated configuration with its basis, per agency (its regulation on emulation
    work) or, without an agency, for every agency that has none of its own."""

    agency = AgencyDatedRule.agency_field(
        _("Empty: applies to every agency without bands of its own.")
    )
    notice_days = models.PositiveSmallIntegerField(
        _("suggested from (days before the deadline)"),
        help_text=_("A task not started yet appears on the home page this many days ahead."),
    )
    soon_days = models.PositiveSmallIntegerField(_("marked soon from (days before)"))
    urgent_days = models.PositiveSmallIntegerField(_("marked urgent from (days before)"))

    legal_basis_required = _("Give the legal basis (the regulation that sets these days).")
    overlap_message = _("These dates overlap the bands valid from %(day)s; end those first.")

    class Meta(AgencyDatedRule.Meta):
        verbose_name = _("deadline bands")
        verbose_name_plural = _("deadline bands")
        constraints = [AgencyDatedRule.period_constraint("campaigns_deadline_bands_period")]

    def __str__(self) -> str:
        return f"{self.agency or '—'} ({self.valid_from:%d/%m/%Y})"

    def rule_errors(self) -> dict[str, Any]:
        errors = super().rule_errors()
        if None not in (self.soon_days, self.notice_days) and self.soon_days > self.notice_days:
            errors["soon_days"] = _(
                "“Marked soon from” cannot be more days than “suggested from” (%(days)s)."
            ) % {"days": self.notice_days}
        if None not in (self.urgent_days, self.soon_days) and self.urgent_days > self.soon_days:
            errors["urgent_days"] = _(
                "“Marked urgent from” cannot be more days than “marked soon from” (%(days)s)."
            ) % {"days": self.soon_days}
        return errors


class BlockCycle(models.Model):
    """One block's progress through one campaign year."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="cycles")
    term = models.OneToOneField(BlockTerm, on_delete=models.PROTECT, related_name="cycle")
    state = models.CharField(
        _("state"),
        max_length=30,
        default=CycleState.SETUP,
        choices=[(s.value, label) for s, label in STATE_LABELS.items()],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["campaign", "term__block__code"]
        verbose_name = _("block cycle")
        verbose_name_plural = _("block cycles")

    def __str__(self) -> str:
        return f"{self.term}: {self.get_state_display()}"


class CycleStep(models.Model):
    """The history of a block cycle: who moved it, when, and why."""

    cycle = models.ForeignKey(BlockCycle, on_delete=models.CASCADE, related_name="steps")
    source = models.CharField(max_length=30)
    target = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "at", "id"]
        verbose_name = _("cycle step")
        verbose_name_plural = _("cycle steps")

    def __str__(self) -> str:
        return f"{self.cycle_id}: {self.source} → {self.target}"

    @property
    def target_label(self) -> str:
        return str(STATE_LABELS.get(self.target, self.target))  # type: ignore[call-overload]
