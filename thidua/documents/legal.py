"""The national legal bases decisions cite, read from configuration (NationalLegalBasis).

Editing goes through `legal_basis_save` so a change of what every future decision prints
is checked and audited like any other write.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.lib.dated import valid_on
from thidua.lib.text import fold

from .models import NationalLegalBasis
from .permissions import Actor, Permission, can


def national_bases_on(day: dt.date) -> list[str]:
    """The citations in force on `day`, in their configured order."""
    in_force = NationalLegalBasis.objects.filter(valid_on(day))
    return [basis.text for basis in in_force]


_NUMBER = re.compile(r"\b\d+/\d{4}/[^\s,;.]+")


def _key(text: str) -> str:
    return fold(" ".join(text.split())).rstrip(";.: ")


def _cites(basis: NationalLegalBasis, lines: set[str]) -> bool:
    """The line is the basis's own text, or names its number (“98/2023/NĐ-CP”)."""
    if _key(basis.text) in lines:
        return True
    numbers = {fold(n) for n in _NUMBER.findall(basis.short_name)}
    return any(number in line for number in numbers for line in lines)


def bases_not_in_force(lines: list[str], day: dt.date) -> list[str]:
    """A message for each line of a document's “Căn cứ” that cites a configured national
    basis not in force on `day` (the secretariat typed it, or kept the defaults of another
    date), naming when it is cited and what is cited on that day instead."""
    wanted = {_key(line) for line in lines if line.strip()}
    if not wanted:
        return []
    stale = [
        basis
        for basis in NationalLegalBasis.objects.exclude(valid_on(day))
        if _cites(basis, wanted)
    ]
    if not stale:
        return []
    in_force = ", ".join(b.short_name for b in NationalLegalBasis.objects.filter(valid_on(day)))
    messages = []
    for basis in stale:
        period = (
            _("from %(start)s to %(end)s")
            % {"start": f"{basis.valid_from:%d/%m/%Y}", "end": f"{basis.valid_to:%d/%m/%Y}"}
            if basis.valid_to
            else _("from %(start)s") % {"start": f"{basis.valid_from:%d/%m/%Y}"}
        )
        messages.append(
            _(
                "“%(basis)s” is not in force on %(day)s (it is cited %(period)s); on that day "
                "cite: %(in_force)s."
            )
            % {
                "basis": basis.short_name,
                "day": f"{day:%d/%m/%Y}",
                "period": period,
                "in_force": in_force or "—",
            }
        )
    return messages


def _snapshot(basis: NationalLegalBasis) -> dict[str, Any]:
    return {
        "text": basis.text,
        "short_name": basis.short_name,
        "passed_on": basis.passed_on,
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
    if basis.passed_on is not None and basis.passed_on > basis.valid_from:
        errors["passed_on"] = _("A basis is passed or signed before it comes into force.")
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
