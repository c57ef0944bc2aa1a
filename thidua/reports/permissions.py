"""Who may see or act on a block's reports: the board, reviewing, closing a collection."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from thidua.campaigns.models import BlockCycle
from thidua.org.models import BlockTerm, Unit
from thidua.org.permissions import (
    Actor,
    headed_unit_ids,
    is_block_deputy,
    is_block_leader,
    is_council_member_of,
    is_secretariat_of,
)

from .models import Period, Report


def may_see_board(user: Any, cycle: BlockCycle) -> bool:
    """The block's leader and deputy, the secretariat and the council see every report."""
    term = cycle.term
    agency = term.block.agency
    return (
        is_block_leader(user, term)
        or is_block_deputy(user, term)
        or is_secretariat_of(user, agency)
        or is_council_member_of(user, agency)
    )


def may_review_unit(user: Any, term: BlockTerm | None, unit_id: int, period: str) -> bool:
    """Who reviews a member unit's period, its report or its scores: the leader; the deputy
    hosts the mid-year review and takes the leader's own unit. Nobody reviews their own unit."""
    if term is None or unit_id in headed_unit_ids(user):
        return False
    if is_block_leader(user, term):
        return True
    if is_block_deputy(user, term):
        return period == Period.MIDYEAR or unit_id == term.leader_id
    return False


def may_review(user: Any, report: Report) -> bool:
    return may_review_unit(user, report.cycle.term, report.unit_id, report.period)


def may_close_collection(actor: Actor, cycle: BlockCycle, period: str) -> bool:
    """The year-end collection is the leader's to close; the mid-year review is the deputy's
    (the leader's when the block has no deputy)."""
    term = cycle.term
    if period == Period.YEAREND:
        return is_block_leader(actor, term)
    return is_block_deputy(actor, term) or (term.deputy_id is None and is_block_leader(actor, term))


def require_head(actor: Actor, unit: Unit) -> None:
    if unit.pk not in headed_unit_ids(actor):
        raise PermissionDenied(
            _("Only the head of “%(unit)s” may prepare and submit its report.") % {"unit": unit}
        )


def require_reviewer(actor: Actor, report: Report) -> None:
    if not may_review(actor, report):
        raise PermissionDenied(_("Only the block leader may return or accept this report."))
