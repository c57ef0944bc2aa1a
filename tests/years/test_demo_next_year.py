"""The demo's finished 2021 starts 2022: its plan (6 groups, 19 criteria, 6 milestones),
both blocks with their members and leaders, both scoring tables, then Khối 1 of 2022 drafts
its covenant."""

from __future__ import annotations

import datetime as dt

from thidua.campaigns import services as campaign_services
from thidua.campaigns.models import Campaign, Criterion
from thidua.covenants.services import covenant_start
from thidua.org.models import BlockTerm
from thidua.scoring.models import ScoringTable
from thidua.years.selectors import year_preview
from thidua.years.services import year_start

AGENCY = "SVHTTDL"


def test_2022_starts_from_the_demo_year_and_khoi_1_drafts_its_covenant(persona, settings):
    lan, minh = persona("lan"), persona("minh")
    source = Campaign.objects.get(year=2021)
    agency = source.agency
    preview = year_preview(agency, 2022)
    assert len(preview.criteria) == Criterion.objects.filter(group__campaign=source).count()
    assert len(preview.council_continuing) == 5

    campaign = year_start(actor=lan, agency=agency, year=2022)

    assert campaign.groups.count() == source.groups.count()
    assert campaign.milestones.count() == source.milestones.count()
    assert Criterion.objects.filter(group__campaign=campaign).count() == len(preview.criteria)
    for old, new in zip(
        source.milestones.order_by("due_on"), campaign.milestones.order_by("due_on"), strict=True
    ):
        assert (new.due_on.day, new.due_on.month, new.due_on.year) == (
            old.due_on.day,
            old.due_on.month,
            old.due_on.year + 1,
        )
    for old in BlockTerm.objects.filter(block__agency=agency, year=2021):
        new = BlockTerm.objects.get(block=old.block, year=2022)
        assert (new.leader, new.deputy) == (old.leader, old.deputy)  # no rule: kept
        assert {m.unit for m in new.memberships.all()} == {m.unit for m in old.memberships.all()}
        assert new.decision_number == ""
    assert ScoringTable.objects.filter(campaign=campaign, block__isnull=False).count() == (
        ScoringTable.objects.filter(campaign=source, block__isnull=False)
        .values("block")
        .distinct()
        .count()
    )

    opened = campaign_services.block_cycles_open(actor=lan, campaign=campaign)
    k1 = next(c for c in opened.opened if c.term.block.code == "K1")
    campaign_services.block_cycle_advance(actor=lan, cycle=k1, target="covenant_draft")
    settings.THIDUA_TODAY = "2022-01-03"
    covenant = covenant_start(actor=minh, cycle=k1)

    assert covenant.term.year == 2022 and covenant.deadline.year == 2022
    assert covenant.items.count() == len(preview.criteria)
    assert dt.date(2022, 1, 1) <= covenant.deadline
