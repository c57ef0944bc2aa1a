"""The national legal bases decisions cite, read from configuration (NationalLegalBasis).

Editing goes through `legal_basis_save` so a change of what every future decision prints
is checked and audited like any other write.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.lib.dated import valid_on

from .models import NationalLegalBasis
from .permissions import Actor, Permission, can


def national_bases_on(day: dt.date) -> list[str]:
    """The citations in force on `day`, in their configured order."""
    in_force = NationalLegalBasis.objects.filter(valid_on(day))
    return [basis.text for basis in in_force]


def _snapshot(basis: NationalLegalBasis) -> dict[str, Any]:
    return {
        "text": basis.text,
        "short_name": basis.short_name,
        "valid_from": basis.valid_from,
        "valid_to": basis.valid_to,
        "source": basis.source,
        "order": basis.order,
    }


def legal_basis_save(*, actor: Actor, basis: NationalLegalBasis) -> NationalLegalBasis:
    """Create or change a basis. Only administrators: it changes what every agency's
    decisions cite from its first day on."""
    if not can(actor, Permission.ADMINISTER):
        raise PermissionDenied(_("Only an administrator may change the national legal bases."))
    errors: dict[str, str] = {}
    basis.text = " ".join(basis.text.split()).rstrip(";").rstrip()
    basis.short_name = basis.short_name.strip()
    if not basis.text.startswith("Căn cứ"):
        errors["text"] = _("A legal basis is printed starting with “Căn cứ”.")
    if not basis.short_name:
        errors["short_name"] = _("The short name is required.")
    if basis.valid_to is not None and basis.valid_to < basis.valid_from:
        errors["valid_to"] = _("The last day cannot come before the first day.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = None
        if basis.pk:
            old = NationalLegalBasis.objects.select_for_update().get(pk=basis.pk)
            before = _snapshot(old)
        basis.save()
        record(
            actor=actor,
            action=AuditAction.LEGAL_BASIS_SAVED,
            obj=basis,
            before=before,
            after=_snapshot(basis),
        )
    return basis
