"""The block meeting page shows the block's published year-end ranking beside each
candidate, even when the agenda was set before the ranking was published (the demo's)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.proposals.helpers import member_reports, published
from tests.voting.helpers import attend, candidate_ids, heads, item_with_units, meeting
from thidua.voting.models import Meeting
from thidua.voting.services.ballots import ballot_cast
from thidua.voting.services.votes import vote_close, vote_open


@pytest.fixture(autouse=True)
def _files(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path
    settings.THIDUA_TODAY = "2021-11-20"


def _row(html: str, label: str) -> list[str]:
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", html, re.S) if label in r)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row)]


def test_the_published_ranking_shows_beside_the_demo_meetings_candidates(login: Any) -> None:
    demo = Meeting.objects.get(term__block__code="K1", term__year=2021)
    client = login("minh")
    before = client.get(f"/voting/meetings/{demo.pk}/").content.decode()
    name = demo.agenda.get().candidates.get(unit__code="QLVHGD").label
    assert _row(before, name)[1:] == ["—", "—"]
    member_reports()
    snapshot = published("QLVHGD")
    first = next(r for r in snapshot.rows if r["unit"] == "QLVHGD")
    after = client.get(f"/voting/meetings/{demo.pk}/").content.decode()
    rank, score = _row(after, name)[1:]
    assert rank == "1" and first["rank"] == 1
    assert score != "—" and score.replace(",", ".").startswith(str(first["total"]).split(".")[0])
    # A unit the ranking did not score keeps the dash.
    unscored = {r["unit"] for r in snapshot.rows}
    for candidate in demo.agenda.get().candidates.select_related("unit"):
        if candidate.unit is not None and candidate.unit.code not in unscored:
            assert _row(after, candidate.label)[1:] == ["—", "—"]


def test_an_agenda_set_after_publication_keeps_the_rank_on_its_candidates(
    login: Any, persona: Any
) -> None:
    member_reports()
    published("QLDL")
    m = meeting(persona("minh"))
    units = list(m.roll.filter(unit__code__in=["QLDL", "TTVH"]).values_list("unit_id", flat=True))
    login("minh").post(
        f"/voting/meetings/{m.pk}/agenda/", {"title": "Suy tôn", "seats": 1, "units": units}
    )
    ranks = dict(m.agenda.get().candidates.values_list("unit__code", "ranking"))
    assert ranks["QLDL"] == 1 and ranks["TTVH"] is not None and ranks["TTVH"] > 1


def test_a_vote_opened_after_publication_flags_a_result_that_differs_from_the_ranking(
    persona: Any,
) -> None:
    m = meeting(persona("minh"))
    attend(m)
    # The agenda is set before scoring ends, as the demo's is: no rank on the candidates.
    item = item_with_units(m, ["QLVHGD", "QLDL", "TTVH"], rankings=False)
    member_reports()
    published("QLVHGD")  # QLVHGD first
    vote = vote_open(actor=m.chair, meeting=m, item=item)
    ranks = dict(vote.candidates.values_list("unit__code", "ranking"))
    assert ranks["QLVHGD"] == 1 and ranks["QLDL"] is not None and ranks["QLDL"] > 1
    ids = candidate_ids(vote)
    for code, voter in heads("K1").items():
        if code != "QLDL":
            ballot_cast(actor=voter, vote=vote, chosen=[ids["QLDL"]])
    tally = vote_close(actor=m.chair, vote=vote)
    assert tally.differs_from_ranking
