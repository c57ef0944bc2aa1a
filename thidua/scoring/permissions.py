"""Who may do what in scoring: edit or see a table, self-score, verify, see the matrix,
download a scoring sheet. Plain predicates the views use to show or hide actions, and the
`require_*` checks the services call first."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from thidua.campaigns.models import Campaign
from thidua.org.models import Block, Unit
from thidua.org.permissions import (
    Action,
    Actor,
    can,
    headed_unit_ids,
    is_block_deputy,
    is_block_leader,
    is_council_member_of,
    member_unit_ids,
    require_block_leader,
)
from thidua.reports.models import Period
from thidua.reports.permissions import may_review_unit

from .models import PeerAssignment, ScoringRound, ScoringTable
from .selectors.tables import block_term


def may_edit_block(user: Any, campaign: Campaign, block: Block | None) -> bool:
    """The secretariat and admins of the agency; for a block's table, also its leader."""
    if can(user, Action.SCORING_TABLE_MANAGE, campaign.agency):
        return True
    term = block_term(campaign, block)
    return term is not None and is_block_leader(user, term)


def may_edit(user: Any, table: ScoringTable) -> bool:
    return may_edit_block(user, table.campaign, table.block)


def may_view(user: Any, table: ScoringTable) -> bool:
    """Editors, the council, and every member unit of the block (they are scored by it)."""
    if may_edit(user, table) or is_council_member_of(user, table.agency):
        return True
    term = block_term(table.campaign, table.block)
    if term is None:
        return False
    members = set(term.memberships.values_list("unit_id", flat=True))
    return bool(members & member_unit_ids(user))


def may_self_score(user: Any, unit_id: int) -> bool:
    return unit_id in headed_unit_ids(user)


def may_verify(user: Any, round_: ScoringRound, unit_id: int) -> bool:
    """Scores are verified by whoever reviews the unit's report for the same period."""
    term = block_term(round_.table.campaign, round_.table.block)
    return may_review_unit(user, term, unit_id, round_.period)


def verifiable_unit_ids(user: Any, round_: ScoringRound, unit_ids: list[int]) -> set[int]:
    """The units of the list this user may verify, in a constant number of queries."""
    term = block_term(round_.table.campaign, round_.table.block)
    if term is None:
        return set()
    own = headed_unit_ids(user)
    candidates = {u for u in unit_ids if u not in own}
    if is_block_leader(user, term):
        return candidates
    if is_block_deputy(user, term):
        if round_.period == Period.MIDYEAR:
            return candidates
        return candidates & {term.leader_id}
    return set()


def may_verify_any(user: Any, round_: ScoringRound) -> bool:
    term = block_term(round_.table.campaign, round_.table.block)
    return term is not None and (is_block_leader(user, term) or is_block_deputy(user, term))


def may_see_matrix(user: Any, round_: ScoringRound) -> bool:
    return (
        may_verify_any(user, round_)
        or may_edit(user, round_.table)
        or is_council_member_of(user, round_.table.agency)
    )


def may_download_sheet(
    user: Any, round_: ScoringRound, unit: Unit, mode: str, scorer: Unit | None
) -> bool:
    """What the pages offer; the services decide again on saving."""
    from .sheets import PEER, SELF, VERIFY  # sheets reads scores, whose services check here

    if mode == SELF:
        return may_self_score(user, unit.pk)
    if mode == VERIFY:
        return may_verify(user, round_, unit.pk)
    if mode == PEER and scorer is not None:
        return (
            scorer.pk != unit.pk
            and scorer.pk in headed_unit_ids(user)
            and PeerAssignment.objects.filter(round=round_, scorer=scorer, scored=unit).exists()
        )
    return False


def require_leader(actor: Actor, round_: ScoringRound) -> None:
    require_block_leader(actor, block_term(round_.table.campaign, round_.table.block))


def require_editor(actor: Actor, round_: ScoringRound) -> None:
    if not may_edit(actor, round_.table):
        raise PermissionDenied(_("Only the block leader or the secretariat may do this."))


def require_table_editor(actor: Actor, campaign: Campaign, block: Block | None) -> None:
    if not may_edit_block(actor, campaign, block):
        raise PermissionDenied(
            _("Only the block leader or the secretariat may change this scoring table.")
        )
