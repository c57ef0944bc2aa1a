from django.contrib import admin

from thidua.org.admin import ReadOnlyAdmin

from .models import BlockCycle, Campaign, ContentGroup, Criterion, CycleStep, Milestone

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
