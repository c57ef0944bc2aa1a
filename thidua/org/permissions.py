"""Who may do what, derived from role assignments scoped in the org tree and from block terms.

Every service calls `authorize` first; selectors use `scope_q` so lists show the same scope.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from thidua.lib.dated import valid_on
from thidua.lib.dates import today

from .models import BlockTerm, Role, RoleAssignment, Unit, User

# Whoever calls a service: a signed-in user, an anonymous request, or None for the system.
Actor = AbstractBaseUser | AnonymousUser | None


class Action(StrEnum):
    UNIT_MANAGE = "org.unit.manage"
    PERSON_MANAGE = "org.person.manage"
    RATING_MANAGE = "org.rating.manage"
    DISCIPLINE_MANAGE = "org.discipline.manage"
    ORG_IMPORT = "org.import"
    BLOCK_MANAGE = "org.block.manage"
    COUNCIL_MANAGE = "org.council.manage"
    ROLE_MANAGE = "org.role.manage"
    CAMPAIGN_MANAGE = "campaigns.campaign.manage"
    DOCUMENT_ISSUE = "documents.document.issue"
    SCORING_TABLE_MANAGE = "scoring.table.manage"
    AWARD_RECORD = "awards.decision.record"
    PROPOSAL_REVIEW = "proposals.dossier.review"


# Which roles may perform an action on a unit inside their scope.
ACTION_ROLES: dict[Action, frozenset[str]] = {
    Action.UNIT_MANAGE: frozenset({Role.ADMIN, Role.SECRETARIAT}),
    Action.PERSON_MANAGE: frozenset({Role.ADMIN, Role.SECRETARIAT, Role.UNIT_HEAD}),
    Action.RATING_MANAGE: frozenset({Role.ADMIN, Role.SECRETARIAT, Role.UNIT_HEAD}),
    Action.DISCIPLINE_MANAGE: frozenset({Role.ADMIN, Role.SECRETARIAT}),
    Action.ORG_IMPORT: frozenset({Role.ADMIN, Role.SECRETARIAT}),
    Action.BLOCK_MANAGE: frozenset({Role.ADMIN, Role.SECRETARIAT}),
    Action.COUNCIL_MANAGE: frozenset({Role.ADMIN, Role.SECRETARIAT}),
    Action.ROLE_MANAGE: frozenset({Role.ADMIN}),
    Action.CAMPAIGN_MANAGE: frozenset({Role.ADMIN, Role.SECRETARIAT}),
    Action.DOCUMENT_ISSUE: frozenset({Role.ADMIN, Role.SECRETARIAT}),
    # Block leaders edit their own block's table too: a block-term check, not a role.
    Action.SCORING_TABLE_MANAGE: frozenset({Role.ADMIN, Role.SECRETARIAT}),
    Action.AWARD_RECORD: frozenset({Role.ADMIN, Role.SECRETARIAT}),
    # The council's standing body checks dossiers and carries proposals up and answers back.
    Action.PROPOSAL_REVIEW: frozenset({Role.ADMIN, Role.SECRETARIAT}),
}


def acting_user(actor: Actor) -> User:
    """The signed-in user a step names (who opened, entered, verified); the system cannot."""
    if not isinstance(actor, User):
        raise PermissionDenied(_("Sign in to do this."))
    return actor


def active_assignments(user: Any, on: dt.date | None = None) -> list[RoleAssignment]:
    """The user's assignments valid on a day, cached on the user object for one request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    day = on or today()
    cache: dict[dt.date, list[RoleAssignment]] = user.__dict__.setdefault("_assignments", {})
    if day not in cache:
        cache[day] = list(
            RoleAssignment.objects.filter(valid_on(day), user=user).select_related("unit")
        )
    return cache[day]


def _covers(assignment: RoleAssignment, unit: Unit) -> bool:
    if assignment.unit_id == unit.pk:
        return True
    return assignment.include_descendants and unit.path.startswith(assignment.unit.path)


def has_role(
    user: Any, roles: frozenset[str] | set[str], unit: Unit, on: dt.date | None = None
) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return any(a.role in roles and _covers(a, unit) for a in active_assignments(user, on))


def can(user: Any, action: Action, unit: Unit) -> bool:
    return has_role(user, ACTION_ROLES[action], unit)


def authorize(user: Any, action: Action, unit: Unit) -> None:
    if not can(user, action, unit):
        raise PermissionDenied(
            _("You do not have permission for this action on “%(unit)s”.") % {"unit": unit}
        )


def roles_of(user: Any) -> set[str]:
    roles = {a.role for a in active_assignments(user)}
    if getattr(user, "is_superuser", False):
        roles.add(Role.ADMIN)
    return roles


def headed_unit_ids(user: Any, on: dt.date | None = None) -> set[int]:
    return {a.unit_id for a in active_assignments(user, on) if a.role == Role.UNIT_HEAD}


def member_unit_ids(user: Any, on: dt.date | None = None) -> set[int]:
    """Units the user belongs to as head or staff."""
    return {
        a.unit_id for a in active_assignments(user, on) if a.role in (Role.UNIT_HEAD, Role.STAFF)
    }


def is_block_leader(user: Any, term: BlockTerm) -> bool:
    return term.leader_id in headed_unit_ids(user)


def require_block_leader(actor: Actor, term: BlockTerm | None) -> None:
    """Refuse anyone but the head of the block's leader unit (and everyone without a term)."""
    if term is None or not is_block_leader(actor, term):
        raise PermissionDenied(_("Only the block leader may do this."))


def is_block_deputy(user: Any, term: BlockTerm) -> bool:
    return term.deputy_id is not None and term.deputy_id in headed_unit_ids(user)


def is_secretariat_of(user: Any, agency: Unit) -> bool:
    return has_role(user, frozenset({Role.SECRETARIAT}), agency)


def is_council_member_of(user: Any, agency: Unit) -> bool:
    return has_role(user, frozenset({Role.COUNCIL_MEMBER}), agency)


def scope_q(user: Any, roles: frozenset[str], field: str = "") -> Q:
    """A filter on units (or on a `field` pointing to a unit) matching the user's scope."""
    prefix = f"{field}__" if field else ""
    if getattr(user, "is_superuser", False):
        return Q()
    q = Q(pk__in=[])
    for a in active_assignments(user):
        if a.role not in roles:
            continue
        q |= Q(**{f"{prefix}pk": a.unit_id})
        if a.include_descendants:
            q |= Q(**{f"{prefix}path__startswith": a.unit.path})
    return q


def may_see_personal_record(user: Any, person_id: int, units: list[Unit]) -> bool:
    """Ratings and discipline are personal data: the person, and whoever manages ratings in
    one of their units, may see them."""
    if getattr(user, "person_id", None) == person_id:
        return True
    return any(can(user, Action.RATING_MANAGE, unit) for unit in units)


def require(user: Any, action: Action, unit: Unit) -> None:
    """Refuse the page itself, before showing a form the service would refuse anyway."""
    if not can(user, action, unit):
        raise PermissionDenied
