"""Recording award decisions and annulling them: authorise → validate → write → audit.

A decision and all its awards are written in one transaction, or nothing is. A recipient must
have existed on the decision's date: a unit per its dated history (UnitVersion, active on that
day), a person by an employment covering that day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.documents.models import IssuedDocument, IssuingBody
from thidua.lib import files
from thidua.lib.dated import valid_on
from thidua.lib.dates import today
from thidua.lib.files import Area
from thidua.lib.filetypes import CONTENT_TYPES, sniff
from thidua.org.models import Employment, Person, Unit, UnitStatus, UnitVersion
from thidua.org.permissions import Action, Actor, authorize

from .config import bonus_for
from .models import Award, AwardDecision, AwardForm, DecisionStatus, RecipientKind

MAX_ORIGINAL_BYTES = 20 * 1024 * 1024
# Checked by content, never by the file name (thidua.lib.filetypes).
ORIGINAL_EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass
class AwardInput:
    form: AwardForm
    unit: Unit | None = None
    person: Person | None = None
    reason: str = ""
    # The row of the list or workbook the award came from, for messages.
    row: int | None = None
    # The year of the achievement (ND 152/2025 Art. 33(7)); None when the decision names none.
    achievement_year: int | None = None


@dataclass
class DecisionInput:
    agency: Unit
    issuer_name: str
    symbol: str
    issued_on: dt.date
    signer: str = ""
    legal_bases: str = ""
    received_from_above: bool = False
    issuing_body: IssuingBody | None = None
    # The registry's document when the decision was issued in this system.
    document: IssuedDocument | None = None
    awards: list[AwardInput] = field(default_factory=list)


def unit_version_on(unit: Unit, day: dt.date) -> UnitVersion | None:
    return UnitVersion.objects.filter(valid_on(day), unit=unit).first()


def employment_on(person: Person, day: dt.date) -> Employment | None:
    return (
        Employment.objects.filter(valid_on(day), person=person)
        .select_related("unit")
        .order_by("-is_head", "valid_from")
        .first()
    )


def recipient_problem(unit: Unit | None, person: Person | None, day: dt.date) -> str | None:
    """Why this recipient cannot be awarded by a decision dated `day`, or None."""
    if (unit is None) == (person is None):
        return _("Give either a unit or a person, not both.")
    if unit is not None:
        version = unit_version_on(unit, day)
        if version is None:
            return _("The unit “%(unit)s” did not exist on %(date)s.") % {
                "unit": unit.name,
                "date": _fmt(day),
            }
        if version.status != UnitStatus.ACTIVE:
            return _("The unit “%(unit)s” was %(status)s on %(date)s.") % {
                "unit": version.name,
                "status": version.get_status_display().lower(),
                "date": _fmt(day),
            }
        return None
    assert person is not None
    if employment_on(person, day) is None:
        return _("“%(person)s” was not employed in any unit on %(date)s.") % {
            "person": person.full_name,
            "date": _fmt(day),
        }
    return None


def _row_prefix(item: AwardInput, index: int) -> str:
    return _("Row %(row)s") % {"row": item.row if item.row is not None else index}


def validate_awards(data: DecisionInput) -> list[str]:
    errors: list[str] = []
    if not data.issuer_name.strip():
        errors.append(_("The issuing body is required."))
    if not data.symbol.strip():
        errors.append(_("The number and symbol are required."))
    if data.issued_on > today():
        errors.append(_("The decision's date must not be in the future."))
    seen: set[tuple[str, int, int]] = set()
    for index, item in enumerate(data.awards, start=1):
        prefix = _row_prefix(item, index)
        problem = recipient_problem(item.unit, item.person, data.issued_on)
        if problem:
            errors.append(f"{prefix}: {problem}")
            continue
        kind = RecipientKind.COLLECTIVE if item.unit else RecipientKind.INDIVIDUAL
        if not item.form.accepts(kind):
            errors.append(
                f"{prefix}: "
                + _("“%(form)s” is not awarded to this kind of recipient.") % {"form": item.form}
            )
        key = ("u" if item.unit else "p", (item.unit or item.person).pk, item.form.pk)  # type: ignore[union-attr]
        if key in seen:
            errors.append(f"{prefix}: " + _("The same recipient and form appear twice."))
        seen.add(key)
    return errors


def _award_from(decision: AwardDecision, item: AwardInput) -> Award:
    day = decision.issued_on
    if item.unit is not None:
        version = unit_version_on(item.unit, day)
        name, unit_name = (version.name if version else item.unit.name), ""
        kind = RecipientKind.COLLECTIVE
    else:
        assert item.person is not None
        employment = employment_on(item.person, day)
        unit_version = unit_version_on(employment.unit, day) if employment else None
        name = item.person.full_name
        unit_name = unit_version.name if unit_version else ""
        kind = RecipientKind.INDIVIDUAL
    bonus = bonus_for(item.form, kind, day)
    return Award(
        decision=decision,
        unit=item.unit,
        person=item.person,
        form=item.form,
        reason=item.reason.strip(),
        achievement_year=item.achievement_year,
        recipient_name=name,
        recipient_unit_name=unit_name,
        multiple=bonus.multiple,
        base_salary=bonus.base_salary,
        amount=bonus.amount,
        amount_in_words=bonus.words,
    )


def check_original(content: bytes) -> tuple[str, str]:
    """(content type, extension) of a scanned or signed original, by its content."""
    if len(content) > MAX_ORIGINAL_BYTES:
        raise ValidationError(_("The original is larger than 20 MB."))
    kind = sniff(content)
    if kind not in ORIGINAL_EXTENSIONS:
        raise ValidationError(_("The original must be a PDF, JPEG or PNG file."))
    return CONTENT_TYPES[kind], ORIGINAL_EXTENSIONS[kind]


def _store_original(decision: AwardDecision, content: bytes, file_name: str) -> None:
    content_type, extension = check_original(content)
    stored = files.keep(Area.AWARDS, content, extension, folder="originals", fan_out=False)
    decision.original_path = stored.name
    decision.original_name = Path(file_name).name[:255]
    decision.original_sha256 = stored.sha256
    decision.original_content_type = content_type


def decision_snapshot(decision: AwardDecision) -> dict[str, Any]:
    return {
        "issuer": decision.issuer_name,
        "symbol": decision.symbol,
        "issued_on": decision.issued_on,
        "status": decision.status,
        "awards": decision.awards.count(),
    }


@files.removed_on_failure()
@transaction.atomic
def record_decision(
    *,
    actor: Actor,
    data: DecisionInput,
    original: bytes | None = None,
    original_name: str = "",
) -> AwardDecision:
    """Record a decision with its awards; refuse it whole with every reason found."""
    authorize(actor, Action.AWARD_RECORD, data.agency)
    errors = validate_awards(data)
    if original is not None:
        try:
            check_original(original)
        except ValidationError as error:
            errors.extend(error.messages)
    elif data.received_from_above:
        errors.append(_("Attach the scanned or signed original of a decision from above."))
    if AwardDecision.objects.filter(
        agency=data.agency,
        issuer_name=data.issuer_name.strip(),
        symbol=data.symbol.strip(),
        issued_on=data.issued_on,
    ).exists():
        errors.append(
            _("Decision %(symbol)s of %(date)s is already recorded.")
            % {"symbol": data.symbol, "date": _fmt(data.issued_on)}
        )
    if errors:
        raise ValidationError(errors)
    decision = AwardDecision(
        agency=data.agency,
        issuer_name=data.issuer_name.strip(),
        issuing_body=data.issuing_body or (data.document.issuer if data.document else None),
        document=data.document,
        symbol=data.symbol.strip(),
        issued_on=data.issued_on,
        signer=data.signer.strip(),
        legal_bases=data.legal_bases.strip(),
        received_from_above=data.received_from_above,
    )
    if original is not None:
        _store_original(decision, original, original_name)
    try:
        # A savepoint, so a twin recorded at the same moment (the unique constraint) is
        # reported like the check above instead of breaking the transaction.
        with transaction.atomic():
            decision.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("Decision %(symbol)s of %(date)s is already recorded.")
            % {"symbol": data.symbol, "date": _fmt(data.issued_on)}
        ) from exc
    Award.objects.bulk_create([_award_from(decision, item) for item in data.awards])
    record(
        actor=actor,
        action=AuditAction.DECISION_RECORDED,
        obj=decision,
        after=decision_snapshot(decision),
    )
    return decision


@transaction.atomic
def annul_decision(
    *, actor: Actor, decision: AwardDecision, by: AwardDecision, reason: str
) -> AwardDecision:
    """Annul `decision` by the later decision `by`; its awards stay, marked revoked."""
    authorize(actor, Action.AWARD_RECORD, decision.agency)
    decision = AwardDecision.objects.select_for_update().get(pk=decision.pk)
    errors: list[str] = []
    if not reason.strip():
        errors.append(_("Give the reason for the annulment."))
    if decision.is_annulled:
        errors.append(_("This decision is already annulled."))
    if by.pk == decision.pk:
        errors.append(_("A decision cannot annul itself."))
    elif by.issued_on < decision.issued_on:
        errors.append(
            _("The annulling decision must not be dated before %(date)s.")
            % {"date": _fmt(decision.issued_on)}
        )
    if by.is_annulled:
        errors.append(_("The annulling decision is itself annulled."))
    if errors:
        raise ValidationError(errors)
    before = decision_snapshot(decision)
    decision.status = DecisionStatus.ANNULLED
    decision.annulled_by = by
    decision.annul_reason = reason.strip()
    decision.save(update_fields=["status", "annulled_by", "annul_reason"])
    decision.awards.update(revoked=True)
    record(
        actor=actor,
        action=AuditAction.DECISION_ANNULLED,
        obj=decision,
        before=before,
        after=decision_snapshot(decision),
        extra={"by": str(by), "reason": decision.annul_reason},
    )
    return decision
