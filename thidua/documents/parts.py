"""The parts every ND 30 document shares, from plain data: the header (ô 1–4), the number
and symbol, the issuer and the signer, the block's own header and signature, the
addressee lines, decimals and times in Vietnamese.

The documents app is infrastructure (design.md §2): it imports no domain app. Each app
builds the context of the documents it produces (`campaigns/documents.py`,
`covenants/documents.py`, `voting/documents.py`, `proposals/documents.py`,
`awards/documents.py`, `scoring/report_document.py`) from its own data, and hands these
functions strings, dates and dicts only. Once a context is built it is plain data and the
template never touches the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypedDict, cast

from thidua.documents import vn_format as vn


class Issuer(TypedDict, total=False):
    """The issuing body as printed in the header (ô 2) and used in ký hiệu and ô 4.

    Names are given in normal case ("Sở Văn hóa, Thể thao và Du lịch") and upper-cased for
    the header, because the same name also appears inside sentences.
    """

    governing_body: str  # tên cơ quan chủ quản, e.g. "UBND thành phố Cần Thơ"; "" if none
    name: str  # tên cơ quan ban hành, e.g. "Sở Văn hóa, Thể thao và Du lịch"
    symbol: str  # its abbreviation in ký hiệu, e.g. "SVHTTDL"
    place: str  # địa danh, e.g. "Cần Thơ"


class Signer(TypedDict, total=False):
    authority: str  # "KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN", … or "" when the head signs
    title: str  # "GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC"
    name: str  # "Nguyễn Khánh Tùng"


class Participant(TypedDict):
    name: str
    position: str


def issuer(defaults: Issuer, given: Issuer | None) -> dict[str, str]:
    """`given` (what the caller knows of the official header) over `defaults` (what the
    caller derived from its data), each value in NFC without surrounding spaces."""
    merged = {**defaults, **(given or {})}
    return {key: vn.nfc(str(value)).strip() for key, value in merged.items()}


def body_issuer(body: Any) -> Issuer:
    """The Issuer of a registered issuing body (documents.IssuingBody): its printed name,
    else its unit's name."""
    return {
        "governing_body": body.governing_body_name,
        "name": body.printed_name or body.unit.name,
        "symbol": body.symbol,
        "place": body.place,
    }


def plain_issuer(given: Issuer) -> dict[str, str]:
    """An Issuer given in full by the caller, normalised; no governing body is ""."""
    data = {k: vn.nfc(str(v)).strip() for k, v in given.items()}
    data.setdefault("governing_body", "")
    return data


def number(given: str | None, stored: str, type_abbr: str, issuer: Mapping[str, str]) -> str:
    """What follows "Số: ". `given` (from the numbering registry) may be a bare running
    number ("3887") or a full "3887/KH-SVHTTDL"; without one, the number already stored on
    the record, else a blank for the văn thư."""
    symbol = vn.document_symbol(type_abbr, issuer["symbol"])
    for candidate in (given, stored):
        if candidate and candidate.strip():
            candidate = candidate.strip()
            if "/" in candidate:
                return candidate
            return vn.number_symbol(candidate, symbol)
    return vn.number_symbol(None, symbol)


def header(issuer: Mapping[str, str], number_symbol: str, day: dt.date | None) -> dict[str, str]:
    return {
        "governing_body": vn.vn_upper(issuer["governing_body"]),
        "issuer_name": vn.vn_upper(issuer["name"]),
        "number_symbol": number_symbol,
        "place_date": vn.place_date_line(issuer["place"], day),
    }


def signer(given: Signer | None, default: Signer) -> dict[str, str]:
    merged = {**cast(Mapping[str, str], default), **cast(Mapping[str, str], given or {})}
    return {
        "authority": vn.vn_upper(merged.get("authority", "")),
        "title": vn.vn_upper(merged.get("title", "")),
        "name": vn.nfc(merged.get("name", "")).strip(),
    }


def signer_name_title(context: Mapping[str, Any]) -> tuple[str, str]:
    """(name, title) the registry records for a context's signer: "KT. GIÁM ĐỐC PHÓ GIÁM
    ĐỐC" when a deputy signs for the head."""
    given = context["signer"]
    title = " ".join(part for part in (given.get("authority", ""), given["title"]) if part)
    return given["name"], title


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def terminate_bases(bases: Iterable[str], *, proposal: bool) -> list[str]:
    """Mẫu 1.2: every căn cứ ends with ";" — the last with "." only when no "Theo đề nghị
    của …" line follows."""
    return vn.terminate(bases, each=";", last=";" if proposal else ".")


# The block's documents -----------------------------------------------------------------------
#
# The covenant, the block's report and its minutes are the block's own papers: the header
# names the agency as the governing body (ô 2, first line) and the block as the issuer, and
# the block leader signs "TM. KHỐI …".


def block_issuer(
    agency_name: str, block_name: str, block_symbol: str, place: str
) -> dict[str, str]:
    return {
        "governing_body": vn.nfc(agency_name).strip(),
        "name": vn.nfc(block_name).strip(),
        "symbol": vn.nfc(block_symbol).strip(),
        "place": vn.nfc(place).strip(),
    }


def block_signer(block_name: str, name: str) -> dict[str, str]:
    return signer(None, {"authority": f"TM. {block_name}", "title": "Khối trưởng", "name": name})


def addressee_lines(addressees: Sequence[str]) -> list[str]:
    """ô 9a: one addressee on the "Kính gửi:" line as is; several, each on its own line with
    a dash, ";" after each and "." after the last (Mục II.9.a)."""
    names = [vn.nfc(a).strip().lstrip("-–").strip().rstrip(";,.") for a in addressees]
    names = [n for n in names if n]
    if len(names) == 1:
        return names
    return [f"- {line}" for line in vn.terminate(names)]


def decimal(value: float | int | str, places: int = 2) -> str:
    """ "95,5": Vietnamese writes the decimal comma."""
    if isinstance(value, str):
        return value
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def time_words(moment: dt.datetime | dt.date) -> str:
    """ "08 giờ 00 phút, ngày 15 tháng 11 năm 2021" (Mẫu 1.9's "… giờ …, ngày …"); for a
    day whose hour is not known, dotted blanks to write it in by hand."""
    if not isinstance(moment, dt.datetime):
        return f"…… giờ …… phút, {vn.date_words(moment)}"
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút, {vn.date_words(moment.date())}"
