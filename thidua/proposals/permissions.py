"""Who may do what with dossiers and proposals: the block's leader or deputy prepares its
dossier; the council's standing body (Action.PROPOSAL_REVIEW, the secretariat) reviews; the
council's members read the dossiers before the session."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from thidua.campaigns.models import BlockCycle
from thidua.org.models import Unit
from thidua.org.permissions import (
    Action,
    Actor,
    authorize,
    can,
    is_block_deputy,
    is_block_leader,
    is_council_member_of,
)

from .models import (
    Dossier,
)


def agency_of(dossier: Dossier) -> Unit:
    return dossier.cycle.campaign.agency


def may_prepare(actor: Actor, cycle: BlockCycle) -> bool:
    return is_block_leader(actor, cycle.term) or is_block_deputy(actor, cycle.term)


def may_review(actor: Actor, agency: Unit) -> bool:
    return can(actor, Action.PROPOSAL_REVIEW, agency)


def may_view(actor: Actor, dossier: Dossier) -> bool:
    """The block's leader and deputy, the standing body, and the council's members (who read
    the dossiers before the session)."""
    agency = agency_of(dossier)
    return (
        may_prepare(actor, dossier.cycle)
        or may_review(actor, agency)
        or is_council_member_of(actor, agency)
    )


def require_preparer(actor: Actor, cycle: BlockCycle) -> None:
    if not may_prepare(actor, cycle):
        raise PermissionDenied(_("Only the block's leader or deputy prepares its dossier."))


def require_reviewer(actor: Actor, dossier: Dossier) -> None:
    authorize(actor, Action.PROPOSAL_REVIEW, agency_of(dossier))
