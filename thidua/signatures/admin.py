"""Signed PDFs are evidence: shown read-only, never edited here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from thidua.org.admin import ReadOnlyAdmin

from .models import PdfSignature, SignedPdf


class PdfSignatureInline(admin.TabularInline):
    model = PdfSignature
    extra = 0
    can_delete = False
    readonly_fields = (
        "signer_name",
        "serial",
        "issuer",
        "signed_at",
        "timestamp_at",
        "covers_whole_file",
        "intact",
        "trusted",
        "is_valid",
        "reason",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SignedPdf)
class SignedPdfAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "purpose", "document", "is_valid", "uploaded_by", "uploaded_at"]
    list_filter = ["purpose", "is_valid"]
    search_fields = ["sha256", "file_name", "signatures__signer_name"]
    inlines = [PdfSignatureInline]
