"""The plain data the engine reads and returns: rules and packs, the facts of people and
units, and the results per condition and per title. No database here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from .conditions import Kind


class Verdict(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Rule:
    """One condition of one title, as the pack in force says."""

    title: str
    key: str
    kind: str
    params: Mapping[str, Any]
    legal_basis: str
    unverified: bool = False
    group: str = ""
    pack: str = ""


@dataclass(frozen=True)
class Pack:
    """The conditions in force for one agency on one day, titles' names and kinds."""

    rules: tuple[Rule, ...]
    title_names: Mapping[str, str] = field(default_factory=dict)
    # "individual" / "collective" / "both" per title code.
    title_recipients: Mapping[str, str] = field(default_factory=dict)
    label: str = ""

    def rules_of(self, title: str) -> list[Rule]:
        return [rule for rule in self.rules if rule.title == title]

    def name(self, title: str) -> str:
        return self.title_names.get(title, title)

    def titles_for(self, collective: bool) -> list[str]:
        wanted = {"collective", "both"} if collective else {"individual", "both"}
        return [code for code, kind in self.title_recipients.items() if kind in wanted]

    def lookback(self) -> int:
        """How many years before the evaluated one the rules may read."""
        years = 1
        for rule in self.rules:
            if rule.kind == Kind.HOLDS_CONSECUTIVE:
                span = int(rule.params.get("years", 1)) * int(rule.params.get("step", 1))
                years = max(years, span - int(rule.params.get("until_offset", 0)))
            if rule.kind == Kind.INITIATIVE:
                years = max(years, int(rule.params.get("years", 1)))
        return years


@dataclass(frozen=True)
class Initiative:
    scope: str
    recognised_on: dt.date
    effect_from: dt.date | None = None
    effect_until: dt.date | None = None
    title: str = ""


@dataclass(frozen=True)
class Discipline:
    level: str
    decided_on: dt.date


@dataclass(frozen=True)
class PersonFacts:
    id: int
    code: str
    name: str
    ratings: Mapping[int, str] = field(default_factory=dict)
    # Title code → achievement years held (ND 152 Art. 33(7), chosen by the selector).
    titles: Mapping[str, frozenset[int]] = field(default_factory=dict)
    discipline: tuple[Discipline, ...] = ()
    # None: no initiative register could be asked (unknown), not "none recognised".
    initiatives: tuple[Initiative, ...] | None = None
    # Council vote shares per title for the year, when a vote took place.
    votes: Mapping[str, Decimal] = field(default_factory=dict)

    collective = False


@dataclass(frozen=True)
class Member:
    person: PersonFacts
    valid_from: dt.date
    valid_to: dt.date | None = None

    def member_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class UnitFacts:
    id: int
    code: str
    name: str
    ratings: Mapping[int, str] = field(default_factory=dict)
    titles: Mapping[str, frozenset[int]] = field(default_factory=dict)
    members: tuple[Member, ...] = ()
    initiatives: tuple[Initiative, ...] | None = None
    votes: Mapping[str, Decimal] = field(default_factory=dict)

    collective = True

    @property
    def discipline(self) -> tuple[Discipline, ...]:
        return ()


Subject = PersonFacts | UnitFacts


@dataclass(frozen=True)
class ConditionResult:
    rule: Rule
    verdict: Verdict
    inputs: Mapping[str, Any]
    explanation: str


@dataclass(frozen=True)
class TitleResult:
    title: str
    title_name: str
    subject_code: str
    subject_name: str
    year: int
    verdict: Verdict
    conditions: tuple[ConditionResult, ...]
    pack: str = ""

    @property
    def failing(self) -> list[ConditionResult]:
        return [c for c in self.conditions if c.verdict != Verdict.MET]

    @property
    def has_rules(self) -> bool:
        return bool(self.conditions)


def merged_lineage(merged_into: Mapping[int, int], unit: int) -> set[int]:
    """`unit` and every unit merged into it, directly or through earlier mergers (`merged_into`
    maps a merged unit to its successor)."""
    merged_from: dict[int, set[int]] = {}
    for source, target in merged_into.items():
        merged_from.setdefault(target, set()).add(source)
    seen, frontier = {unit}, {unit}
    while frontier:
        frontier = {p for f in frontier for p in merged_from.get(f, ())} - seen
        seen |= frontier
    return seen


def layer(base: Iterable[Rule], overlay: Iterable[Rule]) -> tuple[Rule, ...]:
    """A province's or ministry's pack on the national one: a condition with the same title
    and key replaces the base's (tightens it); any other is added."""
    merged: dict[tuple[str, str], Rule] = {(r.title, r.key): r for r in base}
    for rule in overlay:
        merged[(rule.title, rule.key)] = rule
    return tuple(merged.values())
