"""Who may issue documents for an issuing body, asked of the app that knows the roles.

Every documents service checks its caller first (authorise → validate → write → audit), yet
documents is infrastructure and imports no domain app (design.md §2): roles and their scope
in the org tree live in `org`. So org registers one policy callable here when Django starts
(`OrgConfig.ready` → `register(org.documents.documents_policy)`), and the services ask it
through `authorize` / `can`. With no policy registered every check refuses: a missing
registration fails closed, never open.

A service whose own app authorised the caller by another rule (the secretary of a meeting
issuing its minutes) says so to `services.issuing.document_issue(authorised=True)`; the check then
stays in that app's service.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

# Whoever calls a service: a signed-in user, an anonymous request, or None for the system.
Actor = AbstractBaseUser | AnonymousUser | None


class Permission(StrEnum):
    # Number and issue documents, keep templates and run batches for a unit's issuing body.
    ISSUE = "issue"
    # Set up what a unit prints on its documents (its issuing body).
    MANAGE_ISSUER = "manage_issuer"
    # Change what every agency's documents cite (the national legal bases); no unit.
    ADMINISTER = "administer"


# (actor, permission, the issuing body's unit or None) → allowed?
Policy = Callable[[Any, Permission, Any], bool]

_policy: list[Policy] = []


def register(policy: Policy) -> None:
    """Install the policy (org does it at start-up); a second call replaces the first."""
    _policy[:] = [policy]


def can(actor: Any, permission: Permission, unit: Any = None) -> bool:
    return bool(_policy) and _policy[0](actor, permission, unit)


def authorize(actor: Any, permission: Permission, unit: Any) -> None:
    if not can(actor, permission, unit):
        raise PermissionDenied(
            _("You do not have permission for this action on “%(unit)s”.") % {"unit": unit}
        )


def require(actor: Any, permission: Permission, unit: Any) -> None:
    """Refuse the page itself, before showing a form the service would refuse anyway."""
    if not can(actor, permission, unit):
        raise PermissionDenied
