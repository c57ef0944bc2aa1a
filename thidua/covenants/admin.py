"""Covenants in the admin: read-only, because every change goes through the services
(history, audit, frozen texts and signatures)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from thidua.lib.admin import ReadOnlyAdmin

from .models import Covenant, CovenantItem, CovenantRevision, Signature


@admin.register(Covenant)
class CovenantAdmin(ReadOnlyAdmin):
    list_display = ["title", "version", "status", "revision", "submitted_on", "is_late"]
    list_filter = ["status", "term__year"]
    search_fields = ["title", "term__block__name"]


@admin.register(CovenantItem)
class CovenantItemAdmin(ReadOnlyAdmin):
    list_display = ["covenant", "code", "target"]
    search_fields = ["code", "text", "target"]


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["covenant", "unit", "signer", "method", "revision", "signed_at", "is_valid"]
    list_filter = ["method"]
    raw_id_fields = ["signed_pdf"]

    @admin.display(boolean=True, description=_("valid"))
    def is_valid(self, obj: Signature) -> bool:
        return obj.is_valid


@admin.register(CovenantRevision)
class CovenantRevisionAdmin(ReadOnlyAdmin):
    list_display = ["covenant", "revision", "docx_sha256", "pdf_sha256", "created_at"]
