"""The pages: the chair's meeting page, the voter's ballot, the result; in Vietnamese."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.voting.helpers import attend, candidate_ids, heads, item_with_units, meeting, open_vote
from thidua.voting.models import SealedBallot, Vote


@pytest.fixture
def k1(persona):
    m = meeting(persona("minh"))
    item_with_units(m, ["QLVHGD", "QLDL", "TTVH"])
    return m


def test_the_chair_records_attendance_and_opens_a_vote_from_the_page(k1, login):
    client = login("minh")
    page = client.get(f"/voting/meetings/{k1.pk}/")
    assert page.status_code == 200 and "no quorum" in page.content.decode()
    lines = [e.pk for e in k1.roll.all()]
    client.post(f"/voting/meetings/{k1.pk}/attendance/", {"present": lines[:4]})
    item = k1.agenda.get()
    refused = client.post(f"/voting/meetings/{k1.pk}/items/{item.pk}/open/", follow=True)
    assert "4 of 7 present, 5 needed" in refused.content.decode()
    client.post(f"/voting/meetings/{k1.pk}/attendance/", {"present": lines})
    client.post(f"/voting/meetings/{k1.pk}/items/{item.pk}/open/", {"mode": "electronic"})
    assert Vote.objects.filter(item=item, status=Vote.Status.OPEN).exists()
    page = client.get(f"/voting/meetings/{k1.pk}/").content.decode()
    assert "0 of 7 ballots cast" in page


def test_the_live_count_shows_how_many_never_what(k1, login):
    attend(k1)
    vote = open_vote(k1, k1.agenda.get())
    voters = heads("K1")
    ids = candidate_ids(vote)
    from thidua.voting.services.ballots import ballot_cast

    ballot_cast(actor=voters["VP"], vote=vote, chosen=[ids["TTVH"]])
    count = login("hoa").get(f"/voting/votes/{vote.pk}/count/").content.decode()
    assert "1 of 7 ballots cast" in count and "Trung tâm" not in count
    # The result page shows nothing while the vote is open.
    result = login("minh").get(f"/voting/votes/{vote.pk}/result/").content.decode()
    assert "still open" in result and "tally-rows" not in result


def test_a_voter_casts_on_the_ballot_page_and_sees_the_result_after_the_close(k1, client, login):
    attend(k1)
    vote = open_vote(k1, k1.agenda.get())
    ids = candidate_ids(vote)
    voters = heads("K1")
    for code in ("VP", "TCPC", "KHTC", "QLTDTT"):
        client.force_login(voters[code])
        form = client.get(f"/voting/votes/{vote.pk}/ballot/").content.decode()
        assert 'name="chosen"' in form and "btn-lg" in form
        client.post(f"/voting/votes/{vote.pk}/ballot/", {"chosen": [ids["QLVHGD"]]})
    assert SealedBallot.objects.filter(vote=vote).count() == 4
    chair = login("minh")
    chair.post(f"/voting/votes/{vote.pk}/close/")
    result = chair.get(f"/voting/votes/{vote.pk}/result/").content.decode()
    assert "tally-rows" in result and "4/7" in result and "ballots = voters" in result
    assert Vote.objects.get(pk=vote.pk).tally.chain_head in result


def test_someone_off_the_roll_cannot_open_the_ballot_or_the_meeting(k1, login):
    attend(k1)
    vote = open_vote(k1, k1.agenda.get())
    client = login("mai")
    assert client.get(f"/voting/votes/{vote.pk}/ballot/").status_code == 403
    assert client.get(f"/voting/meetings/{k1.pk}/").status_code == 403
    assert client.get(f"/voting/votes/{vote.pk}/count/").status_code == 403


def test_the_pages_speak_vietnamese(k1, login, settings):
    attend(k1)
    vote = open_vote(k1, k1.agenda.get())
    client = login("tuan")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    page = client.get(f"/voting/votes/{vote.pk}/ballot/").content.decode()
    assert '<html lang="vi">' in page
    with translation.override("vi"):
        for msgid in ("Cast my ballot", "Choose one candidate, or none for a blank ballot."):
            assert translation.gettext(msgid) in page
    assert "Phòng Quản lý Văn hóa và Gia đình" in page


def test_the_leader_calls_the_meeting_and_adds_the_agenda_from_the_pages(login, persona):
    from tests.voting.helpers import term

    client = login("minh")
    listing = client.get("/voting/").content.decode()
    k1 = term("K1")
    assert f"/voting/terms/{k1.pk}/new/" in listing
    form = client.get(f"/voting/terms/{k1.pk}/new/")
    assert form.status_code == 200
    from thidua.voting.models import Meeting, VotingRule

    rule = VotingRule.objects.get(code="block-leading-unit")
    response = client.post(
        f"/voting/terms/{k1.pk}/new/",
        {
            "title": "Hội nghị tổng kết Khối 1",
            "held_on": "2021-12-20",
            "place": "Hội trường Sở",
            "chair": persona("minh").pk,
            "secretary": persona("hoa").pk,
            "rule": rule.pk,
        },
    )
    created = Meeting.objects.get(title="Hội nghị tổng kết Khối 1")
    assert response.status_code == 302 and created.roll.count() == 7
    units = list(created.roll.values_list("unit_id", flat=True)[:2])
    client.post(
        f"/voting/meetings/{created.pk}/agenda/",
        {"title": "Suy tôn đơn vị dẫn đầu", "seats": 1, "units": units},
    )
    assert created.agenda.get().candidates.count() == 2
    # A member who does not lead the block cannot call it.
    assert login("tuan").get(f"/voting/terms/{k1.pk}/new/").status_code == 403


def test_a_council_votes_agree_or_disagree_per_candidate_from_the_ballot_page(persona, client):
    import datetime as dt

    from thidua.org.models import Council, Unit
    from thidua.voting.models import Tally, VotingRule
    from thidua.voting.services.meetings import (
        CandidateSpec,
        agenda_item_add,
        attendance_record,
        meeting_create,
    )
    from thidua.voting.services.votes import vote_close, vote_open

    lan, tung = persona("lan"), persona("tung")
    council = Council.objects.get()
    session = meeting_create(
        actor=lan,
        rule=VotingRule.objects.get(code="council-majority"),
        title="Phiên họp Hội đồng TĐKT Sở xét đề nghị Cờ thi đua",
        held_on=dt.date(2021, 12, 28),
        place="Phòng họp Sở",
        chair=tung,
        secretary=lan,
        council=council,
    )
    roll = {e.person.code: e for e in session.roll.select_related("person")}
    assert set(roll) == {"P-TUNG", "P-LAN", "P-THU", "P-MINH", "TCPC-001"}
    attendance_record(
        actor=lan, meeting=session, present=[e.pk for c, e in roll.items() if c != "TCPC-001"]
    )
    units = {u.code: u for u in Unit.objects.filter(code__in=["QLVHGD", "TVIEN"])}
    item = agenda_item_add(
        actor=lan,
        meeting=session,
        title="Đề nghị tặng Cờ thi đua của UBND thành phố",
        candidates=[CandidateSpec(label=u.name, unit=u) for u in units.values()],
        seats=None,
    )
    vote = vote_open(actor=lan, meeting=session, item=item)
    ids = {c.unit.code: c.pk for c in vote.candidates.select_related("unit")}
    answers = {
        "tung": ("agree", "agree"),
        "lan": ("agree", "disagree"),
        "thu": ("agree", "disagree"),
        "minh": ("disagree", None),
    }
    for username, (first, second) in answers.items():
        client.force_login(persona(username))
        form = client.get(f"/voting/votes/{vote.pk}/ballot/").content.decode()
        assert f'name="choice-{ids["QLVHGD"]}"' in form
        data = {f"choice-{ids['QLVHGD']}": first}
        if second:
            data[f"choice-{ids['TVIEN']}"] = second
        client.post(f"/voting/votes/{vote.pk}/ballot/", data)
    tally = vote_close(actor=tung, vote=vote)
    rows = {r.candidate_id: r for r in tally.rows.all()}
    # More than half of the 5 members (not of the 4 present): 3 needed.
    assert (rows[ids["QLVHGD"]].votes, rows[ids["QLVHGD"]].elected) == (3, True)
    assert (rows[ids["TVIEN"]].votes, rows[ids["TVIEN"]].elected) == (1, False)
    assert rows[ids["TVIEN"]].base == 5 and tally.outcome == Tally.Outcome.DECIDED


def test_the_chair_may_open_a_vote_with_a_closing_time(k1, login):
    attend(k1)
    client = login("minh")
    item = k1.agenda.get()
    client.post(f"/voting/meetings/{k1.pk}/items/{item.pk}/open/", {"minutes": "10"})
    vote = Vote.objects.get(item=item)
    assert vote.closes_at is not None
    assert 9 * 60 < (vote.closes_at - vote.opens_at).total_seconds() <= 10 * 60 + 1
    assert "ballots accepted until" in client.get(f"/voting/meetings/{k1.pk}/").content.decode()
