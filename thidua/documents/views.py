"""Public verification pages: anyone holding a paper copy or a file checks it here, without
an account. A wrong code gets one plain "not found" page, whatever was wrong with it."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from .selectors import document_by_code
from .services.verification import normalise_code

# Issued PDFs are a few megabytes; anything much bigger cannot be one of them.
DEFAULT_VERIFY_MAX_BYTES = 20 * 1024 * 1024


def verify_max_bytes() -> int:
    return int(getattr(settings, "DOCUMENT_VERIFY_MAX_BYTES", DEFAULT_VERIFY_MAX_BYTES))


class HashingUploadHandler(FileUploadHandler):
    """Hashes the uploaded file while it streams in and keeps none of it: no temporary file,
    no memory copy, and the upload stops as soon as it passes the size cap."""

    def __init__(self, request: HttpRequest, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.too_large = False
        self.size = 0
        self._hasher = hashlib.sha256()

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.size = 0
        self._hasher = hashlib.sha256()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.size += len(raw_data)
        if self.size > self.max_bytes:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        self._hasher.update(raw_data)
        return None  # nothing is passed on, so nothing is stored

    def file_complete(self, file_size: int) -> UploadedFile:
        # An empty stand-in: the request closes its files at the end, and a view that checks
        # a file needs its name and fingerprint, never its content.
        upload = UploadedFile(io.BytesIO(), name=self.file_name, size=file_size)
        upload.sha256 = self._hasher.hexdigest()  # type: ignore[attr-defined]
        return upload


def _not_found(request: HttpRequest) -> HttpResponse:
    # The same page for unknown, malformed and oddly typed codes: no hint about which.
    response = render(request, "documents/verify_not_found.html", status=404)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def document_verify_form(request: HttpRequest) -> HttpResponse:
    code = normalise_code(request.GET.get("code", ""))
    if code:
        # No lookup here: every input goes to its page, which answers alike for every
        # wrong code.
        return redirect("document_verify", code=code)
    response = render(request, "documents/verify_form.html")
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def document_verify(request: HttpRequest, code: str) -> HttpResponse:
    # Upload handlers must be in place before anything reads request.POST — including the
    # CSRF check — so CSRF is checked in the inner view instead (Django's documented way).
    handler = None
    if request.method == "POST":
        handler = HashingUploadHandler(request, verify_max_bytes())
        request.upload_handlers = [handler]
    return _document_verify(request, code, handler)


@csrf_protect
def _document_verify(
    request: HttpRequest, code: str, handler: HashingUploadHandler | None
) -> HttpResponse:
    document = document_by_code(code)
    if document is None:
        return _not_found(request)
    context: dict[str, Any] = {"document": document, "max_size": verify_max_bytes()}
    if handler is not None:
        context["check"] = _check_upload(request, handler, document)
    response = render(request, "documents/verify_document.html", context)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _check_upload(
    request: HttpRequest, handler: HashingUploadHandler, document: Any
) -> dict[str, Any]:
    upload = request.FILES.get("file")
    if handler.too_large:
        return {
            "error": _("The file is larger than %(size)s, so it cannot be the issued document.")
            % {"size": filesizeformat(verify_max_bytes())}
        }
    if upload is None:
        return {"error": _("Choose a file to check.")}
    digest = upload.sha256  # type: ignore[attr-defined]
    matches = None
    if document.pdf_sha256 and digest == document.pdf_sha256:
        matches = "pdf"
    elif document.docx_sha256 and digest == document.docx_sha256:
        matches = "docx"
    return {"name": upload.name, "sha256": digest, "matches": matches}
