"""Who may do what, read off a table and checked by calling the real services.

Personas (thidua.org.demo): khoa system administrator; lan secretariat (phòng Tổ chức – Pháp
chế) over the whole Sở; minh head of QLVHGD (leader of Khối 1 in 2021); hoa head of TTVH (deputy
of Khối 1); tuan head of QLDL (a plain member of Khối 1); mai staff of QLDL; tung director (head
of the Sở itself, without its divisions) and council member; thu council member.

Policy (thidua.org.permissions.ACTION_ROLES): administrators and the secretariat manage the
organisation, blocks, councils and campaigns; a unit head manages the people and ratings of
their own unit only; only administrators assign roles. Cycle steps belong to their owner.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tests.org.helpers import AGENCY, D, events_after, last_seq, nothing_written, person, unit
from thidua.campaigns import services as campaigns
from thidua.campaigns.cycle import COVENANT, TRANSITIONS, find_transition
from thidua.campaigns.models import BlockCycle, Campaign, CycleStep
from thidua.documents import services as documents
from thidua.documents.models import IssuingBody
from thidua.org.models import (
    Block,
    BlockTerm,
    Council,
    DisciplineLevel,
    Rating,
    Role,
    User,
)
from thidua.org.permissions import ACTION_ROLES, Action, authorize
from thidua.org.services.blocks import block_create, block_term_save
from thidua.org.services.councils import council_member_add
from thidua.org.services.discipline import discipline_record_add
from thidua.org.services.employment import employment_add
from thidua.org.services.people import person_save
from thidua.org.services.ratings import staff_rating_set, unit_rating_set
from thidua.org.services.roles import role_assign
from thidua.org.services.units import unit_create, unit_rename
from thidua.scoring.services import tables as table_services

PERSONAS = ("khoa", "lan", "minh", "hoa", "tuan", "mai", "tung", "thu")


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def parse(table: str, keys: int) -> list[tuple[tuple[str, ...], frozenset[str]]]:
    """Rows of `keys` key columns followed by one Y/. column per persona."""
    rows = []
    for line in table.strip().splitlines()[1:]:
        cells = line.split()
        marks = cells[keys:]
        assert len(marks) == len(PERSONAS), line
        assert set(marks) <= {"Y", "."}, line
        allowed = frozenset(p for p, mark in zip(PERSONAS, marks, strict=True) if mark == "Y")
        rows.append((tuple(cells[:keys]), allowed))
    return rows


# Which roles each action needs (the source of the tables below).
ROLE_POLICY = {
    Action.UNIT_MANAGE: {Role.ADMIN, Role.SECRETARIAT},
    Action.PERSON_MANAGE: {Role.ADMIN, Role.SECRETARIAT, Role.UNIT_HEAD},
    Action.RATING_MANAGE: {Role.ADMIN, Role.SECRETARIAT, Role.UNIT_HEAD},
    Action.DISCIPLINE_MANAGE: {Role.ADMIN, Role.SECRETARIAT},
    Action.ORG_IMPORT: {Role.ADMIN, Role.SECRETARIAT},
    Action.BLOCK_MANAGE: {Role.ADMIN, Role.SECRETARIAT},
    Action.COUNCIL_MANAGE: {Role.ADMIN, Role.SECRETARIAT},
    Action.ROLE_MANAGE: {Role.ADMIN},
    Action.CAMPAIGN_MANAGE: {Role.ADMIN, Role.SECRETARIAT},
    Action.DOCUMENT_ISSUE: {Role.ADMIN, Role.SECRETARIAT},
    Action.SCORING_TABLE_MANAGE: {Role.ADMIN, Role.SECRETARIAT},
    Action.AWARD_RECORD: {Role.ADMIN, Role.SECRETARIAT},
    Action.PROPOSAL_REVIEW: {Role.ADMIN, Role.SECRETARIAT},
}

# fmt: off
ACTION_TABLE = """
case                           action                     khoa lan minh hoa tuan mai tung thu
unit_rename:QLDL               org.unit.manage             Y    Y   .    .   .    .   .    .
unit_create:under-QLDL         org.unit.manage             Y    Y   .    .   .    .   .    .
unit_rating_set:QLDL           org.unit.manage             Y    Y   .    .   .    .   .    .
person_save:new-in-QLDL        org.person.manage           Y    Y   .    .   Y    .   .    .
person_save:new-in-QLVHGD      org.person.manage           Y    Y   Y    .   .    .   .    .
person_save:new-in-SVHTTDL     org.person.manage           Y    Y   .    .   .    .   Y    .
person_save:edit-QLDL-001      org.person.manage           Y    Y   .    .   Y    .   .    .
employment_add:into-TTVH       org.person.manage           Y    Y   .    Y   .    .   .    .
staff_rating_set:QLDL-001      org.rating.manage           Y    Y   .    .   Y    .   .    .
staff_rating_set:QLVHGD-001    org.rating.manage           Y    Y   Y    .   .    .   .    .
discipline_record_add:QLDL     org.discipline.manage       Y    Y   .    .   .    .   .    .
authorize:import-SVHTTDL       org.import                  Y    Y   .    .   .    .   .    .
block_create:K3                org.block.manage            Y    Y   .    .   .    .   .    .
block_term_save:K1-2021        org.block.manage            Y    Y   .    .   .    .   .    .
council_member_add:SVHTTDL     org.council.manage          Y    Y   .    .   .    .   .    .
role_assign:QLDL               org.role.manage             Y    .   .    .   .    .   .    .
campaign_save:2021             campaigns.campaign.manage   Y    Y   .    .   .    .   .    .
milestone_save:2021            campaigns.campaign.manage   Y    Y   .    .   .    .   .    .
document_issue:KH-SVHTTDL      documents.document.issue    Y    Y   .    .   .    .   .    .
scoring_table_create:K2        scoring.table.manage        Y    Y   .    .   .    .   .    .
authorize:award-SVHTTDL        awards.decision.record      Y    Y   .    .   .    .   .    .
authorize:proposal-SVHTTDL     proposals.dossier.review    Y    Y   .    .   .    .   .    .
"""

# Each step of the block cycle of Khối 1 in 2021, and who may take it.
CYCLE_TABLE = """
source              target              owner          khoa lan minh hoa tuan mai tung thu
setup               covenant_draft      secretariat     Y    Y   .    .   .    .   .    .
covenant_draft      covenant_signing    block_leader    .    .   Y    .   .    .   .    .
covenant_signing    active              secretariat     Y    Y   .    .   .    .   .    .
covenant_signing    covenant_late       secretariat     Y    Y   .    .   .    .   .    .
covenant_late       active              secretariat     Y    Y   .    .   .    .   .    .
active              midyear_reviewed    block_deputy    .    .   .    Y   .    .   .    .
midyear_reviewed    active_h2           block_deputy    .    .   .    Y   .    .   .    .
active_h2           reports_collected   block_leader    .    .   Y    .   .    .   .    .
reports_collected   scored              block_leader    .    .   Y    .   .    .   .    .
scored              scores_final        block_leader    .    .   Y    .   .    .   .    .
scores_final        leader_elected      block_leader    .    .   Y    .   .    .   .    .
leader_elected      submitted_to_dept   block_leader    .    .   Y    .   .    .   .    .
submitted_to_dept   leader_elected      secretariat     Y    Y   .    .   .    .   .    .
submitted_to_dept   submitted_to_city   secretariat     Y    Y   .    .   .    .   .    .
submitted_to_city   awarded             secretariat     Y    Y   .    .   .    .   .    .
submitted_to_city   not_awarded         secretariat     Y    Y   .    .   .    .   .    .
awarded             closed              secretariat     Y    Y   .    .   .    .   .    .
not_awarded         closed              secretariat     Y    Y   .    .   .    .   .    .
awarded             revoked             secretariat     Y    Y   .    .   .    .   .    .
"""
# fmt: on

# Personas with no role at all in Khối 1's year are denied outright; the others are told
# whose step it is.
NO_ROLE_IN_KHOI_1 = {"tuan", "mai"}

ACTION_ROWS = parse(ACTION_TABLE, keys=2)
CYCLE_ROWS = parse(CYCLE_TABLE, keys=3)


def _campaign() -> Campaign:
    return Campaign.objects.get(agency__code=AGENCY, year=2021)


def _k1_2021() -> BlockTerm:
    return BlockTerm.objects.get(block__code="K1", year=2021)


CASES: dict[str, Callable[[User], Any]] = {
    "unit_rename:QLDL": lambda actor: unit_rename(
        actor=actor, unit=unit("QLDL"), name="Phòng Du lịch", short_name="", on=D(2022, 7, 1)
    ),
    "unit_create:under-QLDL": lambda actor: unit_create(
        actor=actor,
        code="QLDL-T1",
        name="Tổ Lữ hành",
        kind="other",
        parent=unit("QLDL"),
        valid_from=D(2021, 2, 1),
    ),
    "unit_rating_set:QLDL": lambda actor: unit_rating_set(
        actor=actor, unit=unit("QLDL"), year=2021, rating=Rating.GOOD
    ),
    "person_save:new-in-QLDL": lambda actor: person_save(
        actor=actor, unit=unit("QLDL"), code="QLDL-100", full_name="Người Mới"
    ),
    "person_save:new-in-QLVHGD": lambda actor: person_save(
        actor=actor, unit=unit("QLVHGD"), code="QLVHGD-100", full_name="Người Mới"
    ),
    "person_save:new-in-SVHTTDL": lambda actor: person_save(
        actor=actor, unit=unit(AGENCY), code="SVHTTDL-100", full_name="Phó Giám đốc Mới"
    ),
    "person_save:edit-QLDL-001": lambda actor: person_save(
        actor=actor,
        unit=unit("QLDL"),
        code="QLDL-001",
        full_name="Tên Đã Sửa",
        person=person("QLDL-001"),
    ),
    "employment_add:into-TTVH": lambda actor: employment_add(
        actor=actor, person=person("QLDL-001"), unit=unit("TTVH"), valid_from=D(2022, 1, 1)
    ),
    "staff_rating_set:QLDL-001": lambda actor: staff_rating_set(
        actor=actor, person=person("QLDL-001"), year=2021, rating=Rating.COMPLETED
    ),
    "staff_rating_set:QLVHGD-001": lambda actor: staff_rating_set(
        actor=actor, person=person("QLVHGD-001"), year=2021, rating=Rating.COMPLETED
    ),
    "discipline_record_add:QLDL": lambda actor: discipline_record_add(
        actor=actor,
        person=person("QLDL-002"),
        unit=unit("QLDL"),
        level=DisciplineLevel.REPRIMAND,
        decided_on=D(2021, 9, 20),
    ),
    # The spreadsheet importer is being written elsewhere; its first step is this check.
    "authorize:import-SVHTTDL": lambda actor: authorize(actor, Action.ORG_IMPORT, unit(AGENCY)),
    # The awards services authorise with this action before anything else.
    "authorize:award-SVHTTDL": lambda actor: authorize(actor, Action.AWARD_RECORD, unit(AGENCY)),
    # The proposals services authorise the secretariat's steps with this action first.
    "authorize:proposal-SVHTTDL": lambda actor: authorize(
        actor, Action.PROPOSAL_REVIEW, unit(AGENCY)
    ),
    "block_create:K3": lambda actor: block_create(
        actor=actor, agency=unit(AGENCY), code="K3", name="Khối thi đua số 3", kind="khoi"
    ),
    "block_term_save:K1-2021": lambda actor: block_term_save(
        actor=actor,
        block=Block.objects.get(code="K1"),
        year=2021,
        leader=unit("QLVHGD"),
        deputy=unit("TTVH"),
        members=[m.unit for m in _k1_2021().memberships.all()],
        decision_number="792/QĐ-SVHTTDL (sửa đổi)",
        term=_k1_2021(),
    ),
    "council_member_add:SVHTTDL": lambda actor: council_member_add(
        actor=actor,
        council=Council.objects.get(agency__code=AGENCY),
        person=person("QLDL-001"),
        role="member",
        valid_from=D(2021, 1, 1),
    ),
    "role_assign:QLDL": lambda actor: role_assign(
        actor=actor,
        user=User.objects.get(username="mai"),
        role=Role.UNIT_HEAD,
        unit=unit("QLDL"),
        valid_from=D(2021, 2, 1),
    ),
    "campaign_save:2021": lambda actor: campaigns.campaign_save(
        actor=actor, agency=unit(AGENCY), year=2021, campaign=_campaign(), theme="Chủ đề mới"
    ),
    "milestone_save:2021": lambda actor: campaigns.milestone_save(
        actor=actor,
        campaign=_campaign(),
        kind="other",
        title="Hội nghị điển hình tiên tiến",
        owner="secretariat",
        due_on=D(2021, 12, 20),
    ),
    "document_issue:KH-SVHTTDL": lambda actor: documents.document_issue(
        actor=actor,
        issuer=IssuingBody.objects.get(unit__code=AGENCY),
        doc_type_code="KH",
        issued_on=D(2021, 1, 4),
        summary="Kế hoạch tổ chức hội nghị sơ kết",
        signer_name="Nguyễn Khánh Tùng",
        signer_title="Giám đốc",
        idempotency_key=f"matrix-{actor.username}",
    ),
    # Khối 2: minh leads Khối 1 only, so here only the roles decide.
    "scoring_table_create:K2": lambda actor: table_services.table_create(
        actor=actor, campaign=_campaign(), block=Block.objects.get(code="K2")
    ),
}


def test_role_policy_is_the_one_in_force():
    assert {action: set(roles) for action, roles in ACTION_ROLES.items()} == ROLE_POLICY


def test_every_action_is_exercised_by_the_table():
    assert {Action(action) for (_case, action), _allowed in ACTION_ROWS} == set(Action)
    assert {case for (case, _action), _allowed in ACTION_ROWS} == set(CASES)


def test_cycle_table_covers_every_transition_with_its_owner():
    assert sorted(tuple(keys) for keys, _allowed in CYCLE_ROWS) == sorted(
        (t.source.value, t.target.value, t.owner.value) for t in TRANSITIONS
    )


@pytest.mark.parametrize("username", PERSONAS)
@pytest.mark.parametrize(
    ("case", "allowed"),
    [(keys[0], allowed) for keys, allowed in ACTION_ROWS],
    ids=[keys[0] for keys, _allowed in ACTION_ROWS],
)
def test_action_matrix(persona, case, allowed, username):
    actor = persona(username)
    call = CASES[case]

    if username in allowed:
        seq = last_seq()
        call(actor)
        if not case.startswith("authorize:"):
            assert [e.actor for e in events_after(seq)][-1:] == [actor]
    else:
        with nothing_written(), pytest.raises(PermissionDenied):
            call(actor)


def k1_cycle_in(state: str) -> BlockCycle:
    BlockCycle.objects.filter(term__block__code="K1", campaign__year=2021).update(state=state)
    return BlockCycle.objects.get(term__block__code="K1", campaign__year=2021)


@pytest.mark.parametrize("username", PERSONAS)
@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [(keys[0], keys[1], allowed) for keys, allowed in CYCLE_ROWS],
    ids=[f"{keys[0]}->{keys[1]}" for keys, _allowed in CYCLE_ROWS],
)
def test_cycle_matrix(persona, source, target, allowed, username):
    # Who may take each step; a covenant step is asked for as the covenant services ask.
    actor = persona(username)
    cycle = k1_cycle_in(source)
    via = find_transition(cycle.state, target).workflow

    if username in allowed:
        campaigns.block_cycle_advance(
            actor=actor, cycle=cycle, target=target, note="Biên bản", via=via
        )
        cycle.refresh_from_db()
        assert cycle.state == target
        assert CycleStep.objects.filter(cycle=cycle).latest("id").actor == actor
        return
    expected = PermissionDenied if username in NO_ROLE_IN_KHOI_1 else ValidationError
    with nothing_written(), pytest.raises(expected) as refused:
        campaigns.block_cycle_advance(
            actor=actor, cycle=cycle, target=target, note="Biên bản", via=via
        )
    if expected is ValidationError:
        assert "may do this" in " ".join(refused.value.messages)
    cycle.refresh_from_db()
    assert cycle.state == source


COVENANT_STEPS = [t for t in TRANSITIONS if t.workflow == COVENANT]


@pytest.mark.parametrize("username", PERSONAS)
@pytest.mark.parametrize(
    "transition", COVENANT_STEPS, ids=[f"{t.source}->{t.target}" for t in COVENANT_STEPS]
)
def test_covenant_steps_are_refused_on_the_generic_path(persona, transition, username):
    # Nobody, not even the step's owner, takes a covenant step without the covenant services.
    actor = persona(username)
    cycle = k1_cycle_in(transition.source)
    expected = PermissionDenied if username in NO_ROLE_IN_KHOI_1 else ValidationError

    with nothing_written(), pytest.raises(expected) as refused:
        campaigns.block_cycle_advance(
            actor=actor, cycle=cycle, target=transition.target, note="Biên bản"
        )
    if expected is ValidationError:
        assert " ".join(refused.value.messages) == (
            f"This step is taken on the covenant page: {transition.label}."
        )
    cycle.refresh_from_db()
    assert cycle.state == transition.source
