"""Only the voting rules are configuration an administrator edits here.

Ballots and voter records are deliberately not registered: nobody browses who voted next to
what was voted, and the admin is no back door to either.
"""

from django.contrib import admin

from .models import VotingRule


@admin.register(VotingRule)
class VotingRuleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "valid_from", "valid_to", "ballot_style", "denominator"]
    list_filter = ["code"]
    search_fields = ["code", "name", "legal_basis"]
