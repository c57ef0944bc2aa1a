"""Report forms: the shape of input only; the rules live in `services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.campaigns.models import ContentGroup, Criterion
from thidua.pages.forms import StyledForm

from .models import Report


class ReportForm(StyledForm):
    """A narrative per content group and a value per indicator the unit reports."""

    def __init__(
        self,
        *args: Any,
        report: Report,
        groups: list[ContentGroup],
        reported: list[Criterion],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.groups = groups
        self.reported = reported
        for group in groups:
            self.fields[f"narrative_{group.pk}"] = forms.CharField(
                label=f"{group.code}. {group.title}",
                required=False,
                initial=report.narratives.get(str(group.pk), ""),
                widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
            )
        for criterion in reported:
            self.fields[f"value_{criterion.pk}"] = forms.CharField(
                label=f"{criterion.code} {criterion.text[:120]}",
                required=False,
                max_length=40,
                initial=report.values.get(str(criterion.pk), ""),
                help_text=criterion.unit_of_measure,
                widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}),
            )

    def narrative_field(self, group: ContentGroup) -> forms.BoundField:
        return self[f"narrative_{group.pk}"]

    def narratives(self) -> dict[int, str]:
        return {g.pk: self.cleaned_data.get(f"narrative_{g.pk}", "") for g in self.groups}

    def values(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"value_{c.pk}", "") for c in self.reported}

    def typed_values(self) -> dict[str, str] | None:
        """The indicator values as typed, before any check; None before a submission."""
        if not self.is_bound:
            return None
        return {str(c.pk): self.data.get(f"value_{c.pk}", "") for c in self.reported}


class EvidenceForm(forms.Form):
    criterion = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("Evidence file"),
        help_text=_("PDF, Word (.docx), Excel (.xlsx), JPEG or PNG."),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control form-control-sm",
                "accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png",
            }
        ),
    )


class ReturnForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The unit sees this reason and revises its report."),
    )
