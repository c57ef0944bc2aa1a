"""Covenant forms: shapes only; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.org.models import Unit

from .models import Covenant


class CovenantEditForm(forms.Form):
    commitments = forms.CharField(
        label=_("Commitments of the member units"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, covenant: Covenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item_fields: dict[str, int] = {}
        for item in covenant.items.all():
            name = f"target_{item.pk}"
            self.fields[name] = forms.CharField(
                label=f"{item.code}. {item.text}",
                required=False,
                initial=item.target,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.item_fields[name] = item.pk
        self.fields["commitments"].initial = covenant.commitments

    def targets(self) -> dict[int, str]:
        return {pk: self.cleaned_data[name] for name, pk in self.item_fields.items()}


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class SignForm(forms.Form):
    unit = UnitChoice(label=_("Sign for the unit"), queryset=Unit.objects.none())
    password = forms.CharField(
        label=_("Your password (to confirm it is you)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk


class TokenSignForm(forms.Form):
    unit = UnitChoice(label=_("Sign for the unit"), queryset=Unit.objects.none())
    file = forms.FileField(
        label=_("The covenant PDF signed with your USB token"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk


class MemberReturnForm(forms.Form):
    unit = UnitChoice(label=_("Return on behalf of the unit"), queryset=Unit.objects.none())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))
