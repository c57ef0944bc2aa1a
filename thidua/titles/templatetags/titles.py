"""`{% title_eligibility person=… %}` / `{% title_eligibility unit=… %}`: the titles a person
or unit holds by year and what they are eligible for this year and why not, for the pages of
the org app (which does not import this app). Shown only to whoever may see the record."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser

from thidua.org.models import Person, Unit

from .. import selectors
from ..permissions import may_see_eligibility

register = template.Library()


@register.inclusion_tag("titles/_eligibility.html", takes_context=True)
def title_eligibility(
    context: dict[str, Any], unit: Unit | None = None, person: Person | None = None
) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user") or AnonymousUser()
    if not may_see_eligibility(user, person=person, unit=unit):
        return {"shown": False}
    return {"shown": True, **selectors.page_summary(person=person, unit=unit)}
