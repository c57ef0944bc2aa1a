"""Rows valid for a span of days: "in force on this day", one query condition for every
dated table (unit versions, employments, role assignments, council seats, rules, legal
bases, campaigns). A span includes both its first and its last day; an empty end means
open-ended."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q


def valid_on(day: dt.date, *, start: str | None = "valid_from", end: str = "valid_to") -> Q:
    """Rows whose span covers `day`. `start`/`end` name the fields (through relations
    too: "employments__valid_from"); `start=None` asks only that the span has not ended
    before `day`."""
    not_ended = Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day})
    if start is None:
        return not_ended
    return Q(**{f"{start}__lte": day}) & not_ended
