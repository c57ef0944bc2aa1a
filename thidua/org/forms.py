"""The organisation's HTML forms: units, people, ratings, discipline, blocks, councils, roles
and the Excel import. They check the shape of input (types, required fields); the business
rules live in the services, whose ValidationErrors `apply_service_errors` puts next to the
fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from thidua.org.importer import check_upload, importable_agencies
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
from thidua.pages.forms import Checklist, DateInput, StyledForm


def active_units() -> Any:
    return Unit.objects.filter(status=UnitStatus.ACTIVE).order_by("path")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


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
        widget=Checklist(),
        help_text=_("Tick every unit of the block; type in the box to find one."),
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


class ImportUploadForm(StyledForm):
    file_name = ""
    agency = UnitChoiceField(label=_("Import into"), queryset=Unit.objects.none())
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = importable_agencies(user)  # type: ignore[attr-defined]

    def clean_file(self) -> bytes:
        upload: UploadedFile = self.cleaned_data["file"]
        # Refuse by the declared size before reading a byte; the content check follows.
        if (upload.size or 0) > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                gettext("The file is larger than the %(size)s MB allowed.")
                % {"size": round(settings.IMPORT_MAX_BYTES / 1024 / 1024, 1)}
            )
        data = b"".join(upload.chunks())
        check_upload(data)
        # Only the name is kept, for the user's list of imports: never a path they typed.
        self.file_name = Path(upload.name or "").name
        return data
