"""The write path of campaigns: the plan, its criteria and milestones, and block cycles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.org.models import BlockTerm, Unit, User
from thidua.org.permissions import (
    Action,
    Actor,
    authorize,
    is_block_deputy,
    is_block_leader,
    is_council_member_of,
    is_secretariat_of,
)

from .cycle import Owner, TransitionRefused, check_transition, find_transition
from .models import BlockCycle, Campaign, ContentGroup, Criterion, CycleStep, LegalBasis, Milestone
from .selectors import BlockYear, campaign_block_years, staff_date, term_opening_problem

CAMPAIGN_FIELDS = (
    "title",
    "theme",
    "plan_number",
    "plan_symbol",
    "plan_date",
    "plan_place",
    "signer_name",
    "signer_title",
    "starts_on",
    "ends_on",
    "purposes",
    "implementation",
)


def campaign_snapshot(campaign: Campaign) -> dict[str, Any]:
    data = {name: getattr(campaign, name) for name in CAMPAIGN_FIELDS}
    data["year"] = campaign.year
    data["agency"] = campaign.agency.code
    return data


@transaction.atomic
def campaign_save(
    *,
    actor: Actor,
    agency: Unit,
    year: int,
    campaign: Campaign | None = None,
    legal_bases: list[str] | None = None,
    **fields: Any,
) -> Campaign:
    authorize(actor, Action.CAMPAIGN_MANAGE, agency)
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"unknown campaign fields: {sorted(unknown)}")
    before = campaign_snapshot(campaign) if campaign else None
    if campaign is None:
        if Campaign.objects.filter(agency=agency, year=year).exists():
            raise ValidationError(
                {
                    "year": _("%(agency)s already has a campaign for %(year)s.")
                    % {"agency": agency, "year": year}
                }
            )
        campaign = Campaign(agency=agency, year=year)
    for name, value in fields.items():
        setattr(campaign, name, value.strip() if isinstance(value, str) else value)
    if campaign.ends_on and campaign.starts_on and campaign.ends_on < campaign.starts_on:
        raise ValidationError({"ends_on": _("The campaign ends before it starts.")})
    late = campaign.milestones.filter(due_on__gt=campaign.ends_on) if campaign.pk else None
    if late is not None and late.exists():
        raise ValidationError(
            {
                "ends_on": _("Milestone “%(title)s” falls after this end date.")
                % {"title": late.first()}
            }
        )
    campaign.full_clean()
    campaign.save()
    if legal_bases is not None:
        campaign.legal_bases.all().delete()
        LegalBasis.objects.bulk_create(
            LegalBasis(campaign=campaign, order=i, text=text.strip())
            for i, text in enumerate((t for t in legal_bases if t.strip()), start=1)
        )
    after = campaign_snapshot(campaign)
    if legal_bases is not None:
        after["legal_bases"] = [t.strip() for t in legal_bases if t.strip()]
    record(actor=actor, action=AuditAction.CAMPAIGN_SAVED, obj=campaign, before=before, after=after)
    return campaign


@transaction.atomic
def content_group_save(
    *,
    actor: Actor,
    campaign: Campaign,
    code: str,
    title: str,
    order: int,
    description: str = "",
    group: ContentGroup | None = None,
) -> ContentGroup:
    authorize(actor, Action.CAMPAIGN_MANAGE, campaign.agency)
    clash = ContentGroup.objects.filter(campaign=campaign, code=code.strip())
    if group is not None:
        clash = clash.exclude(pk=group.pk)
    if clash.exists():
        raise ValidationError({"code": _("The code “%(code)s” is already used.") % {"code": code}})
    group = group or ContentGroup(campaign=campaign)
    group.code, group.title, group.order = code.strip(), title.strip(), order
    group.description = description.strip()
    group.full_clean()
    group.save()
    record(
        actor=actor,
        action=AuditAction.CONTENT_GROUP_SAVED,
        obj=group,
        after={"campaign": campaign.pk, "code": group.code, "title": group.title},
    )
    return group


def _check_staff_date(criterion: Criterion, errors: dict[str, str]) -> None:
    campaign = criterion.group.campaign
    day = criterion.staff_counted_on
    if day is None:
        errors["staff_counted_on"] = _("Choose the day whose staff this share counts.")
    elif not campaign.starts_on <= day <= campaign.ends_on:
        errors["staff_counted_on"] = _(
            "“Staff counted on” must fall within the campaign (%(start)s – %(end)s)."
        ) % {
            "start": campaign.starts_on.strftime("%d/%m/%Y"),
            "end": campaign.ends_on.strftime("%d/%m/%Y"),
        }


def validate_criterion(criterion: Criterion) -> None:
    errors: dict[str, str] = {}
    if criterion.kind == Criterion.Kind.MEASURABLE:
        if not criterion.indicator:
            errors["indicator"] = _("A measurable criterion needs an indicator.")
        if not criterion.comparator:
            errors["comparator"] = _("A measurable criterion needs a comparison.")
        if criterion.threshold is None:
            errors["threshold"] = _("A measurable criterion needs a threshold.")
        if (
            criterion.indicator in ("staff_share_rated_at_least", "unit_rated_at_least")
            and not criterion.min_rating
        ):
            errors["min_rating"] = _("Choose the minimum rating this indicator counts.")
        if criterion.indicator == "staff_disciplined_at_least" and not criterion.min_discipline:
            errors["min_discipline"] = _("Choose the lightest disciplinary measure that counts.")
        if (
            criterion.indicator == "staff_share_rated_at_least"
            and criterion.threshold is not None
            and not Decimal(0) <= criterion.threshold <= Decimal(100)
        ):
            errors["threshold"] = _("A percentage must be between 0 and 100.")
        if criterion.indicator == "staff_share_rated_at_least":
            _check_staff_date(criterion, errors)
    if criterion.parent is not None and criterion.parent.group_id != criterion.group_id:
        errors["parent"] = _("The parent criterion belongs to another content group.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def criterion_save(
    *,
    actor: Actor,
    group: ContentGroup,
    code: str,
    text: str,
    order: int,
    criterion: Criterion | None = None,
    **fields: Any,
) -> Criterion:
    authorize(actor, Action.CAMPAIGN_MANAGE, group.campaign.agency)
    clash = Criterion.objects.filter(group=group, code=code.strip())
    if criterion is not None:
        clash = clash.exclude(pk=criterion.pk)
    if clash.exists():
        raise ValidationError({"code": _("The code “%(code)s” is already used.") % {"code": code}})
    criterion = criterion or Criterion(group=group)
    criterion.code, criterion.text, criterion.order = code.strip(), text.strip(), order
    for name, value in fields.items():
        setattr(criterion, name, value)
    if criterion.kind == Criterion.Kind.QUALITATIVE:
        criterion.indicator = criterion.comparator = ""
        criterion.threshold = None
        criterion.min_rating = criterion.min_discipline = ""
    if criterion.indicator != "staff_share_rated_at_least":
        criterion.staff_counted_on = None
    elif criterion.staff_counted_on is None:
        criterion.staff_counted_on = staff_date(criterion, group.campaign)
    validate_criterion(criterion)
    criterion.full_clean()
    criterion.save()
    record(
        actor=actor,
        action=AuditAction.CRITERION_SAVED,
        obj=criterion,
        after={
            "group": group.code,
            "code": criterion.code,
            "text": criterion.text,
            "indicator": criterion.indicator,
            "comparator": criterion.comparator,
            "threshold": criterion.threshold,
            "min_rating": criterion.min_rating,
            "min_discipline": criterion.min_discipline,
            "staff_counted_on": criterion.staff_counted_on,
        },
    )
    return criterion


@transaction.atomic
def milestone_save(
    *,
    actor: Actor,
    campaign: Campaign,
    kind: str,
    title: str,
    owner: str,
    due_on: dt.date,
    starts_on: dt.date | None = None,
    deliverable: str = "",
    recipient: str = "",
    milestone: Milestone | None = None,
) -> Milestone:
    authorize(actor, Action.CAMPAIGN_MANAGE, campaign.agency)
    errors: dict[str, str] = {}
    if due_on > campaign.ends_on:
        errors["due_on"] = _("The due date is after the campaign's end (%(date)s).") % {
            "date": campaign.ends_on.strftime("%d/%m/%Y")
        }
    if due_on < campaign.starts_on:
        errors["due_on"] = _("The due date is before the campaign's start (%(date)s).") % {
            "date": campaign.starts_on.strftime("%d/%m/%Y")
        }
    if starts_on is not None and starts_on > due_on:
        errors["starts_on"] = _("The start is after the due date.")
    if errors:
        raise ValidationError(errors)
    if milestone is None:
        # A double click or a retried request must not add the same milestone twice.
        same = campaign.milestones.filter(kind=kind, title=title.strip(), due_on=due_on).first()
        if same is not None:
            return same
    milestone = milestone or Milestone(campaign=campaign)
    milestone.kind, milestone.title, milestone.owner = kind, title.strip(), owner
    milestone.due_on, milestone.starts_on = due_on, starts_on
    milestone.deliverable, milestone.recipient = deliverable.strip(), recipient.strip()
    milestone.full_clean()
    milestone.save()
    record(
        actor=actor,
        action=AuditAction.MILESTONE_SAVED,
        obj=milestone,
        after={
            "kind": kind,
            "title": milestone.title,
            "owner": owner,
            "due_on": due_on,
            "starts_on": starts_on,
        },
    )
    return milestone


@transaction.atomic
def block_cycle_open(*, actor: Actor, campaign: Campaign, term: BlockTerm) -> BlockCycle:
    """Attach a block's term to the campaign of its year (idempotent)."""
    authorize(actor, Action.CAMPAIGN_MANAGE, campaign.agency)
    if term.year != campaign.year or term.block.agency_id != campaign.agency_id:
        raise ValidationError(
            _("This block term does not belong to the campaign's agency and year.")
        )
    existing = BlockCycle.objects.filter(term=term).first()
    if existing is not None:
        return existing
    problem = term_opening_problem(term)
    if problem:
        raise ValidationError(problem)
    cycle, created = BlockCycle.objects.get_or_create(term=term, defaults={"campaign": campaign})
    if created:
        record(
            actor=actor,
            action=AuditAction.CYCLE_OPENED,
            obj=cycle,
            after={"block": term.block.code, "year": term.year},
        )
    return cycle


@dataclass(frozen=True)
class OpenedYears:
    """What opening every block's year did: the years opened now, those already open,
    and each block refused with its reason (nothing written for it)."""

    opened: list[BlockCycle]
    already: list[BlockCycle]
    refused: list[BlockYear]


@transaction.atomic
def block_cycles_open(*, actor: Actor, campaign: Campaign) -> OpenedYears:
    """Open the year of every block of the agency that has a valid term for the campaign's
    year, in one action; a block without a term, or whose leader has left it, is refused
    with its reason and the others still open. Running it again opens nothing twice."""
    authorize(actor, Action.CAMPAIGN_MANAGE, campaign.agency)
    # One at a time per campaign: two secretaries clicking at once open each block once.
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    opened: list[BlockCycle] = []
    already: list[BlockCycle] = []
    refused: list[BlockYear] = []
    for row in campaign_block_years(campaign):
        if row.cycle is not None:
            already.append(row.cycle)
        elif row.problem or row.term is None:
            refused.append(row)
        else:
            opened.append(block_cycle_open(actor=actor, campaign=campaign, term=row.term))
    return OpenedYears(opened, already, refused)


def owners_of(actor: Any, term: BlockTerm) -> set[Owner]:
    owners: set[Owner] = set()
    if is_block_leader(actor, term):
        owners.add(Owner.BLOCK_LEADER)
    if is_block_deputy(actor, term):
        owners.add(Owner.BLOCK_DEPUTY)
    agency = term.block.agency
    if is_secretariat_of(actor, agency):
        owners.add(Owner.SECRETARIAT)
    if is_council_member_of(actor, agency):
        owners.add(Owner.COUNCIL)
    return owners


@transaction.atomic
def block_cycle_advance(
    *, actor: Actor, cycle: BlockCycle, target: str, note: str = "", via: str = ""
) -> BlockCycle:
    # Lock the row so two clicks (or two officers) cannot both take the same step.
    cycle = (
        BlockCycle.objects.select_for_update()
        .select_related("term__block__agency")
        .get(pk=cycle.pk)
    )
    owners = owners_of(actor, cycle.term)
    if not owners:
        raise PermissionDenied(_("You have no role in this block's year."))
    try:
        check_transition(source=cycle.state, target=target, actor_owners=owners, note=note, via=via)
    except TransitionRefused as refusal:
        raise ValidationError(str(refusal)) from refusal
    source = cycle.state
    cycle.state = target
    cycle.save(update_fields=["state", "updated_at"])
    CycleStep.objects.create(
        cycle=cycle,
        source=source,
        target=target,
        actor=actor if isinstance(actor, User) else None,
        note=note.strip(),
    )
    record(
        actor=actor,
        action=AuditAction.CYCLE_ADVANCED,
        obj=cycle,
        before={"state": source},
        after={"state": target},
        extra={"note": note.strip()},
    )
    return cycle


@transaction.atomic
def block_cycle_follow(*, actor: Actor, cycle: BlockCycle, target: str, via: str) -> bool:
    """Move the block's year to `target` because a workflow reached it (the reports closed,
    the scores final, the leading unit elected, the proposal sent…). The workflow's own
    service has already authorised the actor, so the step's owner is not checked again;
    a year not at the step just before `target` stays where it is (a late correction must
    not pull a block back). Returns whether the year moved."""
    cycle = BlockCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state == target:
        return False
    try:
        find_transition(cycle.state, target)
    except TransitionRefused:
        return False
    source = cycle.state
    cycle.state = target
    cycle.save(update_fields=["state", "updated_at"])
    CycleStep.objects.create(
        cycle=cycle,
        source=source,
        target=target,
        actor=actor if isinstance(actor, User) else None,
        note=via,
    )
    record(
        actor=actor,
        action=AuditAction.CYCLE_ADVANCED,
        obj=cycle,
        before={"state": source},
        after={"state": target},
        extra={"via": via},
    )
    return True
