"""`{% award_history unit=… %}` / `{% award_history person=… %}`: a unit's or a person's
award history, for the pages of the org app (which does not import this app)."""

from __future__ import annotations

from typing import Any

from django import template

from thidua.org.models import Person, Unit

from .. import selectors

register = template.Library()


@register.inclusion_tag("awards/_history.html")
def award_history(unit: Unit | None = None, person: Person | None = None) -> dict[str, Any]:
    if unit is not None:
        awards = list(selectors.unit_history(unit))
    elif person is not None:
        awards = list(selectors.person_history(person))
    else:
        awards = []
    return {"awards": awards, "subject_unit": unit, "subject_person": person}
