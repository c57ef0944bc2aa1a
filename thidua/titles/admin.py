"""Django admin: the catalogue's legal facts and the rule packs are dated configuration,
edited here by an administrator. Every save is audited (ConfigurationAdmin) — conditions
saved in a version's page too — and nothing is deleted: a replaced rule ends with `valid_to`
and a new version starts, so the versions are the history. Overrides are read-only here;
they are recorded through `services.override_record`."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.forms.models import model_to_dict
from django.http import HttpRequest

from thidua.audit.actions import AuditAction
from thidua.audit.admin import ConfigurationAdmin
from thidua.audit.services import record
from thidua.lib.admin import ReadOnlyAdmin

from .models import Condition, Override, PackVersion, RulePack, TitleEntry


@admin.register(TitleEntry)
class TitleEntryAdmin(ConfigurationAdmin):
    list_display = ["form", "short_name", "awarded_by", "awarded_by_basis", "unverified"]
    list_filter = ["awarded_by", "unverified"]


class VersionInline(admin.TabularInline):
    model = PackVersion
    extra = 0
    can_delete = False
    fields = ["valid_from", "valid_to", "instrument"]
    show_change_link = True


@admin.register(RulePack)
class RulePackAdmin(ConfigurationAdmin):
    list_display = ["code", "name", "base", "territory"]
    inlines = [VersionInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        _audited_formset(request, formset, AuditAction.TITLES_PACKVERSION_SAVED)


class ConditionInline(admin.StackedInline):
    model = Condition
    extra = 0
    can_delete = False
    fields = [("title", "key", "order"), ("kind", "group"), "params", "legal_basis", "unverified"]


@admin.register(PackVersion)
class PackVersionAdmin(ConfigurationAdmin):
    list_display = ["pack", "valid_from", "valid_to", "instrument"]
    list_filter = ["pack"]
    inlines = [ConditionInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        _audited_formset(request, formset, AuditAction.TITLES_CONDITION_SAVED)


def _audited_formset(request: HttpRequest, formset: Any, action: AuditAction) -> None:
    with transaction.atomic():
        for obj in formset.save():
            record(actor=request.user, action=action, obj=obj, after=model_to_dict(obj))


@admin.register(Condition)
class ConditionAdmin(ConfigurationAdmin):
    list_display = ["title", "key", "kind", "version", "legal_basis", "unverified"]
    list_filter = ["version__pack", "kind", "unverified"]
    search_fields = ["key", "legal_basis", "title__code"]


@admin.register(Override)
class OverrideAdmin(ReadOnlyAdmin):
    list_display = ["title", "year", "person", "unit", "recorded_by", "recorded_at"]
    list_filter = ["year", "title"]
