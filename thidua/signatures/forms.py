"""Upload forms: shapes only; validation of the signature lives in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SignedPdfForm(forms.Form):
    file = forms.FileField(
        label=_("PDF signed with the USB token"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
