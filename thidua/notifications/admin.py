from django.contrib import admin

from thidua.org.admin import ReadOnlyAdmin

from .models import ReminderSent


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "email", "subject", "days_before", "status"]
    list_filter = ["status", "days_before"]
    search_fields = ["email", "subject"]
