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
