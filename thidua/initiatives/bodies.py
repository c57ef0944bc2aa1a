"""Which body decides on an initiative at each scope, read from the organisation tree.

- Grassroots (cơ sở): the nearest unit, from the initiative's own unit up to its agency,
  that issues documents of its own (it has an issuing body) and is an agency or a public
  service unit — a centre with its own seal recognises its staff's initiatives, a division
  of the Department goes to the Department. Failing that, the agency.
- Province / ministry and nationwide: the council of the top of the agency's tree (the
  province's or the ministry's), whose head recognises the effect and reach in the province
  or the whole country (Law 06/2022 Art. 21(2), 22(2)). When that council is not in this
  system, the decision arrives on paper and is recorded as received.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from thidua.org.models import Council, Unit, UnitKind

from .models import Initiative, InitiativeScope

ISSUING_KINDS = {UnitKind.AGENCY, UnitKind.SERVICE_UNIT}


def _ancestors(unit: Unit) -> list[Unit]:
    """`unit` and the units above it, nearest first, in one query (the materialised path)."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    by_id = Unit.objects.in_bulk(ids)
    return [by_id[pk] for pk in reversed(ids) if pk in by_id]


def _issues_documents(unit: Unit) -> bool:
    try:
        unit.issuing_body  # noqa: B018 — the reverse one-to-one raises when absent
    except ObjectDoesNotExist:
        return False
    return True


def agency_of(unit: Unit) -> Unit:
    """The nearest agency at or above `unit` (the unit itself when none is)."""
    return next((u for u in _ancestors(unit) if u.kind == UnitKind.AGENCY), unit)


def recognising_unit(initiative: Initiative) -> Unit:
    """The unit whose head recognises the initiative at the grassroots."""
    for unit in _ancestors(initiative.unit):
        if unit.kind in ISSUING_KINDS and _issues_documents(unit):
            return unit
        if unit.pk == initiative.agency_id:
            break
    return initiative.agency


def reviewing_council(initiative: Initiative) -> Council | None:
    """The council that reviews the initiative beyond the grassroots, if it is in the system."""
    chain = _ancestors(initiative.agency)
    top = chain[-1] if chain else initiative.agency
    return Council.objects.filter(agency=top).select_related("agency", "standing_body").first()


def deciding_unit(initiative: Initiative, scope: str) -> Unit | None:
    """The unit that issues the recognition decision at `scope` (None: not in the system)."""
    if scope == InitiativeScope.CO_SO:
        return recognising_unit(initiative)
    council = reviewing_council(initiative)
    return council.agency if council is not None else None
