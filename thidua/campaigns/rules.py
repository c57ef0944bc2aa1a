"""Checks on the campaigns' dated configuration, with messages naming the field."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from thidua.lib.dated import first_overlapping

if TYPE_CHECKING:
    from .models import DeadlineBands


def check_deadline_bands(bands: DeadlineBands) -> None:
    errors: dict[str, str] = {}
    if bands.valid_to is not None and bands.valid_from and bands.valid_to < bands.valid_from:
        errors["valid_to"] = _("“Valid to” is before “valid from”.")
    if None not in (bands.soon_days, bands.notice_days) and bands.soon_days > bands.notice_days:
        errors["soon_days"] = _(
            "“Marked soon from” cannot be more days than “suggested from” (%(days)s)."
        ) % {"days": bands.notice_days}
    if None not in (bands.urgent_days, bands.soon_days) and bands.urgent_days > bands.soon_days:
        errors["urgent_days"] = _(
            "“Marked urgent from” cannot be more days than “marked soon from” (%(days)s)."
        ) % {"days": bands.soon_days}
    if not (bands.legal_basis or "").strip():
        errors["legal_basis"] = _("Give the legal basis (the regulation that sets these days).")
    if bands.valid_from and "valid_to" not in errors:
        others = type(bands).objects.filter(agency_id=bands.agency_id).exclude(pk=bands.pk)
        other = first_overlapping(others, bands.valid_from, bands.valid_to)
        if other is not None:
            errors["valid_from"] = _(
                "These dates overlap the bands valid from %(day)s; end those first."
            ) % {"day": other.valid_from.strftime("%d/%m/%Y")}
    if errors:
        raise ValidationError(errors)


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
