"""The voting policy as a table over the demo personas, on the demo's Khối 1 meeting (chair
minh, the block leader; secretary hoa, the deputy, who issues its minutes) and the Department's
council (chaired by tung), with the services and pages agreeing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.voting.helpers import attend, item_with_units, open_vote, term
from thidua.org.models import Council, User
from thidua.voting import permissions as policy
from thidua.voting.demo import load_demo_voting
from thidua.voting.models import Meeting, Vote
from thidua.voting.selectors import entitlements_of
from thidua.voting.services.meetings import attendance_record, meeting_create
from thidua.voting.services.votes import paper_tally_enter

PERSONAS = ["khoa", "lan", "minh", "hoa", "tuan", "mai", "tung", "thu"]
COLUMNS = ["call block", "call council", "run", "paper tally", "decide tie", "minutes", "roll"]

# fmt: off
EXPECTED = {
    #         call block call council run   paper  decide minutes roll
    "khoa": (True,      True,        True,  True,  False, True,   False),
    "lan":  (True,      True,        True,  True,  False, True,   False),
    "minh": (True,      False,       True,  False, True,  False,  True),
    "hoa":  (False,     False,       True,  True,  True,  True,   True),
    "tuan": (False,     False,       False, False, False, False,  True),
    "mai":  (False,     False,       False, False, False, False,  False),
    "tung": (False,     True,        False, False, False, False,  False),
    "thu":  (False,     False,       False, False, False, False,  False),
}
# fmt: on


@pytest.fixture
def demo_meeting(db) -> Meeting:
    meeting = load_demo_voting()
    assert meeting is not None
    return Meeting.objects.select_related("term__block__agency", "rule").get(pk=meeting.pk)


def row(user: User, meeting: Meeting) -> tuple[bool, ...]:
    vote = Vote(meeting=meeting, rule_snapshot=meeting.rule.snapshot())
    return (
        policy.may_call(user, agency=meeting.agency, term=meeting.term),
        policy.may_call(
            user, agency=meeting.agency, council=Council.objects.get(), on=meeting.held_on
        ),
        policy.may_run(user, meeting),
        policy.may_enter_paper(user, meeting),
        policy.may_decide(user, vote),
        policy.may_issue_minutes(user, meeting),
        bool(entitlements_of(user, meeting)),
    )


def test_the_permission_table_over_the_demo_personas(demo_meeting, persona):
    assert demo_meeting.rule.deciders == "leader_deputy"
    found = {name: row(persona(name), demo_meeting) for name in PERSONAS}
    mismatches = {
        name: dict(zip(COLUMNS, found[name], strict=True))
        for name in PERSONAS
        if found[name] != EXPECTED[name]
    }
    assert not mismatches


def test_nobody_signed_out_may_do_anything(demo_meeting):
    from django.contrib.auth.models import AnonymousUser

    assert not any(row(AnonymousUser(), demo_meeting)[:6])  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["tuan", "mai", "thu"])
def test_the_services_refuse_those_the_table_refuses_to_call_or_run(name, persona, demo_meeting):
    user = persona(name)
    with pytest.raises(PermissionDenied):
        meeting_create(
            actor=user,
            rule=demo_meeting.rule,
            title="Họp",
            held_on=demo_meeting.held_on,
            place="Sở",
            chair=user,
            secretary=user,
            term=term(),
        )
    with pytest.raises(PermissionDenied):
        attendance_record(actor=user, meeting=demo_meeting, present=[])


def test_the_chair_runs_the_paper_vote_but_only_the_secretary_enters_its_tally(
    demo_meeting, persona, login
):
    attend(demo_meeting)
    item = item_with_units(demo_meeting, ["QLVHGD", "QLDL"])
    vote = open_vote(demo_meeting, item, mode=Vote.Mode.PAPER)
    url = reverse("voting_paper", args=[vote.pk])
    assert login("minh").get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        paper_tally_enter(
            actor=persona("minh"), vote=vote, ballots_returned=7, blank=0, spoilt=0, counts={}
        )
    assert login("hoa").get(url).status_code == 200
    meeting_page = login("minh").get(reverse("voting_meeting", args=[demo_meeting.pk]))
    assert "Enter the paper tally" not in meeting_page.content.decode()
    assert (
        "Enter the paper tally"
        in login("hoa").get(reverse("voting_meeting", args=[demo_meeting.pk])).content.decode()
    )


def test_only_the_leader_or_the_secretariat_reach_the_call_page(demo_meeting, login):
    url = reverse("voting_meeting_new", args=[demo_meeting.term_id])
    assert login("minh").get(url).status_code == 200
    assert login("lan").get(url).status_code == 200
    assert login("hoa").get(url).status_code == 403
