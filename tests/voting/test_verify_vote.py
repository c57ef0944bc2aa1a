"""Re-verifying a closed vote later, from a page and a command, in an agency of its own."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.org.factories import make_user
from tests.voting.factories import BlockMeeting, make_block_meeting
from thidua.voting.models import Ballot, Vote
from thidua.voting.services.ballots import ballot_cast
from thidua.voting.services.votes import vote_close


@pytest.fixture
def closed(db) -> tuple[BlockMeeting, Vote]:
    block = make_block_meeting(voters=5, year=2023)
    vote = block.open_vote()
    candidates = list(vote.candidates.order_by("order").values_list("pk", flat=True))
    for i, head in enumerate(block.heads):
        ballot_cast(actor=head, vote=vote, chosen=[candidates[i % 2]] if i < 4 else [])
    vote_close(actor=block.chair, vote=vote)
    return block, Vote.objects.get(pk=vote.pk)


def test_a_voter_re_verifies_the_closed_vote_on_its_page(closed, client):
    block, vote = closed
    client.force_login(block.heads[2])
    result = client.get(f"/voting/votes/{vote.pk}/result/").content.decode()
    assert f"/voting/votes/{vote.pk}/verify/" in result
    page = client.get(f"/voting/votes/{vote.pk}/verify/").content.decode()
    assert "Everything checks out" in page
    assert "Ballot chain" in page and "Recount" in page and "5 ballots stored, 5 voters" in page
    # The shuffled ballots are listed for anyone to recount: 2 + 2 + 1 blank.
    table = page.split('id="ballots"')[1]
    assert table.count("<tr>") == 6 and vote.tally.chain_head in table


def test_someone_off_the_roll_cannot_open_the_verification(closed, client):
    _, vote = closed
    client.force_login(make_user())
    assert client.get(f"/voting/votes/{vote.pk}/verify/").status_code == 403


def test_a_ballot_changed_after_the_close_fails_the_page_and_the_command(closed, client):
    block, vote = closed
    call_command("verify_vote", str(vote.pk))  # intact: no error
    ballot = Ballot.objects.filter(vote=vote).order_by("seq")[2]
    Ballot.objects.filter(pk=ballot.pk).update(choices='{"chosen":[-1]}')  # never cast
    client.force_login(block.chair)
    page = client.get(f"/voting/votes/{vote.pk}/verify/").content.decode()
    assert "does not check out" in page and "Ballot #3 was changed." in page
    with pytest.raises(CommandError, match="1 vote"):
        call_command("verify_vote", "--meeting", str(block.meeting.pk))


def test_a_tally_changed_after_the_close_fails_the_recount(closed):
    _, vote = closed
    row = vote.tally.rows.order_by("-votes").first()
    vote.tally.rows.filter(pk=row.pk).update(votes=row.votes + 1)
    with pytest.raises(CommandError):
        call_command("verify_vote", "--all")


def test_the_command_refuses_an_unknown_vote(db):
    with pytest.raises(CommandError, match="not found"):
        call_command("verify_vote", "7f1d2c3a-0000-4000-8000-000000000001")
