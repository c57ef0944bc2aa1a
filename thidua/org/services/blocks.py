"""Emulation blocks and their yearly terms (leader, deputy, members)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record

from ..models import (
    Block,
    BlockMembership,
    BlockTerm,
    Unit,
    UnitStatus,
)
from ..permissions import Action, Actor, authorize


@transaction.atomic
def block_create(*, actor: Actor, agency: Unit, code: str, name: str, kind: str) -> Block:
    authorize(actor, Action.BLOCK_MANAGE, agency)
    code = code.strip()
    if not code or not name.strip():
        raise ValidationError({"name": _("The code and the name are required.")})
    if Block.objects.filter(agency=agency, code=code).exists():
        raise ValidationError({"code": _("The code “%(code)s” is already used.") % {"code": code}})
    block = Block.objects.create(agency=agency, code=code, name=name.strip(), kind=kind)
    record(
        actor=actor,
        action=AuditAction.BLOCK_CREATED,
        obj=block,
        after={"agency": agency.code, "code": code, "name": block.name},
    )
    return block


def block_term_snapshot(term: BlockTerm) -> dict[str, Any]:
    return {
        "block": term.block.code,
        "year": term.year,
        "leader": term.leader.code,
        "deputy": term.deputy.code if term.deputy else None,
        "members": sorted(m.unit.code for m in term.memberships.select_related("unit")),
        "decision_number": term.decision_number,
        "decision_date": term.decision_date,
        "decision_signer": term.decision_signer,
    }


def _validate_term(
    *,
    block: Block,
    year: int,
    leader: Unit,
    deputy: Unit | None,
    members: Sequence[Unit],
    term: BlockTerm | None,
) -> None:
    errors: dict[str, list[str]] = {}
    member_ids = {m.pk for m in members}
    if not members:
        errors.setdefault("members", []).append(_("A block needs at least one member."))
    if leader.pk not in member_ids:
        errors.setdefault("leader", []).append(
            _("The leader “%(unit)s” must be a member of the block.") % {"unit": leader}
        )
    if deputy is not None:
        if deputy.pk not in member_ids:
            errors.setdefault("deputy", []).append(
                _("The deputy “%(unit)s” must be a member of the block.") % {"unit": deputy}
            )
        if deputy.pk == leader.pk:
            errors.setdefault("deputy", []).append(
                _("The leader and the deputy must be different units.")
            )
    for unit in members:
        if not unit.path.startswith(block.agency.path) or unit.pk == block.agency_id:
            errors.setdefault("members", []).append(
                _("“%(unit)s” does not belong to %(agency)s.")
                % {"unit": unit, "agency": block.agency}
            )
        elif unit.status != UnitStatus.ACTIVE:
            errors.setdefault("members", []).append(
                _("“%(unit)s” is no longer active.") % {"unit": unit}
            )
    taken = BlockMembership.objects.filter(
        agency=block.agency, year=year, unit__in=members
    ).select_related("term__block", "unit")
    if term is not None:
        taken = taken.exclude(term=term)
    for membership in taken:
        errors.setdefault("members", []).append(
            _(
                "“%(unit)s” is already in %(block)s in %(year)s; a unit can be in only one block "
                "of an agency per year."
            )
            % {"unit": membership.unit, "block": membership.term.block, "year": year}
        )
    if term is None and BlockTerm.objects.filter(block=block, year=year).exists():
        errors.setdefault("year", []).append(
            _("%(block)s already has a term for %(year)s; edit that term instead.")
            % {"block": block, "year": year}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def block_term_save(
    *,
    actor: Actor,
    block: Block,
    year: int,
    leader: Unit,
    deputy: Unit | None,
    members: Iterable[Unit],
    decision_number: str = "",
    decision_date: dt.date | None = None,
    decision_signer: str = "",
    term: BlockTerm | None = None,
) -> BlockTerm:
    """Create a block's term for a year, or replace an existing term's leaders and members."""
    authorize(actor, Action.BLOCK_MANAGE, block.agency)
    members = list({m.pk: m for m in members}.values())
    if term is not None:
        year = term.year
    _validate_term(block=block, year=year, leader=leader, deputy=deputy, members=members, term=term)
    before = block_term_snapshot(term) if term else None
    if term is None:
        term = BlockTerm(block=block, year=year)
    term.leader, term.deputy = leader, deputy
    term.decision_number = decision_number.strip()
    term.decision_date = decision_date
    term.decision_signer = decision_signer.strip()
    try:
        with transaction.atomic():
            term.save()
            term.memberships.exclude(unit__in=members).delete()
            existing = set(term.memberships.values_list("unit_id", flat=True))
            BlockMembership.objects.bulk_create(
                BlockMembership(term=term, unit=u, agency=block.agency, year=term.year)
                for u in members
                if u.pk not in existing
            )
    except IntegrityError as exc:
        # A concurrent save took the same unit or year first; report it like the check above.
        raise ValidationError(
            _(
                "Another change to the blocks of %(year)s was saved at the same moment; "
                "reload the page and try again."
            )
            % {"year": year}
        ) from exc
    after = block_term_snapshot(term)
    if before != after:
        record(
            actor=actor, action=AuditAction.BLOCK_TERM_SAVED, obj=term, before=before, after=after
        )
    return term
