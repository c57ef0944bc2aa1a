"""The home page names each person's next actions with a link: the unit head's annual
report (with days left or late), self-score and answer; the leader's verification, ranking
and vote; the voter's open ballot; the secretariat's waiting dossiers. The number of queries
does not grow with the agency."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.reports import helpers as report_helpers
from tests.scoring import scores_helpers
from tests.voting.helpers import attend, candidate_ids, item_with_units, meeting, open_vote
from tests.web.test_query_counts import grow_agency, queries_for
from thidua.campaigns.cycle import CycleState
from thidua.campaigns.models import BlockCycle
from thidua.org.models import Unit
from thidua.reports import services as report_services
from thidua.reports.models import Period
from thidua.reports.selectors import period_deadline
from thidua.scoring.models import ScoringRound
from thidua.scoring.services import answers, self_scores, verification
from thidua.voting.models import Meeting
from thidua.voting.services.ballots import ballot_cast
from thidua.voting.services.meetings import meeting_create
from thidua.web.actions import suggested_actions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client: Any, settings: Any) -> Iterator[None]:
    # The pages through the cookie, the suggestions called directly through the override.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def _deadline() -> dt.date:
    cycle = report_helpers.cycle()
    deadline = period_deadline(cycle.campaign, Period.YEAREND)
    assert deadline is not None
    return deadline


def _on(settings: Any, day: dt.date) -> None:
    settings.THIDUA_TODAY = day.isoformat()


def _keys(user: Any) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for s in suggested_actions(user, report_helpers.cycle().campaign):
        found.setdefault(s.key, []).append(s)
    return found


def _submit(code: str) -> None:
    user = report_helpers.head_of(code)
    report = report_helpers.fill(user, report_helpers.open_report(user, code=code))
    report_services.report_submit(actor=user, report=report)


# Unit heads -----------------------------------------------------------------------------------


def test_the_unit_head_is_asked_for_the_annual_report_with_days_left_then_late(
    persona: Any, login: Any, settings: Any
) -> None:
    tuan = persona("tuan")
    assert "report" not in _keys(tuan)  # January: too early to nag
    _on(settings, _deadline() - dt.timedelta(days=5))
    (report,) = _keys(tuan)["report"]
    assert report.days_left == 5
    qldl = Unit.objects.get(code="QLDL")
    url = reverse("report_for_unit", args=[report_helpers.cycle().pk, "yearend", qldl.pk])
    assert report.url == url
    page = login("tuan").get("/").content.decode()
    assert 'id="my-actions"' in page and url in page and "5 days left" in page
    _on(settings, _deadline() + dt.timedelta(days=2))
    page = login("tuan").get("/").content.decode()
    assert "2 days late" in page
    _submit("QLDL")
    assert "report" not in _keys(tuan)


def test_self_score_then_answer_the_changed_scores(persona: Any, settings: Any) -> None:
    _on(settings, _deadline() - dt.timedelta(days=3))
    round_ = scores_helpers.open_round()
    tuan = persona("tuan")
    assert "self_score" not in _keys(tuan)  # nothing submitted to score yet
    _submit("QLDL")
    (self_score,) = _keys(tuan)["self_score"]
    qldl = scores_helpers.unit("QLDL")
    assert self_score.url == reverse("scoring_self", args=[round_.pk, qldl.pk])
    points = scores_helpers.all_points(round_)
    self_scores.self_score(actor=tuan, round_=round_, unit=qldl, points=points)
    assert "self_score" not in _keys(tuan)
    # The leader changes one score; once the verification is published, tuan may answer.
    first = scores_helpers.leaf_codes(round_)[0]
    changed = {**points, first: points[first] - Decimal("1")}
    verification.verify(
        actor=persona("minh"),
        round_=round_,
        unit=qldl,
        points=changed,
        reasons={first: "Thiếu minh chứng."},
    )
    assert "answer" not in _keys(tuan)
    ScoringRound.objects.filter(pk=round_.pk).update(
        verification_published_at=timezone.now(),
        answer_until=_deadline() + dt.timedelta(days=7),
    )
    (answer,) = _keys(tuan)["answer"]
    assert answer.url == reverse("scoring_answer", args=[round_.pk, qldl.pk])
    assert "1 score changed" in answer.detail and answer.days_left == 10
    answers.answer(
        actor=tuan,
        round_=ScoringRound.objects.get(pk=round_.pk),
        unit=qldl,
        answers={first: "Đã bổ sung minh chứng."},
    )
    assert "answer" not in _keys(tuan)


# Block leader and deputy ----------------------------------------------------------------------


def test_the_leader_verifies_publishes_and_opens_the_vote(persona: Any, login: Any) -> None:
    round_ = scores_helpers.open_round()
    minh, hoa = persona("minh"), persona("hoa")
    assert "verify" not in _keys(minh)
    qldl = scores_helpers.unit("QLDL")
    points = scores_helpers.all_points(round_)
    self_scores.self_score(actor=persona("tuan"), round_=round_, unit=qldl, points=points)
    (verify,) = _keys(minh)["verify"]
    assert verify.detail.startswith("1 unit") and verify.url == reverse(
        "scoring_matrix", args=[round_.table_id, "yearend"]
    )
    assert "verify" in _keys(hoa)  # the deputy verifies too
    verification.verify(actor=minh, round_=round_, unit=qldl, points=points)
    assert "verify" not in _keys(minh)

    ScoringRound.objects.filter(pk=round_.pk).update(locked_at=timezone.now())
    assert [s.url for s in _keys(minh)["publish"]] == [verify.url]
    assert "publish" not in _keys(hoa)  # publishing is the leader's

    cycle = report_helpers.cycle()
    BlockCycle.objects.filter(pk=cycle.pk).update(state=CycleState.SCORES_FINAL)
    # The demo has planned Khối 1's year-end meeting: the suggestion leads there.
    planned = Meeting.objects.get(term_id=cycle.term_id)
    (vote,) = _keys(minh)["open_vote"]
    assert vote.url == reverse("voting_meeting", args=[planned.pk])
    # Without a meeting yet, it leads to calling one.
    BlockCycle.objects.filter(pk=report_helpers.cycle("K2").pk).update(
        state=CycleState.SCORES_FINAL
    )
    k2_leader = report_helpers.head_of(report_helpers.cycle("K2").term.leader.code)
    (call,) = _keys(k2_leader)["open_vote"]
    assert call.url == reverse("voting_meeting_new", args=[report_helpers.cycle("K2").term_id])
    page = login("minh").get("/").content.decode()
    assert 'data-key="open_vote"' in page and 'data-key="publish"' in page


# Voters ---------------------------------------------------------------------------------------


def test_a_voter_is_asked_to_vote_until_they_have(persona: Any, login: Any) -> None:
    tuan = persona("tuan")
    k1 = meeting(persona("minh"))
    attend(k1)
    assert "vote" not in _keys(tuan)
    vote = open_vote(k1, item_with_units(k1, ["QLVHGD", "TTVH"]))
    (suggestion,) = _keys(tuan)["vote"]
    assert suggestion.url == reverse("voting_ballot", args=[vote.pk])
    assert "vote" not in _keys(persona("mai"))  # staff, not on the roll
    assert "open now" in login("tuan").get("/").content.decode()
    ballot_cast(actor=tuan, vote=vote, chosen=[candidate_ids(vote)["TTVH"]])
    assert "vote" not in _keys(tuan)


# Secretariat ----------------------------------------------------------------------------------


def test_the_secretariat_is_shown_the_dossiers_waiting_for_its_check(
    persona: Any, login: Any
) -> None:
    from thidua.awards.models import AwardForm
    from thidua.proposals.models import Dossier, Route

    lan = persona("lan")
    assert suggested_actions(lan, report_helpers.cycle().campaign) == []
    assert 'id="my-actions"' not in login("lan").get("/").content.decode()
    dossier = Dossier.objects.create(
        cycle=report_helpers.cycle(),
        form=AwardForm.objects.order_by("pk")[0],
        unit=Unit.objects.get(code="QLVHGD"),
        route=Route.values[0],
        status=Dossier.Status.SUBMITTED,
        created_by=persona("minh"),
    )
    (waiting,) = _keys(lan)["dossier"]
    assert waiting.url == reverse("proposals:dossier", args=[dossier.pk])
    assert "dossier" not in _keys(persona("minh"))
    Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.ACCEPTED)
    assert "dossier" not in _keys(lan)


def test_accepted_dossiers_ask_for_a_council_session_then_for_its_agenda(
    persona: Any, settings: Any
) -> None:
    from thidua.awards.models import AwardForm
    from thidua.org.models import Council
    from thidua.proposals.models import Dossier, Route
    from thidua.voting.models import VotingRule

    _on(settings, dt.date(2021, 12, 1))
    lan, tung, thu = persona("lan"), persona("tung"), persona("thu")
    Dossier.objects.create(
        cycle=report_helpers.cycle(),
        form=AwardForm.objects.get(code="CTD_TINH"),
        unit=Unit.objects.get(code="QLVHGD"),
        route=Route.COUNCIL,
        status=Dossier.Status.ACCEPTED,
        created_by=persona("minh"),
    )
    council = Council.objects.get()
    call_url = reverse("voting_council_meeting_new") + f"?council={council.pk}"
    # The chair and the secretariat may call the session; a plain member may not.
    for user in (lan, tung):
        (call,) = _keys(user)["council_session"]
        assert call.url == call_url and "1 accepted dossier" in call.detail
    assert "council_session" not in _keys(thu)
    meeting_create(
        actor=tung,
        council=council,
        rule=VotingRule.objects.get(code="council-majority"),
        title="Phiên họp Hội đồng",
        held_on=dt.date(2021, 12, 10),
        place="Phòng họp Sở",
        chair=tung,
        secretary=lan,
    )
    # Once a session is planned, putting the dossiers on its agenda is the secretariat's.
    assert not {"council_session", "council_agenda"} & set(_keys(tung))
    (agenda,) = _keys(lan)["council_agenda"]
    assert agenda.url == reverse("proposals:index") + "?year=2021"


# Queries --------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["tuan", "minh", "hoa", "lan", "tung"])
def test_the_home_page_costs_the_same_queries_with_many_units(
    login: Any, persona: Any, settings: Any, username: str
) -> None:
    _on(settings, _deadline() - dt.timedelta(days=5))
    round_ = scores_helpers.open_round()
    _submit("QLDL")
    self_scores.self_score(
        actor=persona("tuan"),
        round_=round_,
        unit=scores_helpers.unit("QLDL"),
        points=scores_helpers.all_points(round_),
    )
    k1 = meeting(persona("minh"))
    attend(k1)
    open_vote(k1, item_with_units(k1, ["QLVHGD", "TTVH"]))
    client = login(username)
    client.get("/")
    small = queries_for(client, "/")
    grow_agency(400)
    assert queries_for(client, "/") == small
