"""The read path of campaigns, including the evaluation of measurable criteria.

Evaluation aggregates in the database (one query per indicator configuration for all
units), then hands plain counts to the pure rules in `indicators`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from thidua.documents.models import IssuedDocument
from thidua.lib.dated import valid_on
from thidua.lib.dates import today, year_end
from thidua.org.models import (
    DISCIPLINE_SEVERITY,
    RATING_RANK,
    Block,
    BlockTerm,
    DisciplineRecord,
    Employment,
    StaffRating,
    Unit,
    UnitRating,
    UnitStatus,
)
from thidua.org.permissions import active_assignments

from .cycle import OWNER_LABELS, STATE_LABELS, CycleState, Owner, transitions_from
from .indicators import Evaluation, Indicator, evaluate_count, evaluate_flag, evaluate_share
from .models import BlockCycle, Campaign, ContentGroup, Criterion, DeadlineBands, Milestone
from .rules import opening_problem


def campaign_current(agency: Unit | None = None, on: dt.date | None = None) -> Campaign | None:
    """The campaign running on a day (or the latest one that has started)."""
    day = on or today()
    campaigns = Campaign.objects.select_related("agency")
    if agency is not None:
        campaigns = campaigns.filter(agency=agency)
    running = (
        campaigns.filter(valid_on(day, start="starts_on", end="ends_on")).order_by("-year").first()
    )
    return (
        running
        or campaigns.filter(starts_on__lte=day).order_by("-year").first()
        or (campaigns.order_by("year").first())
    )


def campaigns_visible(user: Any) -> QuerySet[Campaign]:
    """The campaigns a person may see: those of an agency they work in or above (a staff
    member sees their Department's plan), and of every agency inside a scope held with its
    descendants (a City's administrator sees its Departments'). Never another agency's."""
    campaigns = Campaign.objects.select_related("agency")
    if getattr(user, "is_superuser", False):
        return campaigns
    paths: set[str] = set()
    q = Q(pk__in=[])
    for assignment in active_assignments(user):
        path = assignment.unit.path
        # Every ancestor of the assigned unit, itself included ("12/40/" → "12/", "12/40/").
        parts = path.strip("/").split("/")
        paths.update("/".join(parts[: i + 1]) + "/" for i in range(len(parts)))
        if assignment.include_descendants:
            q |= Q(agency__path__startswith=path)
    return campaigns.filter(q | Q(agency__path__in=paths))


def campaign_visible_or_404(user: Any, pk: int) -> Campaign:
    """One campaign the person may see; another agency's is not found, not refused, so its
    existence is not disclosed."""
    return get_object_or_404(campaigns_visible(user), pk=pk)


def campaign_detail(pk: int) -> Campaign:
    groups = ContentGroup.objects.prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.order_by("order"))
    )
    return (
        Campaign.objects.select_related("agency")
        .prefetch_related(
            "legal_bases",
            Prefetch("groups", queryset=groups),
            "milestones",
            Prefetch(
                "cycles",
                queryset=BlockCycle.objects.select_related(
                    "term__block", "term__leader", "term__deputy"
                ),
            ),
        )
        .get(pk=pk)
    )


def term_opening_problem(term: BlockTerm) -> str:
    """Why `term` cannot join the campaign of its year (empty when it can)."""
    return opening_problem(
        block=term.block,
        year=term.year,
        has_term=True,
        leader=term.leader,
        leader_is_member=any(m.unit_id == term.leader_id for m in term.memberships.all()),
        leader_is_active=term.leader.status == UnitStatus.ACTIVE,
    )


@dataclass(frozen=True)
class BlockYear:
    """A block of the campaign's agency and its year: the term, the year opened in the
    campaign (or not yet), and why it cannot be opened."""

    block: Block
    term: BlockTerm | None
    cycle: BlockCycle | None
    problem: str

    @property
    def may_open(self) -> bool:
        return self.cycle is None and not self.problem


def campaign_block_years(campaign: Campaign) -> list[BlockYear]:
    """Every block of the agency (archived ones only when they have a term for the year),
    in code order, in three queries."""
    terms = {
        t.block_id: t
        for t in BlockTerm.objects.filter(block__agency=campaign.agency_id, year=campaign.year)
        .select_related("block", "leader", "deputy")
        .prefetch_related("memberships")
    }
    cycles = {c.term_id: c for c in BlockCycle.objects.filter(term__in=terms.values())}
    rows: list[BlockYear] = []
    for block in Block.objects.filter(agency=campaign.agency_id).order_by("code"):
        term = terms.get(block.pk)
        if term is None and block.is_archived:
            continue
        cycle = cycles.get(term.pk) if term else None
        if term is None:
            problem = opening_problem(block=block, year=campaign.year, has_term=False)
        else:
            problem = "" if cycle else term_opening_problem(term)
        rows.append(BlockYear(block, term, cycle, problem))
    return rows


def campaign_documents(campaign: Campaign) -> QuerySet[IssuedDocument]:
    """The documents issued for the campaign, newest first."""
    return (
        IssuedDocument.objects.filter(campaign=campaign)
        .select_related("doc_type", "issuer", "block")
        .order_by("-issued_on", "-pk")
    )


def campaign_criteria(campaign: Campaign) -> list[Criterion]:
    return list(
        Criterion.objects.filter(group__campaign=campaign)
        .select_related("group")
        .order_by("group__order", "order")
    )


def milestones_upcoming(campaign: Campaign, on: dt.date | None = None) -> list[Milestone]:
    day = on or today()
    return list(campaign.milestones.filter(due_on__gte=day).order_by("due_on"))


@dataclass(frozen=True)
class Phase:
    milestone: Milestone
    status: str  # "done", "current" (the next one due) or "upcoming"
    days_left: int


def campaign_timeline(campaign: Campaign, on: dt.date | None = None) -> list[Phase]:
    day = on or today()
    phases: list[Phase] = []
    current_marked = False
    for milestone in campaign.milestones.all():
        if milestone.due_on < day:
            status = "done"
        elif not current_marked:
            status = "current"
            current_marked = True
        else:
            status = "upcoming"
        phases.append(Phase(milestone, status, (milestone.due_on - day).days))
    return phases


def cycle_next_steps(cycle: BlockCycle) -> list[Any]:
    return transitions_from(cycle.state)


def cycle_state_counts(campaign: Campaign) -> dict[str, int]:
    counts = dict(campaign.cycles.values_list("state").annotate(n=Count("id")))
    return {str(STATE_LABELS[CycleState(s)]): n for s, n in counts.items()}


def staff_date(criterion: Criterion, campaign: Campaign) -> dt.date:
    """The day whose staff a criterion counts: its configured `staff_counted_on`, by default
    (a criterion saved before the field existed is migrated to it) 31/12 of the campaign's
    year."""
    return criterion.staff_counted_on or year_end(campaign.year)


def deadline_bands(agency: Unit | int | None, on: dt.date) -> DeadlineBands | None:
    """The bands of `agency` (or its id) valid on `on`, else those for every agency."""
    return DeadlineBands.in_force(agency, on)


def staff_rating_counts(
    unit_ids: Sequence[int], *, year: int, min_rank: int, on: dt.date
) -> dict[int, tuple[int, int]]:
    """For each unit: (staff rated at least `min_rank` in `year`, staff employed on `on`)."""
    rows = (
        Employment.objects.filter(valid_on(on), unit_id__in=unit_ids)
        .values("unit_id")
        .annotate(
            total=Count("person_id", distinct=True),
            good=Count(
                "person_id",
                filter=Q(person__ratings__year=year, person__ratings__rating_rank__gte=min_rank),
                distinct=True,
            ),
        )
    )
    return {row["unit_id"]: (row["good"], row["total"]) for row in rows}


def discipline_counts(unit_ids: Sequence[int], *, year: int, min_severity: int) -> dict[int, int]:
    rows = (
        DisciplineRecord.objects.filter(
            unit_id__in=unit_ids, decided_on__year=year, severity__gte=min_severity
        )
        .values("unit_id")
        .annotate(n=Count("person_id", distinct=True))
    )
    return {row["unit_id"]: row["n"] for row in rows}


def unit_rating_ranks(unit_ids: Sequence[int], *, year: int) -> dict[int, int]:
    return dict(
        UnitRating.objects.filter(unit_id__in=unit_ids, year=year).values_list(
            "unit_id", "rating_rank"
        )
    )


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    unit_id: int
    evaluation: Evaluation


def evaluate_measurable(
    campaign: Campaign, unit_ids: Sequence[int], criteria: Sequence[Criterion] | None = None
) -> dict[tuple[int, int], Evaluation]:
    """Evaluate every computed criterion for every unit: {(criterion_id, unit_id): Evaluation}.

    Criteria sharing a configuration share one aggregate query.
    """
    criteria = [c for c in (criteria or campaign_criteria(campaign)) if c.is_computed]
    results: dict[tuple[int, int], Evaluation] = {}
    share_cache: dict[tuple[int, dt.date], dict[int, tuple[int, int]]] = {}
    discipline_cache: dict[int, dict[int, int]] = {}
    unit_ranks: dict[int, int] | None = None
    for criterion in criteria:
        assert criterion.threshold is not None
        if criterion.indicator == Indicator.STAFF_SHARE_RATED_AT_LEAST:
            key = (RATING_RANK[criterion.min_rating], staff_date(criterion, campaign))
            if key not in share_cache:
                share_cache[key] = staff_rating_counts(
                    unit_ids, year=campaign.year, min_rank=key[0], on=key[1]
                )
            for unit_id in unit_ids:
                good, total = share_cache[key].get(unit_id, (0, 0))
                results[(criterion.pk, unit_id)] = evaluate_share(
                    good=good,
                    total=total,
                    comparator=criterion.comparator,
                    threshold=criterion.threshold,
                )
        elif criterion.indicator == Indicator.STAFF_DISCIPLINED_AT_LEAST:
            severity = DISCIPLINE_SEVERITY[criterion.min_discipline]
            if severity not in discipline_cache:
                discipline_cache[severity] = discipline_counts(
                    unit_ids, year=campaign.year, min_severity=severity
                )
            for unit_id in unit_ids:
                results[(criterion.pk, unit_id)] = evaluate_count(
                    count=discipline_cache[severity].get(unit_id, 0),
                    comparator=criterion.comparator,
                    threshold=criterion.threshold,
                )
        elif criterion.indicator == Indicator.UNIT_RATED_AT_LEAST:
            if unit_ranks is None:
                unit_ranks = unit_rating_ranks(unit_ids, year=campaign.year)
            min_rank = RATING_RANK[criterion.min_rating]
            for unit_id in unit_ids:
                rank = unit_ranks.get(unit_id)
                results[(criterion.pk, unit_id)] = evaluate_flag(
                    holds=None if rank is None else rank >= min_rank,
                    comparator=criterion.comparator,
                    threshold=criterion.threshold,
                )
    return results


def campaign_units(campaign: Campaign) -> QuerySet[Unit]:
    """The member units of every block taking part in the campaign."""
    return (
        Unit.objects.filter(block_memberships__term__cycle__campaign=campaign)
        .order_by("path")
        .distinct()
    )


def evaluation_matrix(campaign: Campaign) -> dict[str, Any]:
    """Rows per block and unit, columns per computed criterion, for the plan page."""
    criteria = [c for c in campaign_criteria(campaign) if c.is_computed]
    cycles = list(
        campaign.cycles.select_related("term__block").prefetch_related("term__memberships__unit")
    )
    unit_ids = [m.unit_id for c in cycles for m in c.term.memberships.all()]
    results = evaluate_measurable(campaign, unit_ids, criteria)
    per_block: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for cycle in cycles:
        for membership in cycle.term.memberships.all():
            per_block[cycle.term.block.name].append(
                {
                    "unit": membership.unit,
                    "cells": [results[(c.pk, membership.unit_id)] for c in criteria],
                }
            )
    days = {
        staff_date(c, campaign)
        for c in criteria
        if c.indicator == Indicator.STAFF_SHARE_RATED_AT_LEAST
    }
    on = days.pop() if len(days) == 1 else None
    return {"criteria": criteria, "blocks": dict(per_block), "on": on}


@dataclass
class BlockCard:
    cycle: BlockCycle
    my_roles: list[str]
    actions: list[Any]


@dataclass
class Dashboard:
    campaign: Campaign | None
    timeline: list[Phase]
    next_due: list[Phase]
    blocks: list[BlockCard]
    state_counts: dict[str, int]
    my_units: list[Unit]
    is_secretariat: bool
    is_council: bool
    my_ratings: list[StaffRating] = field(default_factory=list)


def dashboard_for(user: Any) -> Dashboard:
    """What the person sees first: their blocks in the current campaign, what is due next
    and by whom, and the steps they can take now. A constant number of queries."""
    from thidua.campaigns.services import owners_of
    from thidua.org.permissions import (
        is_council_member_of,
        is_secretariat_of,
        member_unit_ids,
    )

    unit_ids = member_unit_ids(user)
    my_units = list(Unit.objects.filter(pk__in=unit_ids).order_by("path"))
    person_id = getattr(user, "person_id", None)
    my_ratings = list(StaffRating.objects.filter(person_id=person_id)) if person_id else []
    agency = _agency_of(user, my_units)
    campaign = campaign_current(agency)
    if campaign is None:
        return Dashboard(None, [], [], [], {}, my_units, False, False, my_ratings)
    secretariat = is_secretariat_of(user, campaign.agency)
    council = is_council_member_of(user, campaign.agency)
    cycles = (
        campaign.cycles.select_related("term__block__agency", "term__leader", "term__deputy")
        .prefetch_related("term__memberships")
        .order_by("term__block__code")
    )
    cards: list[BlockCard] = []
    for cycle in cycles:
        member_ids = {m.unit_id for m in cycle.term.memberships.all()}
        mine = bool(member_ids & unit_ids)
        if not (mine or secretariat or council or getattr(user, "is_superuser", False)):
            continue
        owners = owners_of(user, cycle.term)
        roles = [str(OWNER_LABELS[o]) for o in owners]
        if mine and not owners:
            roles.append(str(OWNER_LABELS[Owner.MEMBERS]))
        # Workflow steps (the covenant) are taken on their own page, linked from the card.
        actions = [t for t in transitions_from(cycle.state) if t.owner in owners and not t.workflow]
        cards.append(BlockCard(cycle, roles, actions))
    timeline = campaign_timeline(campaign)
    next_due = [p for p in timeline if p.status != "done"][:3]
    counts = cycle_state_counts(campaign) if (secretariat or council) else {}
    return Dashboard(
        campaign, timeline, next_due, cards, counts, my_units, secretariat, council, my_ratings
    )


def _agency_of(user: Any, units: list[Unit]) -> Unit | None:
    """The agency whose campaign the user follows: the nearest agency above their units."""
    paths = [u.path for u in units] + [a.unit.path for a in active_assignments(user)]
    if not paths:
        return None
    ids = {int(part) for path in paths for part in path.strip("/").split("/") if part}
    agencies = Unit.objects.filter(pk__in=ids, kind="agency").order_by("-path")
    with_campaign = agencies.filter(campaigns__isnull=False).distinct()
    return with_campaign.first() or agencies.first()


# What is due ---------------------------------------------------------------------------------

# A block whose year has reached this state has done what a milestone of the kind asks.
MILESTONE_DONE_FROM: dict[str, CycleState] = {
    Milestone.Kind.COVENANT: CycleState.ACTIVE,
    Milestone.Kind.MIDYEAR: CycleState.MIDYEAR_REVIEWED,
    Milestone.Kind.REPORTS: CycleState.REPORTS_COLLECTED,
    Milestone.Kind.YEAREND: CycleState.LEADER_ELECTED,
    Milestone.Kind.COUNCIL: CycleState.SUBMITTED_TO_CITY,
}
_STATE_ORDER = {state: index for index, state in enumerate(CycleState)}


def campaign_cycles(campaign: Campaign) -> list[BlockCycle]:
    """The campaign's block years with their block, leader, deputy and members, by block
    code: what the home page and the reminders walk to find who owes what."""
    return list(
        campaign.cycles.select_related("term__block", "term__leader", "term__deputy")
        .prefetch_related("term__memberships")
        .order_by("term__block__code")
    )


def cycle_has_reached(cycle: BlockCycle, state: CycleState) -> bool:
    return _STATE_ORDER[CycleState(cycle.state)] >= _STATE_ORDER[state]


def cycle_owes(cycle: BlockCycle, milestone: Milestone) -> bool:
    """Whether the block still owes what the milestone asks (its year has not passed it)."""
    done_from = MILESTONE_DONE_FROM.get(milestone.kind)
    return done_from is None or not cycle_has_reached(cycle, done_from)


def campaigns_listed(*, year: int | None = None, agency: str | None = None) -> QuerySet[Campaign]:
    """The API's list of plans: newest year first, then by agency code; a stable order."""
    campaigns = Campaign.objects.select_related("agency")
    if year is not None:
        campaigns = campaigns.filter(year=year)
    if agency:
        campaigns = campaigns.filter(agency__code=agency)
    return campaigns.order_by("-year", "agency__code", "pk")


def cycles_listed(
    *,
    year: int | None = None,
    agency: str | None = None,
    block: str | None = None,
    unit: str | None = None,
) -> QuerySet[BlockCycle]:
    """The API's list of blocks' years, with their members in two queries whatever the page
    size; `unit` keeps the years the unit is a member of."""
    cycles = BlockCycle.objects.select_related(
        "term__block__agency", "term__leader", "term__deputy"
    ).prefetch_related("term__memberships__unit")
    if year is not None:
        cycles = cycles.filter(term__year=year)
    if agency:
        cycles = cycles.filter(term__block__agency__code=agency)
    if block:
        cycles = cycles.filter(term__block__code=block)
    if unit:
        cycles = cycles.filter(term__memberships__unit__code=unit)
    return cycles.order_by("-term__year", "term__block__agency__code", "term__block__code", "pk")
