"""Django admin: the dossier checklist per title is dated configuration edited here (audited;
never deleted, since frozen checklists cite it — a replaced item gets a `valid_to` and a new
row). Dossiers and proposals are read-only: they change only through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.forms.models import model_to_dict
from django.http import HttpRequest

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.org.admin import ReadOnlyAdmin

from .models import Dossier, DossierRequirement, UpwardProposal


@admin.register(DossierRequirement)
class DossierRequirementAdmin(admin.ModelAdmin):
    list_display = ["form", "code", "label", "kind", "required", "valid_from", "valid_to"]
    list_filter = ["form", "kind", "required"]
    search_fields = ["code", "label", "legal_basis"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record(
                actor=request.user,
                action=AuditAction.REQUIREMENT_SAVED,
                obj=obj,
                after=model_to_dict(obj),
            )


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ["form", "unit", "cycle", "status", "route"]
    list_filter = ["status", "route", "form"]


@admin.register(UpwardProposal)
class UpwardProposalAdmin(ReadOnlyAdmin):
    list_display = ["form", "year", "level_above", "status"]
    list_filter = ["status", "form"]
