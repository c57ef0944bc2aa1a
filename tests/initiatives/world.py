"""An agency other than the demo's: Sở Khoa học và Công nghệ under UBND tỉnh Hậu Giang,
in 2024, with a division whose two staff write an initiative, the Department's director,
the province's council and its secretariat."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tests.documents.factories import make_issuer
from tests.org.factories import make_admin, make_person, make_unit, make_user
from thidua.org.models import Council, CouncilRole, Person, Role, Unit, UnitKind, User
from thidua.org.services.councils import council_member_add, council_save

START = dt.date(2020, 1, 1)
TODAY = "2024-11-15"


@dataclass
class World:
    province: Unit
    agency: Unit
    division: Unit
    other_division: Unit
    author: Person
    coauthor: Person
    outsider: Person
    author_user: User
    director: User
    agency_secretariat: User
    province_secretariat: User
    council: Council


def build_world() -> World:
    admin = make_admin()
    province = make_unit(name="Ủy ban nhân dân tỉnh Hậu Giang", valid_from=START)
    agency = make_unit(
        name="Sở Khoa học và Công nghệ", kind=UnitKind.AGENCY, parent=province, valid_from=START
    )
    division = make_unit(name="Phòng Quản lý công nghệ", parent=agency, valid_from=START)
    other_division = make_unit(name="Văn phòng Sở", parent=agency, valid_from=START)
    office = make_unit(name="Văn phòng UBND tỉnh", parent=province, valid_from=START)
    make_issuer(
        symbol="SKHCNHG", unit=agency, place="Hậu Giang", governing_body_name="UBND tỉnh Hậu Giang"
    )
    make_issuer(symbol="UBNDHG", unit=province, place="Hậu Giang")
    author = make_person(unit=division, full_name="Trần Thị Bích", valid_from=START)
    coauthor = make_person(unit=division, full_name="Lê Văn Đức", valid_from=START)
    outsider = make_person(unit=other_division, full_name="Ngô Thanh Hải", valid_from=START)
    head = make_person(unit=agency, full_name="Phạm Quốc Việt", is_head=True, valid_from=START)
    chair = make_person(unit=province, full_name="Hồ Minh Châu", is_head=True, valid_from=START)
    council = council_save(
        actor=admin, agency=province, name="Hội đồng sáng kiến tỉnh Hậu Giang", standing_body=office
    )
    council_member_add(
        actor=admin, council=council, person=chair, role=CouncilRole.CHAIR, valid_from=START
    )
    return World(
        province=province,
        agency=agency,
        division=division,
        other_division=other_division,
        author=author,
        coauthor=coauthor,
        outsider=outsider,
        author_user=make_user(role=Role.STAFF, unit=division, person=author, valid_from=START),
        director=make_user(role=Role.COUNCIL_MEMBER, unit=agency, person=head, valid_from=START),
        agency_secretariat=make_user(
            role=Role.SECRETARIAT, unit=agency, include_descendants=True, valid_from=START
        ),
        province_secretariat=make_user(
            role=Role.SECRETARIAT, unit=province, include_descendants=True, valid_from=START
        ),
        council=council,
    )
