"""The seed's 2021 campaign as demo data: Kế hoạch 3887/KH-SVHTTDL (its number, date, signer,
theme, legal bases, content groups and deadlines as given), opened for each block of the
agency. Runs after org's demo; every step looks up before it creates, so loading twice
changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from thidua.org.demo import AGENCY_CODE
from thidua.org.models import BlockTerm, Rating, Unit, User

from . import services as campaign_services
from .models import Campaign, ContentGroup, Criterion, Milestone

D = dt.date

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


@transaction.atomic
def load_demo_campaign() -> None:
    admin = User.objects.get(username="khoa")
    agency = Unit.objects.get(code=AGENCY_CODE)
    campaign = Campaign.objects.filter(agency=agency, year=2021).first()
    if campaign is None:
        campaign = campaign_services.campaign_save(
            actor=admin,
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
                actor=admin, campaign=campaign, code=code, title=title, order=order
            )
        )
        for index, (text, measure) in enumerate(criteria, start=1):
            if Criterion.objects.filter(group=group, code=f"{code}.{index}").exists():
                continue
            fields = dict(measure or {})
            campaign_services.criterion_save(
                actor=admin,
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
                actor=admin,
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
        cycle = campaign_services.block_cycle_open(actor=admin, campaign=campaign, term=term)
        if cycle.state == "setup":
            campaign_services.block_cycle_advance(
                actor=User.objects.get(username="lan"), cycle=cycle, target="covenant_draft"
            )
