"""The seed's year as demo data: Sở VHTTDL Cần Thơ, its units, people and two blocks (the
2021 campaign is loaded by campaigns.demo).

Facts from Kế hoạch 3887/KH-SVHTTDL (the plan's number, date, signer, theme, legal bases,
content groups, deadlines, phòng Tổ chức – Pháp chế as secretariat, QĐ 792/QĐ-SVHTTDL) are
used as given. Unit names the plan does not give, people and ratings are illustrative and
flagged `is_illustrative`. Every step looks up before it creates, so loading twice changes
nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction

from thidua.org.demo_issuers import ensure_demo_issuers
from thidua.org.models import (
    Block,
    BlockTerm,
    Council,
    CouncilMember,
    Employment,
    Person,
    Rating,
    Role,
    StaffRating,
    Unit,
    UnitKind,
    UnitRating,
    User,
)
from thidua.org.services.blocks import block_create, block_term_save
from thidua.org.services.councils import council_member_add, council_save
from thidua.org.services.discipline import discipline_record_add
from thidua.org.services.employment import employment_add
from thidua.org.services.people import person_save
from thidua.org.services.ratings import staff_rating_set, unit_rating_set
from thidua.org.services.roles import role_assign
from thidua.org.services.units import unit_create, unit_rename

D = dt.date
DEMO_PASSWORD = "ThiDua@2021"
STAFF_SINCE = D(2015, 3, 1)
AGENCY_CODE = "SVHTTDL"


@dataclass(frozen=True)
class UnitSeed:
    code: str
    name: str
    kind: str
    illustrative: bool = True


UNITS = [
    UnitSeed("VP", "Văn phòng Sở", UnitKind.DIVISION),
    UnitSeed("TCPC", "Phòng Tổ chức – Pháp chế", UnitKind.DIVISION, illustrative=False),
    UnitSeed("KHTC", "Phòng Kế hoạch – Tài chính", UnitKind.DIVISION),
    UnitSeed("QLVHGD", "Phòng Quản lý Văn hóa và Gia đình", UnitKind.DIVISION),
    UnitSeed("QLTDTT", "Phòng Quản lý Thể dục Thể thao", UnitKind.DIVISION),
    UnitSeed("QLDL", "Phòng Quản lý Du lịch", UnitKind.DIVISION),
    UnitSeed("TTRA", "Thanh tra Sở", UnitKind.DIVISION),
    UnitSeed("TTVH", "Trung tâm Văn hóa thành phố", UnitKind.SERVICE_UNIT),
    UnitSeed("BTANG", "Bảo tàng thành phố", UnitKind.SERVICE_UNIT),
    UnitSeed("TVIEN", "Thư viện thành phố", UnitKind.SERVICE_UNIT),
    UnitSeed("NHTD", "Nhà hát Tây Đô", UnitKind.SERVICE_UNIT),
    UnitSeed("TTHLTD", "Trung tâm Huấn luyện và Thi đấu Thể dục Thể thao", UnitKind.SERVICE_UNIT),
    UnitSeed("TTXTDL", "Trung tâm Xúc tiến Du lịch", UnitKind.SERVICE_UNIT),
    UnitSeed("BQLDT", "Ban Quản lý Di tích", UnitKind.SERVICE_UNIT),
]

BLOCKS_2021 = {
    "K1": (
        "Khối thi đua số 1",
        ["VP", "TCPC", "KHTC", "QLVHGD", "QLTDTT", "QLDL", "TTVH"],
        "QLVHGD",
        "TTVH",
    ),
    "K2": (
        "Khối thi đua số 2",
        ["TTRA", "BTANG", "TVIEN", "NHTD", "TTHLTD", "TTXTDL", "BQLDT"],
        "TVIEN",
        "BTANG",
    ),
}
# 2020 differs (illustrative) so the history of a unit moving between blocks is visible.
BLOCKS_2020 = {
    "K1": (["VP", "TCPC", "KHTC", "QLVHGD", "QLTDTT", "QLDL", "TTRA"], "VP", "KHTC"),
    "K2": (["TTVH", "BTANG", "TVIEN", "NHTD", "TTHLTD", "TTXTDL", "BQLDT"], "NHTD", "TTVH"),
}


@dataclass(frozen=True)
class Persona:
    username: str
    full_name: str
    unit: str
    position: str
    role: str
    is_head: bool = False
    scope_descendants: bool = False
    role_unit: str | None = None


PERSONAS = [
    Persona(
        "lan",
        "Nguyễn Thị Lan",
        "TCPC",
        "Chuyên viên thi đua – khen thưởng",
        Role.SECRETARIAT,
        role_unit=AGENCY_CODE,
        scope_descendants=True,
    ),
    Persona("minh", "Trần Văn Minh", "QLVHGD", "Trưởng phòng", Role.UNIT_HEAD, is_head=True),
    Persona("hoa", "Lê Thị Hoa", "TTVH", "Giám đốc Trung tâm", Role.UNIT_HEAD, is_head=True),
    Persona("tuan", "Phạm Minh Tuấn", "QLDL", "Trưởng phòng", Role.UNIT_HEAD, is_head=True),
    Persona("mai", "Võ Thị Mai", "QLDL", "Chuyên viên", Role.STAFF),
    Persona(
        "tung", "Nguyễn Khánh Tùng", AGENCY_CODE, "Giám đốc Sở", Role.COUNCIL_MEMBER, is_head=True
    ),
    Persona(
        "thu",
        "Đặng Thị Thu",
        "KHTC",
        "Phó Trưởng phòng",
        Role.COUNCIL_MEMBER,
        role_unit=AGENCY_CODE,
    ),
    Persona(
        "khoa",
        "Huỳnh Đăng Khoa",
        "VP",
        "Quản trị hệ thống",
        Role.ADMIN,
        role_unit=AGENCY_CODE,
        scope_descendants=True,
    ),
]
PERSONA_LABELS = {
    "lan": "Cán bộ thi đua – khen thưởng (phòng Tổ chức – Pháp chế)",
    "minh": "Trưởng phòng Quản lý Văn hóa và Gia đình, Khối trưởng Khối 1",
    "hoa": "Giám đốc Trung tâm Văn hóa, Khối phó Khối 1",
    "tuan": "Trưởng phòng Quản lý Du lịch, thành viên Khối 1",
    "mai": "Chuyên viên phòng Quản lý Du lịch",
    "tung": "Giám đốc Sở, Chủ tịch Hội đồng TĐKT",
    "thu": "Ủy viên Hội đồng TĐKT",
    "khoa": "Quản trị hệ thống",
}

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu", "Thu", "Quốc", "Hoài", "Kim"]
GIVEN = [
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Đạt",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hùng",
    "Khánh",
    "Linh",
    "Long",
    "Nam",
    "Nga",
    "Nhung",
    "Phúc",
    "Quang",
    "Quyên",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Trí",
    "Tú",
    "Uyên",
    "Việt",
    "Xuân",
    "Yến",
]

# Units whose 2021 staff ratings fall below 95% at least HTTNV (so the criterion is not met).
WEAK_UNITS = {"QLTDTT", "NHTD", "TTHLTD"}
# Discipline: (unit, level, date). One warning makes its unit fail the "no cảnh cáo" criterion;
# a reprimand alone does not.
DISCIPLINE = [
    ("NHTD", "canh_cao", D(2021, 8, 16), "45/QĐ-NHTD"),
    ("TTXTDL", "khien_trach", D(2021, 5, 10), "12/QĐ-TTXTDL"),
    ("BQLDT", "khien_trach", D(2020, 9, 3), "08/QĐ-BQLDT"),
]
UNIT_RATINGS_2021 = {"QLTDTT": Rating.GOOD, "NHTD": Rating.GOOD, "TTHLTD": Rating.COMPLETED}


class DemoLoader:
    def __init__(self) -> None:
        self.rng = random.Random(2021)
        self.units: dict[str, Unit] = {}
        self.admin: User | None = None

    @transaction.atomic
    def load(self) -> None:
        self.admin = self._admin_user()
        self._units()
        ensure_demo_issuers(self.admin)
        self._staff()
        self._personas()
        self._blocks()
        self._council()

    def _admin_user(self) -> User:
        user, created = User.objects.get_or_create(
            username="khoa",
            defaults={"full_name": "Huỳnh Đăng Khoa", "is_staff": True, "is_superuser": True},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def _unit(
        self,
        code: str,
        name: str,
        kind: str,
        parent: Unit | None,
        illustrative: bool,
        valid_from: dt.date,
    ) -> Unit:
        existing = Unit.objects.filter(code=code).first()
        if existing:
            return existing
        return unit_create(
            actor=self.admin,
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            valid_from=valid_from,
            is_illustrative=illustrative,
        )

    def _units(self) -> None:
        city = self._unit(
            "UBND-CT",
            "Ủy ban nhân dân thành phố Cần Thơ",
            UnitKind.AGENCY,
            None,
            False,
            D(2004, 1, 1),
        )
        agency = self._unit(
            AGENCY_CODE,
            "Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ",
            UnitKind.AGENCY,
            city,
            False,
            D(2008, 4, 1),
        )
        self.units = {"UBND-CT": city, AGENCY_CODE: agency}
        for seed in UNITS:
            self.units[seed.code] = self._unit(
                seed.code, seed.name, seed.kind, agency, seed.illustrative, D(2008, 4, 1)
            )
        # History that shows renames: the tourism promotion centre took its name in 2019.
        ttxtdl = self.units["TTXTDL"]
        if ttxtdl.versions.count() == 1:
            version = ttxtdl.versions.get()
            version.name = "Trung tâm Thông tin Xúc tiến Du lịch"
            version.save(update_fields=["name"])
            unit_rename(
                actor=self.admin,
                unit=ttxtdl,
                name="Trung tâm Xúc tiến Du lịch",
                short_name="",
                on=D(2019, 7, 1),
                reason="Đổi tên (minh họa)",
            )

    def _person(
        self,
        code: str,
        full_name: str,
        unit: Unit,
        position: str,
        is_head: bool = False,
        since: dt.date = STAFF_SINCE,
    ) -> Person:
        person = Person.objects.filter(code=code).first()
        if person is None:
            person = person_save(
                actor=self.admin, unit=unit, code=code, full_name=full_name, is_illustrative=True
            )
        if not Employment.objects.filter(person=person, unit=unit).exists():
            employment_add(
                actor=self.admin,
                person=person,
                unit=unit,
                valid_from=since,
                position=position,
                is_head=is_head,
            )
        return person

    def _staff(self) -> None:
        for seed in UNITS:
            unit = self.units[seed.code]
            size = 8 + self.rng.randrange(7)
            people = []
            for index in range(1, size + 1):
                name = (
                    f"{self.rng.choice(FAMILY)} {self.rng.choice(MIDDLE)} {self.rng.choice(GIVEN)}"
                )
                people.append(
                    self._person(
                        f"{seed.code}-{index:03d}",
                        name,
                        unit,
                        "Viên chức" if seed.kind == UnitKind.SERVICE_UNIT else "Công chức",
                    )
                )
            weak = seed.code in WEAK_UNITS
            for year in (2020, 2021):
                for index, person in enumerate(people):
                    rating = Rating.GOOD if index % 3 else Rating.EXCELLENT
                    if year == 2021 and weak and index in (1, 2):
                        rating = Rating.COMPLETED
                    self._rate(person, year, rating)
            self._rate_unit(unit, 2020, Rating.EXCELLENT)
            self._rate_unit(unit, 2021, UNIT_RATINGS_2021.get(seed.code, Rating.EXCELLENT))
        for unit_code, level, decided_on, number in DISCIPLINE:
            person = Person.objects.get(code=f"{unit_code}-004")
            discipline_record_add(
                actor=self.admin,
                person=person,
                unit=self.units[unit_code],
                level=level,
                decided_on=decided_on,
                decision_number=number,
                reason="Minh họa",
            )

    # Ratings are set only where none exists: loading the demo again must not undo what
    # someone changed while trying the system.
    def _rate(self, person: Person, year: int, rating: str) -> None:
        if not StaffRating.objects.filter(person=person, year=year).exists():
            staff_rating_set(actor=self.admin, person=person, year=year, rating=rating)

    def _rate_unit(self, unit: Unit, year: int, rating: str) -> None:
        if not UnitRating.objects.filter(unit=unit, year=year).exists():
            unit_rating_set(actor=self.admin, unit=unit, year=year, rating=rating)

    def _personas(self) -> None:
        for persona in PERSONAS:
            unit = self.units[persona.unit]
            person = self._person(
                f"P-{persona.username.upper()}",
                persona.full_name,
                unit,
                persona.position,
                is_head=persona.is_head,
            )
            for year in (2020, 2021):
                self._rate(person, year, Rating.EXCELLENT)
            user = User.objects.filter(username=persona.username).first()
            if user is None:
                user = User(username=persona.username, full_name=persona.full_name)
                user.set_password(DEMO_PASSWORD)
            if user.person_id is None or not user.email:
                user.person = user.person or person
                user.full_name = user.full_name or persona.full_name
                # Reserved domain (RFC 2606): demo reminders can never reach a real inbox.
                user.email = user.email or f"{persona.username}@thidua.example"
                user.save()
            role_unit = self.units[persona.role_unit or persona.unit]
            role_assign(
                actor=self.admin,
                user=user,
                role=persona.role,
                unit=role_unit,
                valid_from=D(2020, 1, 1),
                include_descendants=persona.scope_descendants,
            )
            if persona.role != Role.STAFF and not persona.is_head:
                role_assign(
                    actor=self.admin,
                    user=user,
                    role=Role.STAFF,
                    unit=unit,
                    valid_from=D(2020, 1, 1),
                )
            if persona.is_head and persona.role != Role.UNIT_HEAD:
                role_assign(
                    actor=self.admin,
                    user=user,
                    role=Role.UNIT_HEAD,
                    unit=unit,
                    valid_from=D(2020, 1, 1),
                )

    def _blocks(self) -> None:
        agency = self.units[AGENCY_CODE]
        for code, (name, *_rest) in BLOCKS_2021.items():
            block = Block.objects.filter(agency=agency, code=code).first() or (
                block_create(
                    actor=self.admin, agency=agency, code=code, name=name, kind=Block.Kind.KHOI
                )
            )
            members_2020, leader_2020, deputy_2020 = BLOCKS_2020[code]
            self._term(block, 2020, members_2020, leader_2020, deputy_2020, "", None)
        # Both 2020 terms exist before 2021 ones, so a unit moving between blocks never clashes.
        for code, (_name, members, leader, deputy) in BLOCKS_2021.items():
            block = Block.objects.get(agency=agency, code=code)
            self._term(block, 2021, members, leader, deputy, "792/QĐ-SVHTTDL", D(2020, 12, 25))

    def _term(
        self,
        block: Block,
        year: int,
        members: list[str],
        leader: str,
        deputy: str,
        decision: str,
        decision_date: dt.date | None,
    ) -> BlockTerm:
        existing = BlockTerm.objects.filter(block=block, year=year).first()
        if existing:
            return existing
        return block_term_save(
            actor=self.admin,
            block=block,
            year=year,
            leader=self.units[leader],
            deputy=self.units[deputy],
            members=[self.units[c] for c in members],
            decision_number=decision,
            decision_date=decision_date,
            decision_signer="Nguyễn Khánh Tùng, Giám đốc Sở" if decision else "",
        )

    def _council(self) -> None:
        agency = self.units[AGENCY_CODE]
        council = Council.objects.filter(agency=agency).first() or council_save(
            actor=self.admin,
            agency=agency,
            name="Hội đồng Thi đua – Khen thưởng Sở Văn hóa, Thể thao và Du lịch",
            standing_body=self.units["TCPC"],
        )
        seats = [
            ("P-TUNG", "chair"),
            ("P-LAN", "secretary"),
            ("P-THU", "member"),
            ("P-MINH", "member"),
            ("TCPC-001", "standing"),
        ]
        for code, role in seats:
            person = Person.objects.get(code=code)
            if not CouncilMember.objects.filter(council=council, person=person).exists():
                council_member_add(
                    actor=self.admin,
                    council=council,
                    person=person,
                    role=role,
                    valid_from=D(2020, 1, 1),
                    valid_to=D(2025, 12, 31),
                )

    @staticmethod
    def _user(username: str) -> User:
        return User.objects.get(username=username)


def load_demo() -> None:
    DemoLoader().load()


def demo_accounts() -> list[tuple[str, str, str]]:
    return [(p.username, DEMO_PASSWORD, PERSONA_LABELS[p.username]) for p in PERSONAS]
