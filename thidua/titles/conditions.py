"""The vocabulary of conditions and the checks of their parameters: which kinds exist, what
each kind's parameters must be (refused naming the parameter), and cycles among titles'
standards. Pure: used by the models' validation and by the engine (`rules.py`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

# Ratings best first, their order; the discipline ladder, lightest first. These are the
# vocabularies of org's models, repeated here so the engine stays pure.
RATING_RANK = {"HTXSNV": 4, "HTTNV": 3, "HTNV": 2, "KHTNV": 1}
DISCIPLINE_RANK = {
    "khien_trach": 1,
    "canh_cao": 2,
    "ha_bac_luong": 3,
    "giang_chuc": 4,
    "cach_chuc": 5,
    "buoc_thoi_viec": 6,
}
SCOPE_RANK = {"co_so": 1, "tinh_bo": 2, "toan_quoc": 3}
DISCIPLINE_LABEL = {
    "khien_trach": "khiển trách",
    "canh_cao": "cảnh cáo",
    "ha_bac_luong": "hạ bậc lương",
    "giang_chuc": "giáng chức",
    "cach_chuc": "cách chức",
    "buoc_thoi_viec": "buộc thôi việc",
}
SCOPE_LABEL = {"co_so": "cơ sở", "tinh_bo": "cấp tỉnh, bộ", "toan_quoc": "toàn quốc"}


class Kind(StrEnum):
    RATING_AT_LEAST = "rating_at_least"
    MEETS_STANDARD = "meets_standard"
    HOLDS_CONSECUTIVE = "holds_consecutive"
    MEMBER_SHARE_HOLDING = "member_share_holding"
    MEMBER_SHARE_RATED = "member_share_rated"
    MEMBERS_HOLDING_AT_LEAST = "members_holding_at_least"
    NO_DISCIPLINE = "no_discipline"
    INITIATIVE = "initiative"
    COUNCIL_VOTE = "council_vote"
    QUOTA = "quota"


# Kinds checked on a whole list (how many of a population are proposed), not on one subject.
LIST_KINDS = frozenset({Kind.QUOTA})


# Parameters ---------------------------------------------------------------------------------


class ParamError(ValueError):
    """A condition's parameters are wrong; `key` names the parameter."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key


def _require(params: Mapping[str, Any], key: str) -> Any:
    if key not in params or params[key] in (None, ""):
        raise ParamError(key, _("this parameter is required"))
    return params[key]


def _ratio(params: Mapping[str, Any], key: str) -> Decimal:
    value = _require(params, key)
    try:
        ratio = Decimal(str(value))
    except ArithmeticError as error:
        raise ParamError(key, _("must be a number between 0 and 1")) from error
    if isinstance(value, bool) or not (Decimal(0) <= ratio <= Decimal(1)):
        raise ParamError(key, _("must be a number between 0 and 1"))
    return ratio


def _positive(params: Mapping[str, Any], key: str, default: int | None = None) -> int:
    value = params.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ParamError(key, _("must be a whole number of at least 1"))
    return value


def _choice(params: Mapping[str, Any], key: str, choices: Iterable[str]) -> str:
    value = _require(params, key)
    if value not in choices:
        raise ParamError(
            key, _("must be one of %(choices)s") % {"choices": ", ".join(sorted(choices))}
        )
    return str(value)


def counted_on(params: Mapping[str, Any], year: int = 2001) -> dt.date:
    text = params.get("counted_on", "12-31")
    try:
        month, day = (int(part) for part in str(text).split("-"))
        return dt.date(year, month, day)
    except ValueError as error:
        raise ParamError("counted_on", _("must be a day of the year written MM-DD")) from error


def referenced_title(kind: str, params: Mapping[str, Any]) -> str | None:
    """The title a condition refers to, if any."""
    if kind in (
        Kind.MEETS_STANDARD,
        Kind.HOLDS_CONSECUTIVE,
        Kind.MEMBER_SHARE_HOLDING,
        Kind.MEMBERS_HOLDING_AT_LEAST,
    ):
        return str(params.get("title", "")) or None
    return None


def check_params(kind: str, params: Any, known_titles: Iterable[str]) -> None:
    """Refuse a condition's parameters, naming the parameter (ParamError)."""
    if not isinstance(params, Mapping):
        raise ParamError("params", _("must be an object of named parameters"))
    titles = set(known_titles)
    if kind not in set(Kind):
        raise ParamError("kind", _("unknown kind of condition"))
    if kind in (Kind.RATING_AT_LEAST, Kind.MEMBER_SHARE_RATED):
        _choice(params, "rating", RATING_RANK)
    if kind in (Kind.MEMBER_SHARE_HOLDING, Kind.MEMBER_SHARE_RATED):
        _ratio(params, "ratio")
        counted_on(params)
    if kind == Kind.MEMBERS_HOLDING_AT_LEAST:
        _positive(params, "count")
        counted_on(params)
    if kind == Kind.HOLDS_CONSECUTIVE:
        _positive(params, "years")
        _positive(params, "step", 1)
        offset = params.get("until_offset", 0)
        if isinstance(offset, bool) or not isinstance(offset, int) or offset > 0:
            raise ParamError("until_offset", _("must be 0 or a negative whole number"))
    if kind == Kind.NO_DISCIPLINE:
        _choice(params, "level", DISCIPLINE_RANK)
    if kind == Kind.INITIATIVE:
        _choice(params, "scope", SCOPE_RANK)
        _positive(params, "count", 1)
        _positive(params, "years", 1)
    if kind == Kind.COUNCIL_VOTE:
        _ratio(params, "share")
    if kind == Kind.QUOTA:
        _ratio(params, "ratio")
        _require(params, "of")
    title = referenced_title(kind, params)
    if kind in (
        Kind.MEETS_STANDARD,
        Kind.HOLDS_CONSECUTIVE,
        Kind.MEMBER_SHARE_HOLDING,
        Kind.MEMBERS_HOLDING_AT_LEAST,
    ):
        if title is None:
            raise ParamError("title", _("this parameter is required"))
        if title not in titles:
            raise ParamError("title", _("unknown title “%(code)s”") % {"code": title})


def find_cycle(edges: Iterable[tuple[str, str]]) -> list[str] | None:
    """A cycle among "title A requires meeting the standard of title B" edges, as the list of
    titles around it, or None."""
    graph: dict[str, set[str]] = {}
    for source, target in edges:
        graph.setdefault(source, set()).add(target)
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if state.get(target) is None:
                found = visit(target)
                if found:
                    return found
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if state.get(node) is None:
            found = visit(node)
            if found:
                return found
    return None
