"""The campaign plan's HTML forms: the plan, its content groups and criteria, milestones
and a block cycle's next step. They check the shape of input; the rules live in the
services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.campaigns.cycle import OWNER_LABELS
from thidua.campaigns.indicators import INDICATOR_LABELS
from thidua.campaigns.models import Criterion, Milestone
from thidua.org.forms import UnitChoiceField
from thidua.org.models import DisciplineLevel, Rating, Unit, UnitKind
from thidua.pages.forms import DateInput, StyledForm


class CampaignForm(StyledForm):
    agency = UnitChoiceField(label=_("Agency"), queryset=Unit.objects.filter(kind=UnitKind.AGENCY))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=500)
    theme = forms.CharField(
        label=_("Theme"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    plan_number = forms.CharField(label=_("Plan number"), max_length=20, required=False)
    plan_symbol = forms.CharField(label=_("Plan symbol"), max_length=40, required=False)
    plan_date = forms.DateField(label=_("Plan date"), required=False, widget=DateInput())
    plan_place = forms.CharField(label=_("Place of issue"), max_length=80, required=False)
    signer_name = forms.CharField(label=_("Signer"), max_length=200, required=False)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    legal_bases = forms.CharField(
        label=_("Legal bases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One legal basis (căn cứ) per line."),
    )
    purposes = forms.CharField(
        label=_("Purposes and requirements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    implementation = forms.CharField(
        label=_("Organisation of implementation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ContentGroupForm(StyledForm):
    code = forms.CharField(label=_("Code"), max_length=20)
    order = forms.IntegerField(label=_("Order"), min_value=1)
    title = forms.CharField(label=_("Title"), max_length=500)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CriterionForm(StyledForm):
    code = forms.CharField(label=_("Code"), max_length=20)
    order = forms.IntegerField(label=_("Order"), min_value=1)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=_("Kind"), choices=Criterion.Kind.choices)
    indicator = forms.ChoiceField(
        label=_("Indicator"),
        required=False,
        choices=[("", "—"), *((i.value, label) for i, label in INDICATOR_LABELS.items())],
    )
    comparator = forms.ChoiceField(
        label=_("Comparison"),
        required=False,
        choices=[("", "—"), ("gte", "≥"), ("lte", "≤"), ("eq", "=")],
    )
    threshold = forms.DecimalField(
        label=_("Threshold"), required=False, max_digits=12, decimal_places=2
    )
    min_rating = forms.ChoiceField(
        label=_("Minimum rating"), required=False, choices=[("", "—"), *Rating.choices]
    )
    min_discipline = forms.ChoiceField(
        label=_("Discipline level counted"),
        required=False,
        choices=[("", "—"), *DisciplineLevel.choices],
    )
    unit_of_measure = forms.CharField(label=_("Unit of measure"), max_length=20, required=False)
    staff_counted_on = forms.DateField(
        label=_("Staff counted on"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "For a share of staff: the staff employed on this day are counted "
            "(empty: 31/12 of the campaign's year)."
        ),
    )
    legal_basis = forms.CharField(label=_("Source or legal basis"), max_length=300, required=False)


class MilestoneForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Milestone.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    owner = forms.ChoiceField(
        label=_("Owner"), choices=[(o.value, label) for o, label in OWNER_LABELS.items()]
    )
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DateInput())
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    deliverable = forms.CharField(label=_("What is due"), max_length=500, required=False)
    recipient = forms.CharField(label=_("Sent to"), max_length=200, required=False)


class CycleAdvanceForm(forms.Form):
    target = forms.CharField(max_length=30)
    note = forms.CharField(required=False, max_length=2000)
