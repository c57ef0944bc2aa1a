"""Who may record an override: awarding a recipient the engine could not pass.

The decision is the agency head's (Law 06/2022 Art. 80(1)); the council advises. So the chair
or a vice-chair of the agency's emulation council on the day (in the Department the Director
chairs it), or a system administrator, may write the reason; the secretariat that drafts the
decision may not justify its own draft.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from thidua.lib.dates import today
from thidua.org.models import CouncilMember, CouncilRole, Role, Unit
from thidua.org.permissions import has_role

OVERRIDING_SEATS = (CouncilRole.CHAIR, CouncilRole.VICE_CHAIR)


def may_override(user: Any, agency: Unit, on: dt.date | None = None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if has_role(user, frozenset({Role.ADMIN}), agency):
        return True
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return False
    return (
        CouncilMember.objects.sitting_on(on or today())
        .filter(council__agency=agency, person_id=person_id, role__in=OVERRIDING_SEATS)
        .exists()
    )


def require_override_right(user: Any, agency: Unit) -> None:
    if not may_override(user, agency):
        raise PermissionDenied(
            _(
                "Only the chair or a vice-chair of the council of “%(agency)s” may record an "
                "override."
            )
            % {"agency": agency}
        )


def may_see_eligibility(user: Any, *, person: Any = None, unit: Unit | None = None) -> bool:
    """An evaluation shows ratings and discipline, which are personal data: for a person, who
    may see their record (the person, whoever manages ratings in one of their units); for a
    unit, whoever manages its ratings (its head, the secretariat, an administrator)."""
    from thidua.org.permissions import Action, can, may_see_personal_record

    if person is not None:
        units = [e.unit for e in person.employments.select_related("unit")]
        return may_see_personal_record(user, person.pk, units)
    return unit is not None and can(user, Action.RATING_MANAGE, unit)


def may_see_overrides(user: Any, agency: Unit) -> bool:
    """The council's list: its members, the secretariat and whoever may record one."""
    from thidua.org.permissions import is_council_member_of, is_secretariat_of

    return (
        is_secretariat_of(user, agency)
        or is_council_member_of(user, agency)
        or may_override(user, agency)
    )
