"""Pieces the services share: snapshots for the audit log, the papers' plain parts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from thidua.documents import services as documents
from thidua.documents.models import IssuingBody
from thidua.lib.dated import valid_on
from thidua.org.models import Employment, Unit

from ..documents import Author
from ..models import Initiative

KEY_PREFIX = "initiative"


def snapshot(initiative: Initiative) -> dict[str, Any]:
    return {
        "agency": initiative.agency_id,
        "unit": initiative.unit_id,
        "year": initiative.year,
        "title": initiative.title,
        "solution_kind": initiative.solution_kind,
        "field": initiative.field,
        "unit_is_author": initiative.unit_is_author,
        "requested_scope": initiative.requested_scope,
        "status": initiative.status,
        "authors": [
            {"person": a.person_id, "share": str(a.share)} for a in initiative.authors.all()
        ],
    }


def issuing_body(unit: Unit) -> IssuingBody:
    return documents.issuing_body_of(unit)


def request_key(initiative: Initiative, step: str, token: str) -> str:
    """The registry's idempotency key for one press of a button: `token` comes from the
    page, so a double submit or a retry issues once."""
    token = (token or "").strip()
    if not token or len(token) > 60:
        raise ValidationError(_("The request key is missing or malformed; reload the page."))
    return f"{KEY_PREFIX}:{initiative.pk}:{step}:{token}"


def share_text(share: Any) -> str:
    text = format(share.normalize(), "f") if hasattr(share, "normalize") else str(share)
    return text.replace(".", ",")


def positions_on(person_ids: list[int], day: dt.date) -> dict[int, str]:
    jobs = Employment.objects.filter(valid_on(day), person_id__in=person_ids).order_by(
        "is_head", "valid_from"
    )
    return {job.person_id: job.position for job in jobs}


def authors_of(initiative: Initiative, day: dt.date) -> list[Author]:
    """The authors as the papers print them: name and unit when registered, position on the
    paper's day, share."""
    rows = list(initiative.authors.all())
    positions = positions_on([a.person_id for a in rows], day)
    return [
        {
            "name": a.name_then,
            "unit": a.unit_name_then,
            "position": positions.get(a.person_id, ""),
            "share": share_text(a.share),
        }
        for a in rows
    ]
