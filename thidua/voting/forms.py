from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.org.models import Council, Unit, User
from thidua.org.permissions import is_secretariat_of
from thidua.pages.forms import DateInput

from .models import Candidate, Vote, VotingRule
from .selectors import council_chairs, council_secretaries


class PaperTallyForm(forms.Form):
    ballots_returned = forms.IntegerField(label=_("Ballots returned"), min_value=0)
    blank = forms.IntegerField(label=_("Blank ballots"), min_value=0, initial=0)
    spoilt = forms.IntegerField(label=_("Spoilt ballots"), min_value=0, initial=0)

    def __init__(self, *args: Any, vote: Vote, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates: list[Candidate] = list(vote.candidates.order_by("order"))
        for candidate in self.candidates:
            self.fields[f"c{candidate.pk}"] = forms.IntegerField(
                label=_("Votes for %(name)s") % {"name": candidate.label}, min_value=0, initial=0
            )

    def counts(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.candidates}


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    starts_at = forms.TimeField(
        label=_("Start time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Written in the minutes, e.g. 08:00."),
    )
    place = forms.CharField(label=_("Place"), max_length=255)
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=User.objects.none())
    secretary = forms.ModelChoiceField(label=_("Secretary"), queryset=User.objects.none())
    rule = forms.ModelChoiceField(label=_("Voting rule"), queryset=VotingRule.objects.all())

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = people  # type: ignore[attr-defined]
        self.fields["secretary"].queryset = people  # type: ignore[attr-defined]


class CouncilMeetingForm(MeetingForm):
    """A council session: the chair among the council's sitting members, the secretary among
    them or the standing body's officers, a rule for votes of members (not of units)."""

    def __init__(
        self, *args: Any, chairs: Any, secretaries: Any, rules: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, people=chairs, **kwargs)
        self.fields["secretary"].queryset = secretaries  # type: ignore[attr-defined]
        self.fields["rule"].queryset = rules  # type: ignore[attr-defined]


class MeetingCloseForm(forms.Form):
    starts_at = forms.TimeField(required=False)
    ended_at = forms.TimeField(
        label=_("End time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("For the minutes; left empty on the meeting day, it is now."),
    )


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    seats = forms.IntegerField(
        label=_("To be chosen"),
        min_value=1,
        required=False,
        initial=1,
        help_text=_("Leave empty when each candidate is approved on its own."),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Candidates"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units  # type: ignore[attr-defined]


class DecideForm(forms.Form):
    candidates = forms.ModelMultipleChoiceField(
        label=_("Chosen"), queryset=Candidate.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("E.g. the more outstanding unit, or the preference of ND 152/2025 Art. 4(6)."),
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = candidates  # type: ignore[attr-defined]


def council_meeting_form(
    data: Any, *, user: Any, council: Council, rules: Any, day: dt.date
) -> CouncilMeetingForm:
    """The form to call a session, proposing whoever calls it in the seat they hold: the
    chair presides, an officer of the secretariat keeps the minutes."""
    chairs = council_chairs(council, day)
    return CouncilMeetingForm(
        data,
        chairs=chairs,
        secretaries=council_secretaries(council, day),
        rules=rules,
        initial={
            "title": _("Session of the %(council)s, %(year)s")
            % {"council": council.name, "year": day.year},
            "held_on": day,
            "chair": user.pk if chairs.filter(pk=user.pk or 0).exists() else None,
            "secretary": user.pk if is_secretariat_of(user, council.agency) else None,
            "rule": rules[0].pk if len(rules) == 1 else None,
        },
    )
