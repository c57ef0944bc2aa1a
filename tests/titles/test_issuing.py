"""Refuse or justify, for an agency and years other than the demo's: the check registered on
awards' issue path refuses a recipient who fails a condition with the reasons, counts the
decision's own awards, and lets an override with a written reason through, audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.org.factories import make_admin, make_person, make_unit, make_user
from tests.titles.factories import discipline, rate, rate_unit
from thidua.audit.models import AuditEvent
from thidua.awards import eligibility_checks
from thidua.awards.models import AwardForm
from thidua.awards.services import AwardInput
from thidua.org.models import Role
from thidua.titles.services import override_record

D = dt.date
pytestmark = pytest.mark.django_db


def form(code: str) -> AwardForm:
    return AwardForm.objects.get(code=code)


def check(agency, awards, year=2025):  # type: ignore[no-untyped-def]
    return eligibility_checks.problems(
        agency=agency, issued_on=D(year + 1, 1, 15), year=year, awards=awards
    )


def test_a_failing_recipient_is_refused_with_the_reasons_and_a_passing_one_is_not(
    later: None,
) -> None:
    agency = make_unit()
    room = make_unit(parent=agency)
    good, low = make_person(unit=room), make_person(unit=room, full_name="Trần Thị Bình")
    rate(good, 2025, "HTTNV")
    rate(low, 2025, "HTNV")
    problems = check(
        agency,
        [AwardInput(form=form("LDTT"), person=good), AwardInput(form=form("LDTT"), person=low)],
    )
    assert problems == [
        "Row 2: “Trần Thị Bình” does not meet the conditions of LĐTT for 2025: Not met: rated "
        "HTNV in 2025, at least HTTNV required (điểm a khoản 1 Điều 24 Luật Thi đua, khen "
        "thưởng 2022). Award anyway only with an override recorded with a written reason."
    ]


def test_a_units_title_counts_its_members_titles_in_the_same_decision(later: None) -> None:
    agency = make_unit()
    room = make_unit(parent=agency)
    rate_unit(room, 2025, "HTTNV")
    staff = [make_person(unit=room) for _ in range(3)]
    for person in staff:
        rate(person, 2025, "HTTNV")
    unit_only = [AwardInput(form=form("TTLDTT"), unit=room)]
    assert "0/3 members hold LĐTT = 0% < 70%" in check(agency, unit_only)[0]
    with_members = unit_only + [AwardInput(form=form("LDTT"), person=p) for p in staff[:3]]
    assert check(agency, with_members) == []
    discipline(staff[0], room, "canh_cao", D(2025, 3, 1))
    assert "disciplined with cảnh cáo in 2025" in check(agency, with_members)[0]


def test_an_override_with_a_written_reason_lets_the_recipient_through_and_is_audited(
    later: None,
) -> None:
    agency = make_unit()
    person = make_person(unit=make_unit(parent=agency))
    awards = [AwardInput(form=form("LDTT"), person=person)]
    assert check(agency, awards)  # no rating for 2025: unknown, refused
    secretariat = make_user(role=Role.SECRETARIAT, unit=agency)
    with pytest.raises(PermissionDenied):
        override_record(
            actor=secretariat, agency=agency, year=2025, title=form("LDTT"), person=person,
            reason="Đang chờ kết quả đánh giá của đơn vị cũ, đã xác minh bằng văn bản.",
        )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        override_record(
            actor=make_admin(), agency=agency, year=2025, title=form("LDTT"), person=person,
            reason="vì",
        )  # fmt: skip
    assert "reason" in refused.value.message_dict
    row = override_record(
        actor=make_admin(), agency=agency, year=2025, title=form("LDTT"), person=person,
        reason="Đang chờ kết quả đánh giá của đơn vị cũ, đã xác minh bằng văn bản.",
    )  # fmt: skip
    assert row.failing and "no rating recorded for 2025" in row.failing[0]
    assert check(agency, awards) == []
    event = AuditEvent.objects.filter(action="titles.override.recorded").latest("seq")
    assert "Đang chờ kết quả" in str(event.data)
