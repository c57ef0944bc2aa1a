"""Django admin: the outlier-scorer threshold is dated configuration edited here (audited,
never deleted). Tables, rounds and scores change only through the scoring pages."""

from __future__ import annotations

from django.contrib import admin

from thidua.audit.admin import ConfigurationAdmin

from .models import OutlierThreshold


@admin.register(OutlierThreshold)
class OutlierThresholdAdmin(ConfigurationAdmin):
    list_display = ["share", "agency", "valid_from", "valid_to", "legal_basis"]
    list_filter = ["agency"]
