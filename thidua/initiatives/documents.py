"""The papers of an initiative, as plain contexts of their Word templates:

- the request for recognition (Đơn yêu cầu công nhận sáng kiến, don_yeu_cau_sang_kien.docx):
  the authors ask the deciding body to recognise it; unnumbered, laid out like an ND 30
  "văn bản có tên loại" with "Kính gửi";
- the minutes of the review (Biên bản xét công nhận sáng kiến,
  bien_ban_xet_sang_kien.docx): Mẫu 1.9 — numbered, no place/date line, secretary and chair
  side by side;
- the recognition decision (Quyết định công nhận sáng kiến,
  quyet_dinh_cong_nhan_sang_kien.docx): Mẫu 1.2 — Điều 1 recognises the initiative at its
  scope with its authors' table, Điều 2 the period it counts for, Điều 3 execution.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypedDict

from thidua.documents import parts, samples
from thidua.documents import vn_format as vn

REQUEST_TEMPLATE = "don_yeu_cau_sang_kien.docx"
MINUTES_TEMPLATE = "bien_ban_xet_sang_kien.docx"
DECISION_TEMPLATE = "quyet_dinh_cong_nhan_sang_kien.docx"

# How each scope reads inside a sentence ("… có phạm vi ảnh hưởng cấp cơ sở").
SCOPE_PHRASES = {
    "co_so": "cấp cơ sở",
    "tinh_bo": "cấp tỉnh, bộ, ngành",
    "toan_quoc": "toàn quốc",
}


class Author(TypedDict):
    name: str
    unit: str
    position: str
    share: str  # "60" / "33,33"


class Description(TypedDict):
    title: str
    kind: str  # the kind of solution, as printed
    field: str
    first_applied: str  # "15/3/2024" or ""
    improves: str
    applied_at: str
    effect: str


def _authors(authors: Sequence[Author]) -> list[dict[str, Any]]:
    return [
        {
            "number": index,
            "name": vn.nfc(a["name"]).strip(),
            "unit": vn.nfc(a["unit"]).strip(),
            "position": vn.nfc(a["position"]).strip(),
            "share": f"{a['share']}%",
        }
        for index, a in enumerate(authors, start=1)
    ]


def _description(description: Description) -> dict[str, Any]:
    clean = {key: vn.nfc(str(value)).strip() for key, value in description.items()}
    return {
        **clean,
        "improves": vn.paragraphs(clean["improves"]),
        "effect": vn.paragraphs(clean["effect"]),
    }


def request_context(
    *,
    issuer: parts.Issuer,
    day: dt.date | None,
    addressees: Sequence[str],
    scope: str,
    authors: Sequence[Author],
    collective: str,
    description: Description,
    attachments: Sequence[str],
    signer: parts.Signer,
) -> dict[str, Any]:
    """The authors' request: who they are, what the initiative is, where it was applied and
    what it brought, the files attached, and their commitment. `collective` names the unit
    when it is an author itself ("" otherwise); the first author signs for the group."""
    data = parts.plain_issuer(issuer)
    scope_phrase = SCOPE_PHRASES[scope]
    lines = _authors(authors)
    who = "Tôi" if len(lines) == 1 and not collective else "Chúng tôi"
    return {
        **parts.header(data, "", day),
        "summary": f"Về việc yêu cầu công nhận sáng kiến {scope_phrase}",
        "addressees": parts.addressee_lines(addressees),
        "intro": f"{who} gồm:",
        "authors": lines,
        "collective": (
            f"Tập thể {vn.nfc(collective).strip()} cùng là tác giả của sáng kiến."
            if collective
            else ""
        ),
        "request": (
            f"{who} là tác giả đề nghị xét công nhận sáng kiến có phạm vi ảnh hưởng {scope_phrase}:"
        ),
        "initiative": _description(description),
        "attachments": vn.terminate([vn.nfc(a).strip() for a in attachments]) or ["Không."],
        "commitment": (
            f"{who} xin cam đoan mọi thông tin nêu trong đơn là trung thực, đúng sự thật và "
            "hoàn toàn chịu trách nhiệm trước pháp luật."
        ),
        "recipients": [],
        "signer": parts.signer(signer, {}),
    }


def minutes_context(
    *,
    issuer: parts.Issuer,
    number: str | None,
    day: dt.date,
    body_name: str,
    scope: str,
    chair: parts.Participant,
    secretary: parts.Participant,
    members_present: int | None,
    title: str,
    authors: Sequence[Author],
    score: str,
    votes: str,
    opinion: str,
    recognised: bool,
    recipients: Sequence[str],
    archive: str,
) -> dict[str, Any]:
    """The minutes of the body that reviewed the initiative at `scope`: who sat, what it
    found (a score, a vote, the opinion) and its conclusion."""
    data = parts.plain_issuer(issuer)
    number_symbol = parts.number(number, "", "BB", data)
    scope_phrase = SCOPE_PHRASES[scope]
    title = vn.nfc(title).strip()
    conclusion = (
        f"{body_name} thống nhất đề nghị công nhận sáng kiến “{title}” có phạm vi ảnh hưởng "
        f"{scope_phrase}."
        if recognised
        else f"{body_name} không đề nghị công nhận sáng kiến “{title}” ở {scope_phrase}."
    )
    present = (
        f"{members_present} thành viên {vn.nfc(body_name).strip()}"
        if members_present
        else f"Các thành viên {vn.nfc(body_name).strip()}"
    )
    result = [line for line in (score, votes) if line]
    header = parts.header(data, number_symbol, day)
    del header["place_date"]  # Mẫu 1.9: minutes have no place and date line
    return {
        **header,
        "summary": f"Họp xét công nhận sáng kiến {scope_phrase}",
        "started": parts.time_words(day),
        "venue": data.get("name", ""),
        "chair": {"line": _participant(chair), "name": vn.nfc(chair["name"]).strip()},
        "secretary": {
            "line": _participant(secretary),
            "name": vn.nfc(secretary["name"]).strip(),
        },
        "attendance": present,
        "initiative_title": title,
        "authors": _authors(authors),
        "result": result or ["Người chủ trì quyết định, không chấm điểm, bỏ phiếu."],
        "opinion": vn.paragraphs(vn.nfc(opinion).strip()) if opinion.strip() else [],
        "conclusion": conclusion,
        "ended": "Cuộc họp kết thúc vào hồi …… giờ …… phút cùng ngày.",
        "recipients": vn.recipient_lines(recipients, archive=archive),
    }


def _participant(person: parts.Participant) -> str:
    name = vn.nfc(person["name"]).strip()
    position = vn.nfc(person["position"]).strip()
    return f"{name}, {position}" if position else name


def decision_context(
    *,
    issuer: parts.Issuer,
    number: str | None,
    day: dt.date | None,
    authority: str,
    legal_bases: Sequence[str],
    proposal: str,
    scope: str,
    title: str,
    authors: Sequence[Author],
    collective: str,
    effect_from: dt.date,
    effect_until: dt.date | None,
    executors: str,
    signer: parts.Signer,
    recipients: Sequence[str],
    archive: str,
) -> dict[str, Any]:
    """The decision recognising one initiative at `scope`, its authors in a table under
    Điều 1, the period it counts for in Điều 2."""
    data = parts.plain_issuer(issuer)
    number_symbol = parts.number(number, "", "QĐ", data)
    scope_phrase = SCOPE_PHRASES[scope]
    title = vn.nfc(title).strip()
    authority_text = " ".join(vn.nfc(authority).split())
    who = "của tác giả" if len(authors) == 1 and not collective else "của các tác giả"
    article1 = (
        f"Công nhận sáng kiến “{title}” {who} có tên dưới đây là sáng kiến có phạm vi ảnh "
        f"hưởng {scope_phrase}"
    )
    if collective:
        article1 += f"; tập thể {vn.nfc(collective).strip()} cùng là tác giả"
    period = f"từ {vn.date_words(effect_from)}"
    if effect_until is not None:
        period += f" đến {vn.date_words(effect_until)}"
    return {
        **parts.header(data, number_symbol, day),
        "summary": f"Về việc công nhận sáng kiến {scope_phrase}",
        "authority": vn.vn_upper(authority_text),
        "legal_bases": parts.terminate_bases(legal_bases, proposal=bool(proposal)),
        "proposal": vn.terminate([proposal], last=".")[0] if proposal else "",
        "article1": {"label": "Điều 1.", "text": article1 + ":"},
        "authors": _authors(authors),
        "articles": [
            {
                "label": "Điều 2.",
                "text": "Sáng kiến tại Điều 1 được sử dụng làm căn cứ xét tặng danh hiệu thi "
                f"đua, hình thức khen thưởng theo quy định, {period}.",
            },
            {
                "label": "Điều 3.",
                "text": f"Quyết định này có hiệu lực kể từ ngày ký. {vn.nfc(executors).strip()} "
                "chịu trách nhiệm thi hành Quyết định này./.",
            },
        ],
        "recipients": vn.recipient_lines(recipients, archive=archive),
        "signer": parts.signer(signer, {}),
    }


# The samples of the templates (documents.samples) --------------------------------------------

_SAMPLE_ISSUER: parts.Issuer = {
    "governing_body": "UBND thành phố Cần Thơ",
    "name": samples.AGENCY,
    "symbol": "SVHTTDL",
    "place": "Cần Thơ",
}
_SAMPLE_AUTHORS: list[Author] = [
    {
        "name": "Võ Thị Mai",
        "unit": "Phòng Quản lý Du lịch",
        "position": "Chuyên viên",
        "share": "60",
    },
    {
        "name": "Phạm Minh Tuấn",
        "unit": "Phòng Quản lý Du lịch",
        "position": "Trưởng phòng",
        "share": "40",
    },
]
_SAMPLE_TITLE = "Bản đồ số các điểm du lịch cộng đồng thành phố Cần Thơ"


def sample_request() -> dict[str, Any]:
    return {
        **request_context(
            issuer=_SAMPLE_ISSUER,
            day=dt.date(2021, 11, 2),
            addressees=["Giám đốc Sở Văn hóa, Thể thao và Du lịch"],
            scope="co_so",
            authors=_SAMPLE_AUTHORS,
            collective="",
            description={
                "title": _SAMPLE_TITLE,
                "kind": "Giải pháp tác nghiệp",
                "field": "Du lịch",
                "first_applied": "01/3/2021",
                "improves": "Gom thông tin các điểm du lịch cộng đồng vào một bản đồ số.",
                "applied_at": "Phòng Quản lý Du lịch",
                "effect": "Du khách tra cứu trên điện thoại; giảm in ấn tờ rơi.",
            },
            attachments=["Bản mô tả sáng kiến", "Xác nhận áp dụng của đơn vị"],
            signer={"authority": "", "title": "Người nộp đơn", "name": "Võ Thị Mai"},
        ),
        **samples.VERIFICATION,
    }


def sample_minutes() -> dict[str, Any]:
    return {
        **minutes_context(
            issuer=_SAMPLE_ISSUER,
            number="12",
            day=dt.date(2021, 11, 20),
            body_name="Hội đồng sáng kiến Sở",
            scope="co_so",
            chair={"name": "Nguyễn Khánh Tùng", "position": "Giám đốc Sở"},
            secretary={"name": "Nguyễn Thị Lan", "position": "Chuyên viên"},
            members_present=5,
            title=_SAMPLE_TITLE,
            authors=_SAMPLE_AUTHORS,
            score="Điểm bình quân: 85,5/100.",
            votes="Số phiếu đồng ý: 5/5 thành viên có mặt.",
            opinion="Sáng kiến có tính mới, đã áp dụng hiệu quả tại phòng.",
            recognised=True,
            recipients=["Thành viên Hội đồng"],
            archive="TCPC",
        ),
        **samples.VERIFICATION,
    }


def sample_decision() -> dict[str, Any]:
    return {
        **decision_context(
            issuer=_SAMPLE_ISSUER,
            number="25",
            day=dt.date(2021, 11, 25),
            authority="Giám đốc Sở Văn hóa, Thể thao và Du lịch",
            legal_bases=[samples.LAW_2003, samples.DECREE_91, samples.REGULATION_575],
            proposal="Xét đề nghị của Hội đồng sáng kiến Sở tại Biên bản số 12/BB-SVHTTDL "
            "ngày 20 tháng 11 năm 2021",
            scope="co_so",
            title=_SAMPLE_TITLE,
            authors=_SAMPLE_AUTHORS,
            collective="",
            effect_from=dt.date(2021, 11, 25),
            effect_until=None,
            executors="Chánh Văn phòng Sở, Trưởng phòng Tổ chức – Pháp chế, Trưởng phòng "
            "Quản lý Du lịch và các tác giả có tên tại Điều 1",
            signer=samples.DIRECTOR,
            recipients=["Như Điều 3"],
            archive="TCPC",
        ),
        **samples.VERIFICATION,
    }
