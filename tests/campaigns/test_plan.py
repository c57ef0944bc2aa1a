"""The campaign plan: dates, milestones and criteria are checked before anything is saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.org.helpers import AGENCY, D, events_after, last_seq, nothing_written, text, unit
from thidua.audit.actions import AuditAction
from thidua.campaigns import services
from thidua.campaigns.models import Campaign, ContentGroup, Criterion, Milestone


@pytest.fixture
def lan(persona):
    return persona("lan")


# Campaign plan ----------------------------------------------------------------------------


def campaign() -> Campaign:
    return Campaign.objects.get(agency__code=AGENCY, year=2021)


def test_rejects_a_milestone_due_after_the_campaigns_end(lan):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.milestone_save(
            actor=lan,
            campaign=campaign(),
            kind="other",
            title="Gửi hồ sơ bổ sung",
            owner="secretariat",
            due_on=D(2022, 1, 15),
        )

    assert refused.value.message_dict == {
        "due_on": ["The due date is after the campaign's end (31/12/2021)."]
    }


def test_rejects_a_milestone_due_before_the_campaigns_start(lan):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.milestone_save(
            actor=lan,
            campaign=campaign(),
            kind="other",
            title="Họp chuẩn bị",
            owner="secretariat",
            due_on=D(2020, 12, 1),
        )

    assert "before the campaign's start (25/12/2020)" in text(refused.value)


def test_rejects_ending_a_campaign_before_one_of_its_milestones(lan):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.campaign_save(
            actor=lan, agency=unit(AGENCY), year=2021, campaign=campaign(), ends_on=D(2021, 11, 30)
        )

    assert "Hội đồng TĐKT Sở xét" in text(refused.value)
    assert "after this end date" in text(refused.value)
    assert campaign().ends_on == D(2021, 12, 31)


def test_rejects_a_campaign_that_ends_before_it_starts(lan):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.campaign_save(
            actor=lan,
            agency=unit(AGENCY),
            year=2022,
            title="Phong trào thi đua năm 2022",
            starts_on=D(2022, 12, 31),
            ends_on=D(2022, 1, 1),
        )

    assert refused.value.message_dict == {"ends_on": ["The campaign ends before it starts."]}


def test_rejects_a_second_campaign_for_the_same_year(lan):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.campaign_save(
            actor=lan,
            agency=unit(AGENCY),
            year=2021,
            title="Bản trùng",
            starts_on=D(2021, 1, 1),
            ends_on=D(2021, 12, 31),
        )

    assert "already has a campaign for 2021" in text(refused.value)


def test_a_milestone_inside_the_campaign_is_saved_and_audited(lan):
    seq = last_seq()

    milestone = services.milestone_save(
        actor=lan,
        campaign=campaign(),
        kind="other",
        title="  Hội nghị điển hình tiên tiến ",
        owner="secretariat",
        due_on=D(2021, 12, 31),
    )

    assert Milestone.objects.get(pk=milestone.pk).title == "Hội nghị điển hình tiên tiến"
    [event] = events_after(seq)
    assert (event.action, event.data["after"]["due_on"]) == (
        AuditAction.MILESTONE_SAVED,
        "2021-12-31",
    )


def group() -> ContentGroup:
    return ContentGroup.objects.get(campaign=campaign(), code="1")


def test_a_measurable_criterion_needs_indicator_comparison_and_threshold(lan):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.criterion_save(
            actor=lan, group=group(), code="1.9", text="Chỉ tiêu mới", order=9, kind="measurable"
        )

    assert set(refused.value.message_dict) == {"indicator", "comparator", "threshold"}


def test_a_share_criterion_needs_a_minimum_rating(lan):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.criterion_save(
            actor=lan,
            group=group(),
            code="1.9",
            text="Tỷ lệ hoàn thành tốt",
            order=9,
            kind="measurable",
            indicator="staff_share_rated_at_least",
            comparator="gte",
            threshold=Decimal(90),
        )

    assert refused.value.message_dict == {
        "min_rating": ["Choose the minimum rating this indicator counts."]
    }


def test_a_share_criterion_above_100_percent_is_refused(lan):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.criterion_save(
            actor=lan,
            group=group(),
            code="1.9",
            text="Tỷ lệ",
            order=9,
            kind="measurable",
            indicator="staff_share_rated_at_least",
            comparator="gte",
            threshold=Decimal(120),
            min_rating="HTTNV",
        )

    assert refused.value.message_dict == {"threshold": ["A percentage must be between 0 and 100."]}


def test_a_discipline_criterion_needs_the_lightest_measure_counted(lan):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.criterion_save(
            actor=lan,
            group=group(),
            code="2.9",
            text="Không vi phạm",
            order=9,
            kind="measurable",
            indicator="staff_disciplined_at_least",
            comparator="lte",
            threshold=Decimal(0),
        )

    assert "lightest disciplinary measure" in text(refused.value)


def test_a_criterion_code_is_unique_in_its_group(lan):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        services.criterion_save(actor=lan, group=group(), code="1.2", text="Trùng", order=9)

    assert "The code “1.2” is already used." in text(refused.value)


def test_making_a_criterion_qualitative_clears_its_measure(lan):
    share = Criterion.objects.get(group=group(), code="1.2")

    services.criterion_save(
        actor=lan,
        group=group(),
        code="1.2",
        text=share.text,
        order=share.order,
        criterion=share,
        kind="qualitative",
    )

    share.refresh_from_db()
    assert (share.indicator, share.threshold, share.min_rating, share.is_computed) == (
        "",
        None,
        "",
        False,
    )


def test_a_retried_milestone_creation_adds_it_once(persona):
    campaign = Campaign.objects.get(year=2021)
    before = Milestone.objects.count()
    for _attempt in range(2):
        services.milestone_save(
            actor=persona("lan"),
            campaign=campaign,
            kind="other",
            title="Hội thi nghiệp vụ",
            owner="secretariat",
            due_on=D(2021, 9, 1),
        )
    assert Milestone.objects.count() == before + 1
