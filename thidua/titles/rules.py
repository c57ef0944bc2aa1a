"""The eligibility engine: plain functions over plain data, no database.

A *pack* is the set of conditions in force on a day for an agency (the national pack with the
province's layer on it, resolved by `selectors.pack_for`). `evaluate` checks one subject (a
person or a unit) for one title in one achievement year and says, per condition, met / not
met / unknown, with the inputs it used, the rule's legal basis and an officer's sentence.

Missing data is *unknown*, never *met*: no rating recorded, no members on the counting day,
no initiative register to ask, no council vote yet.

Counting rules, all of them data in the condition's parameters:

- "holds title T for N consecutive years" (ND 152/2025 Art. 33(7)): a title counts for the
  achievement year written in its decision, else for the year the decision was issued
  (the selector makes that choice once, so `titles` here are achievement years); N years
  ending at the evaluated year (+ `until_offset`, ≤ 0) must all be present, a gap breaks it.
- shares of members: the members are those employed in the unit on the counting day
  (`counted_on`, "MM-DD" of the achievement year, default 31/12): someone who left before it is
  neither counted nor required; someone who joined before it is.
- a merged unit carries the titles of the units merged into it (the selector unions them),
  as the award register's pages do.

Conditions of one title that share a `group` are alternatives: one met suffices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .conditions import (
    DISCIPLINE_LABEL,
    DISCIPLINE_RANK,
    LIST_KINDS,
    RATING_RANK,
    SCOPE_LABEL,
    SCOPE_RANK,
    Kind,
    ParamError,
    check_params,
    counted_on,
    find_cycle,
    referenced_title,
)
from .facts import (
    ConditionResult,
    Discipline,
    Initiative,
    Member,
    Pack,
    PersonFacts,
    Rule,
    Subject,
    TitleResult,
    UnitFacts,
    Verdict,
    layer,
    merged_lineage,
)

__all__ = [
    "DISCIPLINE_LABEL",
    "DISCIPLINE_RANK",
    "LIST_KINDS",
    "RATING_RANK",
    "SCOPE_LABEL",
    "SCOPE_RANK",
    "ConditionResult",
    "Discipline",
    "Initiative",
    "Kind",
    "Member",
    "Pack",
    "ParamError",
    "PersonFacts",
    "Rule",
    "Subject",
    "TitleResult",
    "UnitFacts",
    "Verdict",
    "check_params",
    "find_cycle",
    "layer",
    "merged_lineage",
    "referenced_title",
]


# Formatting ---------------------------------------------------------------------------------


def percent(value: Decimal | float) -> str:
    """64,7% / 70%: one decimal, a comma, no trailing ",0"."""
    number = (Decimal(str(value)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"{number:.1f}".replace(".", ",")
    return (text[:-2] if text.endswith(",0") else text) + "%"


def verdict_word(verdict: Verdict) -> str:
    return {
        Verdict.MET: _("Met"),
        Verdict.NOT_MET: _("Not met"),
        Verdict.UNKNOWN: _("Unknown"),
    }[verdict]


def _sentence(verdict: Verdict, body: str, rule: Rule) -> str:
    basis = f" ({rule.legal_basis})" if rule.legal_basis else ""
    flag = " [" + _("UNVERIFIED") + "]" if rule.unverified else ""
    return f"{verdict_word(verdict)}: {body}{basis}{flag}"


# Evaluation ---------------------------------------------------------------------------------


@dataclass
class _Context:
    pack: Pack
    year: int
    stack: tuple[str, ...] = ()


def _members_on(subject: UnitFacts, day: dt.date) -> list[PersonFacts]:
    seen: dict[int, PersonFacts] = {}
    for member in subject.members:
        if member.member_on(day):
            seen[member.person.id] = member.person
    return list(seen.values())


def _share_verdict(count: int, unknown: int, total: int, ratio: Decimal, strict: bool) -> Verdict:
    """Met when the known count already reaches the share, not met when even every unknown
    member could not reach it, else unknown. Shares compare exactly (count/total ≥ ratio
    as count ≥ ratio × total), so exactly 70% is 70%."""

    def reaches(n: int) -> bool:
        return Decimal(n) > ratio * total if strict else Decimal(n) >= ratio * total

    if total == 0:
        return Verdict.UNKNOWN
    if reaches(count):
        return Verdict.MET
    if not reaches(count + unknown):
        return Verdict.NOT_MET
    return Verdict.UNKNOWN


def _rating(rule: Rule, subject: Subject, ctx: _Context) -> ConditionResult:
    wanted = str(rule.params["rating"])
    rating = subject.ratings.get(ctx.year)
    inputs = {"year": ctx.year, "rating": rating, "at_least": wanted}
    if rating is None:
        verdict = Verdict.UNKNOWN
        body = _("no rating recorded for %(year)s (at least %(wanted)s required)") % {
            "year": ctx.year,
            "wanted": wanted,
        }
    else:
        verdict = Verdict.MET if RATING_RANK[rating] >= RATING_RANK[wanted] else Verdict.NOT_MET
        body = _("rated %(rating)s in %(year)s, at least %(wanted)s required") % {
            "rating": rating,
            "year": ctx.year,
            "wanted": wanted,
        }
    return ConditionResult(rule, verdict, inputs, _sentence(verdict, body, rule))


def award_window(until: int, times: int, step: int = 1) -> list[int]:
    """The achievement years of `times` consecutive awards ending with `until`, each `step`
    years after the one before (1 for a yearly title; 3 for a title given for three years)."""
    return [until - step * i for i in range(times - 1, -1, -1)]


def consecutive_years(held: Iterable[int], until: int, years: int, step: int = 1) -> bool:
    """Held in each year of the window ending with `until` (ND 152 Art. 33(7))."""
    have = set(held)
    return all(year in have for year in award_window(until, years, step))


def _consecutive(rule: Rule, subject: Subject, ctx: _Context) -> ConditionResult:
    title = str(rule.params["title"])
    years = int(rule.params["years"])
    step = int(rule.params.get("step", 1))
    until = ctx.year + int(rule.params.get("until_offset", 0))
    held = sorted(y for y in subject.titles.get(title, frozenset()) if y <= until)
    window = award_window(until, years, step)
    got = [y for y in window if y in held]
    verdict = Verdict.MET if len(got) == years else Verdict.NOT_MET
    body = _("%(title)s held %(got)s of %(years)s consecutive times (%(window)s)") % {
        "title": ctx.pack.name(title),
        "got": len(got),
        "years": years,
        "window": ", ".join(str(y) for y in window),
    }
    inputs = {"title": title, "years_held": held, "window": window}
    return ConditionResult(rule, verdict, inputs, _sentence(verdict, body, rule))


def _member_share_holding(rule: Rule, subject: Subject, ctx: _Context) -> ConditionResult:
    title = str(rule.params["title"])
    ratio = Decimal(str(rule.params["ratio"]))
    strict = bool(rule.params.get("strict", False))
    day = counted_on(rule.params, ctx.year)
    members = _members_on(subject, day) if isinstance(subject, UnitFacts) else []
    holders = [m for m in members if ctx.year in m.titles.get(title, frozenset())]
    total = len(members)
    verdict = _share_verdict(len(holders), 0, total, ratio, strict)
    inputs = {
        "title": title,
        "counted_on": day.isoformat(),
        "members": total,
        "holders": len(holders),
        "holder_codes": [m.code for m in holders],
    }
    if total == 0:
        body = _("no members on %(day)s to count") % {"day": day.strftime("%d/%m/%Y")}
    else:
        body = _("%(count)s/%(total)s members hold %(title)s = %(share)s %(op)s %(ratio)s") % {
            "count": len(holders),
            "total": total,
            "title": ctx.pack.name(title),
            "share": percent(Decimal(len(holders)) / total),
            "op": ("≥" if not strict else ">") if verdict == Verdict.MET else "<",
            "ratio": percent(ratio),
        }
        if verdict != Verdict.MET and strict and Decimal(len(holders)) == ratio * total:
            body = body.replace("<", "≤", 1)
    return ConditionResult(rule, verdict, inputs, _sentence(verdict, body, rule))


def _member_share_rated(rule: Rule, subject: Subject, ctx: _Context) -> ConditionResult:
    wanted = str(rule.params["rating"])
    ratio = Decimal(str(rule.params["ratio"]))
    strict = bool(rule.params.get("strict", False))
    day = counted_on(rule.params, ctx.year)
    members = _members_on(subject, day) if isinstance(subject, UnitFacts) else []
    rated = [m for m in members if m.ratings.get(ctx.year) is not None]
    good = [m for m in rated if RATING_RANK[m.ratings[ctx.year]] >= RATING_RANK[wanted]]
    unrated = len(members) - len(rated)
    total = len(members)
    verdict = _share_verdict(len(good), unrated, total, ratio, strict)
    below = [m.code for m in rated if m not in good]
    inputs = {
        "rating": wanted,
        "counted_on": day.isoformat(),
        "members": total,
        "at_least": len(good),
        "unrated": unrated,
        "below_codes": below,
    }
    if total == 0:
        body = _("no members on %(day)s to count") % {"day": day.strftime("%d/%m/%Y")}
    else:
        body = _(
            "%(count)s/%(total)s members rated at least %(rating)s = %(share)s, %(ratio)s required"
        ) % {
            "count": len(good),
            "total": total,
            "rating": wanted,
            "share": percent(Decimal(len(good)) / total),
            "ratio": percent(ratio),
        }
        if unrated:
            body += "; " + _("%(n)s without a rating") % {"n": unrated}
    return ConditionResult(rule, verdict, inputs, _sentence(verdict, body, rule))


def _members_holding(rule: Rule, subject: Subject, ctx: _Context) -> ConditionResult:
    title = str(rule.params["title"])
    count = int(rule.params["count"])
    day = counted_on(rule.params, ctx.year)
    members = _members_on(subject, day) if isinstance(subject, UnitFacts) else []
    holders = [m for m in members if ctx.year in m.titles.get(title, frozenset())]
    verdict = Verdict.MET if len(holders) >= count else Verdict.NOT_MET
    if not members:
        verdict = Verdict.UNKNOWN
    body = _("%(count)s member(s) hold %(title)s in %(year)s, at least %(wanted)s required") % {
        "count": len(holders),
        "title": ctx.pack.name(title),
        "year": ctx.year,
        "wanted": count,
    }
    inputs = {"title": title, "holders": [m.code for m in holders], "members": len(members)}
    return ConditionResult(rule, verdict, inputs, _sentence(verdict, body, rule))


def _no_discipline(rule: Rule, subject: Subject, ctx: _Context) -> ConditionResult:
    level = str(rule.params["level"])
    floor = DISCIPLINE_RANK[level]
    start, end = dt.date(ctx.year, 1, 1), dt.date(ctx.year, 12, 31)
    if isinstance(subject, UnitFacts):
        people = _members_on(subject, end) + [
            m.person for m in subject.members if not m.member_on(end) and m.member_on(start)
        ]
    else:
        people = [subject]
    found = [
        (person.code, record.level, record.decided_on.isoformat())
        for person in {p.id: p for p in people}.values()
        for record in person.discipline
        if start <= record.decided_on <= end and DISCIPLINE_RANK.get(record.level, 0) >= floor
    ]
    verdict = Verdict.NOT_MET if found else Verdict.MET
    if found:
        body = _("disciplined with %(level)s in %(year)s (%(level_floor)s or above excludes)") % {
            "level": ", ".join(sorted({DISCIPLINE_LABEL.get(f[1], f[1]) for f in found})),
            "year": ctx.year,
            "level_floor": DISCIPLINE_LABEL[level],
        }
    else:
        body = _("no discipline of %(level)s or above in %(year)s") % {
            "level": DISCIPLINE_LABEL[level],
            "year": ctx.year,
        }
    inputs = {"level": level, "records": found}
    return ConditionResult(rule, verdict, inputs, _sentence(verdict, body, rule))


def _initiative(rule: Rule, subject: Subject, ctx: _Context) -> ConditionResult:
    scope = str(rule.params["scope"])
    count = int(rule.params.get("count", 1))
    years = int(rule.params.get("years", 1))
    start, end = dt.date(ctx.year - years + 1, 1, 1), dt.date(ctx.year, 12, 31)
    label = SCOPE_LABEL[scope]
    if subject.initiatives is None:
        body = _("no initiative register to consult (initiatives at %(scope)s scope)") % {
            "scope": label
        }
        return ConditionResult(
            rule, Verdict.UNKNOWN, {"scope": scope}, _sentence(Verdict.UNKNOWN, body, rule)
        )
    found = [
        i
        for i in subject.initiatives
        if SCOPE_RANK.get(i.scope, 0) >= SCOPE_RANK[scope] and start <= i.recognised_on <= end
    ]
    verdict = Verdict.MET if len(found) >= count else Verdict.NOT_MET
    body = _(
        "%(count)s initiative(s) recognised at %(scope)s scope or above in %(first)s–%(last)s, "
        "%(wanted)s required"
    ) % {"count": len(found), "scope": label, "first": start.year, "last": end.year,
         "wanted": count}  # fmt: skip
    inputs = {
        "scope": scope,
        "recognised": [(i.title, i.scope, i.recognised_on.isoformat()) for i in found],
    }
    return ConditionResult(rule, verdict, inputs, _sentence(verdict, body, rule))


def _council_vote(rule: Rule, subject: Subject, ctx: _Context) -> ConditionResult:
    share = Decimal(str(rule.params["share"]))
    got = subject.votes.get(rule.title)
    if got is None:
        verdict = Verdict.UNKNOWN
        body = _("no council vote recorded (%(share)s of all members required)") % {
            "share": percent(share)
        }
    else:
        verdict = Verdict.MET if got >= share else Verdict.NOT_MET
        body = _("council vote %(got)s, %(share)s of all members required") % {
            "got": percent(got),
            "share": percent(share),
        }
    inputs = {"share_required": str(share), "share": str(got) if got is not None else None}
    return ConditionResult(rule, verdict, inputs, _sentence(verdict, body, rule))


def _meets_standard(rule: Rule, subject: Subject, ctx: _Context) -> ConditionResult:
    title = str(rule.params["title"])
    if title in ctx.stack:
        # Refused when saved; kept safe here for packs built by hand.
        body = _("the standard of %(title)s refers back to itself") % {
            "title": ctx.pack.name(title)
        }
        return ConditionResult(rule, Verdict.UNKNOWN, {}, _sentence(Verdict.UNKNOWN, body, rule))
    inner = _evaluate(ctx.pack, subject, title, _Context(ctx.pack, ctx.year, ctx.stack))
    reasons = "; ".join(c.explanation for c in inner.failing)
    body = _("meets the standard of %(title)s") % {"title": ctx.pack.name(title)}
    if inner.verdict != Verdict.MET:
        body = _("does not meet the standard of %(title)s") % {"title": ctx.pack.name(title)}
        if inner.verdict == Verdict.UNKNOWN:
            body = _("standard of %(title)s not established") % {"title": ctx.pack.name(title)}
        body += f" — {reasons}" if reasons else ""
    inputs = {
        "title": title,
        "conditions": [(c.rule.key, c.verdict.value) for c in inner.conditions],
    }
    return ConditionResult(rule, inner.verdict, inputs, _sentence(inner.verdict, body, rule))


def _list_level(rule: Rule, subject: Subject, ctx: _Context) -> ConditionResult:
    body = _("checked on the whole list (at most %(ratio)s of %(of)s)") % {
        "ratio": percent(Decimal(str(rule.params["ratio"]))),
        "of": rule.params.get("of", ""),
    }
    inputs = {"list_level": True}
    return ConditionResult(rule, Verdict.MET, inputs, _sentence(Verdict.MET, body, rule))


CHECKS: dict[str, Callable[[Rule, Subject, _Context], ConditionResult]] = {
    Kind.RATING_AT_LEAST: _rating,
    Kind.HOLDS_CONSECUTIVE: _consecutive,
    Kind.MEMBER_SHARE_HOLDING: _member_share_holding,
    Kind.MEMBER_SHARE_RATED: _member_share_rated,
    Kind.MEMBERS_HOLDING_AT_LEAST: _members_holding,
    Kind.NO_DISCIPLINE: _no_discipline,
    Kind.INITIATIVE: _initiative,
    Kind.COUNCIL_VOTE: _council_vote,
    Kind.MEETS_STANDARD: _meets_standard,
    Kind.QUOTA: _list_level,
}


def combine(verdicts: Iterable[Verdict]) -> Verdict:
    """All met → met; any not met → not met; else unknown."""
    seen = list(verdicts)
    if any(v == Verdict.NOT_MET for v in seen):
        return Verdict.NOT_MET
    if all(v == Verdict.MET for v in seen):
        return Verdict.MET
    return Verdict.UNKNOWN


def any_of(verdicts: Iterable[Verdict]) -> Verdict:
    """Alternatives: one met → met; all not met → not met; else unknown."""
    seen = list(verdicts)
    if any(v == Verdict.MET for v in seen):
        return Verdict.MET
    if seen and all(v == Verdict.NOT_MET for v in seen):
        return Verdict.NOT_MET
    return Verdict.UNKNOWN


def _evaluate(pack: Pack, subject: Subject, title: str, ctx: _Context) -> TitleResult:
    inner = _Context(pack, ctx.year, (*ctx.stack, title))
    results = [CHECKS[rule.kind](rule, subject, inner) for rule in pack.rules_of(title)]
    groups: dict[str, list[Verdict]] = {}
    singles: list[Verdict] = []
    for result in results:
        if result.rule.group:
            groups.setdefault(result.rule.group, []).append(result.verdict)
        else:
            singles.append(result.verdict)
    verdict = combine([*singles, *(any_of(g) for g in groups.values())])
    return TitleResult(
        title=title,
        title_name=pack.name(title),
        subject_code=subject.code,
        subject_name=subject.name,
        year=ctx.year,
        verdict=verdict if results else Verdict.MET,
        conditions=tuple(results),
        pack=pack.label,
    )


def evaluate(pack: Pack, subject: Subject, title: str, year: int) -> TitleResult:
    """Evaluate `subject` for `title` in achievement year `year` under `pack`. A title with no
    condition in the pack is met (nothing to check); `has_rules` tells the two apart."""
    return _evaluate(pack, subject, title, _Context(pack, year))


def reasons(result: TitleResult) -> list[str]:
    """What an officer must read before awarding: the conditions not met or not established,
    leaving out failed alternatives of a group another alternative satisfied."""
    groups: dict[str, list[Verdict]] = {}
    for c in result.conditions:
        if c.rule.group:
            groups.setdefault(c.rule.group, []).append(c.verdict)
    satisfied = {g for g, vs in groups.items() if any_of(vs) == Verdict.MET}
    return [
        c.explanation
        for c in result.conditions
        if c.verdict != Verdict.MET and c.rule.group not in satisfied
    ]


def evaluate_all(pack: Pack, subject: Subject, year: int) -> list[TitleResult]:
    """Every title of the pack's catalogue that this kind of subject can receive."""
    return [evaluate(pack, subject, code, year) for code in pack.titles_for(subject.collective)]


def quota_verdict(proposed: int, population: int, ratio: Decimal) -> Verdict:
    """A list's quota: at most `ratio` of `population` proposed; unknown without a population."""
    if population <= 0:
        return Verdict.UNKNOWN
    return Verdict.MET if Decimal(proposed) <= ratio * population else Verdict.NOT_MET
