"""The certificates (Giấy khen) of an award decision: one per award still in force, printed
by a documents batch from the register's Award rows."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from thidua.documents.models import DocumentBatch
from thidua.lib.text import fold
from thidua.org.permissions import Action, Actor, authorize

from . import award_list as awards_list
from .issuing import sentence
from .list_rows import strip_honorific
from .models import AwardDecision
from .services import unit_version_on


def _names_as_printed(awards: list[Any], annex: dict[str, Any] | None) -> list[str]:
    """Each award's recipient as the decision printed it. A list imported from Excel may
    write "Bà Lê Thị Hoa" where the register keeps the name, and the certificate must read
    like the decision; the annex has one entry per award, in the same order."""
    names = [award.recipient_name for award in awards]
    written = [entry.get("name", "") for entry in (annex or {}).get("awards", [])]
    if len(written) != len(names):
        return names
    same_person = all(
        fold(strip_honorific(w)) == fold(strip_honorific(n))
        for w, n in zip(written, names, strict=True)
    )
    return written if same_person else names


def certificates_start(
    *, actor: Actor, decision: AwardDecision, token: str, mode: str = "blank"
) -> DocumentBatch:
    """One certificate per award still in force, from the Award rows: the name as the
    decision printed it, its unit then, its form and its reason."""
    authorize(actor, Action.AWARD_RECORD, decision.agency)
    if decision.document is None:
        raise ValidationError(
            _("Certificates are printed only for decisions issued in this system.")
        )
    if decision.is_annulled:
        raise ValidationError(_("This decision is annulled; its certificates are not printed."))
    awards = list(decision.awards.select_related("form", "unit__parent").order_by("pk"))
    printed = _names_as_printed(awards, awards_list.read_annex(decision.document))
    recipients = []
    for award, name in zip(awards, printed, strict=True):
        if award.revoked:
            continue
        if award.unit_id:
            parent = award.unit.parent if award.unit else None
            version = unit_version_on(parent, decision.issued_on) if parent else None
            detail = version.name if version else (parent.name if parent else "")
        else:
            detail = award.recipient_unit_name
        recipients.append(
            {
                "name": name,
                "detail": detail,
                "title": award.form.name,
                "kind": awards_list.COLLECTIVE if award.unit_id else awards_list.INDIVIDUAL,
                "achievement": sentence(award.reason),
            }
        )
    if not recipients:
        raise ValidationError(_("This decision has no award to print a certificate for."))
    return awards_list.certificates_start(
        actor=actor,
        decision=decision.document,
        token=token,
        params={"mode": mode if mode in ("blank", "full") else "blank"},
        recipients=recipients,
    )
