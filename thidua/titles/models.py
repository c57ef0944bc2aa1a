"""Titles as dated rule packs.

The catalogue of titles and forms is awards' `AwardForm` (code, name, level, individual or
collective); `TitleEntry` adds what the Law says about each: the article that defines it and
who may award it. The conditions are `Condition` rows of a `PackVersion` of a `RulePack`: the
national pack, and a province's or ministry's pack layered on it (a condition with the same
title and key replaces the national one, any other is added). A new law is a new version from
a date, never a code change. Every condition carries its legal basis and, where the text was
not verified, the `unverified` flag the pages show.

Versions of one pack may not overlap; a condition's parameters are checked per kind
(`rules.check_params`), and a "meets the standard of" chain may not loop — refused on save
with the field named.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.lib.dated import first_overlapping
from thidua.lib.dates import format_day

from . import rules


class Authority(models.TextChoices):
    """Who decides a title or form (Law 06/2022 Art. 77–80)."""

    AGENCY_HEAD = "agency_head", _("Head of an agency or Department (Art. 80(1))")
    COMMUNE_CHAIR = "commune_chair", _("Chair of the commune People's Committee")
    PROVINCIAL_CHAIR = "provincial_chair", _("Chair of the provincial People's Committee")
    MINISTER = "minister", _("Minister or head of a central body")
    PRIME_MINISTER = "prime_minister", _("Prime Minister")
    PRESIDENT = "president", _("President")


class TitleEntry(models.Model):
    """What the Law says about one title or form of the register's catalogue."""

    form = models.OneToOneField(
        "awards.AwardForm",
        verbose_name=_("title or form"),
        on_delete=models.PROTECT,
        related_name="title_entry",
    )
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    article = models.CharField(_("defined by"), max_length=300, blank=True)
    awarded_by = models.CharField(_("awarded by"), max_length=20, choices=Authority.choices)
    awarded_by_basis = models.CharField(_("legal basis of the competence"), max_length=300)
    unverified = models.BooleanField(
        _("unverified"),
        default=False,
        help_text=_("The text of the legal basis was not read in an official copy."),
    )

    class Meta:
        ordering = ["form__order", "form__code"]
        verbose_name = _("title in the catalogue")
        verbose_name_plural = _("titles in the catalogue")

    def __str__(self) -> str:
        return str(self.form)


class RulePack(models.Model):
    """A set of conditions: the national one, or a province's or ministry's layered on it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    base = models.ForeignKey(
        "self",
        verbose_name=_("layered on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="layers",
    )
    territory = models.ForeignKey(
        "org.Unit",
        verbose_name=_("applies to (unit and everything below it)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the national pack."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("rule pack")
        verbose_name_plural = _("rule packs")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.base_id is None and self.territory_id is not None:
            raise ValidationError(
                {"base": _("A pack for a territory is layered on the national pack.")}
            )
        seen = {self.pk}
        parent = self.base
        while parent is not None:
            if parent.pk in seen:
                raise ValidationError({"base": _("A pack cannot be layered on itself.")})
            seen.add(parent.pk)
            parent = parent.base


class PackVersion(models.Model):
    """The pack's conditions over a period: a new law or regulation is a new version."""

    pack = models.ForeignKey(RulePack, on_delete=models.PROTECT, related_name="versions")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    instrument = models.CharField(_("legal instrument"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["pack", "valid_from"]
        verbose_name = _("pack version")
        verbose_name_plural = _("pack versions")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="titles_pack_version_period",
            )
        ]

    def __str__(self) -> str:
        end = format_day(self.valid_to) if self.valid_to else "…"
        return f"{self.pack} {format_day(self.valid_from)}–{end}"

    def clean(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end must not be before the start.")})
        if not self.pack_id or not self.valid_from:
            return
        others = PackVersion.objects.filter(pack_id=self.pack_id).exclude(pk=self.pk)
        clash = first_overlapping(others, self.valid_from, self.valid_to)
        if clash is not None:
            raise ValidationError(
                {
                    "valid_from": _("This period overlaps the version %(other)s of the same pack.")
                    % {"other": clash}
                }
            )


class Condition(models.Model):
    """One condition of one title in a pack version, with its legal basis."""

    version = models.ForeignKey(PackVersion, on_delete=models.CASCADE, related_name="conditions")
    title = models.ForeignKey(
        "awards.AwardForm",
        verbose_name=_("title or form"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    key = models.SlugField(
        _("key"),
        max_length=60,
        help_text=_("A layered pack's condition with the same title and key replaces this one."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=30,
        choices=[
            (rules.Kind.RATING_AT_LEAST, _("Rating at least X in the year")),
            (rules.Kind.MEETS_STANDARD, _("Meets the standard of title T")),
            (rules.Kind.HOLDS_CONSECUTIVE, _("Holds title T for N consecutive years")),
            (rules.Kind.MEMBER_SHARE_HOLDING, _("Share of members holding T at least r")),
            (rules.Kind.MEMBER_SHARE_RATED, _("Share of members rated at least X at least r")),
            (rules.Kind.MEMBERS_HOLDING_AT_LEAST, _("At least k members holding T")),
            (rules.Kind.NO_DISCIPLINE, _("No one disciplined at level L or above in the year")),
            (rules.Kind.INITIATIVE, _("Initiative recognised at scope S or above")),
            (rules.Kind.COUNCIL_VOTE, _("Council vote share at least q")),
            (rules.Kind.QUOTA, _("At most p of a population (checked on the list)")),
        ],
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    group = models.SlugField(
        _("alternatives group"),
        max_length=40,
        blank=True,
        help_text=_("Conditions of one title in the same group are alternatives: one suffices."),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    unverified = models.BooleanField(
        _("unverified"),
        default=False,
        help_text=_("The clause was not read in an official copy; the pages say so."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["version", "title__order", "order", "pk"]
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "title", "key"], name="titles_condition_key_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title.code}: {self.key}"

    def clean(self) -> None:
        from thidua.awards.models import AwardForm

        codes = set(AwardForm.objects.values_list("code", flat=True))
        try:
            rules.check_params(self.kind, self.params, codes)
        except rules.ParamError as error:
            field = "kind" if error.key == "kind" else "params"
            raise ValidationError({field: str(error)}) from error
        if self.kind == rules.Kind.MEETS_STANDARD and self.version_id and self.title_id:
            cycle = rules.find_cycle(self._standard_edges())
            if cycle:
                raise ValidationError(
                    {
                        "params": _("The titles' standards refer to each other in a circle: %(c)s.")
                        % {"c": " → ".join(cycle)}
                    }
                )

    def _standard_edges(self) -> list[tuple[str, str]]:
        """The "meets the standard of" edges this condition joins: its version's, and those
        of the packs it is layered on or that are layered on it."""
        version = self.version
        packs = {version.pack_id}
        parent = version.pack.base
        while parent is not None:
            packs.add(parent.pk)
            parent = parent.base
        packs |= set(RulePack.objects.filter(base_id__in=packs).values_list("pk", flat=True))
        rows = (
            Condition.objects.filter(version__pack_id__in=packs, kind=rules.Kind.MEETS_STANDARD)
            .exclude(pk=self.pk)
            .select_related("title")
        )
        edges = [(row.title.code, str(row.params.get("title", ""))) for row in rows]
        edges.append((self.title.code, str(self.params.get("title", ""))))
        return edges


class Override(models.Model):
    """A written decision to award a recipient who fails (or cannot be shown to meet) a
    condition: recorded by a person with the right, audited, printed in the council's list."""

    agency = models.ForeignKey(
        "org.Unit", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("achievement year"))
    title = models.ForeignKey(
        "awards.AwardForm",
        verbose_name=_("title or form"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("written reason"))
    # The reasons the engine gave when the override was recorded, as the officer read them.
    failing = models.JSONField(_("conditions not met"), default=list)
    recorded_by = models.ForeignKey(
        "org.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("override")
        verbose_name_plural = _("overrides")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, person__isnull=True)
                | Q(unit__isnull=True, person__isnull=False),
                name="titles_override_one_recipient",
            ),
            models.UniqueConstraint(
                fields=["agency", "year", "title", "person"],
                condition=Q(person__isnull=False),
                name="titles_override_person_once",
            ),
            models.UniqueConstraint(
                fields=["agency", "year", "title", "unit"],
                condition=Q(unit__isnull=False),
                name="titles_override_unit_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title.code} {self.year}: {self.person or self.unit}"
