"""The authors' shares of an initiative: plain data in, the problems a person must fix out.

Each share is a percentage with at most two decimals, above 0 and at most 100; together
they make exactly 100 (a group's declaration "tỷ lệ đóng góp" adds up to the whole work).
A person is named once. Kept free of the database so it can be property-tested.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

WHOLE = Decimal(100)
STEP = Decimal("0.01")


@dataclass(frozen=True)
class ShareRow:
    key: int  # the person's id
    name: str  # as shown in messages
    share: Decimal | int | str | None


def parse_share(value: Decimal | int | str | None) -> Decimal | None:
    """The share as a Decimal, or None when it is not a number ("60,5" reads as 60.5)."""
    if value is None:
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def share_problems(rows: Sequence[ShareRow]) -> list[str]:
    """Every problem with the rows, each naming its author; empty when they may be saved."""
    problems: list[str] = []
    seen: set[int] = set()
    total = Decimal(0)
    for row in rows:
        if row.key in seen:
            problems.append(_("%(name)s is named twice among the authors.") % {"name": row.name})
            continue
        seen.add(row.key)
        share = parse_share(row.share)
        if share is None:
            problems.append(_("The share of %(name)s is not a number.") % {"name": row.name})
            continue
        if share <= 0 or share > WHOLE:
            problems.append(
                _("The share of %(name)s must be above 0%% and at most 100%%.") % {"name": row.name}
            )
        elif share != share.quantize(STEP):
            problems.append(
                _("The share of %(name)s has more than two decimals.") % {"name": row.name}
            )
        total += share
    if rows and not problems and total != WHOLE:
        problems.append(
            _("The authors' shares add up to %(total)s%%, not 100%%.")
            % {"total": format(total.normalize(), "f").replace(".", ",")}
        )
    return problems
