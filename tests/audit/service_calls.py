"""One call of every write service on the demo data, with the audit event it must leave.

Used twice: by an authorised actor (the event is checked) and by a plain staff member (the
call is denied and nothing changes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tests.org.factories import make_unit
from tests.org.helpers import AGENCY, D, person, unit
from thidua.audit.actions import AuditAction
from thidua.campaigns import services as campaigns
from thidua.campaigns.models import BlockCycle, Campaign, ContentGroup
from thidua.org.models import (
    Block,
    BlockTerm,
    Council,
    Employment,
    Rating,
    Role,
    Unit,
    UnitKind,
    User,
)
from thidua.org.services.blocks import block_create, block_term_save
from thidua.org.services.councils import council_member_add, council_save
from thidua.org.services.discipline import discipline_record_add
from thidua.org.services.employment import employment_add, employment_end
from thidua.org.services.people import person_archive, person_delete, person_save
from thidua.org.services.ratings import staff_rating_set, unit_rating_set
from thidua.org.services.roles import role_assign
from thidua.org.services.units import (
    unit_archive,
    unit_create,
    unit_delete,
    unit_dissolve,
    unit_merge,
    unit_move,
    unit_rename,
)


def _campaign() -> Campaign:
    return Campaign.objects.get(agency__code=AGENCY, year=2021)


def _new_unit(admin: User, code: str = "SCRATCH") -> Unit:
    return make_unit(code=code, parent=unit(AGENCY), actor=admin)


def _new_person(admin: User) -> Any:
    return person_save(actor=admin, unit=unit("QLDL"), code="SCRATCH-1", full_name="Tạm Thời")


def _k3_term(admin: User) -> BlockTerm:
    member = _new_unit(admin, "K3-MEMBER")
    block = block_create(actor=admin, agency=unit(AGENCY), code="K3", name="Khối 3", kind="khoi")
    return block_term_save(
        actor=admin, block=block, year=2021, leader=member, deputy=None, members=[member]
    )


def _k1_cycle(admin: User) -> BlockCycle:
    return BlockCycle.objects.get(term__block__code="K1", campaign__year=2021)


@dataclass(frozen=True)
class Call:
    name: str
    action: str
    run: Callable[[User, Any], Any]
    setup: Callable[[User], Any] = lambda admin: None
    before: dict[str, Any] | None = None  # expected subset of data["before"]; None: no before
    after: dict[str, Any] | None = None  # expected subset of data["after"]; None: no after
    events: int = 1
    extra: dict[str, Any] = field(default_factory=dict)  # expected other keys of data


CALLS = [
    Call(
        "unit_create",
        AuditAction.UNIT_CREATED,
        lambda actor, _: unit_create(
            actor=actor,
            code="QLDS",
            name="Phòng Quản lý Di sản",
            kind=UnitKind.DIVISION,
            parent=unit(AGENCY),
            valid_from=D(2022, 1, 1),
        ),
        after={"code": "QLDS", "name": "Phòng Quản lý Di sản", "parent": AGENCY},
    ),
    Call(
        "unit_rename",
        AuditAction.UNIT_RENAMED,
        lambda actor, _: unit_rename(
            actor=actor, unit=unit("QLDL"), name="Phòng Du lịch", short_name="", on=D(2022, 7, 1)
        ),
        before={"name": "Phòng Quản lý Du lịch"},
        after={"name": "Phòng Du lịch", "code": "QLDL"},
        extra={"on": "2022-07-01"},
    ),
    Call(
        "unit_move",
        AuditAction.UNIT_MOVED,
        lambda actor, _: unit_move(
            actor=actor, unit=unit("BQLDT"), parent=unit("BTANG"), on=D(2022, 3, 1)
        ),
        before={"parent": AGENCY},
        after={"parent": "BTANG"},
    ),
    Call(
        "unit_merge",
        AuditAction.UNIT_MERGED,
        lambda actor, _: unit_merge(
            actor=actor,
            sources=[unit("QLDL"), unit("QLTDTT")],
            target=unit("VP"),
            on=D(2023, 1, 1),
        ),
        before={"status": "active"},
        after={"status": "merged"},
        events=2,
        extra={"into": "VP", "on": "2023-01-01"},
    ),
    Call(
        "unit_dissolve",
        AuditAction.UNIT_DISSOLVED,
        lambda actor, _: unit_dissolve(actor=actor, unit=unit("TTXTDL"), on=D(2022, 1, 1)),
        before={"status": "active"},
        after={"status": "dissolved"},
    ),
    Call(
        "unit_archive",
        AuditAction.UNIT_ARCHIVED,
        lambda actor, _: unit_archive(actor=actor, unit=unit("TTXTDL"), on=D(2022, 1, 1)),
        before={"status": "active"},
        after={"status": "archived"},
    ),
    Call(
        "unit_delete",
        AuditAction.UNIT_DELETED,
        lambda actor, scratch: unit_delete(actor=actor, unit=scratch),
        setup=_new_unit,
        before={"code": "SCRATCH"},
    ),
    Call(
        "unit_rating_set",
        AuditAction.RATING_UNIT_SET,
        lambda actor, _: unit_rating_set(
            actor=actor, unit=unit("NHTD"), year=2021, rating=Rating.EXCELLENT
        ),
        before={"rating": "HTTNV"},
        after={"rating": "HTXSNV", "unit": "NHTD", "year": 2021},
    ),
    Call(
        "person_save (create)",
        AuditAction.PERSON_CREATED,
        lambda actor, _: person_save(
            actor=actor, unit=unit("QLDL"), code="QLDL-100", full_name="Hồ  Thị   Mới"
        ),
        after={"code": "QLDL-100", "full_name": "Hồ Thị Mới"},
    ),
    Call(
        "person_save (update)",
        AuditAction.PERSON_UPDATED,
        lambda actor, _: person_save(
            actor=actor,
            unit=unit("QLDL"),
            code="QLDL-001",
            full_name="Tên Đã Sửa",
            person=person("QLDL-001"),
        ),
        before={"code": "QLDL-001"},
        after={"full_name": "Tên Đã Sửa"},
    ),
    Call(
        "person_archive",
        AuditAction.PERSON_ARCHIVED,
        lambda actor, _: person_archive(actor=actor, person=person("QLDL-001")),
        before={"is_archived": False},
        after={"is_archived": True},
    ),
    Call(
        "person_delete",
        AuditAction.PERSON_DELETED,
        lambda actor, scratch: person_delete(actor=actor, person=scratch, scope=unit("QLDL")),
        setup=_new_person,
        before={"code": "SCRATCH-1"},
    ),
    Call(
        "employment_add",
        AuditAction.EMPLOYMENT_ADDED,
        lambda actor, _: employment_add(
            actor=actor,
            person=person("QLDL-001"),
            unit=unit("QLDL"),
            valid_from=D(2010, 1, 1),
            valid_to=D(2012, 12, 31),
            position="Cán sự",
        ),
        after={"unit": "QLDL", "valid_from": "2010-01-01", "valid_to": "2012-12-31"},
    ),
    Call(
        "employment_end",
        AuditAction.EMPLOYMENT_ENDED,
        lambda actor, _: employment_end(
            actor=actor,
            employment=Employment.objects.get(person__code="QLDL-001", unit__code="QLDL"),
            on=D(2021, 6, 30),
        ),
        before={"valid_to": None},
        after={"valid_to": "2021-06-30"},
    ),
    Call(
        "staff_rating_set",
        AuditAction.RATING_STAFF_SET,
        lambda actor, _: staff_rating_set(
            actor=actor, person=person("QLDL-002"), year=2021, rating=Rating.COMPLETED, note="x"
        ),
        before={"rating": "HTTNV"},
        after={"rating": "HTNV", "note": "x", "person": "QLDL-002", "year": 2021},
    ),
    Call(
        "discipline_record_add",
        AuditAction.DISCIPLINE_ADDED,
        lambda actor, _: discipline_record_add(
            actor=actor,
            person=person("QLDL-002"),
            unit=unit("QLDL"),
            level="canh_cao",
            decided_on=D(2021, 9, 20),
            decision_number=" 07/QĐ-SVHTTDL ",
        ),
        after={"person": "QLDL-002", "level": "canh_cao", "decision_number": "07/QĐ-SVHTTDL"},
    ),
    Call(
        "block_create",
        AuditAction.BLOCK_CREATED,
        lambda actor, _: block_create(
            actor=actor, agency=unit(AGENCY), code="K3", name="Khối thi đua số 3", kind="khoi"
        ),
        after={"agency": AGENCY, "code": "K3"},
    ),
    Call(
        "block_term_save",
        AuditAction.BLOCK_TERM_SAVED,
        lambda actor, _: block_term_save(
            actor=actor,
            block=Block.objects.get(code="K1"),
            year=2021,
            leader=unit("QLVHGD"),
            deputy=unit("KHTC"),
            members=[
                m.unit for m in BlockTerm.objects.get(block__code="K1", year=2021).memberships.all()
            ],
            decision_number="792/QĐ-SVHTTDL",
            decision_date=D(2020, 12, 25),
            decision_signer="Nguyễn Khánh Tùng, Giám đốc Sở",
            term=BlockTerm.objects.get(block__code="K1", year=2021),
        ),
        before={"deputy": "TTVH", "leader": "QLVHGD"},
        after={"deputy": "KHTC", "leader": "QLVHGD"},
    ),
    Call(
        "council_save",
        AuditAction.COUNCIL_SAVED,
        lambda actor, _: council_save(
            actor=actor, agency=unit(AGENCY), name="Hội đồng TĐKT Sở", standing_body=unit("TCPC")
        ),
        after={"name": "Hội đồng TĐKT Sở", "standing_body": "TCPC"},
        extra={"created": False},
    ),
    Call(
        "council_member_add",
        AuditAction.COUNCIL_MEMBER_ADDED,
        lambda actor, _: council_member_add(
            actor=actor,
            council=Council.objects.get(agency__code=AGENCY),
            person=person("QLDL-001"),
            role="member",
            valid_from=D(2021, 1, 1),
        ),
        after={"person": "QLDL-001", "role": "member", "valid_from": "2021-01-01"},
    ),
    Call(
        "role_assign",
        AuditAction.ROLE_ASSIGNED,
        lambda actor, _: role_assign(
            actor=actor,
            user=User.objects.get(username="mai"),
            role=Role.UNIT_HEAD,
            unit=unit("QLDL"),
            valid_from=D(2021, 2, 1),
        ),
        after={"user": "mai", "role": "unit_head", "unit": "QLDL"},
    ),
    Call(
        "campaign_save",
        AuditAction.CAMPAIGN_SAVED,
        lambda actor, _: campaigns.campaign_save(
            actor=actor, agency=unit(AGENCY), year=2021, campaign=_campaign(), theme="Chủ đề mới"
        ),
        before={"plan_number": "3887", "year": 2021},
        after={"theme": "Chủ đề mới", "plan_number": "3887"},
    ),
    Call(
        "content_group_save",
        AuditAction.CONTENT_GROUP_SAVED,
        lambda actor, _: campaigns.content_group_save(
            actor=actor, campaign=_campaign(), code="7", title="Chuyển đổi số", order=7
        ),
        after={"code": "7", "title": "Chuyển đổi số"},
    ),
    Call(
        "criterion_save",
        AuditAction.CRITERION_SAVED,
        lambda actor, _: campaigns.criterion_save(
            actor=actor,
            group=ContentGroup.objects.get(campaign=_campaign(), code="1"),
            code="1.5",
            text="Có từ 50% hoàn thành xuất sắc",
            order=5,
            kind="measurable",
            indicator="staff_share_rated_at_least",
            comparator="gte",
            threshold=Decimal(50),
            min_rating="HTXSNV",
        ),
        after={"code": "1.5", "threshold": "50", "min_rating": "HTXSNV"},
    ),
    Call(
        "milestone_save",
        AuditAction.MILESTONE_SAVED,
        lambda actor, _: campaigns.milestone_save(
            actor=actor,
            campaign=_campaign(),
            kind="other",
            title="Hội nghị điển hình",
            owner="secretariat",
            due_on=D(2021, 12, 20),
        ),
        after={"title": "Hội nghị điển hình", "due_on": "2021-12-20"},
    ),
    Call(
        "block_cycle_open",
        AuditAction.CYCLE_OPENED,
        lambda actor, term: campaigns.block_cycle_open(
            actor=actor, campaign=_campaign(), term=term
        ),
        setup=_k3_term,
        after={"block": "K3", "year": 2021},
    ),
    Call(
        "block_cycle_advance",
        AuditAction.CYCLE_ADVANCED,
        lambda actor, cycle: campaigns.block_cycle_advance(
            actor=actor, cycle=cycle, target="covenant_late"
        ),
        setup=_k1_cycle,
        before={"state": "covenant_signing"},
        after={"state": "covenant_late"},
    ),
]
