"""HTML forms: they check the shape of input (types, required fields); the business rules
live in the services, whose ValidationErrors `apply_service_errors` puts next to the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.campaigns.cycle import OWNER_LABELS
from thidua.campaigns.indicators import INDICATOR_LABELS
from thidua.campaigns.models import Criterion, Milestone
from thidua.org.models import (
    Block,
    CouncilRole,
    DisciplineLevel,
    Rating,
    Role,
    Unit,
    UnitKind,
    UnitStatus,
    User,
)
from thidua.pages.forms import DateInput, StyledForm


def active_units() -> Any:
    return Unit.objects.filter(status=UnitStatus.ACTIVE).order_by("path")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * obj.depth}{obj.name} ({obj.code})"


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class UnitCreateForm(StyledForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=80, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    parent = UnitChoiceField(label=_("Parent unit"), queryset=active_units())
    valid_from = forms.DateField(label=_("In existence from"), widget=DateInput())


class UnitRenameForm(StyledForm):
    name = forms.CharField(label=_("New name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=80, required=False)
    on = forms.DateField(label=_("Takes effect on"), widget=DateInput())
    reason = forms.CharField(label=_("Reason or decision"), max_length=300, required=False)


class UnitMoveForm(StyledForm):
    parent = UnitChoiceField(label=_("New parent unit"), queryset=active_units())
    on = forms.DateField(label=_("Takes effect on"), widget=DateInput())
    reason = forms.CharField(label=_("Reason or decision"), max_length=300, required=False)


class UnitMergeForm(StyledForm):
    target = UnitChoiceField(label=_("Merge into"), queryset=active_units())
    on = forms.DateField(label=_("Takes effect on"), widget=DateInput())
    reason = forms.CharField(label=_("Reason or decision"), max_length=300, required=False)


class UnitCloseForm(StyledForm):
    on = forms.DateField(label=_("Takes effect on"), widget=DateInput())
    reason = forms.CharField(label=_("Reason or decision"), max_length=300, required=False)


class PersonForm(StyledForm):
    code = forms.CharField(label=_("Staff code"), max_length=40)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    email = forms.EmailField(label=_("E-mail"), required=False)


class PersonCreateForm(PersonForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=active_units())
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    valid_from = forms.DateField(label=_("Works there from"), widget=DateInput())


class EmploymentForm(StyledForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=active_units())
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    is_head = forms.BooleanField(label=_("Head of the unit"), required=False)
    valid_from = forms.DateField(label=_("From"), widget=DateInput())
    valid_to = forms.DateField(label=_("To"), required=False, widget=DateInput())


class StaffRatingForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    rating = forms.ChoiceField(label=_("Rating"), choices=Rating.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class UnitRatingForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    rating = forms.ChoiceField(label=_("Rating"), choices=Rating.choices)


class CouncilForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=255)
    standing_body = UnitChoiceField(label=_("Standing body (secretariat)"), queryset=active_units())


class DisciplineForm(StyledForm):
    unit = UnitChoiceField(label=_("Unit at the time"), queryset=Unit.objects.order_by("path"))
    level = forms.ChoiceField(label=_("Measure"), choices=DisciplineLevel.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class BlockForm(StyledForm):
    agency = UnitChoiceField(
        label=_("Organising agency"), queryset=Unit.objects.filter(kind=UnitKind.AGENCY)
    )
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Block.Kind.choices)


class BlockTermForm(StyledForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    members = UnitMultipleChoiceField(
        label=_("Member units"),
        queryset=active_units(),
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("Hold Ctrl (or ⌘) to choose several units."),
    )
    leader = UnitChoiceField(label=_("Leader (Khối trưởng)"), queryset=active_units())
    deputy = UnitChoiceField(label=_("Deputy (Khối phó)"), queryset=active_units(), required=False)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    decision_date = forms.DateField(label=_("Decision date"), required=False, widget=DateInput())
    decision_signer = forms.CharField(label=_("Signed by"), max_length=200, required=False)

    def __init__(self, *args: Any, agency: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        inside = active_units().filter(path__startswith=agency.path).exclude(pk=agency.pk)
        for name in ("members", "leader", "deputy"):
            self.fields[name].queryset = inside  # type: ignore[attr-defined]


class CouncilMemberForm(StyledForm):
    person_code = forms.CharField(label=_("Staff code of the member"), max_length=40)
    role = forms.ChoiceField(label=_("Role"), choices=CouncilRole.choices)
    valid_from = forms.DateField(label=_("From"), widget=DateInput())
    valid_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)


class RoleAssignForm(StyledForm):
    user = forms.ModelChoiceField(label=_("User"), queryset=User.objects.order_by("username"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = UnitChoiceField(label=_("Scope unit"), queryset=active_units())
    include_descendants = forms.BooleanField(label=_("Includes sub-units"), required=False)
    valid_from = forms.DateField(label=_("From"), widget=DateInput())
    valid_to = forms.DateField(label=_("To"), required=False, widget=DateInput())


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
