"""Reading what the engine needs: the pack in force for a unit on a day, and the facts of
people and units (ratings, titles held per achievement year, discipline, members,
initiatives) in a fixed number of queries, however many people are asked about.

A title counts for the achievement year its award names, else for the year its decision was
issued (ND 152/2025 Art. 33(7)). A unit carries the titles of the units merged into it
(`Unit.merged_into`, followed through earlier mergers), as the register's pages do; a rename
keeps the unit's identity, so nothing is needed for it.

Initiatives come from a *provider* (`initiatives_recognised(person_ids=, unit_ids=, until=)`,
the initiatives app's register by default); a provider of None makes every initiative
condition unknown.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any, TypeVar

from django.db.models import Q

from thidua.awards.models import Award, AwardForm, DecisionStatus
from thidua.initiatives.selectors import initiatives_recognised
from thidua.lib.dated import valid_on
from thidua.org.models import DisciplineRecord, Employment, Person, StaffRating, Unit, UnitRating

from . import rules
from .models import Condition, Override, PackVersion, RulePack, TitleEntry

Provider = Callable[..., Iterable[Any]]
S = TypeVar("S", rules.PersonFacts, rules.UnitFacts)


def default_provider() -> Provider | None:
    """The initiative register (`initiatives.selectors.initiatives_recognised`): recognitions
    in force decided by the end of the year, per author and collective author."""
    return initiatives_recognised


# The pack ------------------------------------------------------------------------------------


def _chain(unit: Unit | None) -> list[RulePack]:
    """The packs that apply to `unit`, the national one first, then each layer whose territory
    holds the unit, outermost first."""
    packs = list(RulePack.objects.select_related("territory"))
    by_id = {p.pk: p for p in packs}
    path = unit.path if unit is not None else ""

    def applies(pack: RulePack) -> bool:
        return pack.territory is None or (bool(path) and path.startswith(pack.territory.path))

    chosen = [p for p in packs if applies(p)]

    def depth(pack: RulePack) -> int:
        n, parent = 0, pack.base_id
        while parent is not None:
            n += 1
            parent = by_id[parent].base_id
        return n

    return sorted(chosen, key=lambda p: (depth(p), p.territory.path if p.territory else ""))


def pack_for(unit: Unit | None, on: dt.date) -> rules.Pack:
    """The conditions in force on `on` for `unit` (national, then its province's layers)."""
    chain = _chain(unit)
    versions = {
        v.pack_id: v
        for v in PackVersion.objects.filter(valid_on(on), pack__in=chain).order_by("valid_from")
    }
    conditions = (
        Condition.objects.filter(version__in=versions.values())
        .select_related("title", "version__pack")
        .order_by("version__pack_id", "title__order", "order", "pk")
    )
    by_pack: dict[int, list[rules.Rule]] = defaultdict(list)
    for row in conditions:
        by_pack[row.version.pack_id].append(
            rules.Rule(
                title=row.title.code,
                key=row.key,
                kind=row.kind,
                params=row.params,
                legal_basis=row.legal_basis,
                unverified=row.unverified,
                group=row.group,
                pack=row.version.pack.name,
            )
        )
    merged: tuple[rules.Rule, ...] = ()
    for pack in chain:
        merged = rules.layer(merged, by_pack.get(pack.pk, []))
    entries = {e.form_id: e for e in TitleEntry.objects.all()}
    names: dict[str, str] = {}
    recipients: dict[str, str] = {}
    for form in AwardForm.objects.order_by("order", "code"):
        entry = entries.get(form.pk)
        names[form.code] = (entry.short_name if entry else "") or form.name
        recipients[form.code] = form.recipient_kind
    label = "; ".join(str(versions[p.pk]) for p in chain if p.pk in versions)
    return rules.Pack(rules=merged, title_names=names, title_recipients=recipients, label=label)


# Facts ---------------------------------------------------------------------------------------


def _years(year: int, lookback: int) -> tuple[int, int]:
    return year - lookback + 1, year


def _held(rows: Iterable[Any], key: str) -> dict[int, dict[str, set[int]]]:
    held: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        counted = row["achievement_year"] or row["decision__issued_on"].year
        held[row[key]][row["form__code"]].add(counted)
    return held


def _awards(**filters: Any) -> Iterable[Any]:
    return Award.objects.filter(
        revoked=False, decision__status=DecisionStatus.IN_FORCE, **filters
    ).values("person_id", "unit_id", "form__code", "achievement_year", "decision__issued_on")


def _initiatives(
    provider: Provider | None, *, person_ids: set[int], unit_ids: set[int], until: dt.date
) -> tuple[dict[int, list[rules.Initiative]], dict[int, list[rules.Initiative]]] | None:
    if provider is None:
        return None
    people: dict[int, list[rules.Initiative]] = defaultdict(list)
    units: dict[int, list[rules.Initiative]] = defaultdict(list)
    for row in provider(person_ids=person_ids, unit_ids=unit_ids, until=until):
        item = rules.Initiative(
            scope=row.scope,
            recognised_on=row.recognised_on,
            effect_from=getattr(row, "effect_from", None),
            effect_until=getattr(row, "effect_until", None),
            title=str(getattr(row, "initiative_id", "")),
        )
        if row.person_id is not None:
            people[row.person_id].append(item)
        if row.unit_id is not None:
            units[row.unit_id].append(item)
    return people, units


def people_facts(
    person_ids: Iterable[int],
    *,
    year: int,
    lookback: int = 1,
    provider: Provider | None = None,
) -> dict[int, rules.PersonFacts]:
    """Each person's facts for the `lookback` years ending with `year`: five queries."""
    ids = set(person_ids)
    if not ids:
        return {}
    first, last = _years(year, lookback)
    ratings: dict[int, dict[int, str]] = defaultdict(dict)
    for pid, y, rating in StaffRating.objects.filter(
        person_id__in=ids, year__range=(first, last)
    ).values_list("person_id", "year", "rating"):
        ratings[pid][y] = rating
    held = _held(_awards(person_id__in=ids), "person_id")
    discipline: dict[int, list[rules.Discipline]] = defaultdict(list)
    for pid, level, day in DisciplineRecord.objects.filter(
        person_id__in=ids, decided_on__range=(dt.date(first, 1, 1), dt.date(last, 12, 31))
    ).values_list("person_id", "level", "decided_on"):
        discipline[pid].append(rules.Discipline(level=level, decided_on=day))
    found = _initiatives(provider, person_ids=ids, unit_ids=set(), until=dt.date(last, 12, 31))
    facts = {}
    for pid, code, name in Person.objects.filter(pk__in=ids).values_list("pk", "code", "full_name"):
        facts[pid] = rules.PersonFacts(
            id=pid,
            code=code,
            name=name,
            ratings=dict(ratings.get(pid, {})),
            titles={t: frozenset(ys) for t, ys in held.get(pid, {}).items()},
            discipline=tuple(discipline.get(pid, ())),
            initiatives=tuple(found[0].get(pid, ())) if found is not None else None,
        )
    return facts


def lineages(unit_ids: Iterable[int]) -> dict[int, set[int]]:
    """Each unit with every unit merged into it, directly or through earlier mergers: one
    query for the whole organisation's mergers."""
    merged_into = dict(
        Unit.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id")
    )
    return {uid: rules.merged_lineage(merged_into, uid) for uid in unit_ids}


def units_facts(
    unit_ids: Iterable[int],
    *,
    year: int,
    lookback: int = 1,
    provider: Provider | None = None,
) -> dict[int, rules.UnitFacts]:
    """Each unit's facts and its members' (employed at some time in `year`), in a fixed
    number of queries."""
    ids = set(unit_ids)
    if not ids:
        return {}
    first, last = _years(year, lookback)
    lineage = lineages(ids)
    all_ids = set().union(*lineage.values())
    ratings: dict[int, dict[int, str]] = defaultdict(dict)
    for uid, y, rating in UnitRating.objects.filter(
        unit_id__in=ids, year__range=(first, last)
    ).values_list("unit_id", "year", "rating"):
        ratings[uid][y] = rating
    held_by_unit = _held(_awards(unit_id__in=all_ids), "unit_id")
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    employments = list(
        Employment.objects.filter(unit_id__in=ids, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .values_list("unit_id", "person_id", "valid_from", "valid_to")
    )
    people = people_facts(
        {e[1] for e in employments}, year=year, lookback=lookback, provider=provider
    )
    found = _initiatives(provider, person_ids=set(), unit_ids=ids, until=dt.date(last, 12, 31))
    members: dict[int, list[rules.Member]] = defaultdict(list)
    for uid, pid, valid_from, valid_to in employments:
        members[uid].append(rules.Member(people[pid], valid_from, valid_to))
    facts = {}
    for uid, code, name in Unit.objects.filter(pk__in=ids).values_list("pk", "code", "name"):
        titles: dict[str, set[int]] = defaultdict(set)
        for source in lineage[uid]:
            for title, years in held_by_unit.get(source, {}).items():
                titles[title] |= years
        facts[uid] = rules.UnitFacts(
            id=uid,
            code=code,
            name=name,
            ratings=dict(ratings.get(uid, {})),
            titles={t: frozenset(ys) for t, ys in titles.items()},
            members=tuple(members.get(uid, ())),
            initiatives=tuple(found[1].get(uid, ())) if found is not None else None,
        )
    return facts


def with_titles(subject: S, year: int, titles: Iterable[str]) -> S:
    """The subject as if it also held `titles` in `year` (a decision's own awards)."""
    held = {t: set(ys) for t, ys in subject.titles.items()}
    for title in titles:
        held.setdefault(title, set()).add(year)
    return replace(subject, titles={t: frozenset(ys) for t, ys in held.items()})


def person_unit(person: Person, day: dt.date) -> Unit | None:
    """The unit a person worked in on `day`, else their latest."""
    employment = (
        Employment.objects.filter(person=person)
        .filter(Q(valid_from__lte=day))
        .select_related("unit")
        .order_by("-valid_from")
        .first()
    )
    return employment.unit if employment else None


def subject_and_pack(
    *,
    person: Person | None = None,
    unit: Unit | None = None,
    year: int,
    on: dt.date | None = None,
    provider: Provider | None = None,
) -> tuple[rules.Pack, rules.Subject]:
    """The pack in force on `on` (31/12 of the year by default) where the subject works, and
    the subject's facts for the pack's look-back."""
    day = on or dt.date(year, 12, 31)
    provider = provider if provider is not None else default_provider()
    place = unit if unit is not None else person_unit(person, day) if person else None
    pack = pack_for(place, day)
    if person is not None:
        found = people_facts([person.pk], year=year, lookback=pack.lookback(), provider=provider)
        return pack, found[person.pk]
    assert unit is not None
    units = units_facts([unit.pk], year=year, lookback=pack.lookback(), provider=provider)
    return pack, units[unit.pk]


def evaluate_subject(
    *,
    person: Person | None = None,
    unit: Unit | None = None,
    year: int,
    on: dt.date | None = None,
    title: str | None = None,
    provider: Provider | None = None,
) -> list[rules.TitleResult]:
    """Every title (or one) for one person or unit in achievement year `year`."""
    pack, subject = subject_and_pack(person=person, unit=unit, year=year, on=on, provider=provider)
    if title is not None:
        if title not in pack.title_names:
            from django.core.exceptions import ValidationError
            from django.utils.translation import gettext as _

            raise ValidationError({"title": _("Unknown title “%(code)s”.") % {"code": title}})
        return [rules.evaluate(pack, subject, title, year)]
    return rules.evaluate_all(pack, subject, year)


def page_summary(*, person: Person | None = None, unit: Unit | None = None) -> dict[str, Any]:
    """What a person's or unit's page shows: titles held by achievement year, and this year's
    evaluation of every title with conditions, with the reasons of those not met."""
    from thidua.lib.dates import today

    year = today().year
    results = [r for r in evaluate_subject(person=person, unit=unit, year=year) if r.has_rules]
    subject = results[0] if results else None
    if person is not None:
        facts: rules.Subject = people_facts([person.pk], year=year)[person.pk]
    else:
        assert unit is not None
        facts = units_facts([unit.pk], year=year)[unit.pk]
    names = {r.title: r.title_name for r in results}
    by_year: dict[int, list[str]] = defaultdict(list)
    for title, years in facts.titles.items():
        for held_year in years:
            by_year[held_year].append(names.get(title, title))
    return {
        "year": year,
        "pack": subject.pack if subject else "",
        "held": sorted(((y, sorted(n)) for y, n in by_year.items()), reverse=True),
        "results": [
            {
                "name": r.title_name,
                "verdict": rules.verdict_word(r.verdict),
                "met": r.verdict == rules.Verdict.MET,
                "not_met": r.verdict == rules.Verdict.NOT_MET,
                "reasons": rules.reasons(r),
            }
            for r in results
        ],
    }


def eligibility_for_code(user: Any, *, code: str, year: int, title: str | None = None) -> Any:
    """The evaluation of the person or unit with `code` as JSON-ready data, for whoever may
    see its record (404 when no such code, 403 when not allowed)."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404
    from django.utils.translation import gettext as _

    from .permissions import may_see_eligibility
    from .report import evaluation_data

    person = Person.objects.filter(code=code).first()
    unit = None if person is not None else Unit.objects.filter(code=code).first()
    if person is None and unit is None:
        raise Http404(_("No person or unit has the code “%(code)s”.") % {"code": code})
    if not may_see_eligibility(user, person=person, unit=unit):
        raise PermissionDenied(_("You may not see this record."))
    results = evaluate_subject(person=person, unit=unit, year=year, title=title)
    subject = person or unit
    return evaluation_data(
        kind="person" if person is not None else "unit",
        code=code,
        name=str(subject),
        year=year,
        results=results,
    )


def overrides_of(agency: Unit, year: int) -> list[Override]:
    """The agency's overrides for a year, as the council's list prints them."""
    return list(
        Override.objects.filter(agency=agency, year=year)
        .select_related("title", "person", "unit", "recorded_by")
        .order_by("title__order", "recorded_at")
    )
