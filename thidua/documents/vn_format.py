"""Vietnamese formatting rules of ND 30/2020 as pure functions (no Django, no I/O).

Quotes are from Phụ lục I as given in shared/docs/documents.md §1.3.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable

# An unregistered draft keeps room for the văn thư to write the number by hand.
BLANK_NUMBER = "\u00a0" * 6
# Likewise for an unsigned draft's day and month (the year is known).
BLANK_DAY = "\u00a0" * 4


def nfc(text: str) -> str:
    """Vietnamese typed on different keyboards arrives composed or decomposed; Word shows both
    alike but comparisons and upper-casing need one form. NFC is what TCVN 6909 text uses."""
    return unicodedata.normalize("NFC", text)


def vn_upper(text: str) -> str:
    """Upper-case Vietnamese ("Sở Văn hóa" → "SỞ VĂN HÓA").

    str.upper() already maps every Vietnamese letter, đ → Đ included (U+0111 → U+0110), and
    keeps tone marks; normalising to NFC first makes a decomposed "ê" + tone come out as one
    precomposed capital, like a clerk typing in capitals would produce.
    """
    return nfc(nfc(text).upper())


def capitalise_first(text: str) -> str:
    """ "về việc …" → "Về việc …" without touching the rest (str.capitalize() would lower it)."""
    text = nfc(text).strip()
    return text[:1].upper() + text[1:]


def day_number(day: int) -> str:
    """Mục II.4: "đối với những số thể hiện ngày nhỏ hơn 10 … phải ghi thêm số 0 phía trước"."""
    return f"{day:02d}" if day < 10 else str(day)


def month_number(month: int) -> str:
    """Mục II.4: "… và tháng 1, 2 phải ghi thêm số 0 phía trước" — only January and February;
    "tháng 6" stays as it is (the decree's own example: "ngày 29 tháng 6 năm 2019")."""
    return f"{month:02d}" if month < 3 else str(month)


def date_words(day: dt.date) -> str:
    """ "ngày 05 tháng 01 năm 2020"."""
    return f"ngày {day_number(day.day)} tháng {month_number(day.month)} năm {day.year}"


def place_date_line(place: str, day: dt.date | None, *, year: int | None = None) -> str:
    """ "Cần Thơ, ngày 25 tháng 12 năm 2020" (ô 4). Without a date (an unsigned draft) the day
    and month are left blank for the văn thư: "Cần Thơ, ngày    tháng    năm 2021"."""
    place = nfc(place).strip()
    if day is not None:
        return f"{place}, {date_words(day)}"
    year_text = str(year) if year else BLANK_DAY
    return f"{place}, ngày {BLANK_DAY} tháng {BLANK_DAY} năm {year_text}"


def document_number(number: int | str) -> str:
    """Mục II.3: the running number in Arabic digits, "với những số nhỏ hơn 10 phải ghi thêm
    số 0 phía trước" ("05"); non-numeric input is kept as given."""
    text = str(number).strip()
    if text.isdigit():
        value = int(text)
        return f"{value:02d}" if value < 10 else str(value)
    return text


def document_symbol(*parts: str) -> str:
    """Ký hiệu: the type's abbreviation and the issuer's, joined by "-" with no spaces
    ("KH" + "SVHTTDL" → "KH-SVHTTDL"). Case is kept: most parts are capitals, but the
    decree's own abbreviations include "QyĐ" and "TTr"."""
    cleaned = [re.sub(r"\s+", "", nfc(p)) for p in parts]
    return "-".join(p for p in cleaned if p)


def number_symbol(number: int | str | None, symbol: str) -> str:
    """ "3887/KH-SVHTTDL" (what follows "Số: "). An unnumbered draft gets blank space before the
    slash, the way drafts circulate before the văn thư registers them."""
    symbol = document_symbol(symbol)
    if number is None or str(number).strip() == "":
        return f"{BLANK_NUMBER}/{symbol}"
    return f"{document_number(number)}/{symbol}"


def paragraphs(text: str) -> list[str]:
    """Split stored multi-line text into its non-empty paragraphs, whitespace tidied."""
    return [" ".join(line.split()) for line in nfc(text).splitlines() if line.strip()]


def terminate(lines: Iterable[str], *, each: str = ";", last: str = ".") -> list[str]:
    """End every line with `each` and the last with `last`, replacing whatever ending
    punctuation the data had — the rule for căn cứ (Mục II.6) and recipient lists (II.9)."""
    items = [nfc(line).strip().rstrip(";,.").rstrip() for line in lines]
    items = [item for item in items if item]
    return [item + (last if i == len(items) - 1 else each) for i, item in enumerate(items)]


def recipient_lines(recipients: Iterable[str], *, archive: str = "") -> list[str]:
    """The list under "Nơi nhận:" (Mục II.9, ô 9b): "- X;" per line, then "- Lưu: VT, X."

    The drafting unit's abbreviation follows "VT" (văn thư); input lines may or may not carry
    their own dash and punctuation. A "Lưu: …" line already in the input is kept as the last.
    """
    names = [nfc(r).strip().lstrip("-–").strip().rstrip(";,.").rstrip() for r in recipients]
    names = [n for n in names if n]
    keep = [n for n in names if not n.startswith("Lưu:")]
    archive_lines = [n for n in names if n.startswith("Lưu:")]
    if archive_lines:
        archive_line = archive_lines[-1]
    else:
        archive_line = "Lưu: " + ", ".join(p for p in ("VT", archive.strip()) if p)
    return [f"- {n};" for n in keep] + [f"- {archive_line}."]


def strip_type_name(title: str, type_name: str) -> str:
    """A campaign's title often starts with its type ("Kế hoạch về việc …"); the trích yếu is
    what follows, capitalised ("Về việc …"), since the type name is printed above it."""
    title = " ".join(nfc(title).split())
    prefix = nfc(type_name).casefold()
    if title.casefold().startswith(prefix + " "):
        title = title[len(prefix) + 1 :]
    return capitalise_first(title)
