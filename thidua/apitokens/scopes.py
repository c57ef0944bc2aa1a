"""What a personal API token may do: read, or read and write; in every area or in some.

An area is an app of the system; each API endpoint names the area it belongs to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Access(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")


class Area(models.TextChoices):
    ORG = "org", _("Organisation, people and blocks")
    CAMPAIGNS = "campaigns", _("Campaigns and the block's year")
    COVENANTS = "covenants", _("Covenants")
    REPORTS = "reports", _("Reports")
    SCORING = "scoring", _("Scoring and rankings")
    VOTING = "voting", _("Meetings and votes")
    AWARDS = "awards", _("Awards")
    INITIATIVES = "initiatives", _("Initiatives")
    TITLES = "titles", _("Titles and eligibility")
    PROPOSALS = "proposals", _("Dossiers and proposals")
    DOCUMENTS = "documents", _("Documents")


def scope_names(access: str, areas: list[str]) -> list[str]:
    """The scopes as the documentation writes them: `read`, `write`, `read:org`, …"""
    if not areas:
        return [access]
    return [f"{access}:{area}" for area in areas]


def scopes_reaching(*, write: bool, area: str | None) -> list[str]:
    """The scopes of the tokens that may call an endpoint of `area` (None: every area)."""
    accesses = [Access.WRITE] if write else [Access.READ, Access.WRITE]
    names = [str(access.value) for access in accesses]
    if area is None:
        return names
    return [scope for access in names for scope in (access, f"{access}:{area}")]
