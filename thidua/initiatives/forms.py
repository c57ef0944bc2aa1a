"""The forms of the initiative pages. They parse what was typed; the rules are the
services'."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from thidua.org.models import Person, Unit
from thidua.pages.forms import DateInput, StyledForm

from .models import InitiativeScope, ReviewOutcome, SolutionKind
from .services.registration import AuthorInput

_SPLIT = re.compile(r"[\s;,]+")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class InitiativeForm(StyledForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    title = forms.CharField(label=_("Title of the initiative"), max_length=500)
    solution_kind = forms.ChoiceField(label=_("Kind of solution"), choices=SolutionKind.choices)
    field = forms.CharField(label=_("Field"), max_length=200)
    improves = forms.CharField(
        label=_("What it improves (what is new)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    applied_at = forms.CharField(label=_("Where it was applied"), max_length=500)
    first_applied_on = forms.DateField(
        label=_("First applied on"), widget=DateInput(), required=False
    )
    effect = forms.CharField(
        label=_("Effect and benefits"), widget=forms.Textarea(attrs={"rows": 3})
    )
    authors = forms.CharField(
        label=_("Authors and their shares"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One author a line: staff code and share in %, e.g. “NV-12 60”. The shares must "
            "add up to 100."
        ),
    )
    unit_is_author = forms.BooleanField(
        label=_("The unit itself is a collective author"), required=False
    )
    requested_scope = forms.ChoiceField(
        label=_("Scope to be recognised at"), choices=InitiativeScope.choices
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean_authors(self) -> list[AuthorInput]:
        """Each line's staff code and share; every bad line named at once."""
        rows: list[AuthorInput] = []
        problems: list[str] = []
        lines = [line.strip() for line in self.cleaned_data["authors"].splitlines()]
        for number, line in enumerate(lines, start=1):
            if not line:
                continue
            parts = _SPLIT.split(line)
            code, share = parts[0], parts[1] if len(parts) > 1 else None
            person = Person.objects.filter(code__iexact=code).first()
            if person is None:
                problems.append(
                    gettext("Line %(line)s: unknown staff code “%(code)s”.")
                    % {"line": number, "code": code}
                )
            elif share is None:
                problems.append(
                    gettext("Line %(line)s: give the share of %(name)s.")
                    % {"line": number, "name": person.full_name}
                )
            else:
                rows.append(AuthorInput(person, share))
        if problems:
            raise forms.ValidationError(problems)
        return rows


class EvidenceForm(StyledForm):
    file = forms.FileField(label=_("Evidence file (PDF, Word, Excel, JPEG or PNG)"))


class ReviewForm(StyledForm):
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReviewOutcome.choices)
    chair_name = forms.CharField(label=_("Chaired by"), max_length=200)
    chair_position = forms.CharField(label=_("Chair's position"), max_length=200, required=False)
    secretary_name = forms.CharField(label=_("Secretary"), max_length=200)
    secretary_position = forms.CharField(
        label=_("Secretary's position"), max_length=200, required=False
    )
    members_present = forms.IntegerField(label=_("Members present"), min_value=0, required=False)
    score = forms.DecimalField(
        label=_("Score"), max_digits=6, decimal_places=2, required=False, min_value=0
    )
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, required=False)
    opinion = forms.CharField(
        label=_("The council's opinion"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    token = forms.CharField(widget=forms.HiddenInput)


class RecognitionForm(StyledForm):
    recognised_on = forms.DateField(label=_("Decision date"), widget=DateInput())
    effect_from = forms.DateField(label=_("Counts from"), widget=DateInput())
    effect_until = forms.DateField(label=_("Counts until"), widget=DateInput(), required=False)
    authority = forms.CharField(label=_("Deciding authority"), max_length=300)
    legal_bases = forms.CharField(
        label=_("Legal bases"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    signer_authority = forms.CharField(
        label=_("Signing for (KT./TM.)"), max_length=100, required=False
    )
    signer_title = forms.CharField(label=_("Signer's title"), max_length=200)
    signer_name = forms.CharField(label=_("Signer"), max_length=200)
    token = forms.CharField(widget=forms.HiddenInput)


class ReceivedForm(StyledForm):
    scope = forms.ChoiceField(label=_("Scope"), choices=InitiativeScope.choices)
    symbol = forms.CharField(label=_("Number and symbol"), max_length=80)
    issuer_name = forms.CharField(label=_("Issuing body"), max_length=255)
    recognised_on = forms.DateField(label=_("Decision date"), widget=DateInput())
    effect_from = forms.DateField(label=_("Counts from"), widget=DateInput())
    effect_until = forms.DateField(label=_("Counts until"), widget=DateInput(), required=False)
