from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.pages.forms import DateInput, StyledForm

from .scopes import Access, Area


class TokenForm(StyledForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Which program uses it, e.g. “Provincial e-office sync”."),
    )
    access = forms.ChoiceField(label=_("Access"), choices=Access.choices, initial=Access.READ)
    areas = forms.MultipleChoiceField(
        label=_("Areas"),
        choices=Area.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every area."),
    )
    expires_on = forms.DateField(label=_("Valid until"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].initial = timezone.localdate() + dt.timedelta(
            days=settings.API_TOKEN_DEFAULT_DAYS
        )
        self.fields["areas"].widget.attrs.pop("class", None)
