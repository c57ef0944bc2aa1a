"""`{% award_history unit=… %}` / `{% award_history person=… %}`: a unit's or a person's
award history, for the pages of the org app (which does not import this app). Only the
decisions of the agencies the page's user belongs to are listed (selectors.register)."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser

from thidua.org.models import Person, Unit

from .. import selectors

register = template.Library()


@register.inclusion_tag("awards/_history.html", takes_context=True)
def award_history(
    context: dict[str, Any], unit: Unit | None = None, person: Person | None = None
) -> dict[str, Any]:
    request = context.get("request")
    # No user (a page rendered outside a request) sees nothing rather than everything.
    user = getattr(request, "user", None) or context.get("user") or AnonymousUser()
    if unit is not None:
        awards = list(selectors.unit_history(unit, user=user))
    elif person is not None:
        awards = list(selectors.person_history(person, user=user))
    else:
        awards = []
    return {"awards": awards, "subject_unit": unit, "subject_person": person}
