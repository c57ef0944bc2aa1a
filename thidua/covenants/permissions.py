"""Who may see or act on a block's covenant, beyond the org-wide predicates of
`thidua.org.permissions`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from thidua.campaigns.models import BlockCycle
from thidua.org.models import Block, BlockTerm
from thidua.org.permissions import (
    Action,
    Actor,
    can,
    headed_unit_ids,
    is_council_member_of,
    is_secretariat_of,
    member_unit_ids,
)


def may_see_block(user: Any, cycle: BlockCycle) -> bool:
    """The agency's secretariat and council, and the people of the block's member units."""
    agency = cycle.term.block.agency
    if is_secretariat_of(user, agency) or is_council_member_of(user, agency):
        return True
    member_ids = {m.unit_id for m in cycle.term.memberships.all()}
    return bool(member_unit_ids(user) & member_ids)


def require_secretariat(actor: Actor, term: BlockTerm) -> None:
    if not is_secretariat_of(actor, term.block.agency):
        raise PermissionDenied(_("Only the secretariat may do this."))


def may_see_dossier(actor: Actor, campaign: Any, block: Block) -> bool:
    """The agency's secretariat (DOCUMENT_ISSUE) and the block's leader and deputy units'
    heads for the campaign's year."""
    if can(actor, Action.DOCUMENT_ISSUE, campaign.agency):
        return True
    term = BlockTerm.objects.filter(block=block, year=campaign.year).first()
    if term is None:
        return False
    heads = headed_unit_ids(actor)
    return term.leader_id in heads or (term.deputy_id is not None and term.deputy_id in heads)
