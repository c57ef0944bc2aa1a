"""What the org data contributes to the documents other apps produce: an agency's default
issuer line, its council's standing body, a unit's name and head on the document's date;
and the policy documents.permissions asks who may issue.

They read through reverse relations and prefetched rows (no queries of their own where the
caller prefetched), and hand `documents.parts` plain strings.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from thidua.documents import parts
from thidua.documents import vn_format as vn
from thidua.documents.permissions import Permission as DocumentPermission

from .models import Role, Unit
from .permissions import Action, can, roles_of


def agency_issuer(agency: Unit, place: str, given: parts.Issuer | None) -> dict[str, str]:
    """Defaults from the agency unit: its parent as governing body, its short name (or
    name) and code. The printed names in the seed ("UBND THÀNH PHỐ CẦN THƠ" over "SỞ VĂN
    HÓA, THỂ THAO VÀ DU LỊCH") are shorter than the registered ones, so callers that know
    the official header pass `given`."""
    parent = agency.parent
    defaults: parts.Issuer = {
        "governing_body": parent.name if parent is not None else "",
        "name": agency.short_name or agency.name,
        "symbol": agency.code,
        "place": place,
    }
    return parts.issuer(defaults, given)


def standing_body(agency: Unit) -> Unit | None:
    """The council's secretariat (phòng Tổ chức – Pháp chế in the seed): it drafts the
    agency's documents, so it is the "Lưu: VT, …" unit and the proposer of its decisions."""
    try:
        return agency.council.standing_body
    except ObjectDoesNotExist:
        return None


def unit_name(unit: Unit, on: dt.date | None) -> str:
    """The unit's name on the document's date (names are dated history, design.md §5),
    from its prefetched versions."""
    if on is not None:
        for version in unit.versions.all():
            if version.valid_from <= on and (version.valid_to is None or on <= version.valid_to):
                return version.name
    return unit.name


def head_on(unit: Unit, day: dt.date) -> tuple[str, str]:
    """(position, full name) of the unit's head on `day`, from its prefetched employments;
    blanks when none is recorded."""
    for job in unit.employments.all():
        if job.is_head and job.valid_from <= day and (job.valid_to is None or day <= job.valid_to):
            return vn.nfc(job.position).strip(), vn.nfc(job.person.full_name).strip()
    return "", ""


def issuing_body(unit: Unit) -> Any | None:
    """The unit's issuing body (documents.IssuingBody: printed name, place), if it has one."""
    try:
        return unit.issuing_body
    except ObjectDoesNotExist:
        return None


def documents_policy(actor: Any, permission: DocumentPermission, unit: Unit | None) -> bool:
    """Who may do what in the documents app (registered with documents.permissions in
    OrgConfig.ready): issuing is DOCUMENT_ISSUE on the issuer's unit, setting up an issuing
    body is UNIT_MANAGE on it, the national legal bases are the administrators'."""
    if permission == DocumentPermission.ADMINISTER:
        return Role.ADMIN in roles_of(actor)
    if unit is None:
        return False
    if permission == DocumentPermission.MANAGE_ISSUER:
        return can(actor, Action.UNIT_MANAGE, unit)
    return can(actor, Action.DOCUMENT_ISSUE, unit)
