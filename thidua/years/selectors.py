"""The read path of starting a year: everything `year_start` will create, read from last
year's plan, blocks, scoring tables and council, with the proposals of `planning` applied.
The preview page, the command and the service all build the same `YearPreview`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from thidua.campaigns.models import Campaign, ContentGroup, Criterion, LegalBasis, Milestone
from thidua.lib.dated import agency_version, valid_on
from thidua.org.models import (
    Block,
    BlockMembership,
    BlockTerm,
    CouncilMember,
    Unit,
    UnitStatus,
)
from thidua.proposals.models import Dossier
from thidua.scoring.models import ScoringTable

from .models import LeaderRule
from .planning import LeaderRuleKind, ShiftedDate, propose_leaders, shift_date


@dataclass
class MilestonePlan:
    source: Milestone
    due: ShiftedDate
    starts: ShiftedDate | None

    @property
    def review(self) -> str:
        return " ".join(
            r for r in (self.starts.review if self.starts else "", self.due.review) if r
        )


@dataclass
class TermPlan:
    """A block's new term: last year's continuing members, the proposed leaders, and why
    anything departs from last year; `skip` says why no term is created."""

    block: Block
    source: BlockTerm
    members: list[Unit]
    dropped: list[str]
    leader: Unit | None
    deputy: Unit | None
    notes: list[str]
    skip: str = ""
    table: ScoringTable | None = None

    @property
    def creates(self) -> bool:
        return not self.skip


@dataclass
class YearPreview:
    agency: Unit
    year: int
    source: Campaign
    rule: LeaderRule | None
    title: str
    starts_on: dt.date
    ends_on: dt.date
    legal_bases: list[str]
    groups: list[ContentGroup]
    criteria: list[Criterion]
    milestones: list[MilestonePlan]
    terms: list[TermPlan]
    council_continuing: list[CouncilMember] = field(default_factory=list)
    council_ended: list[CouncilMember] = field(default_factory=list)

    @property
    def years(self) -> int:
        return self.year - self.source.year

    @property
    def rule_kind(self) -> LeaderRuleKind:
        return self.rule.kind if self.rule else LeaderRuleKind.KEEP

    @property
    def new_terms(self) -> list[TermPlan]:
        return [t for t in self.terms if t.creates]

    @property
    def tables(self) -> list[TermPlan]:
        return [t for t in self.new_terms if t.table is not None]

    def shift(self, day: dt.date) -> dt.date:
        return shift_date(day, self.years).day


def source_year(agency: Unit, year: int, from_year: int | None) -> Campaign:
    """The campaign to copy, or the refusal: the year already exists, or there is no
    earlier year (or not the one asked for) to copy from."""
    campaigns = Campaign.objects.filter(agency=agency)
    if campaigns.filter(year=year).exists():
        raise ValidationError(
            {
                "year": _("%(agency)s already has a plan for %(year)s: nothing was created.")
                % {"agency": agency, "year": year}
            }
        )
    if from_year is not None and from_year >= year:
        raise ValidationError(
            {"from_year": _("The year to copy from must come before %(year)s.") % {"year": year}}
        )
    source = (
        campaigns.filter(year=from_year)
        if from_year is not None
        else campaigns.filter(year__lt=year).order_by("-year")
    ).first()
    if source is None:
        message = (
            _("%(agency)s has no plan for %(from)s to copy from.")
            % {"agency": agency, "from": from_year}
            if from_year is not None
            else _("%(agency)s has no plan before %(year)s to copy from: type the plan instead.")
            % {"agency": agency, "year": year}
        )
        raise ValidationError({"from_year" if from_year is not None else "year": message})
    return source


def _leading_units(terms: list[BlockTerm]) -> dict[int, int]:
    """Each term's leading unit: the unit its year-end meeting proposed (the latest
    dossier sent to the council), by term id."""
    leading: dict[int, int] = {}
    dossiers = (
        Dossier.objects.filter(cycle__term__in=terms)
        .exclude(status__in=[Dossier.Status.DRAFT, Dossier.Status.RETURNED])
        .order_by("pk")
        .values_list("cycle__term_id", "unit_id")
    )
    for term_id, unit_id in dossiers:
        leading[term_id] = unit_id
    return leading


def _dropped_reason(unit: Unit) -> str:
    if unit.merged_into_id is not None:
        return _("“%(unit)s” was merged into “%(into)s”: not carried over.") % {
            "unit": unit,
            "into": unit.merged_into,
        }
    return _("“%(unit)s” has been closed: not carried over.") % {"unit": unit}


def _term_plans(agency: Unit, year: int, source: Campaign, kind: LeaderRuleKind) -> list[TermPlan]:
    terms = list(
        BlockTerm.objects.filter(block__agency=agency, year=source.year)
        .select_related("block", "leader", "deputy")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=BlockMembership.objects.select_related("unit__merged_into").order_by(
                    "unit__path"
                ),
            )
        )
        .order_by("block__code")
    )
    taken = set(
        BlockTerm.objects.filter(block__agency=agency, year=year).values_list("block_id", flat=True)
    )
    leading = _leading_units(terms)
    tables: dict[int, ScoringTable] = {}
    for table in ScoringTable.objects.filter(campaign=source, block__isnull=False).order_by(
        "block_id", "-version"
    ):
        tables.setdefault(table.block_id, table)  # type: ignore[arg-type]
    plans: list[TermPlan] = []
    for term in terms:
        units = [m.unit for m in term.memberships.all()]
        continuing = [u for u in units if u.status == UnitStatus.ACTIVE]
        proposal = propose_leaders(
            rule=kind,
            order=[u.pk for u in units],
            continuing={u.pk for u in continuing},
            last_leader=term.leader_id,
            last_deputy=term.deputy_id,
            leading_unit=leading.get(term.pk),
        )
        by_pk = {u.pk: u for u in continuing}
        skip = ""
        if term.block.is_archived:
            skip = _("The block is archived.")
        elif term.block_id in taken:
            skip = _("%(block)s already has a term for %(year)s: it is kept as it is.") % {
                "block": term.block,
                "year": year,
            }
        elif not continuing:
            skip = _("No member of last year continues.")
        plans.append(
            TermPlan(
                block=term.block,
                source=term,
                members=continuing,
                dropped=[_dropped_reason(u) for u in units if u.status != UnitStatus.ACTIVE],
                leader=by_pk.get(proposal.leader) if proposal.leader else None,
                deputy=by_pk.get(proposal.deputy) if proposal.deputy else None,
                notes=list(proposal.notes),
                skip=skip,
                table=tables.get(term.block_id),
            )
        )
    return plans


def _criteria(source: Campaign) -> list[Criterion]:
    """The plan's criteria, every parent before its children."""
    rows = list(
        Criterion.objects.filter(group__campaign=source)
        .select_related("group")
        .order_by("group__order", "order", "pk")
    )
    done: set[int] = set()
    ordered: list[Criterion] = []
    while len(ordered) < len(rows):
        ready = [
            c for c in rows if c.pk not in done and (c.parent_id is None or c.parent_id in done)
        ]
        if not ready:  # a cycle in the tree cannot be copied
            raise ValidationError(
                _("The criteria tree of %(year)s is broken.") % {"year": source.year}
            )
        ordered.extend(ready)
        done.update(c.pk for c in ready)
    return ordered


def year_preview(agency: Unit, year: int, from_year: int | None = None) -> YearPreview:
    """What starting `year` from last year (or `from_year`) creates; refuses a year that
    exists and a year with nothing to copy from."""
    source = source_year(agency, year, from_year)
    years = year - source.year
    rule: LeaderRule | None = agency_version(LeaderRule.objects.all(), agency, dt.date(year, 1, 1))
    kind = rule.kind if rule else LeaderRuleKind.KEEP
    milestones = [
        MilestonePlan(
            source=m,
            due=shift_date(m.due_on, years),
            starts=shift_date(m.starts_on, years) if m.starts_on else None,
        )
        for m in Milestone.objects.filter(campaign=source).order_by("due_on", "pk")
    ]
    council_seats = CouncilMember.objects.filter(council__agency=agency).select_related("person")
    first_day = dt.date(year, 1, 1)
    last_day = dt.date(source.year, 12, 31)
    return YearPreview(
        agency=agency,
        year=year,
        source=source,
        rule=rule,
        title=source.title.replace(str(source.year), str(year)),
        starts_on=shift_date(source.starts_on, years).day,
        ends_on=shift_date(source.ends_on, years).day,
        legal_bases=list(
            LegalBasis.objects.filter(campaign=source)
            .order_by("order")
            .values_list("text", flat=True)
        ),
        groups=list(ContentGroup.objects.filter(campaign=source).order_by("order")),
        criteria=_criteria(source),
        milestones=milestones,
        terms=_term_plans(agency, year, source, kind),
        council_continuing=list(council_seats.filter(valid_on(first_day)).order_by("role", "pk")),
        council_ended=list(
            council_seats.filter(valid_on(last_day))
            .exclude(valid_on(first_day))
            .order_by("role", "pk")
        ),
    )
