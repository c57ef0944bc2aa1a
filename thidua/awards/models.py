"""The award register: the catalogue of titles and forms with their dated bonus multiples, the
base salary, award decisions (issued here or received from the level above) and their awards.

Multiples and the base salary are dated configuration, like `documents.NationalLegalBasis`:
a decision dated D is paid with the multiple and the base salary in force on D (ND 152/2025
Art. 49(1)), and a new decree is a new row, not a release.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AwardKind(models.TextChoices):
    TITLE = "title", _("Emulation title")
    FORM = "form", _("Form of commendation")


class AwardLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Province / city")
    AGENCY = "agency", _("Agency (department)")


class RecipientKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COLLECTIVE = "collective", _("Collective")
    BOTH = "both", _("Individual or collective")


class AwardForm(models.Model):
    """One title or form of commendation (Cờ thi đua, Chiến sĩ thi đua cơ sở, Giấy khen…)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=AwardKind.choices)
    level = models.CharField(_("level"), max_length=12, choices=AwardLevel.choices)
    recipient_kind = models.CharField(_("awarded to"), max_length=12, choices=RecipientKind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("award title or form")
        verbose_name_plural = _("award titles and forms")

    def __str__(self) -> str:
        return self.name

    def accepts(self, recipient_kind: str) -> bool:
        return self.recipient_kind in (RecipientKind.BOTH, recipient_kind)


class AwardFormRate(models.Model):
    """The bonus multiple of the base salary for one form and one kind of recipient, over a
    period (ND 152/2025 Art. 50, 54: a collective's Bằng khen/Giấy khen is twice an
    individual's)."""

    form = models.ForeignKey(AwardForm, on_delete=models.CASCADE, related_name="rates")
    recipient_kind = models.CharField(
        _("recipient"),
        max_length=12,
        choices=[c for c in RecipientKind.choices if c[0] != RecipientKind.BOTH],
    )
    multiple = models.DecimalField(_("multiple of the base salary"), max_digits=5, decimal_places=2)
    # ND 152/2025 Art. 49(2): "được làm tròn số lên hàng chục nghìn đồng". Part of the dated
    # rule, with the multiple it applies to, so a later decree can change it.
    rounding_step = models.PositiveIntegerField(
        _("rounded up to a multiple of (VND)"),
        default=10_000,
        help_text=_("The bonus is rounded up to the next multiple of this amount."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)

    class Meta:
        ordering = ["form", "recipient_kind", "valid_from"]
        verbose_name = _("bonus multiple")
        verbose_name_plural = _("bonus multiples")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="awards_rate_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.form.code} {self.recipient_kind} ×{self.multiple}"


class BaseSalary(models.Model):
    """Mức lương cơ sở (VND a month) over a period."""

    amount = models.PositiveIntegerField(_("amount (VND a month)"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("base salary")
        verbose_name_plural = _("base salaries")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="awards_base_salary_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} ({self.valid_from:%d/%m/%Y})"


class DecisionStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    ANNULLED = "annulled", _("Annulled")


class AwardDecision(models.Model):
    """A decision on awards (quyết định khen thưởng), issued here or received from above."""

    # The agency whose register holds the decision (and whose secretariat records it).
    agency = models.ForeignKey(
        "org.Unit", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    issuer_name = models.CharField(_("issuing body"), max_length=255)
    issuing_body = models.ForeignKey(
        "documents.IssuingBody",
        verbose_name=_("issuing body in this system"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document = models.OneToOneField(
        "documents.IssuedDocument",
        verbose_name=_("issued document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_decision",
    )
    symbol = models.CharField(_("number and symbol"), max_length=80)
    issued_on = models.DateField(_("date"))
    signer = models.CharField(_("signer"), max_length=200, blank=True)
    legal_bases = models.TextField(_("legal bases"), blank=True)
    received_from_above = models.BooleanField(_("received from the level above"), default=False)
    # Relative to DATA_DIR/awards: outside the web root, served only by a checking view.
    original_path = models.CharField(_("original file"), max_length=300, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    original_sha256 = models.CharField(_("SHA-256 of the original"), max_length=64, blank=True)
    original_content_type = models.CharField(max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.IN_FORCE
    )
    annulled_by = models.ForeignKey(
        "self",
        verbose_name=_("annulled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="annuls",
    )
    annul_reason = models.TextField(_("reason for annulment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "symbol"]
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "issuer_name", "symbol", "issued_on"],
                name="awards_decision_once",
            ),
            models.CheckConstraint(
                condition=Q(status=DecisionStatus.IN_FORCE, annulled_by__isnull=True)
                | Q(status=DecisionStatus.ANNULLED, annulled_by__isnull=False),
                name="awards_decision_annulled_by_iff_annulled",
            ),
        ]
        indexes = [models.Index(fields=["issued_on"])]

    def __str__(self) -> str:
        return f"{self.symbol} ({self.issued_on:%d/%m/%Y})"

    @property
    def is_annulled(self) -> bool:
        return self.status == DecisionStatus.ANNULLED


class Award(models.Model):
    """One recipient's title or form in a decision. Names are kept as they were on the
    decision's date, so the register reads like the paper after renames and mergers."""

    decision = models.ForeignKey(AwardDecision, on_delete=models.CASCADE, related_name="awards")
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    form = models.ForeignKey(
        AwardForm, verbose_name=_("title or form"), on_delete=models.PROTECT, related_name="awards"
    )
    reason = models.TextField(_("reason"), blank=True)
    # The year of the achievement the decision names (ND 152/2025 Art. 33(7): the next award
    # is counted from it; without it, from the decision's date).
    achievement_year = models.PositiveSmallIntegerField(
        _("achievement year"), null=True, blank=True
    )
    recipient_name = models.CharField(_("recipient as named then"), max_length=255)
    # For a person: the unit they worked in on the decision's date, as it was named then.
    recipient_unit_name = models.CharField(_("unit then"), max_length=255, blank=True)
    multiple = models.DecimalField(
        _("multiple of the base salary"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    base_salary = models.PositiveIntegerField(_("base salary"), null=True, blank=True)
    amount = models.DecimalField(
        _("bonus (VND)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    amount_in_words = models.CharField(_("bonus in words"), max_length=300, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        ordering = ["decision", "pk"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, person__isnull=True)
                | Q(unit__isnull=True, person__isnull=False),
                name="awards_award_one_recipient",
            ),
            models.UniqueConstraint(
                fields=["decision", "unit", "form"],
                condition=Q(unit__isnull=False),
                name="awards_award_unit_once",
            ),
            models.UniqueConstraint(
                fields=["decision", "person", "form"],
                condition=Q(person__isnull=False),
                name="awards_award_person_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form} — {self.recipient_name}"

    @property
    def recipient_kind(self) -> str:
        return RecipientKind.COLLECTIVE if self.unit_id else RecipientKind.INDIVIDUAL
