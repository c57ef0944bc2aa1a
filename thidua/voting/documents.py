"""The voting documents as the plain contexts of their Word templates: the minutes of a
meeting (Biên bản họp bình xét, bien_ban.docx) and of one vote's count (Biên bản kiểm
phiếu, bien_ban_kiem_phieu.docx).

`voting.minutes` reads a closed meeting or vote into a `MeetingMinutes` or `TallyMinutes`
(plain data: strings, numbers, dates) and these functions lay it out in voting's words;
`documents.parts` supplies the header, number and signature parts every document shares.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from thidua.documents import parts, samples
from thidua.documents import vn_format as vn


@dataclass(frozen=True)
class MeetingMinutes:
    agency_name: str
    block_name: str
    block_symbol: str
    year: int
    number: str | None
    started: dt.datetime | dt.date
    ended: dt.datetime | dt.date
    venue: str
    chair: parts.Participant
    secretary: parts.Participant
    attendees: Sequence[str]
    total_members: int
    absent: Sequence[str]
    agenda: Sequence[str]
    discussion: Sequence[str]
    ballots_issued: int
    ballots_valid: int
    ballot: Sequence[tuple[str, int]]
    conclusion: Sequence[str]
    recipients: Sequence[str]
    archive: str = "Hồ sơ"


def meeting_minutes_document(m: MeetingMinutes) -> dict[str, Any]:
    """The minutes of the block's review meeting (Biên bản họp bình xét) for bien_ban.docx.

    `attendees` are the member units present (one line each, with their representative);
    the percentages are of all member units (`total_members`), the base ND 152/2025 Art.
    33(5) sets for "tỷ lệ phiếu đồng ý … tính trên tổng số thành viên", with one decimal.
    Mẫu 1.9 has no place/date line; the Nơi nhận ends "Lưu: VT, Hồ sơ." by default."""
    if m.total_members <= 0:
        raise ValueError("a block has at least one member")
    data = parts.block_issuer(m.agency_name, m.block_name, m.block_symbol, "")  # no place/date line
    present = len(m.attendees)
    attendance = f"{present}/{m.total_members} đơn vị thành viên"
    if m.absent:
        attendance += f"; vắng: {', '.join(vn.nfc(a).strip() for a in m.absent)}"
    header = parts.header(data, parts.number(m.number, "", "BB", data), None)
    del header["place_date"]  # Mẫu 1.9: the time and place are in the text
    return {
        **header,
        "summary": f"Họp bình xét thi đua năm {m.year} của {vn.nfc(m.block_name)}",
        "started": parts.time_words(m.started) + ".",
        "venue": vn.nfc(m.venue).strip() + ".",
        "chair": {
            "name": vn.nfc(m.chair["name"]).strip(),
            "line": f"{vn.nfc(m.chair['name']).strip()} – {vn.nfc(m.chair['position']).strip()}.",
        },
        "secretary": {
            "name": vn.nfc(m.secretary["name"]).strip(),
            "line": (
                f"{vn.nfc(m.secretary['name']).strip()} – "
                f"{vn.nfc(m.secretary['position']).strip()}."
            ),
        },
        "attendance": attendance + ", gồm:",
        "attendees": [f"- {line}" for line in vn.terminate(m.attendees)],
        "agenda": [vn.nfc(t).strip() for t in m.agenda],
        "discussion": [vn.nfc(t).strip() for t in m.discussion],
        "ballot_summary": (
            f"Số phiếu phát ra: {m.ballots_issued}; số phiếu thu vào và hợp lệ: {m.ballots_valid}. "
            "Kết quả (tỷ lệ tính trên tổng số đơn vị thành viên):"
        ),
        "ballot": [
            {
                "number": index,
                "unit": vn.nfc(unit).strip(),
                "votes": votes,
                "percent": parts.decimal(100 * votes / m.total_members, 1),
            }
            for index, (unit, votes) in enumerate(m.ballot, start=1)
        ],
        "conclusion": [vn.nfc(t).strip() for t in m.conclusion],
        "ended": f"Cuộc họp kết thúc vào {parts.time_words(m.ended)}./.",
        "recipients": vn.recipient_lines(m.recipients, archive=m.archive),
    }


class TallyLine(TypedDict):
    name: str
    votes: int
    percent: float  # of the threshold's base
    passed: bool
    elected: bool


def _tally_result(line: TallyLine) -> str:
    if line["elected"]:
        return "Được chọn"
    return "Đạt" if line["passed"] else "Không đạt"


@dataclass(frozen=True)
class TallyMinutes:
    agency_name: str
    block_name: str
    block_symbol: str
    number: str | None
    meeting: str
    subject: str
    round_number: int
    counted: dt.datetime | dt.date
    venue: str
    head: parts.Participant
    members: Sequence[parts.Participant]
    entitled: int
    present: int
    ballots_issued: int
    ballots_received: int
    valid: int
    blank: int
    spoilt: int
    paper: bool
    chain_head: str
    threshold: str
    needed: int
    tally: Sequence[TallyLine]
    conclusion: Sequence[str]
    differs_from_ranking: bool
    recipients: Sequence[str]
    archive: str = "Hồ sơ"


def tally_minutes_document(m: TallyMinutes) -> dict[str, Any]:
    """The minutes of one vote's count (Biên bản kiểm phiếu) for bien_ban_kiem_phieu.docx.

    `head` chairs the counting board (ban kiểm phiếu) and `members` count with them; the
    first member signs beside the head. `threshold` is the rule's threshold in words with
    its base ("> 50% tổng số thành viên (7)"), `needed` the least number of votes that
    meets it; the percentages in `tally` are of that base. An electronic count prints the
    head of the ballots' hash chain, which anyone holding the ballots can recompute; a
    paper count says so. Mẫu 1.9's layout: numbered, no place/date line."""
    if not m.members:
        raise ValueError("the counting board has a member besides its head")
    data = parts.block_issuer(m.agency_name, m.block_name, m.block_symbol, "")
    header = parts.header(data, parts.number(m.number, "", "BB", data), None)
    del header["place_date"]
    subject_text = vn.nfc(m.subject).strip().rstrip(".")
    if m.paper:
        method = "Hình thức: bỏ phiếu kín bằng phiếu giấy; Ban kiểm phiếu kiểm phiếu giấy."
    else:
        method = (
            "Hình thức: bỏ phiếu kín điện tử; mã kiểm tra chuỗi phiếu (SHA-256 của phiếu cuối "
            f"cùng trong chuỗi): {m.chain_head}."
        )
    board = [
        f"{vn.nfc(m.head['name']).strip()} – {vn.nfc(m.head['position']).strip()}, Trưởng ban",
        *(
            f"{vn.nfc(member['name']).strip()} – {vn.nfc(member['position']).strip()}, thành viên"
            for member in m.members
        ),
    ]
    return {
        **header,
        "summary": (
            f"Kiểm phiếu {parts.lower_first(subject_text)}, lần bỏ phiếu thứ {m.round_number}"
        ),
        "counted": parts.time_words(m.counted) + ".",
        "venue": vn.nfc(m.venue).strip() + ".",
        "meeting": vn.nfc(m.meeting).strip() + ".",
        "subject": f"{subject_text} (lần bỏ phiếu thứ {m.round_number}).",
        "board": [f"- {line}" for line in vn.terminate(board)],
        "method": method,
        "counts": [
            f"- Số đại biểu được triệu tập: {m.entitled}; có mặt: {m.present}.",
            f"- Số phiếu phát ra: {m.ballots_issued}.",
            f"- Số phiếu thu vào: {m.ballots_received}.",
            f"- Số phiếu hợp lệ: {m.valid} (trong đó phiếu trắng: {m.blank}).",
            f"- Số phiếu không hợp lệ (phiếu hỏng): {m.spoilt}.",
        ],
        "threshold": (
            f"Tỷ lệ phiếu cần đạt: {vn.nfc(m.threshold).strip()}, tức ít nhất {m.needed} phiếu "
            "đồng ý. Kết quả (tỷ lệ tính trên cùng cơ sở):"
        ),
        "tally": [
            {
                "number": index,
                "name": vn.nfc(line["name"]).strip(),
                "votes": line["votes"],
                "percent": parts.decimal(float(line["percent"]), 2),
                "result": _tally_result(line),
            }
            for index, line in enumerate(m.tally, start=1)
        ],
        "conclusion": [vn.nfc(t).strip() for t in m.conclusion],
        "differs": (
            "Lưu ý: kết quả bỏ phiếu khác với thứ tự xếp hạng đã công bố của khối."
            if m.differs_from_ranking
            else ""
        ),
        "head": {"name": vn.nfc(m.head["name"]).strip()},
        "member": {"name": vn.nfc(m.members[0]["name"]).strip()},
        "ended": "Biên bản kiểm phiếu được lập xong và công bố tại cuộc họp./.",
        "recipients": vn.recipient_lines(m.recipients, archive=m.archive),
    }


# The sample of its template (documents.samples) ---------------------------------------------


def sample_meeting_minutes() -> dict[str, Any]:
    """meeting_minutes_document for Khối 1's review meeting, 15/11/2021."""
    present = [
        "Phòng Quản lý Văn hóa và Gia đình: ông Trần Văn Minh, Trưởng phòng",
        "Trung tâm Văn hóa thành phố: bà Lê Thị Hoa, Giám đốc Trung tâm",
        "Phòng Quản lý Du lịch: ông Phạm Minh Tuấn, Trưởng phòng",
        "Văn phòng Sở: bà Nguyễn Thị Hằng, Chánh Văn phòng",
        "Phòng Tổ chức – Pháp chế: ông Đặng Quốc Bảo, Trưởng phòng",
        "Phòng Kế hoạch – Tài chính: bà Võ Thị Ngọc Ẩn, Trưởng phòng",
    ]
    return {
        **meeting_minutes_document(
            MeetingMinutes(
                agency_name=samples.AGENCY,
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
                    "Khối trưởng trình bày dự thảo báo cáo tổng kết và kết quả chấm điểm của "
                    "các đơn vị thành viên; các đại biểu thống nhất với kết quả chấm điểm.",
                ],
                ballots_issued=6,
                ballots_valid=6,
                ballot=[
                    ("Phòng Quản lý Văn hóa và Gia đình", 6),
                    ("Trung tâm Văn hóa thành phố", 4),
                ],
                conclusion=[
                    "Khối thi đua số 1 thống nhất suy tôn Phòng Quản lý Văn hóa và Gia đình là "
                    "đơn vị dẫn đầu, đề nghị Hội đồng Thi đua – Khen thưởng Sở xem xét, đề nghị "
                    "tặng Cờ thi đua của Ủy ban nhân dân thành phố.",
                ],
                recipients=[samples.COUNCIL, "Các đơn vị thành viên Khối thi đua số 1"],
            )
        ),
        **samples.VERIFICATION,
    }


def sample_tally_minutes() -> dict[str, Any]:
    """tally_minutes_document for Khối 1's vote on its leading unit, 15/11/2021:
    electronic, six of seven members present, one blank ballot."""
    return {
        **tally_minutes_document(
            TallyMinutes(
                agency_name=samples.AGENCY,
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
                recipients=[samples.COUNCIL, "Các đơn vị thành viên Khối thi đua số 1"],
            )
        ),
        **samples.VERIFICATION,
    }
