"""Sample contexts of the built-in Word templates: SAMPLES[template file name]() → plain dict.

Each sample is what the template's generator (generators.py) produces for the demo year —
Sở Văn hóa, Thể thao và Du lịch Cần Thơ, 2021 — written out as literals: no database, no
model, so it can be called anywhere (checking an agency's uploaded template, a preview, a
test). Its keys ARE the template's field list: every field a built-in template uses is in
its sample, and nothing the generator does not provide, so an upload that renders with the
sample renders with real data too.

The verification fields (`verification_code`, `verification_url`) are not from the
generators but from the issuing service (services._render_context), which adds them to every
issued document; the QR picture `verification_qr` is an image the renderer supplies
(rendering.IMAGE_FIELDS) and is not in the samples.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from thidua.documents.generators import Signer

_BLANK = "\u00a0" * 4  # vn_format.BLANK_DAY: the day and month a clerk writes in

# The header every sample shares: the seed plan's printed header.
_HEADER = {
    "governing_body": "UBND THÀNH PHỐ CẦN THƠ",
    "issuer_name": "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
}
_DIRECTOR: Signer = {"authority": "", "title": "GIÁM ĐỐC", "name": "Nguyễn Khánh Tùng"}
_VERIFICATION = {
    "verification_code": "K7QX4M2P",
    "verification_url": "https://thidua.example.vn/xac-thuc/K7QX4M2P/",
}
_BLOCK1_MEMBERS = [
    "Văn phòng Sở",
    "Phòng Tổ chức – Pháp chế",
    "Phòng Kế hoạch – Tài chính",
    "Phòng Quản lý Văn hóa và Gia đình",
    "Phòng Quản lý Thể dục Thể thao",
    "Phòng Quản lý Du lịch",
    "Trung tâm Văn hóa thành phố",
]
_REGULATION_575 = (
    "Căn cứ Quyết định số 575/QĐ-SVHTTDL ngày 15 tháng 10 năm 2020 của Sở Văn hóa, Thể thao và "
    "Du lịch thành phố Cần Thơ về việc ban hành Quy chế xét thi đua, khen thưởng và công nhận "
    "sáng kiến của Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ"
)
_PLAN_3887 = (
    "Căn cứ Kế hoạch số 3887/KH-SVHTTDL ngày 25 tháng 12 năm 2020 của Sở Văn hóa, Thể thao và "
    "Du lịch về việc phát động phong trào thi đua trong các Khối thi đua của Sở Văn hóa, Thể "
    "thao và Du lịch năm 2021"
)


def ke_hoach() -> dict[str, Any]:
    """generators.plan_context for the seed plan 3887/KH-SVHTTDL (two of its six groups)."""
    return {
        **_HEADER,
        "number_symbol": "3887/KH-SVHTTDL",
        "place_date": "Cần Thơ, ngày 25 tháng 12 năm 2020",
        "summary": "Về việc phát động phong trào thi đua trong các Khối thi đua của Sở Văn hóa, "
        "Thể thao và Du lịch năm 2021",
        "legal_bases": [
            "Căn cứ Chỉ thị số 11-CT/UBND ngày 04 tháng 12 năm 2020 của Ủy ban nhân dân thành "
            "phố Cần Thơ về việc phát động phong trào thi đua yêu nước năm 2021;",
            _REGULATION_575 + ";",
        ],
        "intro": "Thực hiện phát động phong trào thi đua năm 2021 do Bộ Văn hóa, Thể thao và Du "
        "lịch và Ủy ban nhân dân thành phố Cần Thơ phát động, Sở Văn hóa, Thể thao và Du lịch "
        "xây dựng kế hoạch thi đua giữa các Khối thi đua thuộc Sở. Nội dung cụ thể như sau:",
        "purposes": [
            "- Nâng cao chất lượng, hiệu quả các phong trào thi đua trong thực hiện nhiệm vụ "
            "chính trị của ngành, gắn với chủ đề năm 2021 của thành phố.",
            "- Nâng cao vai trò, trách nhiệm của Thủ trưởng các phòng, đơn vị sự nghiệp thuộc "
            "Sở trong lãnh đạo, chỉ đạo về công tác thi đua, khen thưởng.",
        ],
        "groups": [
            {
                "heading": "1. Hoàn thành nhiệm vụ chính trị",
                "criteria": [
                    "- Hoàn thành xuất sắc nhiệm vụ được lãnh đạo Sở phân công.",
                    "- Có từ 95% công chức, viên chức được đánh giá hoàn thành tốt nhiệm vụ.",
                ],
            },
            {
                "heading": "6. Thực hiện phòng, chống tham nhũng; thực hành tiết kiệm chống "
                "lãng phí",
                "criteria": [
                    "Thực hành tiết kiệm, chống lãng phí trong thực hiện nhiệm vụ; không để xảy "
                    "ra tiêu cực, tham nhũng trong các phòng chuyên môn, đơn vị sự nghiệp trực "
                    "thuộc Sở."
                ],
            },
        ],
        "implementation": [
            "1. Các phòng chuyên môn, đơn vị sự nghiệp thuộc Sở căn cứ vào chức năng, nhiệm vụ "
            "cụ thể đưa nội dung của phong trào thi đua vào kế hoạch công tác của đơn vị mình.",
            "2. Tổng kết công tác thi đua vào tháng 11/2021, đơn vị chủ trì là Khối trưởng của "
            "mỗi khối.",
        ],
        "closing": "Trên đây là Kế hoạch về việc thực hiện phong trào thi đua trong các Khối thi "
        "đua của Sở Văn hóa, Thể thao và Du lịch./.",
        "recipients": [
            "- Ban Thi đua – Khen thưởng thành phố;",
            "- Các phòng, đơn vị thuộc Sở;",
            "- Lưu: VT, TCPC.",
        ],
        "signer": dict(_DIRECTOR),
        **_VERIFICATION,
    }


def quyet_dinh_phan_cong_khoi() -> dict[str, Any]:
    """generators.block_assignment_decision_context for decision 792/QĐ-SVHTTDL."""
    return {
        **_HEADER,
        "number_symbol": "792/QĐ-SVHTTDL",
        "place_date": "Cần Thơ, ngày 25 tháng 12 năm 2020",
        "summary": "Về việc phân công Khối trưởng, Khối phó các Khối thi đua thuộc Sở Văn hóa, "
        "Thể thao và Du lịch năm 2021",
        "authority": "GIÁM ĐỐC SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "legal_bases": [
            "Căn cứ Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung "
            "một số điều của Luật Thi đua, Khen thưởng ngày 14 tháng 6 năm 2005 và ngày 16 tháng "
            "11 năm 2013;",
            "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định "
            "chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
            _REGULATION_575 + ";",
        ],
        "proposal": "Theo đề nghị của Trưởng phòng Tổ chức – Pháp chế.",
        "article1": "Phân công Khối trưởng, Khối phó các Khối thi đua thuộc Sở Văn hóa, Thể thao "
        "và Du lịch năm 2021 như sau:",
        "blocks": [
            {
                "number": 1,
                "name": "Khối thi đua số 1",
                "leader": "Phòng Quản lý Văn hóa và Gia đình",
                "deputy": "Trung tâm Văn hóa thành phố",
                "members": list(_BLOCK1_MEMBERS),
            },
            {
                "number": 2,
                "name": "Khối thi đua số 2",
                "leader": "Thư viện thành phố",
                "deputy": "Bảo tàng thành phố",
                "members": [
                    "Thanh tra Sở",
                    "Bảo tàng thành phố",
                    "Thư viện thành phố",
                    "Nhà hát Tây Đô",
                    "Trung tâm Huấn luyện và Thi đấu Thể dục Thể thao",
                    "Trung tâm Xúc tiến Du lịch",
                    "Ban Quản lý Di tích",
                ],
            },
        ],
        "articles": [
            {
                "label": "Điều 2.",
                "text": "Khối trưởng có trách nhiệm xây dựng Giao ước thi đua, tổ chức ký kết "
                "giao ước, chủ trì tổng kết, bình xét và đề xuất đơn vị dẫn đầu Khối thi đua; "
                "Khối phó phối hợp với Khối trưởng điều hành hoạt động của Khối và chủ trì sơ "
                "kết công tác thi đua của Khối trong năm 2021.",
            },
            {
                "label": "Điều 3.",
                "text": "Quyết định này có hiệu lực kể từ ngày ký. Trưởng phòng Tổ chức – Pháp "
                "chế, Thủ trưởng các phòng, đơn vị có tên tại Điều 1 chịu trách nhiệm thi hành "
                "Quyết định này./.",
            },
        ],
        "recipients": ["- Như Điều 3;", "- Lưu: VT, TCPC."],
        "signer": dict(_DIRECTOR),
        **_VERIFICATION,
    }


def giao_uoc() -> dict[str, Any]:
    """generators.covenant_context for the demo's covenant of Khối 1, 2021, revision 1,
    circulated and signed by two of its seven members (two content groups shown). Not an
    issued document, so no verification fields."""
    heads = {
        "Phòng Quản lý Văn hóa và Gia đình": ("Trưởng phòng", "Trần Văn Minh"),
        "Phòng Quản lý Du lịch": ("Trưởng phòng", "Phạm Minh Tuấn"),
        "Trung tâm Văn hóa thành phố": ("Giám đốc Trung tâm", "Lê Thị Hoa"),
    }
    signed = {"Phòng Quản lý Văn hóa và Gia đình", "Trung tâm Văn hóa thành phố"}
    roles = {
        "Phòng Quản lý Văn hóa và Gia đình": " (Khối trưởng)",
        "Trung tâm Văn hóa thành phố": " (Khối phó)",
    }
    last = len(_BLOCK1_MEMBERS)
    return {
        "governing_body": "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "issuer_name": "KHỐI THI ĐUA SỐ 1",
        "number_symbol": "",
        "place_date": f"Cần Thơ, ngày {_BLANK} tháng {_BLANK} năm 2021",
        "summary": "Khối thi đua số 1 năm 2021",
        "legal_bases": [
            "Căn cứ Chỉ thị số 11-CT/UBND ngày 04 tháng 12 năm 2020 của Ủy ban nhân dân thành "
            "phố Cần Thơ về việc phát động phong trào thi đua yêu nước năm 2021;",
            _PLAN_3887 + ".",
        ],
        "intro": "Các đơn vị thành viên Khối thi đua số 1 thống nhất ký kết Giao ước thi đua "
        "năm 2021 với các nội dung sau:",
        "members": [
            f"{i}. {name}{roles.get(name, '')}{'.' if i == last else ';'}"
            for i, name in enumerate(_BLOCK1_MEMBERS, start=1)
        ],
        "groups": [
            {
                "heading": "1. Hoàn thành nhiệm vụ chính trị",
                "criteria": [
                    {
                        "code": "1.1",
                        "text": "Hoàn thành xuất sắc nhiệm vụ được lãnh đạo Sở phân công.",
                        "target": "≥ 1",
                    },
                    {
                        "code": "1.2",
                        "text": "Có từ 95% công chức, viên chức được đánh giá hoàn thành tốt "
                        "nhiệm vụ.",
                        "target": "≥ 95 %",
                    },
                ],
            },
            {
                "heading": "2. Chấp hành đường lối, chủ trương của Đảng, chính sách, pháp luật "
                "của Nhà nước, đoàn kết nội bộ",
                "criteria": [
                    {
                        "code": "2.6",
                        "text": "Không có công chức, viên chức và người lao động bị hình thức "
                        "kỷ luật từ cảnh cáo trở lên.",
                        "target": "≤ 0 người",
                    },
                    {
                        "code": "2.5",
                        "text": "Nêu cao tinh thần đoàn kết trong nội bộ, trong năm không phát "
                        "sinh khiếu nại, tố cáo.",
                        "target": "",
                    },
                ],
            },
        ],
        "commitments": [
            "Các đơn vị thành viên gửi báo cáo tổng kết công tác thi đua về Khối trưởng trước "
            "ngày 15/11/2021."
        ],
        "closing": "Giao ước thi đua có hiệu lực kể từ ngày ký. Các đơn vị thành viên cam kết "
        "tổ chức thực hiện nghiêm túc các nội dung đã ký kết./.",
        "signatories": [
            {
                "number": i,
                "unit": name,
                "title": heads.get(name, ("Thủ trưởng đơn vị", ""))[0],
                "name": heads.get(name, ("", ""))[1],
                "note": "Đã ký trong hệ thống ngày 04/01/2021" if name in signed else "",
            }
            for i, name in enumerate(_BLOCK1_MEMBERS, start=1)
        ],
        "recipients": [
            "- Hội đồng Thi đua – Khen thưởng Sở Văn hóa, Thể thao và Du lịch (qua phòng Tổ "
            "chức – Pháp chế);",
            "- Các đơn vị thành viên Khối thi đua số 1;",
            "- Lưu: VT, QLVHGD.",
        ],
        "signer": {
            "authority": "TM. KHỐI THI ĐUA SỐ 1",
            "title": "KHỐI TRƯỞNG",
            "name": "Trần Văn Minh",
        },
        "text_fingerprint": "851d2fb5e1b15bf9",
        "revision": 1,
    }


# The block's papers of the year-end review, November 2021 (domain.md §4.1). Names of people
# other than the demo personas are illustrative.
_AGENCY = "Sở Văn hóa, Thể thao và Du lịch"
_COUNCIL = "Hội đồng Thi đua – Khen thưởng Sở Văn hóa, Thể thao và Du lịch"
_RANKING = [
    ("Phòng Quản lý Văn hóa và Gia đình", 96.5, "Hoàn thành xuất sắc"),
    ("Trung tâm Văn hóa thành phố", 95.0, "Hoàn thành xuất sắc"),
    ("Phòng Quản lý Du lịch", 92.25, "Hoàn thành tốt"),
    ("Văn phòng Sở", 90, "Hoàn thành tốt"),
]


def bao_cao() -> dict[str, Any]:
    """generators.block_report_context for Khối 1's year-end report, 2021."""
    from thidua.documents import generators

    return {
        **generators.block_report_context(
            agency_name=_AGENCY,
            block_name="Khối thi đua số 1",
            block_symbol="KTĐ1",
            place="Cần Thơ",
            year=2021,
            day=dt.date(2021, 11, 12),
            number="05",
            addressees=[_COUNCIL],
            intro="Thực hiện Kế hoạch số 3887/KH-SVHTTDL ngày 25 tháng 12 năm 2020 của Sở Văn "
            "hóa, Thể thao và Du lịch, Khối thi đua số 1 báo cáo kết quả công tác thi đua năm "
            "2021 như sau:",
            groups=[
                (
                    "1. Hoàn thành nhiệm vụ chính trị",
                    [
                        "Các đơn vị thành viên hoàn thành 100% chỉ tiêu, nhiệm vụ được giao; "
                        "98,2% công chức, viên chức được đánh giá hoàn thành tốt nhiệm vụ trở "
                        "lên."
                    ],
                ),
                (
                    "6. Thực hiện phòng, chống tham nhũng; thực hành tiết kiệm chống lãng phí",
                    ["Không để xảy ra tiêu cực, tham nhũng, lãng phí tại các đơn vị thành viên."],
                ),
            ],
            ranking_note="Kết quả chấm điểm theo Bảng tiêu chí của Giao ước thi đua năm 2021:",
            units=[
                {"name": name, "score": score, "classification": grade, "rank": rank}
                for rank, (name, score, grade) in enumerate(_RANKING, start=1)
            ],
            proposals=[
                "Đề nghị Hội đồng Thi đua – Khen thưởng Sở xem xét, đề nghị Ủy ban nhân dân "
                "thành phố tặng Cờ thi đua cho Phòng Quản lý Văn hóa và Gia đình, đơn vị dẫn "
                "đầu Khối thi đua số 1 năm 2021."
            ],
            closing="Trên đây là báo cáo tổng kết công tác thi đua năm 2021 của Khối thi đua "
            "số 1./.",
            leader_name="Trần Văn Minh",
            recipients=[_COUNCIL, "Các đơn vị thành viên Khối thi đua số 1"],
            archive="QLVHGD",
        ),
        **_VERIFICATION,
    }


def bien_ban() -> dict[str, Any]:
    """generators.block_minutes_context for Khối 1's review meeting, 15/11/2021."""
    from thidua.documents import generators

    present = [
        "Phòng Quản lý Văn hóa và Gia đình: ông Trần Văn Minh, Trưởng phòng",
        "Trung tâm Văn hóa thành phố: bà Lê Thị Hoa, Giám đốc Trung tâm",
        "Phòng Quản lý Du lịch: ông Phạm Minh Tuấn, Trưởng phòng",
        "Văn phòng Sở: bà Nguyễn Thị Hằng, Chánh Văn phòng",
        "Phòng Tổ chức – Pháp chế: ông Đặng Quốc Bảo, Trưởng phòng",
        "Phòng Kế hoạch – Tài chính: bà Võ Thị Ngọc Ẩn, Trưởng phòng",
    ]
    return {
        **generators.block_minutes_context(
            agency_name=_AGENCY,
            block_name="Khối thi đua số 1",
            block_symbol="KTĐ1",
            year=2021,
            number="02",
            started=dt.datetime(2021, 11, 15, 8, 0),
            ended=dt.datetime(2021, 11, 15, 10, 30),
            venue="Hội trường Phòng Quản lý Văn hóa và Gia đình, Sở Văn hóa, Thể thao và Du "
            "lịch thành phố Cần Thơ",
            chair={
                "name": "Trần Văn Minh",
                "position": "Trưởng phòng Quản lý Văn hóa và Gia đình, Khối trưởng",
            },
            secretary={
                "name": "Nguyễn Thị Mai",
                "position": "Chuyên viên Phòng Quản lý Văn hóa và Gia đình",
            },
            attendees=present,
            total_members=7,
            absent=["Phòng Quản lý Thể dục Thể thao (có lý do)"],
            agenda=[
                "1. Thông qua báo cáo tổng kết công tác thi đua năm 2021 của Khối.",
                "2. Bình xét, bỏ phiếu kín suy tôn đơn vị dẫn đầu Khối thi đua số 1.",
            ],
            discussion=[
                "Khối trưởng trình bày dự thảo báo cáo tổng kết và kết quả chấm điểm của các đơn "
                "vị thành viên; các đại biểu thống nhất với kết quả chấm điểm.",
            ],
            ballots_issued=6,
            ballots_valid=6,
            ballot=[
                ("Phòng Quản lý Văn hóa và Gia đình", 6),
                ("Trung tâm Văn hóa thành phố", 4),
            ],
            conclusion=[
                "Khối thi đua số 1 thống nhất suy tôn Phòng Quản lý Văn hóa và Gia đình là đơn "
                "vị dẫn đầu, đề nghị Hội đồng Thi đua – Khen thưởng Sở xem xét, đề nghị tặng Cờ "
                "thi đua của Ủy ban nhân dân thành phố.",
            ],
            recipients=[_COUNCIL, "Các đơn vị thành viên Khối thi đua số 1"],
        ),
        **_VERIFICATION,
    }


_DEPUTY: Signer = {"authority": "KT. GIÁM ĐỐC", "title": "PHÓ GIÁM ĐỐC", "name": "Trần Văn Tâm"}
_LAW_2003 = (
    "Căn cứ Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số "
    "điều của Luật Thi đua, Khen thưởng ngày 14 tháng 6 năm 2005 và ngày 16 tháng 11 năm 2013"
)
_DECREE_91 = (
    "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi tiết "
    "thi hành một số điều của Luật Thi đua, khen thưởng"
)


def bien_ban_kiem_phieu() -> dict[str, Any]:
    """generators.tally_minutes_context for Khối 1's vote on its leading unit, 15/11/2021:
    electronic, six of seven members present, one blank ballot."""
    from thidua.documents import generators

    return {
        **generators.tally_minutes_context(
            agency_name=_AGENCY,
            block_name="Khối thi đua số 1",
            block_symbol="KTĐ1",
            number="03",
            meeting="Hội nghị tổng kết công tác thi đua năm 2021 của Khối thi đua số 1",
            subject="Suy tôn đơn vị dẫn đầu Khối thi đua số 1 năm 2021",
            round_number=1,
            counted=dt.datetime(2021, 11, 15, 10, 0),
            venue="Hội trường Phòng Quản lý Văn hóa và Gia đình, Sở Văn hóa, Thể thao và Du "
            "lịch thành phố Cần Thơ",
            head={"name": "Trần Văn Minh", "position": "Chủ trì cuộc họp"},
            members=[{"name": "Nguyễn Thị Mai", "position": "Thư ký cuộc họp"}],
            entitled=7,
            present=6,
            ballots_issued=6,
            ballots_received=6,
            valid=6,
            blank=1,
            spoilt=0,
            paper=False,
            chain_head="9f2c4e7a1b3d5f60718293a4b5c6d7e8f9012a3b4c5d6e7f8091a2b3c4d5e6f7",
            threshold="> 50% tổng số thành viên (7)",
            needed=4,
            tally=[
                {
                    "name": "Phòng Quản lý Văn hóa và Gia đình",
                    "votes": 4,
                    "percent": 57.14,
                    "passed": True,
                    "elected": True,
                },
                {
                    "name": "Trung tâm Văn hóa thành phố",
                    "votes": 1,
                    "percent": 14.29,
                    "passed": False,
                    "elected": False,
                },
            ],
            conclusion=[
                "Phòng Quản lý Văn hóa và Gia đình đạt tỷ lệ phiếu quy định và được suy tôn là "
                "đơn vị dẫn đầu Khối thi đua số 1 năm 2021.",
            ],
            differs_from_ranking=False,
            recipients=[_COUNCIL, "Các đơn vị thành viên Khối thi đua số 1"],
        ),
        **_VERIFICATION,
    }


def to_trinh() -> dict[str, Any]:
    """generators.proposal_context: the Sở proposes the city's emulation flag for the
    leading units of its two blocks, 2021."""
    from thidua.documents import generators

    return {
        **generators.proposal_context(
            issuer={
                "governing_body": "UBND thành phố Cần Thơ",
                "name": _AGENCY,
                "symbol": "SVHTTDL",
                "place": "Cần Thơ",
            },
            number="42",
            day=dt.date(2021, 11, 26),
            summary="Về việc đề nghị tặng Cờ thi đua của Ủy ban nhân dân thành phố năm 2021",
            addressees=[
                "Ủy ban nhân dân thành phố Cần Thơ",
                "Ban Thi đua – Khen thưởng thành phố",
            ],
            legal_bases=[_LAW_2003, _DECREE_91, _REGULATION_575],
            request=[
                "Căn cứ kết quả bình xét của Khối thi đua số 1, Khối thi đua số 2 và Biên bản "
                "họp ngày 22 tháng 11 năm 2021 của Hội đồng Thi đua – Khen thưởng Sở Văn hóa, "
                "Thể thao và Du lịch;",
                "Sở Văn hóa, Thể thao và Du lịch kính đề nghị Ủy ban nhân dân thành phố xem "
                "xét, tặng Cờ thi đua cho 02 tập thể đã có thành tích xuất sắc, dẫn đầu phong "
                "trào thi đua năm 2021, cụ thể:",
            ],
            nominees=[
                (
                    "Phòng Quản lý Văn hóa và Gia đình (đơn vị dẫn đầu Khối thi đua số 1)",
                    "Cờ thi đua của Ủy ban nhân dân thành phố",
                ),
                (
                    "Thư viện thành phố (đơn vị dẫn đầu Khối thi đua số 2)",
                    "Cờ thi đua của Ủy ban nhân dân thành phố",
                ),
            ],
            closing=[
                "(Kèm theo báo cáo thành tích của các tập thể và biên bản họp bình xét của các "
                "Khối thi đua.)",
                "Sở Văn hóa, Thể thao và Du lịch kính trình Ủy ban nhân dân thành phố xem xét, "
                "quyết định./.",
            ],
            signer=_DEPUTY,
            recipients=["Như trên", "Giám đốc Sở (để báo cáo)"],
            archive="TCPC",
        ),
        **_VERIFICATION,
    }


def quyet_dinh_khen_thuong() -> dict[str, Any]:
    """generators.award_decision_context: the Director's year-end awards, 2021."""
    from thidua.documents import generators

    title = "Tập thể lao động xuất sắc"
    return {
        **generators.award_decision_context(
            issuer={
                "governing_body": "UBND thành phố Cần Thơ",
                "name": _AGENCY,
                "symbol": "SVHTTDL",
                "place": "Cần Thơ",
            },
            number="15",
            day=dt.date(2022, 1, 12),
            year=2021,
            summary="Về việc khen thưởng tập thể, cá nhân có thành tích xuất sắc trong phong "
            "trào thi đua năm 2021",
            authority="Giám đốc Sở Văn hóa, Thể thao và Du lịch",
            legal_bases=[_LAW_2003, _DECREE_91, _REGULATION_575],
            proposal="Xét đề nghị của Hội đồng Thi đua – Khen thưởng Sở tại Tờ trình số "
            "45/TTr-HĐTĐKT ngày 05 tháng 01 năm 2022",
            collectives=[
                {"name": "Phòng Quản lý Văn hóa và Gia đình", "detail": _AGENCY, "title": title},
                {"name": "Trung tâm Văn hóa thành phố", "detail": _AGENCY, "title": title},
            ],
            individuals=[
                {
                    "name": "Bà Lê Thị Hoa",
                    "detail": "Giám đốc Trung tâm Văn hóa thành phố",
                    "title": "Chiến sĩ thi đua cơ sở",
                },
                {
                    "name": "Ông Phạm Minh Tuấn",
                    "detail": "Trưởng phòng Quản lý Du lịch",
                    "title": "Giấy khen của Giám đốc Sở",
                },
            ],
            reason="đã có thành tích xuất sắc trong phong trào thi đua năm 2021",
            bonus="Tiền thưởng kèm theo danh hiệu, hình thức khen thưởng thực hiện theo quy "
            "định của pháp luật, trích từ Quỹ thi đua, khen thưởng của Sở.",
            executors="Chánh Văn phòng Sở, Trưởng phòng Tổ chức – Pháp chế, Trưởng phòng Kế "
            "hoạch – Tài chính, Thủ trưởng các phòng, đơn vị và cá nhân có tên tại Điều 1",
            signer=_DIRECTOR,
            recipients=["Như Điều 3"],
            archive="TCPC",
        ),
        **_VERIFICATION,
    }


def giay_khen() -> dict[str, Any]:
    """The certificate's sample (certificate.py owns its field table). `print_fixed` is set
    by the renderer from the print mode (pre-printed blank or plain paper); an agency's
    version must render in both, so the sample carries it too."""
    from .certificate import certificate_sample

    return {**certificate_sample(), "print_fixed": True}


SAMPLES: dict[str, Callable[[], dict[str, Any]]] = {
    "ke_hoach.docx": ke_hoach,
    "quyet_dinh_phan_cong_khoi.docx": quyet_dinh_phan_cong_khoi,
    "giao_uoc.docx": giao_uoc,
    "bao_cao.docx": bao_cao,
    "bien_ban.docx": bien_ban,
    "bien_ban_kiem_phieu.docx": bien_ban_kiem_phieu,
    "to_trinh.docx": to_trinh,
    "quyet_dinh_khen_thuong.docx": quyet_dinh_khen_thuong,
    "giay_khen.docx": giay_khen,
}
