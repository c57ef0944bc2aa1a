"""Django admin: accounts and roles are managed here; the organisation itself is shown
read-only, because its changes must go through the services (history, audit, checks)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from thidua.lib.admin import ReadOnlyAdmin

from .models import (
    Block,
    BlockTerm,
    Council,
    CouncilMember,
    DisciplineRecord,
    Employment,
    ImportJob,
    Person,
    RoleAssignment,
    StaffRating,
    Unit,
    UnitRating,
    UnitVersion,
    User,
)
from .services.roles import role_assign, role_update


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ["role", "unit", "include_descendants", "valid_from", "valid_to"]
    raw_id_fields = ["unit"]
    can_delete = False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Thi đua"), {"fields": ["full_name", "person"]}),
    )
    raw_id_fields = ["person"]
    list_display = ["username", "full_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    inlines = [RoleAssignmentInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        # New role assignments go through the service, so they are checked and audited.
        for assignment in formset.save(commit=False):
            if assignment.pk:
                role_update(actor=request.user, assignment=assignment)
                continue
            role_assign(
                actor=request.user,
                user=assignment.user,
                role=assignment.role,
                unit=assignment.unit,
                valid_from=assignment.valid_from,
                valid_to=assignment.valid_to,
                include_descendants=assignment.include_descendants,
            )


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "status", "parent"]
    list_filter = ["kind", "status"]
    search_fields = ["code", "search_text"]


@admin.register(UnitVersion)
class UnitVersionAdmin(ReadOnlyAdmin):
    list_display = ["unit", "name", "valid_from", "valid_to", "status"]
    search_fields = ["name", "unit__code"]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["code", "full_name", "is_archived"]
    search_fields = ["code", "search_text"]


for model, columns in [
    (Employment, ["person", "unit", "position", "valid_from", "valid_to"]),
    (StaffRating, ["person", "year", "rating"]),
    (UnitRating, ["unit", "year", "rating"]),
    (DisciplineRecord, ["person", "unit", "level", "decided_on"]),
    (Block, ["code", "name", "agency"]),
    (BlockTerm, ["block", "year", "leader", "deputy", "decision_number"]),
    (Council, ["name", "agency", "standing_body"]),
    (CouncilMember, ["council", "person", "role", "valid_from", "valid_to"]),
    (RoleAssignment, ["user", "role", "unit", "include_descendants", "valid_from", "valid_to"]),
]:
    admin.site.register(
        model, type(f"{model.__name__}Admin", (ReadOnlyAdmin,), {"list_display": columns})
    )

admin.site.register(
    ImportJob,
    type(
        "ImportJobAdmin",
        (ReadOnlyAdmin,),
        {"list_display": ["created_at", "user", "agency", "file_name", "stage"]},
    ),
)
