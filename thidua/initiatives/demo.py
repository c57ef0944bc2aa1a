"""The demo's initiatives: two registered in 2020 in the Department (Sở VHTTDL Cần Thơ), one
of them recognised at the grassroots by a decision of December 2020 that predates this
system and is therefore recorded as received. That recognition is what makes its authors
eligible for Chiến sĩ thi đua cơ sở in 2021 (Law 06/2022 Art. 23(2)); the other waits for
its authors to file the request.

Built through the services, as the staff and the secretariat would. Loading again changes
nothing: the registrations carry fixed keys and the recognition is entered once.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from thidua.org.models import Unit, User

from .models import Initiative, InitiativeScope, SolutionKind
from .services.decisions import recognition_record_received
from .services.registration import AuthorInput, InitiativeInput, initiative_register

RECOGNISED_ON = dt.date(2020, 12, 15)


@transaction.atomic
def load_demo_initiatives() -> list[Initiative]:
    users = {u.username: u for u in User.objects.filter(username__in=["mai", "tuan", "hoa", "lan"])}
    units = {u.code: u for u in Unit.objects.filter(code__in=["QLDL", "TTVH"])}
    if len(users) < 4 or len(units) < 2 or not all(u.person for u in users.values()):
        return []
    mai, tuan, hoa = (users[name].person for name in ("mai", "tuan", "hoa"))
    assert mai is not None and tuan is not None and hoa is not None
    digital_map = initiative_register(
        actor=users["mai"],
        data=InitiativeInput(
            unit=units["QLDL"],
            year=2020,
            title="Bản đồ số các điểm du lịch cộng đồng thành phố Cần Thơ",
            solution_kind=SolutionKind.OPERATIONAL,
            field="Du lịch",
            improves="Gom thông tin các điểm du lịch cộng đồng vào một bản đồ số dùng chung, "
            "thay cho tờ rơi in giấy.",
            applied_at="Phòng Quản lý Du lịch; các điểm du lịch cộng đồng quận Ninh Kiều",
            first_applied_on=dt.date(2020, 3, 1),
            effect="Du khách tra cứu trên điện thoại; giảm chi phí in ấn tờ rơi.",
            authors=[AuthorInput(mai, 60), AuthorInput(tuan, 40)],
        ),
        idempotency_key="demo-initiative-digital-map",
    )
    if not digital_map.recognitions.exists():
        recognition_record_received(
            actor=users["lan"],
            initiative=digital_map,
            scope=InitiativeScope.CO_SO,
            symbol="85/QĐ-SVHTTDL",
            issuer_name="Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ",
            recognised_on=RECOGNISED_ON,
            effect_from=RECOGNISED_ON,
        )
    booking = initiative_register(
        actor=users["hoa"],
        data=InitiativeInput(
            unit=units["TTVH"],
            year=2020,
            title="Đăng ký sử dụng hội trường Trung tâm qua mạng",
            solution_kind=SolutionKind.MANAGEMENT,
            field="Văn hóa cơ sở",
            improves="Đơn vị, câu lạc bộ đăng ký lịch sử dụng hội trường qua biểu mẫu trực "
            "tuyến thay vì đến Trung tâm.",
            applied_at="Trung tâm Văn hóa thành phố",
            effect="Không còn trùng lịch; giảm thời gian tiếp nhận.",
            authors=[AuthorInput(hoa, 100)],
        ),
        idempotency_key="demo-initiative-hall-booking",
    )
    return [digital_map, booking]
