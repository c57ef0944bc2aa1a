"""The "Document templates" pages: per issuing body, each built-in Word template with the
version in force, its fields with example values, the upload of an agency's own version and
the history of versions, with going back to one of them or to the built-in.

Everything needs the right to issue for the issuer (its secretariat and administrators:
documents.permissions).
Files are served from the database row or from docx_templates/ by key, never by a path
taken from the request.
"""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from jinja2 import TemplateError

from thidua.lib.filetypes import DOCX_CONTENT_TYPE
from thidua.pages.forms import StyledForm, apply_service_errors
from thidua.pages.views import post_action

from . import template_versions as tv
from .models import IssuingBody, TemplateVersion
from .permissions import Permission, can, require
from .rendering import template_fields


class TemplateUploadForm(StyledForm):
    file = forms.FileField(
        label=gettext_lazy("Word file (.docx)"),
        help_text=gettext_lazy(
            "Start from the file in force, change it in Word and keep the {{ … }} fields "
            "listed on this page."
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=tv.MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("What was changed, for the history."),
    )


# Kept out of the HTML template, where Jinja's braces would read as Django tags.
FIELDS_HELP = gettext_lazy(
    "Write a field in Word as {{ name }}; a list is repeated with "
    "{%p for item in name %} … {%p endfor %} (each tag in a paragraph of its own) and its "
    "items' fields are then written {{ item.field }}. Example values are from the sample "
    "data; a field the file in force does not use is greyed."
)


def _issuer(request: HttpRequest, issuer_pk: int) -> IssuingBody:
    issuer = get_object_or_404(IssuingBody.objects.select_related("unit"), pk=issuer_pk)
    require(request.user, Permission.ISSUE, issuer.unit)
    return issuer


def _key(key: str) -> str:
    if not tv.is_builtin(key):
        raise Http404
    return key


def _docx(data: bytes, name: str) -> FileResponse:
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=name, content_type=DOCX_CONTENT_TYPE
    )


@login_required
def template_index(request: HttpRequest) -> HttpResponse:
    bodies = [
        body
        for body in IssuingBody.objects.select_related("unit").order_by("symbol")
        if can(request.user, Permission.ISSUE, body.unit)
    ]
    if not bodies:
        raise PermissionDenied
    if len(bodies) == 1:
        return redirect("template_list", issuer_pk=bodies[0].pk)
    return render(
        request,
        "documents/templates_index.html",
        {"title": _("Document templates"), "bodies": bodies},
    )


@login_required
def template_list(request: HttpRequest, issuer_pk: int) -> HttpResponse:
    issuer = _issuer(request, issuer_pk)
    active = tv.active_versions(issuer)
    rows = [
        {
            "key": key,
            "title": tv.template_title(key),
            "version": active.get(key),
            "has_sample": tv.sample_for(key) is not None,
        }
        for key in tv.builtin_keys()
    ]
    return render(
        request,
        "documents/templates_list.html",
        {"title": _("Document templates"), "issuer": issuer, "rows": rows},
    )


def _used_fields(choice: tv.TemplateChoice) -> list[str]:
    try:
        return template_fields(choice)
    except TemplateError:
        # A built-in under construction; an upload in force was checked when accepted.
        return []


def _upload(request: HttpRequest, form: TemplateUploadForm, issuer: IssuingBody, key: str) -> bool:
    """Put the uploaded version in force; False with the problems on the form."""
    upload = form.cleaned_data["file"]
    try:
        if (upload.size or 0) > tv.MAX_UPLOAD_BYTES:
            # Refused before reading a large file into memory.
            raise ValidationError({tv.FIELD: tv.too_large_message()})
        version = tv.template_upload(
            actor=request.user,
            issuer=issuer,
            key=key,
            data=upload.read(),
            original_name=upload.name or "",
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return False
    messages.success(
        request,
        _("Version %(version)d of “%(title)s” is now in force.")
        % {"version": version.version, "title": tv.template_title(key)},
    )
    return True


def _detail(issuer: IssuingBody, key: str, form: TemplateUploadForm) -> dict[str, Any]:
    """The template in force, its fields with example values (greyed when that file does
    not use them) and its history."""
    choice = tv.active_template(key, issuer)
    sample = tv.sample_for(key)
    used = set(_used_fields(choice))
    fields = [
        {"name": name, "example": example, "used": name.split(".")[0].split("[")[0] in used}
        for name, example in (tv.sample_fields(sample) if sample is not None else [])
    ]
    return {
        "title": tv.template_title(key),
        "issuer": issuer,
        "key": key,
        "active": choice.version,
        "versions": list(tv.template_versions(issuer, key)),
        "fields": fields,
        "fields_help": FIELDS_HELP,
        "has_sample": sample is not None,
        "form": form,
        "max_mb": tv.MAX_UPLOAD_BYTES // (1024 * 1024),
    }


@login_required
def template_detail(request: HttpRequest, issuer_pk: int, key: str) -> HttpResponse:
    issuer = _issuer(request, issuer_pk)
    key = _key(key)
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and _upload(request, form, issuer, key):
        return redirect("template_detail", issuer_pk=issuer.pk, key=key)
    status = 400 if request.method == "POST" else 200
    context = _detail(issuer, key, form)
    return render(request, "documents/templates_detail.html", context, status=status)


@login_required
def template_download(
    request: HttpRequest, issuer_pk: int, key: str, which: str
) -> HttpResponseBase:
    issuer = _issuer(request, issuer_pk)
    key = _key(key)
    if which == "builtin":
        return _docx(tv.builtin_content(key), f"{key}-mau-goc.docx")
    if which != "active":
        raise Http404
    choice = tv.active_template(key, issuer)
    if choice.version is None:
        return _docx(choice.content, f"{key}-mau-goc.docx")
    return _docx(choice.content, f"{key}-{issuer.symbol}-v{choice.version.version}.docx")


@login_required
def template_version_download(
    request: HttpRequest, issuer_pk: int, key: str, pk: int
) -> HttpResponseBase:
    issuer = _issuer(request, issuer_pk)
    version = get_object_or_404(TemplateVersion, pk=pk, issuer=issuer, key=_key(key))
    return _docx(bytes(version.content), f"{key}-{issuer.symbol}-v{version.version}.docx")


@login_required
@require_POST
def template_activate(request: HttpRequest, issuer_pk: int, key: str, pk: int) -> HttpResponse:
    issuer = _issuer(request, issuer_pk)
    version = get_object_or_404(TemplateVersion, pk=pk, issuer=issuer, key=_key(key))
    return post_action(
        request,
        lambda: tv.template_activate(actor=request.user, version=version),
        success_message=_("Version %(version)d is in force again.") % {"version": version.version},
        done_url=reverse("template_detail", args=[issuer.pk, key]),
    )


@login_required
@require_POST
def template_reset(request: HttpRequest, issuer_pk: int, key: str) -> HttpResponse:
    issuer = _issuer(request, issuer_pk)
    key = _key(key)
    return post_action(
        request,
        lambda: tv.template_reset(actor=request.user, issuer=issuer, key=key),
        success_message=_("The built-in template is in force again."),
        done_url=reverse("template_detail", args=[issuer.pk, key]),
    )
