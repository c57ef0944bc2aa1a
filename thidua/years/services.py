"""The write path of starting a year: one transaction that copies last year's plan as a
draft, creates the blocks' terms, and copies each block's scoring table as a new draft.

authorise → validate (the preview, rebuilt here from the database, never trusted from the
page) → write through each app's own services (their checks and audit events included)
→ one `years.year.started` event. Any refusal on the way undoes everything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.campaigns import services as campaign_services
from thidua.campaigns.models import Campaign, ContentGroup, Criterion
from thidua.org.models import Unit
from thidua.org.permissions import Action, Actor, authorize
from thidua.org.services.blocks import block_term_save
from thidua.scoring.services.tables import table_copy

from .planning import ShiftedDate
from .selectors import TermPlan, YearPreview, year_preview

CRITERION_COPIED = (
    "kind",
    "indicator",
    "comparator",
    "threshold",
    "min_rating",
    "min_discipline",
    "unit_of_measure",
    "legal_basis",
)
CAMPAIGN_COPIED = ("plan_symbol", "plan_place", "signer_title", "purposes", "implementation")


@dataclass(frozen=True)
class LeaderChoice:
    leader: int | None  # unit ids among the term's members
    deputy: int | None


@dataclass(frozen=True)
class YearChanges:
    """What the person changed in the preview before confirming."""

    title: str | None = None
    theme: str = ""
    milestone_dates: dict[int, dt.date] = field(default_factory=dict)  # by last year's pk
    leaders: dict[int, LeaderChoice] = field(default_factory=dict)  # by block pk
    skipped_blocks: frozenset[int] = frozenset()


def apply_changes(preview: YearPreview, changes: YearChanges) -> list[str]:
    """Apply the person's choices to the preview; return what is wrong with them."""
    errors: list[str] = []
    if changes.title is not None:
        preview.title = changes.title.strip()
    for plan in preview.milestones:
        day = changes.milestone_dates.get(plan.source.pk)
        if day is not None:
            plan.due = ShiftedDate(day, "")
    for term in preview.terms:
        if term.block.pk in changes.skipped_blocks and term.creates:
            term.skip = _("Left out on the preview.")
        choice = changes.leaders.get(term.block.pk)
        if choice is None or not term.creates:
            continue
        members = {u.pk: u for u in term.members}
        if choice.leader not in members or (
            choice.deputy is not None and choice.deputy not in members
        ):
            errors.append(
                _("%(block)s: the leader and the deputy must be members of the block.")
                % {"block": term.block}
            )
            continue
        term.leader = members[choice.leader]
        term.deputy = members[choice.deputy] if choice.deputy is not None else None
    return errors


def _copy_plan(actor: Actor, preview: YearPreview, theme: str) -> Campaign:
    source = preview.source
    campaign = campaign_services.campaign_save(
        actor=actor,
        agency=preview.agency,
        year=preview.year,
        legal_bases=preview.legal_bases,
        title=preview.title,
        theme=theme,
        starts_on=preview.starts_on,
        ends_on=preview.ends_on,
        **{name: getattr(source, name) for name in CAMPAIGN_COPIED},
    )
    groups: dict[int, ContentGroup] = {}
    for group in preview.groups:
        groups[group.pk] = campaign_services.content_group_save(
            actor=actor,
            campaign=campaign,
            code=group.code,
            title=group.title,
            order=group.order,
            description=group.description,
        )
    copied: dict[int, Criterion] = {}
    for criterion in preview.criteria:
        fields: dict[str, Any] = {name: getattr(criterion, name) for name in CRITERION_COPIED}
        if criterion.staff_counted_on is not None:
            fields["staff_counted_on"] = preview.shift(criterion.staff_counted_on)
        copied[criterion.pk] = campaign_services.criterion_save(
            actor=actor,
            group=groups[criterion.group_id],
            code=criterion.code,
            text=criterion.text,
            order=criterion.order,
            parent=copied[criterion.parent_id] if criterion.parent_id else None,
            **fields,
        )
    for plan in preview.milestones:
        m = plan.source
        with _naming(m.title):
            campaign_services.milestone_save(
                actor=actor,
                campaign=campaign,
                kind=m.kind,
                title=m.title,
                owner=m.owner,
                due_on=plan.due.day,
                starts_on=plan.starts.day if plan.starts else None,
                deliverable=m.deliverable,
                recipient=m.recipient,
            )
    return campaign


@contextmanager
def _naming(what: object) -> Iterator[None]:
    """A refusal of one row names that row (a milestone, a block), not only the field."""
    try:
        yield
    except ValidationError as error:
        raise ValidationError([f"{what}: {message}" for message in error.messages]) from error


def _create_term(actor: Actor, preview: YearPreview, campaign: Campaign, plan: TermPlan) -> None:
    if plan.leader is None:
        raise ValidationError(
            _("%(block)s: choose the leader of %(year)s.")
            % {"block": plan.block, "year": preview.year}
        )
    with _naming(plan.block):
        block_term_save(
            actor=actor,
            block=plan.block,
            year=preview.year,
            leader=plan.leader,
            deputy=plan.deputy,
            members=plan.members,
        )
    if plan.table is not None:
        table_copy(actor=actor, source=plan.table, campaign=campaign, block=plan.block)


@transaction.atomic
def year_start(
    *,
    actor: Actor,
    agency: Unit,
    year: int,
    from_year: int | None = None,
    changes: YearChanges | None = None,
) -> Campaign:
    """Start `year` of `agency` from last year (or `from_year`): all or nothing. A year
    that already has a plan is refused, so confirming twice creates nothing twice."""
    authorize(actor, Action.CAMPAIGN_MANAGE, agency)
    authorize(actor, Action.BLOCK_MANAGE, agency)
    # Two confirmations at once: the second waits here, then finds the year and refuses.
    Unit.objects.select_for_update().filter(pk=agency.pk).first()
    preview = year_preview(agency, year, from_year)
    changes = changes or YearChanges()
    errors = apply_changes(preview, changes)
    if errors:
        raise ValidationError(errors)
    campaign = _copy_plan(actor, preview, changes.theme)
    for plan in preview.new_terms:
        _create_term(actor, preview, campaign, plan)
    record(
        actor=actor,
        action=AuditAction.YEAR_STARTED,
        obj=campaign,
        after={
            "agency": agency.code,
            "year": year,
            "from_year": preview.source.year,
            "rule": preview.rule_kind.value,
            "criteria": len(preview.criteria),
            "milestones": len(preview.milestones),
            "terms": [t.block.code for t in preview.new_terms],
            "tables": [t.block.code for t in preview.tables],
        },
    )
    return campaign
