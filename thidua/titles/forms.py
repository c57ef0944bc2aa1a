"""The override form: one recipient (a staff code or a unit), one title, one year, and the
written reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.awards.models import AwardForm
from thidua.org.models import Person, Unit
from thidua.pages.forms import StyledForm


class OverrideForm(StyledForm):
    year = forms.IntegerField(label=_("Achievement year"), min_value=2000, max_value=2100)
    title = forms.ModelChoiceField(label=_("Title or form"), queryset=AwardForm.objects.all())
    person_code = forms.CharField(label=_("Staff code"), max_length=40, required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    reason = forms.CharField(label=_("Written reason"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, agency: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(path__startswith=agency.path).order_by("path")
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean_person_code(self) -> Person | None:
        code = self.cleaned_data["person_code"].strip()
        if not code:
            return None
        person = Person.objects.filter(code=code).first()
        if person is None:
            raise forms.ValidationError(_("Unknown staff code “%(code)s”.") % {"code": code})
        return person
