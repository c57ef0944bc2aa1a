from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from . import services


class UnlockForm(forms.Form):
    kind = forms.ChoiceField(choices=[("username", "username"), ("ip_address", "ip_address")])
    value = forms.CharField(max_length=255)


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form; saving goes through the audited service."""

    def save(self, commit: bool = True) -> Any:
        return services.password_set(
            user=self.user, password=self.cleaned_data["new_password1"], how="change"
        )


class SetPasswordForm(auth_forms.SetPasswordForm):
    """The form behind the e-mailed reset link; saving goes through the audited service."""

    def save(self, commit: bool = True) -> Any:
        return services.password_set(
            user=self.user, password=self.cleaned_data["new_password1"], how="reset"
        )


class CodeForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from the authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
