"""Reading the award register.

A unit's register follows its identity (the stable code), not its name: a renamed unit keeps
its awards, shown under the name on the decision's date and today's. A unit that absorbed
others by merger also lists the awards of the units merged into it, so a merger does not
make the absorbed units' history disappear from the successor's page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from thidua.lib.text import fold
from thidua.org.models import Person, Unit

from .models import Award, AwardDecision


def unit_lineage_ids(unit: Unit) -> set[int]:
    """The unit and every unit merged into it, directly or through earlier mergers."""
    ids = {unit.pk}
    frontier = {unit.pk}
    while frontier:
        frontier = set(Unit.objects.filter(merged_into__in=frontier).values_list("pk", flat=True))
        frontier -= ids
        ids |= frontier
    return ids


@dataclass
class RegisterFilter:
    unit: Unit | None = None
    person: Person | None = None
    form_code: str = ""
    year: int | None = None
    issuer: str = ""
    text: str = ""


def register(criteria: RegisterFilter) -> QuerySet[Award]:
    awards = Award.objects.select_related(
        "decision", "decision__annulled_by", "form", "unit", "person"
    ).order_by("-decision__issued_on", "decision__symbol", "pk")
    if criteria.unit is not None:
        awards = awards.filter(unit__in=unit_lineage_ids(criteria.unit))
    if criteria.person is not None:
        awards = awards.filter(person=criteria.person)
    if criteria.form_code:
        awards = awards.filter(form__code=criteria.form_code)
    if criteria.year:
        awards = awards.filter(decision__issued_on__year=criteria.year)
    if criteria.issuer:
        awards = awards.filter(
            Q(decision__issuer_name__icontains=criteria.issuer)
            | Q(decision__issuing_body__symbol__iexact=criteria.issuer)
        )
    if criteria.text:
        # Old and current names both find the award: the name then is on the award, today's
        # on the unit's search text (folded, so "van hoa" finds "Văn hóa").
        folded = fold(criteria.text)
        awards = awards.filter(
            Q(recipient_name__icontains=criteria.text)
            | Q(unit__search_text__contains=folded)
            | Q(person__search_text__contains=folded)
        )
    return awards


def unit_history(unit: Unit) -> QuerySet[Award]:
    return register(RegisterFilter(unit=unit))


def person_history(person: Person) -> QuerySet[Award]:
    return register(RegisterFilter(person=person))


def decision_detail(pk: int) -> AwardDecision:
    return (
        AwardDecision.objects.select_related("agency", "issuing_body", "annulled_by", "document")
        .prefetch_related("awards__form", "awards__unit", "awards__person", "annuls")
        .get(pk=pk)
    )


def years_in_register() -> list[int]:
    return sorted({d.year for d in AwardDecision.objects.dates("issued_on", "year")}, reverse=True)
