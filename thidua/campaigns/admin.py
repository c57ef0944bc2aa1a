from django.contrib import admin

from thidua.audit.admin import ConfigurationAdmin
from thidua.org.admin import ReadOnlyAdmin

from .models import (
    BlockCycle,
    Campaign,
    ContentGroup,
    Criterion,
    CycleStep,
    DeadlineBands,
    Milestone,
)

for model, columns in [
    (Campaign, ["year", "title", "agency", "plan_number"]),
    (ContentGroup, ["campaign", "code", "title"]),
    (Criterion, ["group", "code", "kind", "indicator", "comparator", "threshold"]),
    (Milestone, ["campaign", "kind", "title", "owner", "due_on"]),
    (BlockCycle, ["campaign", "term", "state"]),
    (CycleStep, ["cycle", "source", "target", "actor", "at"]),
]:
    admin.site.register(
        model, type(f"{model.__name__}Admin", (ReadOnlyAdmin,), {"list_display": columns})
    )


@admin.register(DeadlineBands)
class DeadlineBandsAdmin(ConfigurationAdmin):
    """The home page's deadline bands: the agency's own (from its regulation) or, without an
    agency, those of every agency without its own."""

    list_display = [
        "agency",
        "valid_from",
        "valid_to",
        "notice_days",
        "soon_days",
        "urgent_days",
        "legal_basis",
    ]
    list_filter = ["agency"]
