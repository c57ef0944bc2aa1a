"""When a meeting began and ended, as its minutes state them: the times recorded on the
meeting (called with a start time, closed with an end time), else those of its electronic
votes that day; never the moment a paper count was typed in on a later day."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.voting.helpers import DAY, attend, candidate_ids, item_with_units, open_vote, rule, term
from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.voting import minutes
from thidua.voting.models import Meeting, Vote
from thidua.voting.services.meetings import meeting_close, meeting_create
from thidua.voting.services.votes import paper_tally_enter

pytestmark = pytest.mark.django_db

DAY_WORDS = "ngày 20 tháng 12 năm 2021"


def _meeting(persona: Any, starts_at: dt.time | None) -> Meeting:
    return meeting_create(
        actor=persona("minh"),
        rule=rule(),
        title="Hội nghị tổng kết Khối thi đua số 1 năm 2021",
        held_on=DAY,
        starts_at=starts_at,
        place="Hội trường Sở",
        chair=persona("minh"),
        secretary=persona("hoa"),
        term=term(),
    )


def _paper_vote_counted(meeting: Meeting) -> Vote:
    attend(meeting)
    vote = open_vote(meeting, item_with_units(meeting, ["QLVHGD", "QLDL"]), mode=Vote.Mode.PAPER)
    ids = candidate_ids(vote)
    paper_tally_enter(
        actor=meeting.secretary,
        vote=vote,
        ballots_returned=7,
        blank=0,
        spoilt=0,
        counts={ids["QLDL"]: 6, ids["QLVHGD"]: 1},
    )
    return Vote.objects.get(pk=vote.pk)


def test_the_minutes_state_the_start_and_end_recorded_on_the_meeting(persona: Any) -> None:
    meeting = _meeting(persona, dt.time(8, 0))
    _paper_vote_counted(meeting)
    meeting_close(actor=meeting.chair, meeting=meeting, ended_at=dt.time(11, 30))
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.ended_at) == (dt.time(8, 0), dt.time(11, 30))
    closing = AuditEvent.objects.get(action=AuditAction.MEETING_CLOSED, object_id=str(meeting.pk))
    assert closing.data["after"] == {"starts_at": "08:00:00", "ended_at": "11:30:00"}
    context = minutes.minutes_context(meeting)
    assert context["started"] == f"08 giờ 00 phút, {DAY_WORDS}."
    assert context["ended"] == f"Cuộc họp kết thúc vào 11 giờ 30 phút, {DAY_WORDS}./."


def test_a_paper_count_typed_in_on_a_later_day_leaves_the_hours_to_be_written(
    persona: Any, settings: Any
) -> None:
    # The count is entered on 04/01/2021 in the tests' calendar but stamped by the real
    # clock: neither says when the meeting of 20/12/2021 sat.
    meeting = _meeting(persona, None)
    vote = _paper_vote_counted(meeting)
    meeting_close(actor=meeting.chair, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.ended_at is None
    context = minutes.minutes_context(meeting)
    assert context["started"] == f"…… giờ …… phút, {DAY_WORDS}."
    assert context["ended"] == f"Cuộc họp kết thúc vào …… giờ …… phút, {DAY_WORDS}./."
    tally = minutes.tally_minutes_context(vote)
    assert tally["counted"] == f"…… giờ …… phút, {DAY_WORDS}."


def test_the_tally_minutes_take_the_meetings_end_for_a_paper_count(persona: Any) -> None:
    meeting = _meeting(persona, dt.time(14, 0))
    vote = _paper_vote_counted(meeting)
    meeting_close(actor=meeting.chair, meeting=meeting, ended_at=dt.time(16, 45))
    assert minutes.tally_minutes_context(vote)["counted"] == f"16 giờ 45 phút, {DAY_WORDS}."


def test_closing_on_the_meeting_day_records_the_time_it_closed(persona: Any, settings: Any) -> None:
    settings.THIDUA_TODAY = DAY.isoformat()
    meeting = _meeting(persona, None)
    meeting_close(actor=meeting.chair, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.ended_at is not None and meeting.ended_at.second == 0


def test_a_meeting_cannot_end_before_it_started(persona: Any) -> None:
    meeting = _meeting(persona, dt.time(8, 0))
    with pytest.raises(ValidationError, match=r"cannot end before it started \(08:00\)"):
        meeting_close(actor=meeting.chair, meeting=meeting, ended_at=dt.time(7, 30))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED and meeting.ended_at is None


def test_the_meeting_page_takes_the_end_time_and_names_a_bad_one(
    persona: Any, login: Any, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    meeting = _meeting(persona, dt.time(8, 0))
    client = login("minh")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("voting_meeting", args=[meeting.pk])).content.decode()
    assert 'name="ended_at"' in page and "08:00, 20/12/2021" in page
    url = reverse("voting_meeting_close", args=[meeting.pk])
    refused = client.post(url, {"ended_at": "25:70"}, follow=True).content.decode()
    assert "Write the times as hours and minutes" in refused
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PLANNED
    too_early = client.post(url, {"ended_at": "07:00"}, follow=True).content.decode()
    assert "cannot end before it started (08:00)" in too_early
    client.post(url, {"ended_at": "10:15"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED and meeting.ended_at == dt.time(10, 15)
    page = client.get(reverse("voting_meeting", args=[meeting.pk])).content.decode()
    assert "08:00–10:15, 20/12/2021" in page


def test_a_start_time_missing_at_the_call_is_given_when_closing(persona: Any, login: Any) -> None:
    meeting = _meeting(persona, None)
    client = login("minh")
    page = client.get(reverse("voting_meeting", args=[meeting.pk])).content.decode()
    assert 'name="starts_at"' in page
    url = reverse("voting_meeting_close", args=[meeting.pk])
    client.post(url, {"starts_at": "14:00", "ended_at": "13:00"})
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PLANNED
    client.post(url, {"starts_at": "14:00", "ended_at": "16:00"})
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.ended_at) == (dt.time(14, 0), dt.time(16, 0))
    assert minutes.minutes_context(meeting)["started"] == f"14 giờ 00 phút, {DAY_WORDS}."


def test_sessions_called_before_the_field_have_their_time_moved_out_of_the_place(
    persona: Any,
) -> None:
    migration = importlib.import_module("thidua.voting.migrations.0003_meeting_times")
    old = _meeting(persona, None)
    Meeting.objects.filter(pk=old.pk).update(place="08:30, Phòng họp Sở")
    plain = _meeting(persona, None)
    Meeting.objects.filter(pk=plain.pk).update(place="Phòng 12:30, tầng 2")
    migration.move_time_out_of_place(apps, None)
    old.refresh_from_db()
    plain.refresh_from_db()
    assert (old.starts_at, old.place) == (dt.time(8, 30), "Phòng họp Sở")
    assert (plain.starts_at, plain.place) == (None, "Phòng 12:30, tầng 2")
