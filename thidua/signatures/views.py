"""Signed-PDF pages: the trust roots, and an issued document's token-signed copies."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from thidua.documents.models import IssuedDocument
from thidua.lib import files
from thidua.lib.files import Area
from thidua.org.permissions import Action, require
from thidua.pages.forms import apply_service_errors

from . import permissions, selectors, services
from .forms import SignedPdfForm
from .models import SignedPdf
from .validation import load_trust_roots, trust_roots_dir


@login_required
def trust_roots(request: HttpRequest) -> HttpResponse:
    if not permissions.may_see_trust_roots(request.user):
        raise PermissionDenied
    context = {"roots": load_trust_roots(), "directory": trust_roots_dir()}
    return render(request, "signatures/trust_roots.html", context)


def _document(pk: int) -> IssuedDocument:
    return get_object_or_404(
        IssuedDocument.objects.select_related("issuer__unit", "doc_type"), pk=pk
    )


@login_required
def document_signed_copies(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed copies of one issued document, and the form to upload one."""
    document = _document(pk)
    require(request.user, Action.DOCUMENT_ISSUE, document.issuer.unit)
    form = SignedPdfForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.SIGNED_PDF_MAX_BYTES:
            form.add_error("file", _("The file is too large."))
        else:
            try:
                signed = services.document_signed_copy_upload(
                    actor=request.user,
                    document=document,
                    data=upload.read(),
                    file_name=upload.name or "",
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if signed.is_valid:
                    messages.success(request, _("The signed copy was validated and recorded."))
                else:
                    messages.error(
                        request,
                        _("The signed copy was recorded but is not valid: %(reason)s")
                        % {"reason": signed.reason},
                    )
                return redirect("signatures_document", pk=document.pk)
    context = {
        "document": document,
        "copies": selectors.signed_copies(document),
        "form": form,
        "max_size": settings.SIGNED_PDF_MAX_BYTES,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "signatures/document.html", context, status=status)


@login_required
def signed_pdf_file(request: HttpRequest, pk: int) -> FileResponse:
    """The stored signed copy of an issued document, for those who may issue it."""
    signed = get_object_or_404(
        SignedPdf.objects.select_related("document__issuer__unit"),
        pk=pk,
        purpose=SignedPdf.Purpose.DOCUMENT,
    )
    assert signed.document is not None
    require(request.user, Action.DOCUMENT_ISSUE, signed.document.issuer.unit)
    return files.file_response(
        Area.SIGNED_PDFS,
        signed.file_path,
        filename=signed.file_name or f"{signed.sha256}.pdf",
        content_type="application/pdf",
    )
