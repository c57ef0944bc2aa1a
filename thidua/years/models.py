"""The agency's configuration for starting a year: the rule that proposes each block's new
leader and deputy (from its regulation on emulation work), dated with its basis."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.lib.dated import first_overlapping
from thidua.org.models import Unit

from .planning import RULE_LABELS, LeaderRuleKind


class LeaderRule(models.Model):
    """How the next year's block leaders are proposed: per agency (its regulation) or,
    without an agency, for every agency that has none of its own."""

    agency = models.ForeignKey(
        Unit,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: applies to every agency without a rule of its own."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_basis = models.TextField(_("legal basis"))
    rule = models.CharField(
        _("rule"),
        max_length=20,
        choices=[(r.value, label) for r, label in RULE_LABELS.items()],
    )

    class Meta:
        ordering = ["agency", "-valid_from"]
        verbose_name = _("block leader rule")
        verbose_name_plural = _("block leader rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="years_leader_rule_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency or '—'}: {self.get_rule_display()} ({self.valid_from:%d/%m/%Y})"

    @property
    def kind(self) -> LeaderRuleKind:
        return LeaderRuleKind(self.rule)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.valid_to is not None and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = _("“Valid to” is before “valid from”.")
        if not (self.legal_basis or "").strip():
            errors["legal_basis"] = _("Give the legal basis (the regulation that sets the rule).")
        if self.valid_from and "valid_to" not in errors:
            others = LeaderRule.objects.filter(agency_id=self.agency_id).exclude(pk=self.pk)
            other = first_overlapping(others, self.valid_from, self.valid_to)
            if other is not None:
                errors["valid_from"] = _(
                    "These dates overlap the rule valid from %(day)s; end that one first."
                ) % {"day": other.valid_from.strftime("%d/%m/%Y")}
        if errors:
            raise ValidationError(errors)
