"""Recording an override: authorise → validate → write → audit, in one transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.awards.models import AwardForm
from thidua.org.models import Person, Unit
from thidua.org.permissions import Actor, acting_user

from . import rules, selectors
from .models import Override
from .permissions import require_override_right

MIN_REASON = 20


@transaction.atomic
def override_record(
    *,
    actor: Actor,
    agency: Unit,
    year: int,
    title: AwardForm,
    reason: str,
    person: Person | None = None,
    unit: Unit | None = None,
) -> Override:
    """Allow `title` for one recipient who does not pass the engine, with a written reason;
    the engine's reasons at this moment are kept with it."""
    user = acting_user(actor)
    require_override_right(user, agency)
    errors: dict[str, str] = {}
    if (person is None) == (unit is None):
        errors["person"] = _("Give either a person or a unit.")
    text = " ".join(reason.split())
    if len(text) < MIN_REASON:
        errors["reason"] = _("Write the reason (at least %(n)s characters).") % {"n": MIN_REASON}
    if errors:
        raise ValidationError(errors)
    results = selectors.evaluate_subject(
        person=person, unit=unit, year=year, title=title.code, provider=selectors.default_provider()
    )
    failing = rules.reasons(results[0]) if results else []
    if results and results[0].verdict == rules.Verdict.MET:
        raise ValidationError(
            {"title": _("The recipient meets every condition; no override is needed.")}
        )
    try:
        with transaction.atomic():
            row = Override.objects.create(
                agency=agency,
                year=year,
                title=title,
                person=person,
                unit=unit,
                reason=text,
                failing=failing,
                recorded_by=user,
            )
    except IntegrityError as error:
        raise ValidationError(
            {"title": _("An override for this recipient, title and year is already recorded.")}
        ) from error
    record(
        actor=user,
        action=AuditAction.TITLES_OVERRIDE_RECORDED,
        obj=row,
        after={
            "agency": agency.code,
            "year": year,
            "title": title.code,
            "recipient": (person or unit).code,  # type: ignore[union-attr]
            "reason": text,
            "failing": failing,
        },
    )
    return row
