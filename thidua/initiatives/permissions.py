"""Who may do what with initiatives.

- Registering: anyone working in the unit (its staff and head), and the agency's
  secretariat and administrators for it.
- Adding evidence and asking for recognition: whoever registered it, an author, the unit's
  head, the secretariat.
- Deciding at the grassroots: the head of the recognising unit (ND 152/2025 Art. 33(6): the
  head recognises, helped by the initiative council), or the secretariat recording the
  head's decision.
- Deciding at a wider scope: the secretariat of the agency whose council reviews it (the
  council's standing body) and the council's chair.
- Seeing: everyone whose roles cover the unit, and the authors themselves.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from thidua.lib.dated import valid_on
from thidua.lib.dates import today
from thidua.org.models import Council, CouncilMember, CouncilRole, Employment, Role, Unit
from thidua.org.permissions import has_role, scope_q

from .models import Initiative, InitiativeStatus

MANAGERS = frozenset({Role.ADMIN, Role.SECRETARIAT})
MEMBERS = frozenset({Role.ADMIN, Role.SECRETARIAT, Role.UNIT_HEAD, Role.STAFF})
READERS = frozenset({*MEMBERS, Role.COUNCIL_MEMBER})


def _person_id(user: Any) -> int | None:
    return getattr(user, "person_id", None) if getattr(user, "is_authenticated", False) else None


def is_head_of(user: Any, unit: Unit, on: dt.date | None = None) -> bool:
    """The user heads `unit` on the day: a unit-head role on it, or the person's employment
    as its head (an agency's director holds the council chair's role, not a unit head's)."""
    day = on or today()
    if has_role(user, frozenset({Role.UNIT_HEAD}), unit, day) and not getattr(
        user, "is_superuser", False
    ):
        return True
    person_id = _person_id(user)
    if person_id is None:
        return False
    return Employment.objects.filter(
        valid_on(day), person_id=person_id, unit=unit, is_head=True
    ).exists()


def may_register(user: Any, unit: Unit) -> bool:
    return has_role(user, MEMBERS, unit)


def may_edit(user: Any, initiative: Initiative) -> bool:
    """Add evidence, ask for recognition: until a body has decided on it."""
    if initiative.status not in (InitiativeStatus.REGISTERED, InitiativeStatus.REQUESTED):
        return False
    return _is_owner(user, initiative) or has_role(
        user, frozenset({*MANAGERS, Role.UNIT_HEAD}), initiative.unit
    )


def _is_owner(user: Any, initiative: Initiative) -> bool:
    if getattr(user, "pk", None) is not None and initiative.created_by_id == user.pk:
        return True
    person_id = _person_id(user)
    return person_id is not None and initiative.authors.filter(person_id=person_id).exists()


def _headed_paths(user: Any) -> list[str]:
    """The paths of the units the user's person heads today (a director heads the agency
    and so sees every initiative under it)."""
    person_id = _person_id(user)
    if person_id is None:
        return []
    jobs = Employment.objects.filter(valid_on(today()), person_id=person_id, is_head=True)
    return list(jobs.values_list("unit__path", flat=True))


def may_see(user: Any, initiative: Initiative) -> bool:
    if _is_owner(user, initiative) or has_role(user, READERS, initiative.unit):
        return True
    return any(initiative.unit.path.startswith(path) for path in _headed_paths(user))


def visible_q(user: Any) -> Q:
    """The register rows a user may see: units in the scope of any of their roles or
    under a unit they head, and the initiatives they wrote."""
    q = scope_q(user, READERS, "unit")
    for path in _headed_paths(user):
        q |= Q(unit__path__startswith=path)
    person_id = _person_id(user)
    if person_id is not None:
        q |= Q(authors__person_id=person_id)
    return q


def may_decide_grassroots(user: Any, recognising: Unit) -> bool:
    return is_head_of(user, recognising) or has_role(user, MANAGERS, recognising)


def may_decide_council(user: Any, council: Council) -> bool:
    if has_role(user, MANAGERS, council.agency):
        return True
    person_id = _person_id(user)
    return (
        person_id is not None
        and CouncilMember.objects.sitting_on(today())
        .filter(council=council, person_id=person_id, role=CouncilRole.CHAIR)
        .exists()
    )


def may_record_received(user: Any, initiative: Initiative) -> bool:
    """A decision from the level above (the province's) is entered by the secretariat."""
    return has_role(user, MANAGERS, initiative.agency)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You do not have permission for this initiative."))
