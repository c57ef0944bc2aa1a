"""The day whose staff the share-of-staff criterion (the 95% rule) counts is the criterion's
configuration: 31/12 of the campaign's year by default (the value the code hard-coded before,
and what the migration gave existing criteria), set per criterion, checked and audited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.campaigns.test_measurable import evaluation, share_criterion
from tests.org.helpers import D, events_after, last_seq, nothing_written, unit
from thidua.audit.actions import AuditAction
from thidua.campaigns import services
from thidua.campaigns.models import Criterion
from thidua.campaigns.selectors import evaluation_matrix, staff_date
from thidua.org.services.employment import employment_add
from thidua.org.services.people import person_save


@pytest.fixture
def lan(persona: Any) -> Any:
    return persona("lan")


def _save(lan: Any, criterion: Criterion, **changes: Any) -> Criterion:
    fields = {
        name: getattr(criterion, name)
        for name in (
            "kind",
            "indicator",
            "comparator",
            "threshold",
            "min_rating",
            "unit_of_measure",
            "staff_counted_on",
            "legal_basis",
        )
    }
    fields.update(changes)
    return services.criterion_save(
        actor=lan,
        group=criterion.group,
        criterion=criterion,
        code=criterion.code,
        text=criterion.text,
        order=criterion.order,
        **fields,
    )


def test_the_demo_share_counts_the_staff_of_31_december(db: Any) -> None:
    criterion = share_criterion()
    assert criterion.staff_counted_on == D(2021, 12, 31)
    assert evaluation_matrix(criterion.group.campaign)["on"] == D(2021, 12, 31)


def test_another_day_counts_other_staff(lan: Any, persona: Any) -> None:
    khoa = persona("khoa")
    newcomer = person_save(actor=khoa, unit=unit("QLDL"), code="QLDL-NEW", full_name="Đỗ Văn Mới")
    employment_add(actor=khoa, person=newcomer, unit=unit("QLDL"), valid_from=D(2021, 9, 1))
    year_end = evaluation(share_criterion(), "QLDL")
    seq = last_seq()

    criterion = _save(lan, share_criterion(), staff_counted_on=D(2021, 6, 30))

    mid_year = evaluation(criterion, "QLDL")
    assert mid_year.denominator == year_end.denominator - 1  # hired in September
    assert staff_date(criterion, criterion.group.campaign) == D(2021, 6, 30)
    (event,) = [e for e in events_after(seq) if e.action == AuditAction.CRITERION_SAVED]
    assert event.data["after"]["staff_counted_on"] == "2021-06-30"


def test_left_empty_it_is_the_end_of_the_campaigns_year(lan: Any) -> None:
    criterion = _save(lan, share_criterion(), staff_counted_on=D(2021, 6, 30))
    criterion = _save(lan, criterion, staff_counted_on=None)
    assert criterion.staff_counted_on == D(2021, 12, 31)


def test_other_criteria_keep_no_staff_day(lan: Any) -> None:
    criterion = Criterion.objects.filter(
        group__campaign=share_criterion().group.campaign, indicator="unit_rated_at_least"
    ).first()
    assert criterion is not None
    saved = _save(lan, criterion, staff_counted_on=D(2021, 6, 30))
    assert saved.staff_counted_on is None


def test_a_day_outside_the_campaign_is_refused_naming_the_field(lan: Any) -> None:
    with translation.override("vi"), nothing_written(), pytest.raises(ValidationError) as refused:
        _save(lan, share_criterion(), staff_counted_on=D(2022, 3, 31), threshold=Decimal(95))
    (message,) = refused.value.message_dict["staff_counted_on"]
    assert message.startswith("“Ngày tính số cán bộ” phải nằm trong thời gian phong trào")
