"""Starting a year from the last one, on an agency made by the factories (2031 from 2030):
the plan as a draft, the blocks' terms by the agency's rule, the scoring tables as new
drafts, all or nothing, never twice; then a block of the new year drafts its covenant."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from tests.campaigns.factories import make_campaign
from tests.org.factories import (
    make_admin,
    make_block,
    make_block_term,
    make_person,
    make_unit,
    make_user,
)
from tests.org.helpers import nothing_written, text
from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.campaigns import services as campaign_services
from thidua.campaigns.models import Campaign, Criterion, Milestone
from thidua.covenants.services import covenant_start
from thidua.org.models import BlockTerm, Role, Unit, User
from thidua.org.services.councils import council_member_add, council_save
from thidua.org.services.units import unit_archive
from thidua.scoring.models import ScoringTable
from thidua.scoring.services.tables import table_create
from thidua.years.models import LeaderRule
from thidua.years.selectors import year_preview
from thidua.years.services import LeaderChoice, YearChanges, year_start

D = dt.date


@dataclass
class Agency:
    unit: Unit
    secretariat: User
    a: BlockTerm  # four members, one closed since; a deputy; a scoring table
    b: BlockTerm  # two members, no deputy
    order_a: list[Unit]  # block A's members in the term's order


@pytest.fixture
def agency(db) -> Agency:
    admin = make_admin()
    unit = make_unit(code="SO-2030", name="Sở Thử Nghiệm")
    secretariat = make_user(role=Role.SECRETARIAT, unit=unit, include_descendants=True)
    campaign = make_campaign(
        agency=unit,
        year=2030,
        criteria=2,
        milestones=[Milestone.Kind.COVENANT, Milestone.Kind.MIDYEAR, Milestone.Kind.REPORTS],
    )
    campaign_services.campaign_save(
        actor=admin,
        agency=unit,
        year=2030,
        campaign=campaign,
        legal_bases=["Luật Thi đua, khen thưởng 2022", "Quy chế thi đua của Sở"],
        theme="Đoàn kết, sáng tạo 2030",
        plan_number="12",
        plan_symbol="KH-STN",
        plan_date=D(2029, 12, 20),
        signer_name="Nguyễn Văn Giám",
        signer_title="GIÁM ĐỐC",
    )
    group = campaign.groups.get()
    parent = group.criteria.get(code="1.1")
    campaign_services.criterion_save(
        actor=admin, group=group, code="1.1.a", text="Tiêu chí con", order=3, parent=parent
    )
    campaign_services.criterion_save(
        actor=admin,
        group=group,
        code="1.3",
        text="Tỷ lệ HTTNV",
        order=4,
        kind=Criterion.Kind.MEASURABLE,
        indicator="staff_share_rated_at_least",
        comparator="gte",
        threshold=Decimal("95"),
        min_rating="HTTNV",
        unit_of_measure="%",
        staff_counted_on=D(2030, 10, 31),
    )
    units = [make_unit(parent=unit) for _ in range(6)]
    a = make_block_term(
        block=make_block(agency=unit, code="A"),
        year=2030,
        members=units[:4],
        leader=units[0],
        deputy=units[1],
    )
    b = make_block_term(block=make_block(agency=unit, code="B"), year=2030, members=units[4:])
    table_create(actor=secretariat, campaign=campaign, block=a.block)
    unit_archive(actor=admin, unit=units[2], on=D(2030, 9, 1))
    order_a = [m.unit for m in a.memberships.order_by("unit__path")]
    return Agency(unit, secretariat, a, b, order_a)


def _next(order: list[Unit], after: Unit, skip: set[Unit]) -> Unit:
    start = order.index(after)
    for step in range(1, len(order) + 1):
        candidate = order[(start + step) % len(order)]
        if candidate not in skip:
            return candidate
    raise AssertionError


def _rotate(agency: Agency) -> None:
    LeaderRule.objects.create(
        agency=agency.unit,
        valid_from=D(2031, 1, 1),
        legal_basis="Quy chế khối thi đua 2031, điều 5",
        rule="rotate",
    )


def test_the_plan_is_copied_as_a_draft_of_the_new_year(agency):
    campaign = year_start(actor=agency.secretariat, agency=agency.unit, year=2031)

    source = Campaign.objects.get(agency=agency.unit, year=2030)
    assert campaign.title == "Kế hoạch thi đua năm 2031"
    assert (campaign.theme, campaign.plan_number, campaign.plan_date, campaign.signer_name) == (
        "",
        "",
        None,
        "",
    )
    assert (campaign.plan_symbol, campaign.signer_title) == ("KH-STN", "GIÁM ĐỐC")
    assert (campaign.starts_on, campaign.ends_on) == (D(2031, 1, 1), D(2031, 12, 31))
    assert [b.text for b in campaign.legal_bases.all()] == [
        b.text for b in source.legal_bases.all()
    ]
    copied = {c.code: c for c in Criterion.objects.filter(group__campaign=campaign)}
    assert sorted(copied) == ["1.1", "1.1.a", "1.2", "1.3"]
    assert copied["1.1.a"].parent == copied["1.1"]
    measured = copied["1.3"]
    assert (measured.indicator, measured.comparator, measured.threshold, measured.min_rating) == (
        "staff_share_rated_at_least",
        "gte",
        Decimal("95.00"),
        "HTTNV",
    )
    assert measured.staff_counted_on == D(2031, 10, 31)
    assert [m.due_on for m in campaign.milestones.order_by("due_on")] == [
        D(2031, 1, 15),
        D(2031, 6, 15),
        D(2031, 11, 15),
    ]
    event = AuditEvent.objects.filter(action=AuditAction.YEAR_STARTED).get()
    assert event.data["after"]["from_year"] == 2030
    assert event.data["after"]["terms"] == ["A", "B"]


def test_terms_follow_the_agency_rule_and_leave_the_decision_to_fill_in(agency):
    _rotate(agency)
    closed = agency.order_a[[u.status for u in agency.order_a].index("archived")]

    year_start(actor=agency.secretariat, agency=agency.unit, year=2031)

    a = BlockTerm.objects.get(block=agency.a.block, year=2031)
    members = {m.unit for m in a.memberships.all()}
    assert members == set(agency.order_a) - {closed}
    leader = _next(agency.order_a, agency.a.leader, {closed})
    assert a.leader == leader
    assert a.deputy == _next(agency.order_a, leader, {closed})
    assert (a.decision_number, a.decision_date, a.decision_signer) == ("", None, "")
    b = BlockTerm.objects.get(block=agency.b.block, year=2031)
    assert b.leader != agency.b.leader and b.deputy is None  # two members: they swap


def test_each_block_table_is_copied_as_a_new_draft_linked_to_the_new_criteria(agency):
    campaign = year_start(actor=agency.secretariat, agency=agency.unit, year=2031)

    table = ScoringTable.objects.get(campaign=campaign, block=agency.a.block)
    assert table.is_draft and table.copied_from.campaign.year == 2030
    linked = [i.criterion for i in table.items.all() if i.criterion is not None]
    assert linked and all(c.group.campaign == campaign for c in linked)
    assert not ScoringTable.objects.filter(campaign=campaign, block=agency.b.block).exists()


def test_preview_says_what_will_be_created_and_what_to_review(agency):
    member = make_person(unit=agency.a.leader)
    council = council_save(
        actor=make_admin(), agency=agency.unit, name="Hội đồng", standing_body=agency.a.leader
    )
    council_member_add(
        actor=make_admin(), council=council, person=member, role="chair", valid_from=D(2030, 1, 1)
    )
    council_member_add(
        actor=make_admin(),
        council=council,
        person=make_person(unit=agency.a.deputy, full_name="Trần Thị Hết"),
        role="member",
        valid_from=D(2030, 1, 1),
        valid_to=D(2030, 12, 31),
    )

    with nothing_written():
        preview = year_preview(agency.unit, 2031)

    assert [m.due.day for m in preview.milestones] == [
        D(2031, 1, 15),
        D(2031, 6, 15),
        D(2031, 11, 15),
    ]
    assert [m.review for m in preview.milestones] == [
        "",
        "Falls on a Sunday.",
        "Falls on a Saturday.",
    ]
    [a, b] = preview.terms
    assert any("has been closed: not carried over" in note for note in a.dropped)
    assert a.table is not None and b.table is None
    assert [s.person for s in preview.council_continuing] == [member]
    assert [s.person.full_name for s in preview.council_ended] == ["Trần Thị Hết"]


def test_changes_made_on_the_preview_are_what_is_created(agency):
    other = agency.order_a[3] if agency.order_a[3].status == "active" else agency.order_a[0]
    changes = YearChanges(
        title="Kế hoạch thi đua năm 2031 (dự thảo)",
        theme="Chủ đề mới",
        milestone_dates={
            Milestone.objects.get(campaign__year=2030, kind="midyear").pk: D(2031, 6, 13)
        },
        leaders={agency.a.block.pk: LeaderChoice(other.pk, None)},
        skipped_blocks=frozenset({agency.b.block.pk}),
    )

    campaign = year_start(actor=agency.secretariat, agency=agency.unit, year=2031, changes=changes)

    assert (campaign.title, campaign.theme) == ("Kế hoạch thi đua năm 2031 (dự thảo)", "Chủ đề mới")
    assert campaign.milestones.get(kind="midyear").due_on == D(2031, 6, 13)
    a = BlockTerm.objects.get(block=agency.a.block, year=2031)
    assert (a.leader, a.deputy) == (other, None)
    assert not BlockTerm.objects.filter(block=agency.b.block, year=2031).exists()


def test_a_leader_who_is_not_a_member_is_refused_and_nothing_written(agency):
    outsider = agency.b.leader
    changes = YearChanges(leaders={agency.a.block.pk: LeaderChoice(outsider.pk, None)})

    with nothing_written(), pytest.raises(ValidationError) as refused:
        year_start(actor=agency.secretariat, agency=agency.unit, year=2031, changes=changes)

    assert "the leader and the deputy must be members of the block" in text(refused.value)


def test_a_refusal_half_way_undoes_everything(agency):
    # Someone already put block A's leader into another block for 2031 by hand.
    taken = agency.a.leader
    make_block_term(block=make_block(agency=agency.unit, code="C"), year=2031, members=[taken])
    seq = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as refused:
        year_start(actor=agency.secretariat, agency=agency.unit, year=2031)

    assert "A: " in text(refused.value) and "already in" in text(refused.value)
    assert not Campaign.objects.filter(agency=agency.unit, year=2031).exists()
    assert not BlockTerm.objects.filter(block__in=[agency.a.block, agency.b.block], year=2031)
    assert AuditEvent.objects.count() == seq


def test_running_twice_creates_nothing_twice(agency):
    year_start(actor=agency.secretariat, agency=agency.unit, year=2031)

    with nothing_written(), pytest.raises(ValidationError) as refused:
        year_start(actor=agency.secretariat, agency=agency.unit, year=2031)

    assert "already has a plan for 2031: nothing was created" in text(refused.value)


def test_a_year_with_nothing_to_copy_from_is_refused(agency):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        year_start(actor=agency.secretariat, agency=agency.unit, year=2030 - 1)
    assert "has no plan before 2029 to copy from" in text(refused.value)

    with nothing_written(), pytest.raises(ValidationError) as refused:
        year_start(actor=agency.secretariat, agency=agency.unit, year=2032, from_year=2025)
    assert "has no plan for 2025 to copy from" in text(refused.value)


def test_staff_cannot_start_a_year(agency):
    from django.core.exceptions import PermissionDenied

    staff = make_user(role=Role.STAFF, unit=agency.a.leader)
    with nothing_written(), pytest.raises(PermissionDenied):
        year_start(actor=staff, agency=agency.unit, year=2031)


def test_after_starting_and_opening_a_block_of_the_new_year_drafts_its_covenant(agency):
    campaign = year_start(actor=agency.secretariat, agency=agency.unit, year=2031)
    opened = campaign_services.block_cycles_open(actor=agency.secretariat, campaign=campaign)
    assert len(opened.opened) == 2 and not opened.refused
    cycle = next(c for c in opened.opened if c.term.block == agency.a.block)
    campaign_services.block_cycle_advance(
        actor=agency.secretariat, cycle=cycle, target="covenant_draft"
    )
    head = make_user(role=Role.UNIT_HEAD, unit=cycle.term.leader)

    covenant = covenant_start(actor=head, cycle=cycle)

    assert covenant.term.year == 2031
    assert covenant.items.count() == 4  # the copied criteria


def test_the_command_previews_then_creates_and_refuses_a_second_run(agency):
    out = StringIO()
    call_command("start_year", "SO-2030", "2031", "--yes", stdout=out)

    printed = out.getvalue()
    assert "SO-2030 2031, copied from 2030" in printed
    assert "Falls on a Sunday." in printed
    assert "created SO-2030 2031" in printed
    assert Campaign.objects.filter(agency=agency.unit, year=2031).exists()
    with pytest.raises(CommandError, match="already has a plan for 2031"):
        call_command("start_year", "SO-2030", "2031", "--yes", stdout=StringIO())


def test_the_pages_preview_and_create_the_year(en_client, agency):
    en_client.force_login(agency.secretariat)
    chosen = en_client.post("/years/start/", {"agency": agency.unit.pk, "year": 2031})
    assert chosen.status_code == 302
    url = chosen["Location"]

    page = en_client.get(url).content.decode()
    assert "Falls on a Sunday." in page and "has been closed: not carried over" in page
    form = page_form(en_client, url)
    response = en_client.post(url, form)

    assert response.status_code == 302
    campaign = Campaign.objects.get(agency=agency.unit, year=2031)
    assert response["Location"].startswith(f"/campaigns/{campaign.pk}/")
    again = en_client.post("/years/start/", {"agency": agency.unit.pk, "year": 2031})
    assert "already has a plan for 2031" in again.content.decode()


def page_form(client, url: str) -> dict:
    """The preview form's initial values, as the browser would post them."""
    form = client.get(url).context["form"]
    data: dict = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name.endswith("_include"):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value.isoformat() if isinstance(value, dt.date) else value
    return data


def test_a_milestone_moved_out_of_the_year_is_refused_by_name(agency):
    midyear = Milestone.objects.get(campaign__year=2030, kind="midyear")
    changes = YearChanges(milestone_dates={midyear.pk: D(2032, 1, 5)})

    with nothing_written(), pytest.raises(ValidationError) as refused:
        year_start(actor=agency.secretariat, agency=agency.unit, year=2031, changes=changes)

    assert f"{midyear.title}: The due date is after the campaign's end" in text(refused.value)
