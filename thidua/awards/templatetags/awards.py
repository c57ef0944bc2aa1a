"""`{% award_history unit=… %}` / `{% award_history person=… %}`: a unit's or a person's
award history, for the pages of the org app (which does not import this app). Only the
decisions of the agencies the page's user belongs to are listed (selectors.register).

`{{ amount|money }}`: an amount of đồng with its thousands grouped ("1.200.000"); every page
showing money uses it."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import get_language

from thidua.org.models import Person, Unit

from .. import selectors
from ..vn_money import format_money

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


@register.filter
def money(amount: Decimal | int | str | None) -> str:
    """ "1.200.000" in Vietnamese, "1,200,000" in English; "—" for no amount."""
    if amount is None or amount == "":
        return "—"
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        return str(amount)
    separator = "," if (get_language() or "vi").startswith("en") else "."
    return format_money(value, separator=separator)
