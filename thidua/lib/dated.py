"""Rows valid for a span of days: "in force on this day", one query condition for every
dated table (unit versions, employments, role assignments, council seats, rules, legal
bases, campaigns). A span includes both its first and its last day; an empty end means
open-ended."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Q

from .dates import periods_overlap


def valid_on(day: dt.date, *, start: str | None = "valid_from", end: str = "valid_to") -> Q:
    """Rows whose span covers `day`. `start`/`end` name the fields (through relations
    too: "employments__valid_from"); `start=None` asks only that the span has not ended
    before `day`."""
    not_ended = Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day})
    if start is None:
        return not_ended
    return Q(**{f"{start}__lte": day}) & not_ended


def agency_version(rows: Any, agency: Any, on: dt.date) -> Any | None:
    """Of a dated rule's rows (a queryset with `agency`, `valid_from`, `valid_to`), the one
    in force on `on` for `agency` (a unit or its id): the agency's own, else the one without
    an agency, which applies to every agency that has none of its own."""
    return (
        rows.filter(Q(agency=agency) | Q(agency__isnull=True))
        .filter(valid_on(on))
        .order_by(F("agency").asc(nulls_last=True), "-valid_from")
        .first()
    )


def first_overlapping(others: Iterable[Any], start: dt.date, end: dt.date | None) -> Any | None:
    """The first of `others` (rows with valid_from / valid_to) whose period overlaps
    [start, end]: two versions of one dated rule must not both be in force on a day."""
    for other in others:
        if periods_overlap(start, end, other.valid_from, other.valid_to):
            return other
    return None
