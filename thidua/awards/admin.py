"""Django admin: the catalogue, bonus multiples and base salary are dated configuration edited
here (audited; never deleted, since recorded awards cite them — a replaced rule gets a
`valid_to` and a new row). Decisions and awards are read-only: they change only through the
services (recording, annulment)."""

from __future__ import annotations

from django.contrib import admin

from thidua.audit.admin import ConfigurationAdmin
from thidua.org.admin import ReadOnlyAdmin

from .models import Award, AwardDecision, AwardForm, AwardFormRate, BaseSalary


class RateInline(admin.TabularInline):
    model = AwardFormRate
    extra = 0
    can_delete = False


@admin.register(AwardForm)
class AwardFormAdmin(ConfigurationAdmin):
    list_display = ["code", "name", "kind", "level", "recipient_kind", "order"]
    list_filter = ["kind", "level", "recipient_kind"]
    search_fields = ["code", "name"]
    inlines = [RateInline]


@admin.register(AwardFormRate)
class AwardFormRateAdmin(ConfigurationAdmin):
    list_display = ["form", "recipient_kind", "multiple", "valid_from", "valid_to", "legal_basis"]
    list_filter = ["recipient_kind", "form"]


@admin.register(BaseSalary)
class BaseSalaryAdmin(ConfigurationAdmin):
    list_display = ["amount", "valid_from", "valid_to", "legal_basis"]


@admin.register(AwardDecision)
class AwardDecisionAdmin(ReadOnlyAdmin):
    list_display = ["symbol", "issued_on", "issuer_name", "status", "received_from_above"]
    list_filter = ["status", "received_from_above"]
    search_fields = ["symbol", "issuer_name"]


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["decision", "form", "recipient_name", "amount", "revoked"]
    list_filter = ["form", "revoked"]
    search_fields = ["recipient_name", "decision__symbol"]
