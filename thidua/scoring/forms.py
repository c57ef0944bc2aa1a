"""Scoring table forms: shapes only; the rules (formulas included) live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thidua.campaigns.models import Criterion
from thidua.pages.forms import DateInput, StyledForm

from .engine import Kind
from .formula import FUNCTIONS, VARIABLES
from .models import (
    KIND_LABELS,
    ROUNDING_LABELS,
    FinalMethod,
    Scorers,
    ScoringItem,
    ScoringTable,
)
from .services.tables import ItemInput

POINTS = {"max_digits": 8, "decimal_places": 2, "required": False}


class SectionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code}. {obj.text[:80]}"


class CriterionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.text[:80]}"


class ItemForm(StyledForm):
    parent = SectionChoice(
        label=_("Inside the section"),
        queryset=ScoringItem.objects.none(),
        required=False,
        empty_label=_("(top level)"),
    )
    code = forms.CharField(label=_("Code"), max_length=20)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(k.value, label) for k, label in KIND_LABELS.items()]
    )
    max_points = forms.DecimalField(label=_("Maximum points"), **POINTS)  # type: ignore[arg-type]
    cap = forms.DecimalField(
        label=_("Cap of the section"),
        help_text=_("A section never counts more than this (nor less than its negative)."),
        **POINTS,  # type: ignore[arg-type]
    )
    formula = forms.CharField(
        label=_("Formula"),
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        help_text=_(
            "Variables: %(variables)s. Functions: %(functions)s. Decimals with a point. "
            "Example: min(max_points, max_points * value / best_value)"
        )
        % {"variables": ", ".join(VARIABLES), "functions": ", ".join(FUNCTIONS)},
    )
    target = forms.DecimalField(label=_("Target"), max_digits=12, decimal_places=2, required=False)
    lower_is_better = forms.BooleanField(label=_("A lower value is better"), required=False)
    indicator_source = forms.ChoiceField(
        label=_("Indicator source"),
        choices=[("", "—"), *ScoringItem.Source.choices],
        required=False,
    )
    criterion = CriterionChoice(
        label=_("Campaign criterion"), queryset=Criterion.objects.none(), required=False
    )
    points_per_occurrence = forms.DecimalField(
        label=_("Points per occurrence"),
        help_text=_("For per-occurrence items; for bonus and penalty items when counted."),
        **POINTS,  # type: ignore[arg-type]
    )
    evidence_required = forms.BooleanField(label=_("Evidence required"), required=False)

    def __init__(
        self, *args: Any, table: ScoringTable, item: ScoringItem | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        sections = table.items.filter(kind=Kind.SECTION).order_by("code")
        parent.queryset = sections.exclude(pk=item.pk) if item else sections
        criterion = self.fields["criterion"]
        assert isinstance(criterion, forms.ModelChoiceField)
        criterion.queryset = Criterion.objects.filter(
            group__campaign_id=table.campaign_id
        ).order_by("group__order", "order")
        # Checked as the user types (the save checks it again, in the service).
        self.fields["formula"].widget.attrs.update(
            {
                "class": "form-control font-monospace",
                "hx-get": reverse("scoring_formula_check"),
                "hx-trigger": "keyup changed delay:400ms",
                "hx-target": "#formula-check",
                "hx-swap": "innerHTML",
            }
        )

    def to_input(self) -> ItemInput:
        data = self.cleaned_data
        return ItemInput(
            code=data["code"],
            text=data["text"],
            kind=data["kind"],
            max_points=data["max_points"],
            cap=data["cap"],
            evidence_required=data["evidence_required"],
            indicator_source=data["indicator_source"],
            criterion=data["criterion"],
            target=data["target"],
            lower_is_better=data["lower_is_better"],
            formula=data["formula"],
            points_per_occurrence=data["points_per_occurrence"],
        )


class TableSettingsForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=300)
    rounding_places = forms.IntegerField(label=_("Decimal places"), min_value=0, max_value=4)
    rounding_mode = forms.ChoiceField(
        label=_("Rounding"), choices=[(r.value, label) for r, label in ROUNDING_LABELS.items()]
    )


class TableChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.campaign.year} · {obj.name} (v{obj.version}, {obj.get_status_display()})"


class CopyForm(StyledForm):
    source = TableChoice(label=_("Copy from"), queryset=ScoringTable.objects.none())

    def __init__(self, *args: Any, sources: list[ScoringTable], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["source"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            ScoringTable.objects.filter(pk__in=[s.pk for s in sources])
            .select_related("campaign")
            .order_by("-campaign__year", "name", "-version")
        )


class BandForm(StyledForm):
    name = forms.CharField(label=_("Band"), max_length=100)
    min_total = forms.DecimalField(label=_("From a total of"), max_digits=8, decimal_places=2)
    eligible_for = forms.CharField(
        label=_("Eligible to be proposed for"), max_length=300, required=False
    )


class TryForm(forms.Form):
    """Sample values for the "try it" box."""

    value = forms.DecimalField(label=_("Value"), required=False)
    target = forms.DecimalField(label=_("Target"), required=False)
    block_max = forms.DecimalField(label=_("Highest in the block"), required=False)
    block_min = forms.DecimalField(label=_("Lowest in the block"), required=False)
    block_avg = forms.DecimalField(label=_("Block average"), required=False)
    best_value = forms.DecimalField(label=_("Best value in the block"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.update({"class": "form-control form-control-sm", "step": "any"})


class RoundForm(StyledForm):
    """A scoring round's method and who scores whom."""

    # Not required: a round opened without a choice takes the defaults.
    scorers = forms.ChoiceField(
        label=_("Who scores whom"),
        choices=Scorers.choices,
        required=False,
        initial=Scorers.LEADER_TEAM,
    )
    method = forms.ChoiceField(
        label=_("Final score method"),
        choices=FinalMethod.choices,
        required=False,
        initial=FinalMethod.VERIFIED,
    )


class AnswerWindowForm(StyledForm):
    answer_until = forms.DateField(
        label=_("Units may answer until"),
        widget=DateInput(),
    )
