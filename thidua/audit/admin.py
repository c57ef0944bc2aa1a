from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .actions import AuditAction, action_of, stored_names
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
                action=AuditAction(f"{obj._meta.app_label}.{obj._meta.model_name}.saved"),
                obj=obj,
                after=model_to_dict(obj),
            )


class ActionFilter(admin.SimpleListFilter):
    """By action, old rows included: a row keeps the spelling it was hashed with, so one
    action may be stored under its older name too (thidua.audit.actions.LEGACY)."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(action.value, action.value) for action in sorted(AuditAction)]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[AuditEvent]
    ) -> QuerySet[AuditEvent]:
        value = self.value()
        if not value:
            return queryset
        action = action_of(value)
        return queryset.filter(action__in=stored_names(action) if action else [value])


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = [
        "seq",
        "occurred_at",
        "actor_label",
        "action_name",
        "object_type",
        "object_label",
    ]
    list_filter = [ActionFilter, "object_type"]
    search_fields = ["object_label", "actor_label", "action"]

    @admin.display(description=_("action"), ordering="action")
    def action_name(self, event: AuditEvent) -> str:
        """The current name, also for a row stored under an older one."""
        action = action_of(event.action)
        return action.value if action else event.action

    # Read-only in the admin: the log is append-only by design.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
