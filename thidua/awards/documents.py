"""The award decision (Quyết định khen thưởng, quyet_dinh_khen_thuong.docx) with its annex,
as the plain context of its Word template. `awards.issuing` fills it, from the register's
draft or from an Excel list, and issues it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypedDict

from thidua.documents import parts, samples
from thidua.documents import vn_format as vn


class Award(TypedDict):
    name: str
    detail: str  # the unit of an individual, the managing body of a collective
    title: str  # the title or form awarded


def award_decision_context(
    *,
    issuer: parts.Issuer,
    number: str | None,
    day: dt.date | None,
    year: int,
    summary: str,
    authority: str,
    legal_bases: Sequence[str],
    proposal: str,
    collectives: Sequence[Award],
    individuals: Sequence[Award],
    reason: str,
    bonus: str,
    executors: str,
    signer: parts.Signer,
    recipients: Sequence[str],
    archive: str,
) -> dict[str, Any]:
    """The award decision (Quyết định khen thưởng) with its list as an annex, for
    quyet_dinh_khen_thuong.docx: Điều 1 awards the titles to the collectives and individuals
    of the annex, Điều 2 the bonus, Điều 3 entry into force and execution. The annex's
    "(Kèm theo Quyết định số … ngày … của …)" repeats the decision's number and date, blank
    like them until the văn thư registers it."""
    data = parts.plain_issuer(issuer)
    number_symbol = parts.number(number, "", "QĐ", data)
    date_text = vn.date_words(day) if day else vn.place_date_line("", None, year=year)[2:]
    authority_text = " ".join(vn.nfc(authority).split())
    counts = []
    if collectives:
        counts.append(f"{len(collectives):02d} tập thể")
    if individuals:
        counts.append(f"{len(individuals):02d} cá nhân")
    article1 = (
        f"Tặng danh hiệu, hình thức khen thưởng cho {' và '.join(counts)} "
        f"(có danh sách kèm theo), {vn.nfc(reason).strip().rstrip('.')}."
    )
    sections = []
    for heading, awards in (("I. TẬP THỂ", collectives), ("II. CÁ NHÂN", individuals)):
        if awards:
            sections.append(
                {
                    "heading": heading if collectives and individuals else heading[3:],
                    "awards": [
                        {
                            "number": index,
                            "name": vn.nfc(a["name"]).strip(),
                            "detail": vn.nfc(a["detail"]).strip(),
                            "title": vn.nfc(a["title"]).strip(),
                        }
                        for index, a in enumerate(awards, start=1)
                    ],
                }
            )
    return {
        **parts.header(data, number_symbol, day),
        "summary": vn.capitalise_first(" ".join(vn.nfc(summary).split())),
        "authority": vn.vn_upper(authority_text),
        "legal_bases": parts.terminate_bases(legal_bases, proposal=bool(proposal)),
        "proposal": vn.terminate([proposal], last=".")[0] if proposal else "",
        "articles": [
            {"label": "Điều 1.", "text": article1},
            {"label": "Điều 2.", "text": vn.nfc(bonus).strip()},
            {
                "label": "Điều 3.",
                "text": f"Quyết định này có hiệu lực kể từ ngày ký. {vn.nfc(executors).strip()} "
                "chịu trách nhiệm thi hành Quyết định này./.",
            },
        ],
        "recipients": vn.recipient_lines(recipients, archive=archive),
        "signer": parts.signer(signer, {}),
        "annex": {
            "title": vn.vn_upper(f"Danh sách tập thể, cá nhân được khen thưởng năm {year}"),
            "reference": (
                f"(Kèm theo Quyết định số {number_symbol} {date_text} của {authority_text})"
            ),
            "sections": sections,
        },
    }


# The sample of its template (documents.samples) ---------------------------------------------


def sample_award_decision() -> dict[str, Any]:
    """award_decision_context: the Director's year-end awards, 2021."""
    title = "Tập thể lao động xuất sắc"
    return {
        **award_decision_context(
            issuer={
                "governing_body": "UBND thành phố Cần Thơ",
                "name": samples.AGENCY,
                "symbol": "SVHTTDL",
                "place": "Cần Thơ",
            },
            number="15",
            day=dt.date(2022, 1, 12),
            year=2021,
            summary="Về việc khen thưởng tập thể, cá nhân có thành tích xuất sắc trong phong "
            "trào thi đua năm 2021",
            authority="Giám đốc Sở Văn hóa, Thể thao và Du lịch",
            legal_bases=[samples.LAW_2003, samples.DECREE_91, samples.REGULATION_575],
            proposal="Xét đề nghị của Hội đồng Thi đua – Khen thưởng Sở tại Tờ trình số "
            "45/TTr-HĐTĐKT ngày 05 tháng 01 năm 2022",
            collectives=[
                {
                    "name": "Phòng Quản lý Văn hóa và Gia đình",
                    "detail": samples.AGENCY,
                    "title": title,
                },
                {"name": "Trung tâm Văn hóa thành phố", "detail": samples.AGENCY, "title": title},
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
            signer=samples.DIRECTOR,
            recipients=["Như Điều 3"],
            archive="TCPC",
        ),
        **samples.VERIFICATION,
    }
