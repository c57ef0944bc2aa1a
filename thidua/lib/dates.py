"""Date helpers: inclusive validity periods and year bounds."""

from __future__ import annotations

import datetime as dt
import re

_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def year_start(year: int) -> dt.date:
    return dt.date(year, 1, 1)


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def periods_overlap(
    start_a: dt.date, end_a: dt.date | None, start_b: dt.date, end_b: dt.date | None
) -> bool:
    """Inclusive periods; None means open-ended."""
    a_before_b = end_a is not None and end_a < start_b
    b_before_a = end_b is not None and end_b < start_a
    return not (a_before_b or b_before_a)


def parse_day(text: str | None) -> dt.date | None:
    """A day typed the Vietnamese way (31/12/2021, also 31-12-2021 or 31.12.2021) or in ISO
    (2021-12-31); None for anything else. Never month first, whatever the browser's
    language."""
    if not text:
        return None
    match = _DAY_FIRST.match(text)
    iso = _ISO.match(text)
    parts = match.groups()[::-1] if match else iso.groups() if iso else None
    if parts is None:
        return None
    year, month, day = (int(part) for part in parts)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def format_day(day: dt.date) -> str:
    """A day the way Vietnamese messages write it: 31/12/2021."""
    return day.strftime("%d/%m/%Y")


def covers(start: dt.date, end: dt.date | None, day: dt.date) -> bool:
    return start <= day and (end is None or day <= end)


def today() -> dt.date:
    """Today in Asia/Ho_Chi_Minh, or THIDUA_TODAY when set.

    The override lets the demo live inside its 2021 campaign and lets tests pin a day; it is
    not for production.
    """
    from django.conf import settings
    from django.utils import timezone

    pinned = getattr(settings, "THIDUA_TODAY", None)
    if pinned:
        return dt.date.fromisoformat(pinned)
    return timezone.localdate()


def days_left(deadline: dt.date | None, day: dt.date | None = None) -> int | None:
    """Days from `day` (today by default) to the deadline, negative once it has passed;
    None without a deadline."""
    return (deadline - (day or today())).days if deadline else None
