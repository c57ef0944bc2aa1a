"""Helpers for the voting tests: Khối 1's year-end meeting on the demo data, with a head
(and a login) for every member unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from thidua.org.models import BlockTerm, Role, RoleAssignment, User
from thidua.voting.models import AgendaItem, Meeting, Vote, VotingRule
from thidua.voting.services.meetings import (
    CandidateSpec,
    agenda_item_add,
    attendance_record,
    meeting_create,
)
from thidua.voting.services.votes import vote_open

DAY = dt.date(2021, 12, 20)


def term(block: str = "K1") -> BlockTerm:
    return BlockTerm.objects.select_related("block__agency").get(block__code=block, year=2021)


def heads(block: str = "K1") -> dict[str, User]:
    """The head of every member unit, by unit code; the demo has three, the rest are made."""
    found: dict[str, User] = {}
    for membership in term(block).memberships.select_related("unit"):
        unit = membership.unit
        assignment = (
            RoleAssignment.objects.filter(unit=unit, role=Role.UNIT_HEAD)
            .select_related("user")
            .first()
        )
        if assignment is None:
            user = User.objects.create(username=f"head-{unit.code.lower()}")
            RoleAssignment.objects.create(
                user=user, role=Role.UNIT_HEAD, unit=unit, valid_from=dt.date(2020, 1, 1)
            )
        else:
            user = assignment.user
        found[unit.code] = user
    return found


def rule(code: str = "block-leading-unit", **changes: Any) -> VotingRule:
    """The seeded rule, or a variant of it saved under a new code."""
    base = VotingRule.objects.get(code=code)
    if not changes:
        return base
    base.pk = None
    base.code = f"{code}-test-{VotingRule.objects.count()}"
    for name, value in changes.items():
        setattr(base, name, value)
    base.save()
    return base


def meeting(actor: User, *, voting_rule: VotingRule | None = None, block: str = "K1") -> Meeting:
    minh = User.objects.get(username="minh")
    hoa = User.objects.get(username="hoa")
    return meeting_create(
        actor=actor,
        rule=voting_rule or rule(),
        title="Hội nghị tổng kết Khối thi đua số 1 năm 2021",
        held_on=DAY,
        place="Hội trường Sở",
        chair=minh,
        secretary=hoa,
        term=term(block),
    )


def attend(m: Meeting, *, absent: tuple[str, ...] = ()) -> None:
    present = [e.pk for e in m.roll.select_related("unit") if e.unit.code not in absent]
    attendance_record(actor=m.chair, meeting=m, present=present)


def item_with_units(
    m: Meeting, codes: list[str], *, seats: int | None = 1, rankings: bool = True
) -> AgendaItem:
    by_code = {e.unit.code: e.unit for e in m.roll.select_related("unit")}
    specs = [
        CandidateSpec(
            label=by_code[code].name, unit=by_code[code], ranking=(i if rankings else None)
        )
        for i, code in enumerate(codes, start=1)
    ]
    return agenda_item_add(
        actor=m.chair, meeting=m, title="Suy tôn đơn vị dẫn đầu", candidates=specs, seats=seats
    )


def candidate_ids(vote: Vote) -> dict[str, int]:
    return {c.unit.code: c.pk for c in vote.candidates.select_related("unit")}


def open_vote(m: Meeting, item: AgendaItem, **kwargs: Any) -> Vote:
    return vote_open(actor=m.chair, meeting=m, item=item, **kwargs)


def now() -> dt.datetime:
    return timezone.now()
