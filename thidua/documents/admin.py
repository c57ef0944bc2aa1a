"""Django admin: document types and issuing bodies are catalogue data edited here (through
the services, so they are checked and audited); issued documents and counters are shown
read-only, because a number once given is never changed or taken back."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from thidua.lib.admin import ReadOnlyAdmin

from .models import DocumentType, IssuedDocument, IssuingBody, NumberCounter, TemplateVersion
from .services import doc_types, issuers


class CatalogueAdmin(admin.ModelAdmin):
    # Types and bodies are referenced by every number given under them: never deleted.
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DocumentType)
class DocumentTypeAdmin(CatalogueAdmin):
    list_display = ["code", "name", "is_numbered", "is_nd30_type", "order"]
    list_editable = ["is_numbered", "order"]
    list_filter = ["is_numbered", "is_nd30_type"]
    search_fields = ["code", "name"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        doc_types.document_type_save(actor=request.user, doc_type=obj)


@admin.register(IssuingBody)
class IssuingBodyAdmin(CatalogueAdmin):
    list_display = ["symbol", "unit", "governing_body_name", "place"]
    search_fields = ["symbol", "unit__code", "unit__name"]
    raw_id_fields = ["unit"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = issuers.issuing_body_save(
            actor=request.user,
            unit=obj.unit,
            symbol=obj.symbol,
            place=obj.place,
            governing_body_name=obj.governing_body_name,
            printed_name=obj.printed_name,
        )
        obj.pk = saved.pk

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The service keys a body by its unit: moving a body to another unit would hand
        # that unit the old unit's numbering series.
        return ["unit"] if obj is not None else []


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = ["symbol", "doc_type", "issued_on", "issuer", "summary", "verification_code"]
    list_filter = ["doc_type", "issuer", "year"]
    search_fields = ["symbol", "summary", "verification_code"]
    date_hierarchy = "issued_on"


@admin.register(NumberCounter)
class NumberCounterAdmin(ReadOnlyAdmin):
    list_display = ["issuer", "year", "doc_type", "last_number"]
    list_filter = ["year", "issuer"]


@admin.register(TemplateVersion)
class TemplateVersionAdmin(ReadOnlyAdmin):
    # Uploaded, checked and switched on the "Document templates" pages, which audit every
    # change; here they are only looked at. The file itself is downloaded from those pages.
    list_display = ["key", "issuer", "version", "is_active", "original_name", "uploaded_by"]
    list_filter = ["key", "issuer", "is_active"]
    search_fields = ["key", "original_name", "note", "sha256"]
    date_hierarchy = "uploaded_at"
    exclude = ["content"]
