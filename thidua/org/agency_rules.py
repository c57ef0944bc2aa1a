"""Dated rules an agency sets in its own regulation: one abstract model for every such table
(the home page's deadline bands, the outlier-scorer threshold …).

A row is in force from `valid_from` to `valid_to` (both included, an empty end is open), cites
its `legal_basis`, and belongs to an agency or, without one, to every agency that has no row
of its own. Two rows of one agency never overlap.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Self

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from thidua.lib.dated import agency_version, first_overlapping

from .models import Unit


class AgencyDatedRule(models.Model):
    """The shared fields and checks; a subclass adds its values, its Meta (ordering is shared)
    and the two messages that name what it is."""

    # Each subclass declares `agency = agency_field(help_text)`, saying in its own words that
    # an empty agency means every agency without a row of its own.
    agency: models.ForeignKey[Unit | None, Unit | None]
    agency_id: int | None
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_basis = models.TextField(_("legal basis"))

    # Set by each subclass, naming what it is: "Give the legal basis (the regulation that
    # sets these days).", "These dates overlap the bands valid from %(day)s; end those first."
    legal_basis_required: ClassVar[str | Promise]
    overlap_message: ClassVar[str | Promise]

    class Meta:
        abstract = True
        ordering = ["agency", "-valid_from"]

    @staticmethod
    def agency_field(help_text: Any) -> models.ForeignKey[Unit | None, Unit | None]:
        return models.ForeignKey(
            Unit,
            verbose_name=_("agency"),
            null=True,
            blank=True,
            on_delete=models.PROTECT,
            related_name="+",
            help_text=help_text,
        )

    @staticmethod
    def period_constraint(name: str) -> models.CheckConstraint:
        """The database's own check that a row does not end before it starts."""
        return models.CheckConstraint(
            condition=models.Q(valid_to__isnull=True)
            | models.Q(valid_to__gte=models.F("valid_from")),
            name=name,
        )

    @classmethod
    def in_force(cls, agency: Any, on: dt.date) -> Self | None:
        """The row in force on `on` for `agency` (a unit or its id): its own, else the one
        for every agency."""
        found: Self | None = agency_version(cls._default_manager.all(), agency, on)
        return found

    def clean(self) -> None:
        errors = self.rule_errors()
        if errors:
            raise ValidationError(errors)

    def rule_errors(self) -> dict[str, Any]:
        """The subclass's own checks, by field; it extends the shared ones below."""
        errors: dict[str, Any] = {}
        if not (self.legal_basis or "").strip():
            errors["legal_basis"] = self.legal_basis_required
        if self.valid_to is not None and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = _("“Valid to” is before “valid from”.")
        elif self.valid_from:
            manager: Any = type(self)._default_manager  # the subclass's, with its `agency`
            others = manager.filter(agency_id=self.agency_id)
            other = first_overlapping(others.exclude(pk=self.pk), self.valid_from, self.valid_to)
            if other is not None:
                errors["valid_from"] = self.overlap_message % {
                    "day": other.valid_from.strftime("%d/%m/%Y")
                }
        return errors
