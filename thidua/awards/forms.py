"""Forms of the award register: recording a decision by hand (typically one received from
the level above), drafting the agency's own, and issuing one from an Excel list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from thidua.org.models import Person, Unit
from thidua.pages.forms import DateInput, StyledForm

from . import award_list as awards_list
from .models import AwardForm


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class DecisionForm(StyledForm):
    issuer_name = forms.CharField(label=_("Issuing body"), max_length=255)
    symbol = forms.CharField(label=_("Number and symbol"), max_length=80)
    issued_on = forms.DateField(label=_("Date"), widget=DateInput())
    signer = forms.CharField(label=_("Signer"), max_length=200, required=False)
    legal_bases = forms.CharField(
        label=_("Legal bases"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    received_from_above = forms.BooleanField(
        label=_("Received from the level above"), required=False
    )
    original = forms.FileField(
        label=_("Scanned or signed original (PDF, JPEG or PNG)"), required=False
    )


class AwardRowForm(StyledForm):
    labels_in_header = True
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.order_by("path"), required=False)
    person_code = forms.CharField(label=_("Staff code"), max_length=40, required=False)
    form = forms.ModelChoiceField(
        label=_("Title or form"), queryset=AwardForm.objects.all(), required=False
    )
    reason = forms.CharField(label=_("Reason"), required=False)

    def clean_person_code(self) -> Person | None:
        code = self.cleaned_data["person_code"].strip()
        if not code:
            return None
        person = Person.objects.filter(code=code).first()
        if person is None:
            raise forms.ValidationError(_("Unknown staff code “%(code)s”.") % {"code": code})
        return person

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = data.get("unit") or data.get("person_code")
        if filled and not data.get("form"):
            self.add_error("form", _("Choose the title or form."))
        if data.get("form") and not filled:
            self.add_error("unit", _("Choose a unit or give a staff code."))
        return data

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("unit") or data.get("person_code") or data.get("form"))


AwardRowFormSet = forms.formset_factory(AwardRowForm, extra=5, max_num=200)


# Drafting the agency's own decision ------------------------------------------------------------


class DraftForm(StyledForm):
    """The decision's own fields; the recipients are the DraftRowFormSet."""

    issued_on = forms.DateField(label=_("Date"), widget=DateInput())
    summary = forms.CharField(label=_("Summary"), max_length=500)
    authority = forms.CharField(label=_("Awarding authority"), max_length=300)
    legal_bases = forms.CharField(
        label=_("Legal bases"),
        help_text=_("One per line, each starting with “Căn cứ”."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    proposal = forms.CharField(label=_("Proposed by"), max_length=300, required=False)
    achievement = forms.CharField(label=_("Achievement"), max_length=500)
    signer_authority = forms.CharField(
        label=_("Signing for (KT.)"),
        max_length=80,
        required=False,
        help_text=_("“KT. GIÁM ĐỐC” when a deputy signs for the head; empty when the head signs."),
    )
    signer_title = forms.CharField(label=_("Signer's title"), max_length=120)
    signer_name = forms.CharField(label=_("Signer"), max_length=200)
    key = forms.CharField(widget=forms.HiddenInput)

    def clean_legal_bases(self) -> list[str]:
        lines = [" ".join(line.split()) for line in self.cleaned_data["legal_bases"].splitlines()]
        return [line for line in lines if line]


class DraftRowForm(AwardRowForm):
    """A recipient of the draft: the form's choices are those the agency awards."""

    def __init__(
        self, *args: Any, forms_queryset: Any = None, units_queryset: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if forms_queryset is not None:
            self.fields["form"].queryset = forms_queryset  # type: ignore[attr-defined]
        if units_queryset is not None:
            self.fields["unit"].queryset = units_queryset  # type: ignore[attr-defined]
        for name in ("unit", "person_code", "form"):
            self.fields[name].widget.attrs["data-bonus"] = "1"


DraftRowFormSet = forms.formset_factory(DraftRowForm, extra=3, max_num=200)


# Issuing a decision from an Excel list ---------------------------------------------------------


class AwardDecisionForm(StyledForm):
    file = forms.FileField(
        label=_("List of recipients (Excel .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    summary = forms.CharField(label=_("Summary"), max_length=500)
    authority = forms.CharField(label=_("Awarding authority"), max_length=300)
    reason = forms.CharField(label=_("Achievement"), max_length=500)
    key = forms.CharField(widget=forms.HiddenInput)

    def clean_file(self) -> list[dict[str, str]]:
        upload = self.cleaned_data["file"]
        if (upload.size or 0) > awards_list.MAX_BYTES:
            raise forms.ValidationError(gettext("The file is too large."))
        try:
            return awards_list.parse_award_list(b"".join(upload.chunks()))
        except awards_list.AwardListError as error:
            self.cell_errors = error.cell_errors
            raise forms.ValidationError(
                gettext("The list has errors; nothing was issued.")
            ) from error

    cell_errors: list[awards_list.CellError] = []
