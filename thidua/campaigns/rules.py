"""Pure checks of the campaigns, with messages naming what is wrong. (The deadline bands'
checks are the model's own: `DeadlineBands.rule_errors`.)"""

from __future__ import annotations

from django.utils.translation import gettext as _


def opening_problem(
    *,
    block: object,
    year: int,
    has_term: bool,
    leader: object = None,
    leader_is_member: bool = True,
    leader_is_active: bool = True,
) -> str:
    """Why a block's year cannot join the campaign of `year` (empty when it can): the
    block has no term for the year, or the term's leader has left the block (it is no
    longer a member, or the unit has been closed)."""
    if not has_term:
        return _("%(block)s has no term for %(year)s: give it its members and leaders first.") % {
            "block": block,
            "year": year,
        }
    if not leader_is_member:
        return _(
            "The leader of %(block)s in %(year)s, “%(unit)s”, is no longer a member of the block: "
            "name another leader first."
        ) % {"block": block, "year": year, "unit": leader}
    if not leader_is_active:
        return _(
            "The leader of %(block)s in %(year)s, “%(unit)s”, has been closed (dissolved, merged "
            "or archived): name another leader first."
        ) % {"block": block, "year": year, "unit": leader}
    return ""
