"""Issuing bodies: what an agency prints on its documents (symbol, place, names)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record

from ..models import IssuingBody, symbol_validator
from ..permissions import Actor, Permission, authorize


def issuing_body_of(agency: Any) -> IssuingBody:
    """The agency's issuing body, or a message saying it must be set up first."""
    body = IssuingBody.objects.filter(unit=agency).select_related("unit").first()
    if body is None:
        raise ValidationError(
            _("%(unit)s has no issuing body (symbol and place) yet; set one up first.")
            % {"unit": agency}
        )
    return body


def issuing_body_snapshot(body: IssuingBody) -> dict[str, Any]:
    return {
        "unit": body.unit.code,
        "symbol": body.symbol,
        "printed_name": body.printed_name,
        "governing_body_name": body.governing_body_name,
        "place": body.place,
    }


@transaction.atomic
def issuing_body_save(
    *,
    actor: Actor,
    unit: Any,
    symbol: str,
    place: str,
    governing_body_name: str = "",
    printed_name: str = "",
) -> IssuingBody:
    """Create or change what `unit` prints on its documents. Documents already issued keep
    the symbol they were printed with."""
    authorize(actor, Permission.MANAGE_ISSUER, unit)
    body = IssuingBody.objects.filter(unit=unit).first()
    before = issuing_body_snapshot(body) if body else None
    symbol = symbol.strip()
    if not symbol:
        raise ValidationError({"symbol": _("The symbol is required.")})
    symbol_validator(symbol)
    clash = IssuingBody.objects.filter(symbol=symbol)
    if body is not None:
        clash = clash.exclude(pk=body.pk)
    if clash.exists():
        raise ValidationError(
            {"symbol": _("The symbol “%(symbol)s” is already used.") % {"symbol": symbol}}
        )
    if not place.strip():
        raise ValidationError({"place": _("The place is required.")})
    body = body or IssuingBody(unit=unit)
    body.symbol = symbol
    body.place = place.strip()
    body.governing_body_name = governing_body_name.strip()
    body.printed_name = printed_name.strip()
    body.full_clean()
    body.save()
    record(
        actor=actor,
        action=AuditAction.DOCUMENT_ISSUER_SAVED,
        obj=body,
        before=before,
        after=issuing_body_snapshot(body),
    )
    return body
