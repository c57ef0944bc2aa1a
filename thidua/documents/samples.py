"""Sample contexts of the built-in Word templates: SAMPLES[template file name]() → plain dict.

Each sample is what the template's context function produces for the demo year —
Sở Văn hóa, Thể thao và Du lịch Cần Thơ, 2021 — written out as literals: no database, no
model, so it can be called anywhere (checking an agency's uploaded template, a preview, a
test). Its keys ARE the template's field list: every field a built-in template uses is in
its sample, and nothing the context function does not provide, so an upload that renders with the
sample renders with real data too.

The templates whose context another app builds (the report, the minutes, the proposal,
the award decision) get their sample from that app, beside its context function: it
calls `register` in its AppConfig.ready.

The verification fields (`verification_code`, `verification_url`) are not from the
context functions but from the issuing service (services.issuing._render_context), which adds them
to every issued document; the QR picture `verification_qr` is an image the renderer supplies
(rendering.IMAGE_FIELDS) and is not in the samples.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from thidua.documents.parts import Signer

_BLANK = "\u00a0" * 4  # vn_format.BLANK_DAY: the day and month a clerk writes in

# The header every sample shares: the seed plan's printed header.
HEADER = {
    "governing_body": "UBND THÀNH PHỐ CẦN THƠ",
    "issuer_name": "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
}
DIRECTOR: Signer = {"authority": "", "title": "GIÁM ĐỐC", "name": "Nguyễn Khánh Tùng"}
VERIFICATION = {
    "verification_code": "K7QX4M2P",
    "verification_url": "https://thidua.example.vn/xac-thuc/K7QX4M2P/",
}
BLOCK1_MEMBERS = [
    "Văn phòng Sở",
    "Phòng Tổ chức – Pháp chế",
    "Phòng Kế hoạch – Tài chính",
    "Phòng Quản lý Văn hóa và Gia đình",
    "Phòng Quản lý Thể dục Thể thao",
    "Phòng Quản lý Du lịch",
    "Trung tâm Văn hóa thành phố",
]
REGULATION_575 = (
    "Căn cứ Quyết định số 575/QĐ-SVHTTDL ngày 15 tháng 10 năm 2020 của Sở Văn hóa, Thể thao và "
    "Du lịch thành phố Cần Thơ về việc ban hành Quy chế xét thi đua, khen thưởng và công nhận "
    "sáng kiến của Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ"
)
PLAN_3887 = (
    "Căn cứ Kế hoạch số 3887/KH-SVHTTDL ngày 25 tháng 12 năm 2020 của Sở Văn hóa, Thể thao và "
    "Du lịch về việc phát động phong trào thi đua trong các Khối thi đua của Sở Văn hóa, Thể "
    "thao và Du lịch năm 2021"
)


def ke_hoach() -> dict[str, Any]:
    """campaigns.documents.plan_context for the seed plan 3887/KH-SVHTTDL (two of its six
    groups)."""
    return {
        **HEADER,
        "number_symbol": "3887/KH-SVHTTDL",
        "place_date": "Cần Thơ, ngày 25 tháng 12 năm 2020",
        "summary": "Về việc phát động phong trào thi đua trong các Khối thi đua của Sở Văn hóa, "
        "Thể thao và Du lịch năm 2021",
        "legal_bases": [
            "Căn cứ Chỉ thị số 11-CT/UBND ngày 04 tháng 12 năm 2020 của Ủy ban nhân dân thành "
            "phố Cần Thơ về việc phát động phong trào thi đua yêu nước năm 2021;",
            REGULATION_575 + ";",
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
        "signer": dict(DIRECTOR),
        **VERIFICATION,
    }


def quyet_dinh_phan_cong_khoi() -> dict[str, Any]:
    """campaigns.documents.block_assignment_decision_context for decision 792/QĐ-SVHTTDL."""
    return {
        **HEADER,
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
            REGULATION_575 + ";",
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
                "members": list(BLOCK1_MEMBERS),
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
        "signer": dict(DIRECTOR),
        **VERIFICATION,
    }


def giao_uoc() -> dict[str, Any]:
    """covenants.documents.covenant_context for the demo's covenant of Khối 1, 2021, revision 1,
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
    last = len(BLOCK1_MEMBERS)
    return {
        "governing_body": "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "issuer_name": "KHỐI THI ĐUA SỐ 1",
        "number_symbol": "",
        "place_date": f"Cần Thơ, ngày {_BLANK} tháng {_BLANK} năm 2021",
        "summary": "Khối thi đua số 1 năm 2021",
        "legal_bases": [
            "Căn cứ Chỉ thị số 11-CT/UBND ngày 04 tháng 12 năm 2020 của Ủy ban nhân dân thành "
            "phố Cần Thơ về việc phát động phong trào thi đua yêu nước năm 2021;",
            PLAN_3887 + ".",
        ],
        "intro": "Các đơn vị thành viên Khối thi đua số 1 thống nhất ký kết Giao ước thi đua "
        "năm 2021 với các nội dung sau:",
        "members": [
            f"{i}. {name}{roles.get(name, '')}{'.' if i == last else ';'}"
            for i, name in enumerate(BLOCK1_MEMBERS, start=1)
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
            for i, name in enumerate(BLOCK1_MEMBERS, start=1)
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
AGENCY = "Sở Văn hóa, Thể thao và Du lịch"
COUNCIL = "Hội đồng Thi đua – Khen thưởng Sở Văn hóa, Thể thao và Du lịch"
DEPUTY: Signer = {"authority": "KT. GIÁM ĐỐC", "title": "PHÓ GIÁM ĐỐC", "name": "Trần Văn Tâm"}
LAW_2003 = (
    "Căn cứ Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số "
    "điều của Luật Thi đua, Khen thưởng ngày 14 tháng 6 năm 2005 và ngày 16 tháng 11 năm 2013"
)
DECREE_91 = (
    "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi tiết "
    "thi hành một số điều của Luật Thi đua, khen thưởng"
)


def giay_khen() -> dict[str, Any]:
    """The certificate's sample (certificate_layout.py holds its field table). `print_fixed` is set
    by the renderer from the print mode (pre-printed blank or plain paper); an agency's
    version must render in both, so the sample carries it too."""
    from .certificate import certificate_sample

    return {**certificate_sample(), "print_fixed": True}


SAMPLES: dict[str, Callable[[], dict[str, Any]]] = {
    "ke_hoach.docx": ke_hoach,
    "quyet_dinh_phan_cong_khoi.docx": quyet_dinh_phan_cong_khoi,
    "giao_uoc.docx": giao_uoc,
    "giay_khen.docx": giay_khen,
}


def register(template_name: str, sample: Callable[[], dict[str, Any]]) -> None:
    """Add the sample of a template whose context another app builds (its AppConfig.ready
    calls this): the sample comes from the context function it describes."""
    SAMPLES[template_name] = sample
