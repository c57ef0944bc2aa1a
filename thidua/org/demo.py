"""The seed's year as demo data: Sở VHTTDL Cần Thơ, its two blocks, the 2021 campaign.

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
from decimal import Decimal
from typing import Any

from django.db import transaction

from thidua.campaigns import services as campaign_services
from thidua.campaigns.models import Campaign, ContentGroup, Criterion, Milestone
from thidua.documents.demo import ensure_demo_issuers
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

LEGAL_BASES = [
    "Căn cứ Chỉ thị số 11-CT/UBND ngày 04 tháng 12 năm 2020 của Ủy ban nhân dân thành phố "
    "Cần Thơ về việc phát động phong trào thi đua yêu nước năm 2021;",
    "Căn cứ Quyết định số 575/QĐ-SVHTTDL ngày 15 tháng 10 năm 2020 của Sở Văn hóa, Thể thao "
    "và Du lịch thành phố Cần Thơ về việc ban hành Quy chế xét thi đua, khen thưởng và công "
    "nhận sáng kiến của Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ;",
    "Căn cứ Quyết định số 792/QĐ-SVHTTDL ngày 25 tháng 12 năm 2020 của Sở Văn hóa, Thể thao "
    "và Du lịch thành phố Cần Thơ về việc phân công Khối trưởng, Khối phó các Khối thi đua "
    "thuộc Sở Văn hóa, Thể thao và Du lịch năm 2021;",
]
THEME = (
    "Tăng cường xây dựng hệ thống chính trị trong sạch, vững mạnh; đẩy mạnh huy động nguồn lực "
    "đầu tư xây dựng kết cấu hạ tầng kinh tế - xã hội đồng bộ"
)
PURPOSES = """- Nâng cao chất lượng, hiệu quả các phong trào thi đua trong thực hiện nhiệm vụ chính trị của ngành, gắn với chủ đề năm 2021 của thành phố, khắc phục khó khăn phát triển kinh tế, lập thành tích chào mừng Đại hội Đảng toàn quốc lần thứ XIII và các sự kiện quan trọng của thành phố, đất nước; với mục tiêu xây dựng phong trào thi đua thiết thực về nội dung, đổi mới về hình thức tổ chức, gắn với nhiệm vụ chính trị trọng tâm của thành phố.
- Phát huy những kết quả đã đạt được trong năm 2020, tiếp tục đổi mới, nâng cao chất lượng, đẩy mạnh phong trào thi đua yêu nước trong lĩnh vực văn hóa, thể thao và du lịch; triển khai phát động các phong trào thi đua và thực hiện công tác khen thưởng của đơn vị, tạo nên sự đồng thuận trong các hoạt động thi đua trong ngành văn hóa, thể thao và du lịch.
- Nâng cao vai trò, trách nhiệm của Thủ trưởng các phòng, đơn vị sự nghiệp thuộc Sở trong lãnh đạo, chỉ đạo về công tác thi đua, khen thưởng và vai trò tham mưu của công chức, viên chức làm công tác thi đua, khen thưởng đáp ứng yêu cầu đổi mới trong giai đoạn tới."""
IMPLEMENTATION = """1. Các phòng chuyên môn, đơn vị sự nghiệp thuộc Sở căn cứ vào chức năng, nhiệm vụ cụ thể đưa nội dung của phong trào thi đua vào kế hoạch công tác của đơn vị mình.
2. Khối trưởng của 02 Khối thi đua căn cứ vào nội dung phong trào thi đua của năm 2021 xây dựng Giao ước thi đua gửi cho các thành viên trong khối ký kết thi đua và gửi về phòng Tổ chức – Pháp chế trước ngày 06/01/2021.
3. Mỗi Khối thi đua tiến hành tổ chức sơ kết công tác thi đua vào tháng 6/2021, đơn vị chủ trì là Khối phó của mỗi khối.
4. Tổng kết công tác thi đua vào tháng 11/2021, đơn vị chủ trì là Khối trưởng của mỗi khối."""

# (code, title, criteria) with criteria as (text, measurable config or None).
MEASURE_UNIT_EXCELLENT = {
    "indicator": "unit_rated_at_least",
    "comparator": "gte",
    "threshold": Decimal(1),
    "min_rating": Rating.EXCELLENT,
}
MEASURE_95 = {
    "indicator": "staff_share_rated_at_least",
    "comparator": "gte",
    "threshold": Decimal(95),
    "min_rating": Rating.GOOD,
    "unit_of_measure": "%",
}
MEASURE_TARGETS = {
    "indicator": "reported",
    "comparator": "gte",
    "threshold": Decimal(100),
    "unit_of_measure": "%",
}
MEASURE_PARTY = {
    "indicator": "reported",
    "comparator": "gte",
    "threshold": Decimal(100),
    "unit_of_measure": "%",
}
MEASURE_DISCIPLINE = {
    "indicator": "staff_disciplined_at_least",
    "comparator": "lte",
    "threshold": Decimal(0),
    "min_discipline": "canh_cao",
    "unit_of_measure": "người",
}
SOURCE = "Kế hoạch 3887/KH-SVHTTDL, mục II"

GROUPS: list[tuple[str, str, list[tuple[str, dict[str, Any] | None]]]] = [
    (
        "1",
        "Hoàn thành nhiệm vụ chính trị",
        [
            ("Hoàn thành xuất sắc nhiệm vụ được lãnh đạo Sở phân công.", MEASURE_UNIT_EXCELLENT),
            ("Có từ 95% công chức, viên chức được đánh giá hoàn thành tốt nhiệm vụ.", MEASURE_95),
            (
                "Thực hiện đạt 100% trở lên các chỉ tiêu, nhiệm vụ được giao trong năm.",
                MEASURE_TARGETS,
            ),
            (
                "Tích cực tham gia vào các hoạt động phong trào do đoàn thể (Công đoàn, Đoàn Thanh "
                "niên, Hội cựu chiến binh, Hội Luật gia) cơ quan phát động.",
                None,
            ),
        ],
    ),
    (
        "2",
        "Chấp hành đường lối, chủ trương của Đảng, chính sách, pháp luật của Nhà nước, "
        "đoàn kết nội bộ",
        [
            (
                "Chấp hành tốt chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước; "
                "thực hiện tốt chủ đề năm 2021 của thành phố; tham gia và tổ chức tốt công tác tuyên "
                "truyền, phổ biến giáo dục pháp luật, các nghị quyết của Đảng trong đơn vị.",
                None,
            ),
            (
                "100% Đảng viên đăng ký và thực hiện tốt cuộc vận động học tập và làm theo tư tưởng, "
                "đạo đức, phong cách Hồ Chí Minh.",
                MEASURE_PARTY,
            ),
            (
                "Xây dựng tổ chức Đảng hoàn thành xuất sắc nhiệm vụ; đoàn thể được đánh giá xếp loại "
                "vững mạnh trở lên.",
                None,
            ),
            (
                "Gương mẫu chấp hành tốt các quy định của pháp luật về an toàn giao thông, không vi "
                "phạm Luật giao thông đường bộ.",
                None,
            ),
            (
                "Nêu cao tinh thần đoàn kết trong nội bộ, trong năm không phát sinh khiếu nại, tố "
                "cáo.",
                None,
            ),
            (
                "Không có công chức, viên chức và người lao động bị hình thức kỷ luật từ cảnh cáo "
                "trở lên.",
                MEASURE_DISCIPLINE,
            ),
        ],
    ),
    (
        "3",
        "Thực hiện tốt công tác thi đua – khen thưởng",
        [
            (
                "Phát động các phong trào thi đua, nhân tố điển hình: đạt thành tích xuất sắc trong "
                "hội thi, hội diễn và các giải thi đấu.",
                None,
            ),
            (
                "Thực hiện công tác khen thưởng kịp thời, có chất lượng, đúng quy trình, thời gian "
                "quy định.",
                None,
            ),
        ],
    ),
    (
        "4",
        "Thực hiện tốt công tác cải cách hành chính",
        [
            (
                "Tiếp tục kiện toàn bộ máy, nâng cao trình độ nghiệp vụ và kỹ năng hành chính cho đội "
                "ngũ công chức, viên chức và người lao động trong đơn vị; tham mưu tốt các thủ tục "
                "hành chính (nếu có).",
                None,
            ),
            (
                "Tăng cường ứng dụng công nghệ thông tin trong các hoạt động, phát huy hiệu quả phần "
                "mềm xử lý văn bản, tham gia cộng tác tin, bài trên cổng thông tin điện tử của Sở.",
                None,
            ),
            (
                "Cập nhật, bổ sung hồ sơ công chức, viên chức vào hệ thống phần mềm quản lý theo đúng "
                "quy định.",
                None,
            ),
        ],
    ),
    (
        "5",
        "Thực hiện nội quy, quy chế làm việc ở cơ quan",
        [
            (
                "Thực hiện tốt quy chế làm việc, nội quy, quy định của cơ quan; giải quyết chế độ, "
                "chính sách đúng quy định (xét khen thưởng, xét nâng lương trước hạn, bố trí bồi dưỡng "
                "chuyên môn, nghiệp vụ, cải thiện đời sống công chức, viên chức và người lao động...).",
                None,
            ),
            (
                "Chấp hành nghiêm chế độ báo cáo định kỳ và đột xuất theo yêu cầu của lãnh đạo.",
                None,
            ),
            (
                "Chấp hành giờ giấc làm việc, quy tắc ứng xử; giữ gìn cơ quan, nơi làm việc sạch đẹp.",
                None,
            ),
        ],
    ),
    (
        "6",
        "Thực hiện phòng, chống tham nhũng; thực hành tiết kiệm chống lãng phí",
        [
            (
                "Thực hành tiết kiệm, chống lãng phí trong thực hiện nhiệm vụ; không để xảy ra tiêu "
                "cực, tham nhũng trong các phòng chuyên môn, đơn vị sự nghiệp trực thuộc Sở.",
                None,
            ),
        ],
    ),
]

MILESTONES = [
    (
        "plan",
        "Ban hành Kế hoạch 3887/KH-SVHTTDL và phân công Khối trưởng, Khối phó (QĐ 792)",
        "secretariat",
        None,
        D(2020, 12, 25),
        "Kế hoạch và quyết định phân công",
        "",
    ),
    (
        "covenant",
        "Giao ước thi đua ký kết, gửi phòng Tổ chức – Pháp chế trước ngày 06/01/2021",
        "block_leader",
        D(2020, 12, 25),
        D(2021, 1, 5),
        "Giao ước thi đua có chữ ký các thành viên",
        "Phòng Tổ chức – Pháp chế",
    ),
    (
        "midyear",
        "Sơ kết công tác thi đua tháng 6/2021 (Khối phó chủ trì)",
        "block_deputy",
        D(2021, 6, 1),
        D(2021, 6, 30),
        "Hội nghị sơ kết, biên bản và báo cáo sơ kết của khối",
        "",
    ),
    (
        "reports",
        "Thành viên gửi báo cáo kết quả thi đua năm cho Khối trưởng trước ngày 15/11/2021",
        "members",
        D(2021, 10, 1),
        D(2021, 11, 14),
        "Báo cáo kết quả thực hiện phong trào thi đua",
        "Khối trưởng",
    ),
    (
        "yearend",
        "Tổng kết, bình xét, chọn đơn vị dẫn đầu tháng 11/2021 (Khối trưởng chủ trì)",
        "block_leader",
        D(2021, 11, 1),
        D(2021, 11, 30),
        "Biên bản họp, kết quả bình xét, báo cáo tổng hợp của khối",
        "Hội đồng Thi đua – Khen thưởng Sở (qua phòng Tổ chức – Pháp chế)",
    ),
    (
        "council",
        "Hội đồng TĐKT Sở xét, trình Hội đồng TĐKT thành phố (ngày minh họa)",
        "council",
        D(2021, 12, 1),
        D(2021, 12, 15),
        "Tờ trình đề nghị Cờ thi đua của UBND thành phố",
        "Hội đồng Thi đua – Khen thưởng thành phố",
    ),
]


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
        self._campaign()

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

    def _campaign(self) -> None:
        agency = self.units[AGENCY_CODE]
        campaign = Campaign.objects.filter(agency=agency, year=2021).first()
        if campaign is None:
            campaign = campaign_services.campaign_save(
                actor=self.admin,
                agency=agency,
                year=2021,
                title="Kế hoạch về việc phát động phong trào thi đua trong các Khối thi đua của "
                "Sở Văn hóa, Thể thao và Du lịch năm 2021",
                theme=THEME,
                plan_number="3887",
                plan_symbol="KH-SVHTTDL",
                plan_date=D(2020, 12, 25),
                plan_place="Cần Thơ",
                signer_name="Nguyễn Khánh Tùng",
                signer_title="Giám đốc",
                starts_on=D(2020, 12, 25),
                ends_on=D(2021, 12, 31),
                purposes=PURPOSES,
                implementation=IMPLEMENTATION,
                legal_bases=LEGAL_BASES,
            )
        for order, (code, title, criteria) in enumerate(GROUPS, start=1):
            group = ContentGroup.objects.filter(campaign=campaign, code=code).first() or (
                campaign_services.content_group_save(
                    actor=self.admin, campaign=campaign, code=code, title=title, order=order
                )
            )
            for index, (text, measure) in enumerate(criteria, start=1):
                if Criterion.objects.filter(group=group, code=f"{code}.{index}").exists():
                    continue
                fields = dict(measure or {})
                campaign_services.criterion_save(
                    actor=self.admin,
                    group=group,
                    code=f"{code}.{index}",
                    text=text,
                    order=index,
                    legal_basis=SOURCE,
                    kind=Criterion.Kind.MEASURABLE if measure else Criterion.Kind.QUALITATIVE,
                    **fields,
                )
        for kind, title, owner, starts, due, deliverable, recipient in MILESTONES:
            if not Milestone.objects.filter(campaign=campaign, kind=kind).exists():
                campaign_services.milestone_save(
                    actor=self.admin,
                    campaign=campaign,
                    kind=kind,
                    title=title,
                    owner=owner,
                    starts_on=starts,
                    due_on=due,
                    deliverable=deliverable,
                    recipient=recipient,
                )
        for term in BlockTerm.objects.filter(block__agency=agency, year=2021):
            cycle = campaign_services.block_cycle_open(
                actor=self.admin, campaign=campaign, term=term
            )
            if cycle.state == "setup":
                campaign_services.block_cycle_advance(
                    actor=self._user("lan"), cycle=cycle, target="covenant_draft"
                )

    @staticmethod
    def _user(username: str) -> User:
        return User.objects.get(username=username)


def load_demo() -> None:
    DemoLoader().load()


def demo_accounts() -> list[tuple[str, str, str]]:
    return [(p.username, DEMO_PASSWORD, PERSONA_LABELS[p.username]) for p in PERSONAS]
