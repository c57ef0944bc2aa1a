"""The tally: pure functions over plain data, no database.

Shares are `Fraction`s and comparisons are done on integers (votes × den against num × base),
so "2/3 of 6" is exactly 4 and no rounding can pass or fail a candidate. Percentages are for
display only.

Ties: when more candidates reach the threshold than there are places, and the last place is
shared, the tied candidates go to a runoff while rounds remain; after the last round the
configured tie preference (ND 152/2025 Art. 4(6)) may settle it, otherwise the configured
deciders do, and the tally says so. Order never breaks a tie silently.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

APPROVE, CHOOSE_ONE, CHOOSE_UP_TO = "approve", "choose_one", "choose_up_to"
ENTITLED, PRESENT, VALID = "entitled", "present", "valid"
DECIDED, RUNOFF, DECIDERS, NONE = "decided", "runoff", "deciders", "none"
WOMEN = "women"


@dataclass(frozen=True)
class Rule:
    approval: Fraction
    denominator: str
    strictly_more: bool = False
    chair_must_approve: bool = False
    ballot_style: str = APPROVE
    max_choices: int | None = None
    max_rounds: int = 2
    tie_preference: str = "none"

    @classmethod
    def from_snapshot(cls, snapshot: Mapping[str, Any]) -> Rule:
        num, den = snapshot["approval"]
        return cls(
            approval=Fraction(num, den),
            denominator=snapshot["denominator"],
            strictly_more=snapshot["strictly_more"],
            chair_must_approve=snapshot["chair_must_approve"],
            ballot_style=snapshot["ballot_style"],
            max_choices=snapshot.get("max_choices"),
            max_rounds=snapshot["max_rounds"],
            tie_preference=snapshot["tie_preference"],
        )


@dataclass(frozen=True)
class CandidateIn:
    key: int
    ranking: int | None = None
    women_preferred: bool = False


@dataclass(frozen=True)
class Counts:
    entitled: int
    present: int
    ballots: int  # every ballot cast or returned, blank and spoilt included
    votes: Mapping[int, int]
    blank: int = 0
    spoilt: int = 0
    disagree: Mapping[int, int] = field(default_factory=dict)

    @property
    def valid(self) -> int:
        return self.ballots - self.spoilt


@dataclass(frozen=True)
class Row:
    key: int
    votes: int
    base: int
    percent: Decimal
    needed: int
    threshold: str
    passed: bool
    elected: bool
    reason: str


@dataclass(frozen=True)
class Result:
    rows: list[Row]
    outcome: str
    tied: list[int]
    preferred: list[int]
    differs_from_ranking: bool

    @property
    def elected(self) -> list[int]:
        return [row.key for row in self.rows if row.elected]


# Ballots ---------------------------------------------------------------------------------------


class InvalidChoice(ValueError):
    """A ballot the rule does not allow; the message is for the voter."""


def normalize_choices(
    *,
    style: str,
    max_choices: int | None,
    candidates: Iterable[int],
    agree: Iterable[int] = (),
    disagree: Iterable[int] = (),
    chosen: Iterable[int] = (),
    forbidden: Iterable[int] = (),
) -> dict[str, list[int]]:
    """The canonical content of one ballot, or InvalidChoice. Choosing nothing is a blank
    ballot, which is valid."""
    allowed = set(candidates)
    banned = set(forbidden)
    if style == APPROVE:
        agree_set, disagree_set = set(agree), set(disagree)
        picked = agree_set | disagree_set
        if agree_set & disagree_set:
            raise InvalidChoice(_("A candidate cannot be both agreed and disagreed."))
        _check_known(picked, allowed)
        _check_self(picked, banned)
        return {"agree": sorted(agree_set), "disagree": sorted(disagree_set)}
    chosen_set = set(chosen)
    _check_known(chosen_set, allowed)
    _check_self(chosen_set, banned)
    limit = 1 if style == CHOOSE_ONE else (max_choices or len(allowed))
    if len(chosen_set) > limit:
        raise InvalidChoice(
            _("Choose at most %(limit)d candidate(s); you chose %(count)d.")
            % {"limit": limit, "count": len(chosen_set)}
        )
    return {"chosen": sorted(chosen_set)}


def _check_known(picked: set[int], allowed: set[int]) -> None:
    if picked - allowed:
        raise InvalidChoice(_("The ballot names someone who is not a candidate in this vote."))


def _check_self(picked: set[int], banned: set[int]) -> None:
    if picked & banned:
        raise InvalidChoice(_("Under this vote's rule a unit may not vote for itself."))


def count_ballots(
    contents: Iterable[Mapping[str, list[int]]], *, entitled: int, present: int
) -> Counts:
    """Sum canonical ballots: commutative, so the order of ballots cannot matter."""
    votes: Counter[int] = Counter()
    disagree: Counter[int] = Counter()
    ballots = blank = 0
    for content in contents:
        ballots += 1
        picked = content.get("agree", content.get("chosen", []))
        votes.update(picked)
        disagree.update(content.get("disagree", []))
        if not picked and not content.get("disagree"):
            blank += 1
    return Counts(
        entitled=entitled,
        present=present,
        ballots=ballots,
        votes=dict(votes),
        blank=blank,
        disagree=dict(disagree),
    )


# Thresholds ------------------------------------------------------------------------------------


def base_of(rule: Rule, counts: Counts) -> int:
    return {ENTITLED: counts.entitled, PRESENT: counts.present, VALID: counts.valid}[
        rule.denominator
    ]


def votes_needed(rule: Rule, base: int) -> int:
    """The smallest whole number of votes that meets the share of `base`."""
    share = rule.approval * base
    if rule.strictly_more:
        return math.floor(share) + 1
    return math.ceil(share)


def meets(rule: Rule, votes: int, base: int) -> bool:
    if base <= 0:
        return False
    lhs, rhs = votes * rule.approval.denominator, rule.approval.numerator * base
    return lhs > rhs if rule.strictly_more else lhs >= rhs


def share_label(share: Fraction) -> str:
    percent = share * 100
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    return f"{share.numerator}/{share.denominator}"


def threshold_text(rule: Rule, base: int) -> str:
    sign = ">" if rule.strictly_more else "≥"
    labels = {
        ENTITLED: _("of those entitled"),
        PRESENT: _("of those present"),
        VALID: _("of valid ballots"),
    }
    return f"{sign} {share_label(rule.approval)} {labels[rule.denominator]} ({base})"


def percent_of(votes: int, base: int) -> Decimal:
    if base <= 0:
        return Decimal("0.00")
    return (Decimal(votes * 100) / Decimal(base)).quantize(Decimal("0.01"), ROUND_HALF_UP)


# The tally -------------------------------------------------------------------------------------


def tally(
    rule: Rule,
    candidates: list[CandidateIn],
    counts: Counts,
    *,
    round_number: int = 1,
    seats: int | None = None,
    chair_approved: frozenset[int] | None = None,
) -> Result:
    base = base_of(rule, counts)
    needed = votes_needed(rule, base)
    text = threshold_text(rule, base)
    passing: list[CandidateIn] = []
    reasons: dict[int, str] = {}
    for candidate in candidates:
        votes = counts.votes.get(candidate.key, 0)
        numbers = {"votes": votes, "base": base, "needed": needed}
        if not meets(rule, votes, base):
            reasons[candidate.key] = (
                _("%(votes)d of %(base)d votes, below the threshold (needs %(needed)d)") % numbers
            )
        elif rule.chair_must_approve and candidate.key not in (chair_approved or frozenset()):
            reasons[candidate.key] = (
                _("%(votes)d of %(base)d votes, but the chair did not approve") % numbers
            )
        else:
            passing.append(candidate)
            reasons[candidate.key] = (
                _("%(votes)d of %(base)d votes, meets the threshold (needs %(needed)d)") % numbers
            )
    elected, tied, outcome, preferred = _choose(rule, passing, counts, round_number, seats)
    for key in tied:
        note = (
            _("chosen by the tie preference of ND 152/2025 Art. 4(6)")
            if key in elected
            else _("tied for the last place")
        )
        reasons[key] += "; " + note
    rows = [
        Row(
            key=c.key,
            votes=counts.votes.get(c.key, 0),
            base=base,
            percent=percent_of(counts.votes.get(c.key, 0), base),
            needed=needed,
            threshold=text,
            passed=c in passing,
            elected=c.key in elected,
            reason=reasons[c.key],
        )
        for c in candidates
    ]
    rows.sort(key=lambda row: -row.votes)
    return Result(
        rows=rows,
        outcome=outcome,
        tied=sorted(tied),
        preferred=preferred,
        differs_from_ranking=_differs(candidates, elected),
    )


def _choose(
    rule: Rule,
    passing: list[CandidateIn],
    counts: Counts,
    round_number: int,
    seats: int | None,
) -> tuple[set[int], list[int], str, list[int]]:
    """(elected, tied, outcome, preferred) from the candidates that met the threshold."""
    if not passing:
        return set(), [], NONE, []
    if seats is None or len(passing) <= seats:
        return {c.key for c in passing}, [], DECIDED, []
    ordered = sorted(passing, key=lambda c: -counts.votes.get(c.key, 0))
    cut = counts.votes.get(ordered[seats - 1].key, 0)
    if counts.votes.get(ordered[seats].key, 0) < cut:
        return {c.key for c in ordered[:seats]}, [], DECIDED, []
    above = {c.key for c in ordered if counts.votes.get(c.key, 0) > cut}
    at_cut = [c for c in ordered if counts.votes.get(c.key, 0) == cut]
    places = seats - len(above)
    tied = sorted(c.key for c in at_cut)
    if round_number < rule.max_rounds:
        return above, tied, RUNOFF, []
    if rule.tie_preference == WOMEN:
        women = [c.key for c in at_cut if c.women_preferred]
        if len(women) == places:
            return above | set(women), tied, DECIDED, women
    # For the deciders: the preferred (by law, then the more outstanding by ranking) first.
    suggestion = sorted(
        at_cut,
        key=lambda c: (
            not (rule.tie_preference == WOMEN and c.women_preferred),
            c.ranking if c.ranking is not None else math.inf,
            c.key,
        ),
    )
    return above, tied, DECIDERS, [c.key for c in suggestion]


def _differs(candidates: list[CandidateIn], elected: set[int]) -> bool:
    ranked = sorted((c for c in candidates if c.ranking is not None), key=lambda c: c.ranking or 0)
    if not elected or not ranked:
        return False
    return {c.key for c in ranked[: len(elected)]} != elected
