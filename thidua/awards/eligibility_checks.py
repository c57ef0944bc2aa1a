"""Checks an app above awards registers on the one issue path (`issuing.decision_issue`).

awards cannot import the app that knows the titles' conditions (`titles` sits above it), so
`titles` registers its check here when Django starts (`TitlesConfig.ready`). A check receives
the agency, the decision's date, the achievement year and the recipients, and returns the
messages that refuse the issue (empty when every recipient may be awarded). With nothing
registered nothing is checked, as before the titles existed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

Check = Callable[..., list[str]]

_checks: list[Check] = []


def register(check: Check) -> None:
    if check not in _checks:
        _checks.append(check)


def problems(*, agency: Any, issued_on: dt.date, year: int, awards: list[Any]) -> list[str]:
    """Every registered check's refusals, in registration order."""
    found: list[str] = []
    for check in _checks:
        found += check(agency=agency, issued_on=issued_on, year=year, awards=awards)
    return found
