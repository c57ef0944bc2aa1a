"""Calling a council session from the pages: the secretariat's form or the chair's, the roll
of the council's sitting members, one meeting for a double submit, refusals and named errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from tests.voting.helpers import rule as rule_variant
from thidua.org.models import Council, CouncilMember
from thidua.voting.models import Meeting, VotingRule

URL = "/voting/council/new/"


@pytest.fixture(autouse=True)
def _late_in_the_year(settings: Any) -> None:
    settings.THIDUA_TODAY = "2021-11-20"


def _post(persona: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "title": "Phiên họp Hội đồng Thi đua – Khen thưởng Sở năm 2021",
        "held_on": "2021-12-10",
        "starts_at": "08:00",
        "place": "Phòng họp Sở",
        "chair": persona("tung").pk,
        "secretary": persona("lan").pk,
        "rule": VotingRule.objects.get(code="council-majority").pk,
    }
    data.update(changes)
    return data


def test_the_secretariat_finds_the_page_in_vietnamese_with_the_rules_legal_basis(
    login: Any, settings: Any
) -> None:
    client = login("lan")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    listing = client.get("/voting/").content.decode()
    assert f'href="{URL}?council=' in listing
    page = client.get(URL)
    html = page.content.decode()
    council = Council.objects.get()
    majority = VotingRule.objects.get(code="council-majority")
    with translation.override("vi"):
        title = translation.gettext("Session of the %(council)s, %(year)s") % {
            "council": council.name,
            "year": 2021,
        }
    assert page.status_code == 200
    assert "Địa điểm" in html and "Quy tắc bỏ phiếu" in html and "Thư ký" in html
    assert council.name in html and f'value="{title}"' in html
    # The rule for councils is offered with its legal basis; the block rule is not offered.
    assert majority.name in html and majority.legal_basis.split("\n")[0][:40] in html
    assert "block-leading-unit" not in html
    assert VotingRule.objects.get(code="block-leading-unit").name not in html
    # The proposals page sends the secretariat here when no session is called yet.
    assert URL in client.get("/proposals/?year=2021").content.decode()


def test_the_secretariat_calls_a_session_with_the_councils_members_on_the_roll(
    login: Any, persona: Any
) -> None:
    client = login("lan")
    response = client.post(URL, _post(persona))
    meeting = Meeting.objects.get(kind=Meeting.Kind.COUNCIL_SESSION)
    assert response.status_code == 302 and response["Location"] == f"/voting/meetings/{meeting.pk}/"
    assert meeting.council == Council.objects.get()
    assert meeting.held_on == dt.date(2021, 12, 10) and meeting.place == "Phòng họp Sở"
    assert meeting.starts_at == dt.time(8, 0)
    assert meeting.chair == persona("tung") and meeting.secretary == persona("lan")
    seated = set(
        CouncilMember.objects.filter(council=meeting.council).values_list("person_id", flat=True)
    )
    on_roll = set(meeting.roll.values_list("person_id", flat=True))
    assert on_roll == seated and len(on_roll) == 5
    page = client.get(f"/voting/meetings/{meeting.pk}/").content.decode()
    assert persona("thu").full_name in page


def test_a_double_submit_creates_one_session(login: Any, persona: Any) -> None:
    client = login("lan")
    first = client.post(URL, _post(persona))
    second = client.post(URL, _post(persona))
    assert Meeting.objects.filter(kind=Meeting.Kind.COUNCIL_SESSION).count() == 1
    assert first["Location"] == second["Location"]


def test_the_councils_chair_calls_a_session_and_is_proposed_to_preside(
    login: Any, persona: Any
) -> None:
    client = login("tung")
    assert f'href="{URL}?council=' in client.get("/voting/").content.decode()
    form = client.get(URL).context["form"]
    assert form.initial["chair"] == persona("tung").pk and form.initial["secretary"] is None
    response = client.post(URL, _post(persona))
    meeting = Meeting.objects.get(kind=Meeting.Kind.COUNCIL_SESSION)
    assert response["Location"] == f"/voting/meetings/{meeting.pk}/"
    assert meeting.chair == persona("tung") and meeting.roll.count() == 5


def test_a_chair_whose_seat_has_ended_by_the_session_day_may_not_call_it(
    login: Any, persona: Any
) -> None:
    # The demo's seats run to 31/12/2025: a session in 2026 is not tung's to call.
    response = login("tung").post(URL, _post(persona, held_on="2026-01-15"))
    assert response.status_code == 403
    assert not Meeting.objects.filter(kind=Meeting.Kind.COUNCIL_SESSION).exists()


@pytest.mark.parametrize("username", ["minh", "mai", "thu"])
def test_a_block_leader_staff_or_council_member_may_not_call_a_session(
    login: Any, persona: Any, username: str
) -> None:
    client = login(username)
    assert URL not in client.get("/voting/").content.decode()
    assert client.get(URL).status_code == 403
    assert client.post(URL, _post(persona)).status_code == 403
    assert not Meeting.objects.filter(kind=Meeting.Kind.COUNCIL_SESSION).exists()


def test_bad_input_is_named_next_to_its_field(login: Any, persona: Any) -> None:
    client = login("lan")
    # Bà Mai holds no seat on the council: she cannot chair it.
    page = client.post(URL, _post(persona, place="", chair=persona("mai").pk, held_on=""))
    form = page.context["form"]
    assert page.status_code == 400
    assert set(form.errors) == {"place", "chair", "held_on"}
    # A rule in force today but no longer on the meeting day: the service names the rule.
    ending = rule_variant("council-majority", valid_to=dt.date(2021, 12, 31))
    page = client.post(URL, _post(persona, rule=ending.pk, held_on="2022-01-10"))
    assert page.status_code == 400
    assert "is not in force on 10/01/2022" in " ".join(page.context["form"].errors["rule"])
    assert not Meeting.objects.filter(kind=Meeting.Kind.COUNCIL_SESSION).exists()
