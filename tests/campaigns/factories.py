"""Small factories for campaigns: a year's plan and the blocks' years attached to it, without
the demo year.

Built on tests/org/factories.py: rows are made through the services (so each has the audit
events it would have in real use), every argument is a keyword with a default, and codes are
unique per call. The default year is 2023, not the demo's 2021.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from tests.org.factories import make_admin, make_block, make_block_term, make_unit
from thidua.campaigns import services
from thidua.campaigns.models import BlockCycle, Campaign, Criterion, Milestone
from thidua.org.models import BlockTerm, Unit, User

YEAR = 2023

# kind → (owner, month the milestone falls due in); the day is the month's 15th.
MILESTONES: dict[str, tuple[str, int]] = {
    Milestone.Kind.COVENANT: ("block_leader", 1),
    Milestone.Kind.MIDYEAR: ("block_deputy", 6),
    Milestone.Kind.REPORTS: ("members", 11),
    Milestone.Kind.YEAREND: ("block_leader", 11),
    Milestone.Kind.COUNCIL: ("council", 12),
}


def make_campaign(
    *,
    agency: Unit | None = None,
    year: int = YEAR,
    title: str | None = None,
    criteria: int = 1,
    milestones: Iterable[str] = (Milestone.Kind.COVENANT,),
    actor: User | None = None,
) -> Campaign:
    """An agency's campaign for `year`, running the calendar year, with one content group
    holding `criteria` qualitative criteria and a milestone of each kind in `milestones`."""
    actor = actor or make_admin()
    agency = agency or make_unit()
    campaign = services.campaign_save(
        actor=actor,
        agency=agency,
        year=year,
        title=title or f"Kế hoạch thi đua năm {year}",
        starts_on=dt.date(year, 1, 1),
        ends_on=dt.date(year, 12, 31),
    )
    if criteria:
        group = services.content_group_save(
            actor=actor, campaign=campaign, code="1", title="Hoàn thành nhiệm vụ", order=1
        )
        for index in range(1, criteria + 1):
            services.criterion_save(
                actor=actor,
                group=group,
                code=f"1.{index}",
                text=f"Tiêu chí {index}",
                order=index,
                kind=Criterion.Kind.QUALITATIVE,
            )
    for kind in milestones:
        owner, month = MILESTONES[kind]
        services.milestone_save(
            actor=actor,
            campaign=campaign,
            kind=kind,
            title=f"Mốc {kind} năm {year}",
            owner=owner,
            due_on=dt.date(year, month, 15),
        )
    return campaign


def make_block_cycle(
    *,
    campaign: Campaign | None = None,
    term: BlockTerm | None = None,
    members: Iterable[Unit] | None = None,
    leader: Unit | None = None,
    deputy: Unit | None = None,
    actor: User | None = None,
) -> BlockCycle:
    """A block's year attached to `campaign` (a new campaign when none is given): by default
    a new block of the campaign's agency, its term in the campaign's year made of `members`
    (three new units when none are given) led by `leader`. The cycle starts in setup."""
    campaign = campaign or make_campaign()
    if term is None:
        term = make_block_term(
            block=make_block(agency=campaign.agency),
            year=campaign.year,
            members=members,
            leader=leader,
            deputy=deputy,
        )
    return services.block_cycle_open(actor=actor or make_admin(), campaign=campaign, term=term)
