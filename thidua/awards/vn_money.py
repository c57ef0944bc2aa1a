"""Amounts of money in Vietnamese words, as written on decisions ("Bằng chữ: …"). Pure.

Rules (northern administrative usage, the one decisions are typed in):
- 1 after a tens word above ten is "mốt" (21 → "hai mươi mốt"), otherwise "một" (11 → "mười một");
- 5 after any tens word is "lăm" (15 → "mười lăm", 25 → "hai mươi lăm"); alone it is "năm";
- tens are "mười" for 10–19 and "mươi" from 20 up;
- a zero tens digit before a non-zero unit inside a number is "linh" (105 → "một trăm linh năm");
- inside a larger number a group under 100 is read with "không trăm" (1 005 → "một nghìn
  không trăm linh năm"), an all-zero group is skipped;
- groups are nghìn, triệu, tỷ; above a thousand tỷ the word "tỷ" repeats ("nghìn tỷ").
"""

from __future__ import annotations

from decimal import Decimal

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ("", "nghìn", "triệu")


def _group(n: int, *, full: bool) -> list[str]:
    """Words for 0 < n < 1000; `full` when a higher group precedes (so hundreds are spoken)."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        else:
            words.append(DIGITS[units])
    return words


def _below_billion(n: int, *, full: bool) -> list[str]:
    groups = [n // 1_000_000 % 1000, n // 1000 % 1000, n % 1000]
    words: list[str] = []
    for index, value in enumerate(groups):
        if not value:
            continue
        words += _group(value, full=full or bool(words))
        scale = SCALES[2 - index]
        if scale:
            words.append(scale)
    return words


def number_words(n: int) -> str:
    """A non-negative integer in words, lower case ("một triệu tám trăm bảy mươi nghìn")."""
    if n < 0:
        raise ValueError("negative amount")
    if n == 0:
        return DIGITS[0]
    words: list[str] = []
    # Split into blocks of 10^9 from the top: each is read below a billion, followed by "tỷ"
    # once per level ("một nghìn tỷ" is 10^12, "một tỷ tỷ" 10^18).
    blocks: list[int] = []
    while n:
        blocks.append(n % 1_000_000_000)
        n //= 1_000_000_000
    for level in range(len(blocks) - 1, -1, -1):
        value = blocks[level]
        if not value:
            continue
        words += _below_billion(value, full=bool(words))
        words += ["tỷ"] * level
    return " ".join(words)


def amount_in_words(amount: int) -> str:
    """ "Một triệu tám trăm bảy mươi nghìn đồng" for 1 870 000."""
    text = f"{number_words(int(amount))} đồng"
    return text[:1].upper() + text[1:]


def format_money(amount: Decimal | int, *, separator: str = ".") -> str:
    """Whole đồng with thousands grouped the Vietnamese way: 1 200 000 → "1.200.000".

    Django's "vi" locale has no NUMBER_GROUPING, so `floatformat:"0g"` prints "1200000".
    Amounts are whole đồng (bonuses are rounded to a step), so any fraction is dropped."""
    value = int(amount)
    text = f"{abs(value):,}".replace(",", separator)
    return f"-{text}" if value < 0 else text
