"""Form helpers every app's pages share: Bootstrap styling, the date input, and putting a
service's ValidationError next to the fields. Business rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting

from thidua.lib.dates import parse_day


class BootstrapFormRenderer(TemplatesSetting):
    """Render every form field through the project's Bootstrap field template."""

    field_template_name = "pages/field.html"


# What a date field accepts: dd/mm/yyyy (also with "-" or "."), or ISO yyyy-mm-dd.
DATE_PATTERN = r"\s*(\d{1,2}[\/.\-]\d{1,2}[\/.\-]\d{4}|\d{4}-\d{1,2}-\d{1,2})\s*"


class DateInput(forms.DateInput):
    """One date format everywhere, input included: a text box showing dd/mm/yyyy and
    accepting ISO too, never the browser's date widget (which follows the browser's language:
    mm/dd/yyyy in an English Chromium). The value reaches the form field as ISO, which every
    language's DATE_INPUT_FORMATS reads, so an English page never takes 04/01 for April."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        attrs = {
            "placeholder": "dd/mm/yyyy",
            "pattern": DATE_PATTERN,
            "inputmode": "numeric",
            "autocomplete": "off",
            "data-date": "",
            **(attrs or {}),
        }
        attrs.pop("type", None)
        super().__init__(attrs=attrs, format="%d/%m/%Y", **kwargs)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        raw = super().value_from_datadict(data, files, name)
        day = parse_day(raw) if isinstance(raw, str) else None
        return day.isoformat() if day else raw

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, str):
            day = parse_day(value)
            if day is not None:
                return day.strftime("%d/%m/%Y")
        return super().format_value(value)


class Checklist(forms.CheckboxSelectMultiple):
    """Many choices as a list of checkboxes with a filter box above it (thidua.js), instead
    of a multi-select that needs Ctrl-click and loses a choice to one careless click."""

    template_name = "pages/checklist.html"
    checklist = True


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, Checklist):
            continue
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class StyledForm(forms.Form):
    # A form shown as one row of a table, its labels in the table's header: each field
    # gets its label and row as its accessible name, for screen readers.
    labels_in_header = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
        if self.labels_in_header:
            row = self.prefix.rsplit("-", 1)[-1] if self.prefix else ""
            number = int(row) + 1 if row.isdigit() else None
            for field in self.fields.values():
                label = str(field.label or "")
                name = f"{label} ({number})" if number is not None else label
                field.widget.attrs.setdefault("aria-label", name)


def apply_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form: per field where the field exists."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
