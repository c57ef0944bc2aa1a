"""Reading the award register.

A unit's register follows its identity (the stable code), not its name: a renamed unit keeps
its awards, shown under the name on the decision's date and today's. A unit that absorbed
others by merger also lists the awards of the units merged into it, so a merger does not
make the absorbed units' history disappear from the successor's page.

What a user sees is scoped to agencies: the register, decisions, originals and exports show
the decisions of the agencies the user belongs to — the nearest agency at or above the unit
of each of their roles (staff, heads, council members and the secretariat alike; award
decisions are announced to the whole agency), and every agency below a role that covers its
sub-units. A system administrator (superuser) sees every agency.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from thidua.lib.text import fold
from thidua.org.models import Person, Unit, UnitKind
from thidua.org.permissions import active_assignments

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


def visible_agency_ids(user: Any) -> set[int] | None:
    """The agencies whose decisions `user` sees; None for every agency."""
    if getattr(user, "is_superuser", False):
        return None
    ids: set[int] = set()
    for assignment in active_assignments(user):
        unit = assignment.unit
        above = [int(part) for part in unit.path.strip("/").split("/") if part]
        nearest = (
            Unit.objects.filter(pk__in=above, kind=UnitKind.AGENCY)
            .order_by("-path")
            .values_list("pk", flat=True)
            .first()
        )
        if nearest is not None:
            ids.add(nearest)
        if assignment.include_descendants:
            ids |= set(
                Unit.objects.filter(path__startswith=unit.path, kind=UnitKind.AGENCY).values_list(
                    "pk", flat=True
                )
            )
    return ids


def decisions_for(user: Any) -> QuerySet[AwardDecision]:
    decisions = AwardDecision.objects.all()
    agency_ids = visible_agency_ids(user)
    return decisions if agency_ids is None else decisions.filter(agency__in=agency_ids)


def register(criteria: RegisterFilter, *, user: Any = None) -> QuerySet[Award]:
    """The awards matching `criteria` that `user` may see. Every page passes its user;
    None (no scope) is for the rules and commands that read the whole register."""
    awards = Award.objects.select_related(
        "decision", "decision__annulled_by", "form", "unit", "person"
    ).order_by("-decision__issued_on", "decision__symbol", "pk")
    if user is not None:
        agency_ids = visible_agency_ids(user)
        if agency_ids is not None:
            awards = awards.filter(decision__agency__in=agency_ids)
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


def unit_history(unit: Unit, *, user: Any = None) -> QuerySet[Award]:
    return register(RegisterFilter(unit=unit), user=user)


def person_history(person: Person, *, user: Any = None) -> QuerySet[Award]:
    return register(RegisterFilter(person=person), user=user)


def decision_detail(pk: int, *, user: Any = None) -> AwardDecision:
    """The decision with its awards; AwardDecision.DoesNotExist when `user` (if given) may
    not see it."""
    decisions = decisions_for(user) if user is not None else AwardDecision.objects.all()
    return (
        decisions.select_related("agency", "issuing_body", "annulled_by", "document")
        .prefetch_related("awards__form", "awards__unit", "awards__person", "annuls")
        .get(pk=pk)
    )


def years_in_register(user: Any = None) -> list[int]:
    decisions = decisions_for(user) if user is not None else AwardDecision.objects.all()
    return sorted({d.year for d in decisions.dates("issued_on", "year")}, reverse=True)
