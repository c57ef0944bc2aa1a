"""Text helpers for Vietnamese."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Fold Vietnamese text for search: no diacritics, đ as d, case-insensitive.

    NFD alone leaves "đ" untouched (it is a letter of its own, not d + a mark), so it is
    mapped first; that is also why SQLite's FTS5 diacritic removal is not enough.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.casefold().split())
