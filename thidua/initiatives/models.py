"""Initiatives (sáng kiến): what authors register, the council's review at each scope, and
the recognition decisions that titles count (Law 06/2022 Art. 3(4), 21–23; ND 152/2025
Art. 33(6)).

An initiative is registered in one unit by one or more authors with their shares; a review
at a scope records what the deciding body found (a score, a vote tally or the head's own
decision); a recognition is the issued decision, with its scope and the period it counts
for. One initiative may be recognised first at the grassroots and later at a wider scope.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class InitiativeScope(models.TextChoices):
    """The reach of a recognition, in ascending order: comparisons go through `rank`."""

    CO_SO = "co_so", _("Grassroots (agency / unit)")
    TINH_BO = "tinh_bo", _("Province / ministry")
    TOAN_QUOC = "toan_quoc", _("Nationwide")

    @classmethod
    def rank(cls, scope: str) -> int:
        """0 for the grassroots, rising with the reach; ValueError for an unknown code."""
        return list(cls.values).index(scope)

    @classmethod
    def at_least(cls, scope: str, minimum: str) -> bool:
        """Whether a recognition at `scope` satisfies a condition asking for `minimum` or
        wider ("scope ≥ S")."""
        return cls.rank(scope) >= cls.rank(minimum)


class SolutionKind(models.TextChoices):
    """The kinds of solution the Law's definition names (Art. 3(4))."""

    TECHNICAL = "technical", _("Technical solution")
    MANAGEMENT = "management", _("Management solution")
    OPERATIONAL = "operational", _("Operational (working-method) solution")
    APPLICATION = "application", _("Application of technical progress")


class InitiativeStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    REQUESTED = "requested", _("Recognition requested")
    RECOGNISED = "recognised", _("Recognised")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Initiative(models.Model):
    """One initiative as its authors registered it for their unit's recognition."""

    # The agency whose register holds it; the unit where it was made and applied.
    agency = models.ForeignKey(
        "org.Unit", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=500)
    solution_kind = models.CharField(
        _("kind of solution"), max_length=20, choices=SolutionKind.choices
    )
    field = models.CharField(_("field"), max_length=200)
    improves = models.TextField(_("what it improves (novelty)"))
    applied_at = models.CharField(_("where applied"), max_length=500)
    first_applied_on = models.DateField(_("first applied on"), null=True, blank=True)
    effect = models.TextField(_("effect and benefits"))
    # The unit itself is an author (a collective initiative) besides the people named.
    unit_is_author = models.BooleanField(_("the unit is a collective author"), default=False)
    requested_scope = models.CharField(
        _("scope requested"),
        max_length=12,
        choices=InitiativeScope.choices,
        default=InitiativeScope.CO_SO,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.REGISTERED,
    )
    request_document = models.OneToOneField(
        "documents.IssuedDocument",
        verbose_name=_("request for recognition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiative_request",
    )
    search_text = models.CharField(max_length=1000, editable=False, db_index=True)
    # A client retrying a registration sends the same key; the second call returns the first.
    idempotency_key = models.CharField(max_length=100, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        indexes = [models.Index(fields=["agency", "year"])]

    def __str__(self) -> str:
        return self.title


class InitiativeAuthor(models.Model):
    """A person among the authors, with their share of the work (the shares add to 100)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="authors")
    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="initiative_authorships",
    )
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    # The author's name and unit as they were when registered, as the paper prints them.
    name_then = models.CharField(_("name then"), max_length=200)
    unit_name_then = models.CharField(_("unit then"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["initiative", "order", "pk"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "person"], name="initiative_author_once"),
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=100), name="initiative_author_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_then} ({self.share}%)"


class InitiativeEvidence(models.Model):
    """A file supporting the initiative (a description, photos, a confirmation of use)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="evidence")
    # Relative to the file store's "initiatives" area: outside the web root.
    path = models.CharField(_("file"), max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["initiative", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "sha256"], name="initiative_evidence_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ReviewOutcome(models.TextChoices):
    RECOGNISED = "recognised", _("Recognised")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")


class InitiativeReview(models.Model):
    """What the deciding body found at one scope: the unit head alone at the grassroots, an
    initiative council (a score, a vote tally) at the province / ministry or nationwide."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="reviews")
    scope = models.CharField(_("scope"), max_length=12, choices=InitiativeScope.choices)
    council = models.ForeignKey(
        "org.Council",
        verbose_name=_("council"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    meeting = models.ForeignKey(
        "voting.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_on = models.DateField(_("reviewed on"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    members_present = models.PositiveSmallIntegerField(_("members present"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ReviewOutcome.choices)
    opinion = models.TextField(_("the council's opinion"), blank=True)
    minutes_document = models.OneToOneField(
        "documents.IssuedDocument",
        verbose_name=_("minutes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiative_review",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["initiative", "reviewed_on", "pk"]
        verbose_name = _("initiative review")
        verbose_name_plural = _("initiative reviews")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "scope"], name="initiative_review_once")
        ]

    def __str__(self) -> str:
        return f"{self.initiative} — {self.get_scope_display()}"

    @property
    def is_recognised(self) -> bool:
        return self.outcome == ReviewOutcome.RECOGNISED


class Recognition(models.Model):
    """The decision recognising an initiative at a scope, and the period it counts for."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.PROTECT, related_name="recognitions"
    )
    scope = models.CharField(_("scope"), max_length=12, choices=InitiativeScope.choices)
    review = models.OneToOneField(
        InitiativeReview,
        verbose_name=_("review"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recognition",
    )
    document = models.OneToOneField(
        "documents.IssuedDocument",
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiative_recognition",
    )
    # As printed (a decision received from the province may not be in this system).
    symbol = models.CharField(_("number and symbol"), max_length=80)
    issuer_name = models.CharField(_("issuing body"), max_length=255)
    recognised_on = models.DateField(_("recognised on"))
    effect_from = models.DateField(_("counts from"))
    effect_until = models.DateField(_("counts until"), null=True, blank=True)
    annulled = models.BooleanField(_("annulled"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recognised_on", "pk"]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "scope"],
                condition=Q(annulled=False),
                name="initiative_recognised_once_per_scope",
            ),
            models.CheckConstraint(
                condition=Q(effect_until__isnull=True)
                | Q(effect_until__gte=models.F("effect_from")),
                name="initiative_recognition_period",
            ),
        ]
        indexes = [models.Index(fields=["recognised_on"])]

    def __str__(self) -> str:
        return f"{self.symbol} ({self.recognised_on:%d/%m/%Y})"
