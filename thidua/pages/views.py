"""View helpers every app's pages share: a form page that calls a service, and a button
that calls a service and reports each of its reasons for refusing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .forms import apply_service_errors


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    save: Callable[[dict[str, Any]], Any],
    success: Callable[[Any], str],
    success_message: str,
    cancel_url: str = "",
    intro: str = "",
    template: str = "pages/form.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """GET shows the form; a valid POST calls the service and redirects; a service's
    ValidationError is shown next to the fields and nothing is written."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, success_message)
            return redirect(success(result))
    context = {"form": form, "title": title, "cancel_url": cancel_url, "intro": intro}
    context.update(extra or {})
    status = 400 if request.method == "POST" else 200
    return render(request, template, context, status=status)


def post_action(
    request: HttpRequest,
    call: Callable[[], Any],
    *,
    success_message: str,
    done_url: str,
    refused_url: str | None = None,
) -> HttpResponse:
    """A button that calls a service: success, or each of the service's reasons for
    refusing on its own line (a dossier can miss several items at once)."""
    try:
        call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(refused_url or done_url)
    messages.success(request, success_message)
    return redirect(done_url)
