from django.contrib import admin

from thidua.audit.admin import ConfigurationAdmin

from .models import LeaderRule


@admin.register(LeaderRule)
class LeaderRuleAdmin(ConfigurationAdmin):
    """The rule proposing next year's block leaders: the agency's own (from its regulation)
    or, without an agency, that of every agency without its own."""

    list_display = ["agency", "rule", "valid_from", "valid_to", "legal_basis"]
    list_filter = ["agency", "rule"]
