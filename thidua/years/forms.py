"""The "Start a year" pages' forms: which year to start, then the preview's editable
choices (title, theme, milestone dates, each block's leaders, blocks left out)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.org.forms import UnitChoiceField
from thidua.org.models import Unit, UnitKind
from thidua.pages.forms import DateInput, StyledForm

from .selectors import YearPreview
from .services import LeaderChoice, YearChanges


class YearChoiceForm(StyledForm):
    agency = UnitChoiceField(label=_("Agency"), queryset=Unit.objects.filter(kind=UnitKind.AGENCY))
    year = forms.IntegerField(label=_("Year to start"), min_value=2000, max_value=2100)
    from_year = forms.IntegerField(
        label=_("Copy from the year"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("Empty: the latest year before it."),
    )


class YearStartForm(StyledForm):
    """The preview's choices; `year_start_form` adds one field per milestone and block."""

    preview: YearPreview

    def milestone_rows(self) -> list[tuple[Any, Any]]:
        return [(m, self[f"m{m.source.pk}"]) for m in self.preview.milestones]

    def term_rows(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for t in self.preview.terms:
            row: dict[str, Any] = {"term": t}
            if t.creates:
                row.update(
                    include=self[f"b{t.block.pk}_include"],
                    leader=self[f"b{t.block.pk}_leader"],
                    deputy=self[f"b{t.block.pk}_deputy"],
                )
            rows.append(row)
        return rows

    def changes(self) -> YearChanges:
        data = self.cleaned_data
        terms = self.preview.new_terms
        return YearChanges(
            title=data["title"],
            theme=data["theme"],
            milestone_dates={m.source.pk: data[f"m{m.source.pk}"] for m in self.preview.milestones},
            leaders={
                t.block.pk: LeaderChoice(
                    data[f"b{t.block.pk}_leader"], data[f"b{t.block.pk}_deputy"]
                )
                for t in terms
            },
            skipped_blocks=frozenset(
                t.block.pk for t in terms if not data[f"b{t.block.pk}_include"]
            ),
        )


def year_start_form(preview: YearPreview, data: Any = None) -> YearStartForm:
    fields: dict[str, Any] = {
        "preview": preview,
        "title": forms.CharField(label=_("Title"), max_length=500, initial=preview.title),
        "theme": forms.CharField(
            label=_("Theme of the year"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Last year's: “%(theme)s”") % {"theme": preview.source.theme or "—"},
        ),
    }
    for m in preview.milestones:
        fields[f"m{m.source.pk}"] = forms.DateField(
            label=m.source.title, initial=m.due.day, widget=DateInput()
        )
    for t in preview.new_terms:
        choices = [(u.pk, u.name) for u in t.members]
        fields[f"b{t.block.pk}_include"] = forms.BooleanField(
            label=_("Create"), required=False, initial=True
        )
        fields[f"b{t.block.pk}_leader"] = forms.TypedChoiceField(
            label=_("Leader"), choices=choices, coerce=int, initial=t.leader and t.leader.pk
        )
        fields[f"b{t.block.pk}_deputy"] = forms.TypedChoiceField(
            label=_("Deputy"),
            choices=[("", "—"), *choices],
            coerce=int,
            empty_value=None,
            required=False,
            initial=t.deputy and t.deputy.pk,
        )
    form_class = type("PreviewForm", (YearStartForm,), fields)
    return form_class(data)
