from typing import Any

from django.contrib import admin
from django.db import transaction
from django.forms.models import model_to_dict
from django.http import HttpRequest

from .models import AuditEvent
from .services import record


class ConfigurationAdmin(admin.ModelAdmin):
    """Dated configuration edited in the admin: every save is audited, and nothing is deleted
    (what was decided under a rule cites it; a replaced rule gets a `valid_to` and a new
    row)."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record(
                actor=request.user,
                action=f"{obj._meta.app_label}.{obj._meta.model_name}.saved",
                obj=obj,
                after=model_to_dict(obj),
            )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["seq", "occurred_at", "actor_label", "action", "object_type", "object_label"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_label", "actor_label", "action"]

    # Read-only in the admin: the log is append-only by design.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
