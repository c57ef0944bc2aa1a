"""Many voters casting while the chair closes: no ballot lost, none counted twice."""

from __future__ import annotations

import datetime as dt
import random
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from thidua.org.models import (
    Block,
    BlockMembership,
    BlockTerm,
    Role,
    RoleAssignment,
    UnitKind,
    User,
)
from thidua.org.services.units import unit_create
from thidua.voting.models import Ballot, Tally, Vote, VoterRecord, VotingRule
from thidua.voting.services.ballots import ballot_cast, ballots_verify
from thidua.voting.services.meetings import (
    CandidateSpec,
    agenda_item_add,
    attendance_record,
    meeting_create,
)
from thidua.voting.services.votes import vote_close, vote_open

VOTERS, THREADS = 40, 8
D = dt.date


def _setup() -> tuple[User, Vote, list[int], list[int]]:
    admin = User.objects.create(username="vote-conc-admin", is_superuser=True, is_staff=True)
    agency = unit_create(
        actor=admin,
        code="VOTE-CONC",
        name="Sở thử bỏ phiếu đồng thời",
        kind=UnitKind.AGENCY,
        parent=None,
        valid_from=D(2020, 1, 1),
    )
    units = [
        unit_create(
            actor=admin,
            code=f"VOTE-CONC-{i:02d}",
            name=f"Đơn vị {i:02d}",
            kind=UnitKind.DIVISION,
            parent=agency,
            valid_from=D(2020, 1, 1),
        )
        for i in range(VOTERS)
    ]
    block = Block.objects.create(agency=agency, code="KC", name="Khối thử")
    term = BlockTerm.objects.create(block=block, year=2021, leader=units[0])
    heads = []
    for unit in units:
        BlockMembership.objects.create(term=term, unit=unit, agency=agency, year=2021)
        head = User.objects.create(username=f"vote-conc-{unit.code.lower()}")
        RoleAssignment.objects.create(
            user=head, role=Role.UNIT_HEAD, unit=unit, valid_from=D(2020, 1, 1)
        )
        heads.append(head.pk)
    rule = VotingRule.objects.create(
        code="conc-test",
        name="Concurrency test",
        legal_basis="test",
        valid_from=D(2020, 1, 1),
        quorum_num=2,
        quorum_den=3,
        approval_num=1,
        approval_den=2,
        denominator="present",
        strictly_more=True,
        ballot_style="choose_one",
        voter_basis="unit",
        self_vote_allowed=True,
        max_rounds=2,
        deciders="leader_deputy",
    )
    meeting = meeting_create(
        actor=admin,
        rule=rule,
        title="Hội nghị thử",
        held_on=D(2021, 12, 20),
        place="Cần Thơ",
        chair=admin,
        secretary=admin,
        term=term,
    )
    attendance_record(actor=admin, meeting=meeting, present=[e.pk for e in meeting.roll.all()])
    specs = [CandidateSpec(label=u.name, unit=u) for u in units[:3]]
    item = agenda_item_add(actor=admin, meeting=meeting, title="Dẫn đầu", candidates=specs)
    vote = vote_open(actor=admin, meeting=meeting, item=item)
    return admin, vote, heads, list(vote.candidates.values_list("pk", flat=True))


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "needs PostgreSQL: SQLite serialises writers (one write transaction at a time), so "
        "casts and the close can never race there and the test would prove nothing"
    ),
)
@pytest.mark.django_db(transaction=True)
def test_casting_while_the_chair_closes_loses_no_ballot_and_counts_none_twice():
    # A transactional test sees no session data it can rely on: it sets up its own.
    admin, vote, heads, candidates = _setup()
    plan = {pk: random.choice([*candidates, None]) for pk in heads}
    # Every voter tries twice from two threads (a double tap): only one may count.
    attempts = [pk for pk in heads for _ in range(2)]
    random.shuffle(attempts)
    chunks = [attempts[i::THREADS] for i in range(THREADS)]
    counted: list[int] = []
    refused: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS + 1)

    def voter_thread(chunk: list[int]) -> None:
        # A new thread has no active language (it would answer in Vietnamese, the default);
        # the refusals are asserted in English below.
        translation.activate("en")
        try:
            barrier.wait(timeout=30)
            for pk in chunk:
                choice = plan[pk]
                try:
                    ballot_cast(
                        actor=User.objects.get(pk=pk),
                        vote=vote,
                        chosen=[choice] if choice else [],
                    )
                except ValidationError as error:
                    with lock:
                        refused.append(error.messages[0])
                else:
                    with lock:
                        counted.append(pk)
        except BaseException as error:  # reported by the main thread
            with lock:
                errors.append(error)
        finally:
            connection.close()

    def chair_thread() -> None:
        try:
            barrier.wait(timeout=30)
            # Let about half of the ballots in, then close while the rest are arriving.
            while True:
                with lock:
                    if len(counted) >= VOTERS // 2:
                        break
                threading.Event().wait(0.005)
            vote_close(actor=admin, vote=vote)
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=voter_thread, args=(c,)) for c in chunks]
    threads.append(threading.Thread(target=chair_thread))
    barrier_threads = threads
    for thread in barrier_threads:
        thread.start()
    # The chair's thread waits on the barrier too.
    for thread in barrier_threads:
        thread.join(timeout=180)

    assert not errors, errors
    print(f"counted {len(counted)} of {VOTERS}; refused: {sorted(set(refused))}")
    assert len(counted) == len(set(counted)), "a voter was counted twice"
    assert all("already voted" in m or "closed" in m for m in refused), set(refused)
    stored_voters = set(
        VoterRecord.objects.filter(vote=vote).values_list("entitlement__unit__code", flat=True)
    )
    assert len(stored_voters) == len(counted)
    tally = Tally.objects.get(vote=vote)
    assert tally.ballots == tally.voters == len(counted) == Ballot.objects.filter(vote=vote).count()
    # Every counted ballot is in the tally with what its voter chose; nothing else is.
    expected = {c: sum(1 for pk in counted if plan[pk] == c) for c in candidates}
    assert {row.candidate_id: row.votes for row in tally.rows.all()} == expected
    assert tally.blank == sum(1 for pk in counted if plan[pk] is None)
    refreshed = Vote.objects.get(pk=vote.pk)
    assert refreshed.status == Vote.Status.CLOSED and tally.chain_head == refreshed.chain_head
    assert ballots_verify(refreshed) is None
