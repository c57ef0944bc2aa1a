"""The write path of the proposal to the level above: drafted, issued as a numbered document,
sent, acknowledged or returned, and its answer recorded (awards follow). Authorise →
validate → write → audit, one transaction each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.awards import services as awards
from thidua.awards.models import AwardForm
from thidua.campaigns.cycle import CycleState
from thidua.campaigns.services import block_cycle_follow
from thidua.documents import services as documents
from thidua.documents.models import IssuedDocument
from thidua.lib.dates import format_day, today
from thidua.org.models import Unit, User
from thidua.org.permissions import (
    Action,
    Actor,
    acting_user,
    authorize,
)

from ..documents import PROPOSAL_TEMPLATE, PROPOSAL_TYPE, upward_context, upward_key
from ..models import (
    NEXT_STATUS,
    Dossier,
    UpwardEvent,
    UpwardProposal,
)
from ..selectors import (
    approved_for_upward,
)

VIA = "proposals"


def _upward_snapshot(proposal: UpwardProposal) -> dict[str, Any]:
    return {
        "form": proposal.form.code,
        "year": proposal.year,
        "level_above": proposal.level_above,
        "status": proposal.status,
        "dossiers": sorted(proposal.dossiers.values_list("pk", flat=True)),
    }


def _upward_event(
    proposal: UpwardProposal, actor: Actor, on: dt.date, number: str = "", note: str = ""
) -> UpwardEvent:
    return UpwardEvent.objects.create(
        proposal=proposal,
        status=proposal.status,
        on=on,
        number=number.strip(),
        note=note.strip(),
        recorded_by=actor if isinstance(actor, User) else None,
    )


@transaction.atomic
def upward_create(
    *,
    actor: Actor,
    agency: Unit,
    year: int,
    form: AwardForm,
    level_above: str,
    dossiers: list[Dossier],
) -> UpwardProposal:
    authorize(actor, Action.PROPOSAL_REVIEW, agency)
    errors: list[str] = []
    if not level_above.strip():
        errors.append(_("Name the level the proposal goes to."))
    if not dossiers:
        errors.append(_("Choose at least one dossier the council approved."))
    allowed = {d.pk for d in approved_for_upward(agency, year, form)}
    for dossier in dossiers:
        if dossier.pk not in allowed:
            errors.append(
                _(
                    "The dossier of “%(unit)s” was not approved by the council for "
                    "“%(form)s”, or another proposal already carries it."
                )
                % {"unit": dossier.unit.name, "form": form}
            )
    if errors:
        raise ValidationError(errors)
    proposal = UpwardProposal.objects.create(
        agency=agency,
        year=year,
        form=form,
        level_above=level_above.strip(),
        created_by=acting_user(actor),
    )
    proposal.dossiers.set(dossiers)
    _upward_event(proposal, actor, today())
    record(
        actor=actor,
        action=AuditAction.UPWARD_DRAFTED,
        obj=proposal,
        after=_upward_snapshot(proposal),
    )
    return proposal


def upward_issue(
    *,
    actor: Actor,
    proposal: UpwardProposal,
    signer_name: str,
    signer_title: str,
    signer_authority: str = "",
) -> IssuedDocument:
    """Number the Department's proposal in the registry and render it; once per proposal."""
    authorize(actor, Action.PROPOSAL_REVIEW, proposal.agency)
    if proposal.document_id is not None:
        return proposal.document  # type: ignore[return-value]
    body = documents.issuing_body_of(proposal.agency)
    context = upward_context(
        proposal,
        {"authority": signer_authority, "title": signer_title, "name": signer_name},
    )
    template_record, content = documents.choose_template(PROPOSAL_TEMPLATE, body)
    with transaction.atomic():
        proposal = UpwardProposal.objects.select_for_update().get(pk=proposal.pk)
        document = documents.document_issue(
            actor=actor,
            issuer=body,
            doc_type_code=PROPOSAL_TYPE,
            issued_on=today(),
            summary=context["summary"],
            signer_name=signer_name,
            signer_title=signer_title,
            idempotency_key=upward_key(proposal),
            render=documents.registry_renderer(PROPOSAL_TEMPLATE, content, context),
            make_pdf=True,
            campaign=proposal.dossiers.first().cycle.campaign,  # type: ignore[union-attr]
            template=template_record,
        )
        proposal.document = document
        proposal.save(update_fields=["document"])
        record(
            actor=actor,
            action=AuditAction.UPWARD_ISSUED,
            obj=proposal,
            after={"document": document.symbol},
        )
    return document


S = UpwardProposal.Status


def _last_event_day(proposal: UpwardProposal) -> dt.date | None:
    last = proposal.events.order_by("-on", "-id").first()
    return last.on if last else None


def _check_day(proposal: UpwardProposal, on: dt.date, errors: list[str]) -> None:
    if on > today():
        errors.append(_("The date must not be in the future."))
    last = _last_event_day(proposal)
    if last is not None and on < last:
        errors.append(
            _("The date must not be before the last recorded step (%(date)s).")
            % {"date": format_day(last)}
        )


@transaction.atomic
def upward_status_record(
    *,
    actor: Actor,
    proposal: UpwardProposal,
    status: str,
    on: dt.date,
    number: str = "",
    note: str = "",
) -> UpwardProposal:
    """Sent (with the number and date on the paper), received, or returned for supplement."""
    proposal = UpwardProposal.objects.select_for_update().get(pk=proposal.pk)
    authorize(actor, Action.PROPOSAL_REVIEW, proposal.agency)
    if status not in NEXT_STATUS.get(proposal.status, set()):
        raise ValidationError(
            _("A proposal that is “%(now)s” cannot become “%(next)s”.")
            % {"now": proposal.get_status_display(), "next": dict(S.choices).get(status, status)}
        )
    errors: list[str] = []
    _check_day(proposal, on, errors)
    if status == S.SENT:
        if proposal.document_id is None and not number.strip():
            errors.append(_("Issue the proposal document or give its number before sending."))
        number = number.strip() or (proposal.document.symbol if proposal.document else "")
    if status == S.RETURNED and not note.strip():
        errors.append(_("Give the reason the level above returned the proposal."))
    if errors:
        raise ValidationError(errors)
    before = _upward_snapshot(proposal)
    proposal.status = status
    proposal.save(update_fields=["status"])
    _upward_event(proposal, actor, on, number, note)
    record(
        actor=actor,
        action=AuditAction(f"proposals.upward.{status}"),
        obj=proposal,
        before=before,
        after={**_upward_snapshot(proposal), "on": on, "number": number, "note": note},
    )
    if status == S.SENT:
        for dossier in proposal.dossiers.select_related("cycle"):
            block_cycle_follow(
                actor=actor, cycle=dossier.cycle, target=CycleState.SUBMITTED_TO_CITY, via=VIA
            )
    return proposal


@transaction.atomic
def upward_answer_record(
    *,
    actor: Actor,
    proposal: UpwardProposal,
    awarded: list[Dossier],
    issuer_name: str,
    symbol: str,
    issued_on: dt.date,
    signer: str = "",
    original: bytes | None = None,
    original_name: str = "",
    note: str = "",
) -> UpwardProposal:
    """The level above decided. With awarded dossiers, its decision is recorded in the
    register (received from above, the original attached) and the awards follow; with none,
    the proposal is marked not awarded."""
    proposal = UpwardProposal.objects.select_for_update().get(pk=proposal.pk)
    authorize(actor, Action.PROPOSAL_REVIEW, proposal.agency)
    if proposal.status not in (S.SENT, S.ACKNOWLEDGED):
        raise ValidationError(_("Record the answer once the proposal has been sent."))
    carried = {d.pk: d for d in proposal.dossiers.select_related("unit", "cycle__term__block")}
    errors: list[str] = []
    if any(d.pk not in carried for d in awarded):
        errors.append(_("Only the dossiers this proposal carries can be awarded by its answer."))
    _check_day(proposal, issued_on, errors)
    if errors:
        raise ValidationError(errors)
    before = _upward_snapshot(proposal)
    awarded_ids = {d.pk for d in awarded}
    if awarded_ids:
        with translation.override("vi"):
            items = [
                awards.AwardInput(
                    form=proposal.form,
                    unit=carried[pk].unit,
                    reason=(
                        f"Đơn vị dẫn đầu phong trào thi đua {carried[pk].cycle.term.block.name} "
                        f"năm {proposal.year}"
                    ),
                )
                for pk in sorted(awarded_ids)
            ]
        decision = awards.record_decision(
            actor=actor,
            data=awards.DecisionInput(
                agency=proposal.agency,
                issuer_name=issuer_name,
                symbol=symbol,
                issued_on=issued_on,
                signer=signer,
                received_from_above=True,
                awards=items,
            ),
            original=original,
            original_name=original_name,
        )
        proposal.decision = decision
        proposal.status = S.APPROVED
    else:
        proposal.status = S.REJECTED
    proposal.save(update_fields=["status", "decision"])
    _upward_event(proposal, actor, issued_on, symbol, note)
    record(
        actor=actor,
        action=AuditAction(f"proposals.upward.{proposal.status}"),
        obj=proposal,
        before=before,
        after={**_upward_snapshot(proposal), "awarded": sorted(awarded_ids), "symbol": symbol},
    )
    for pk, dossier in carried.items():
        target = CycleState.AWARDED if pk in awarded_ids else CycleState.NOT_AWARDED
        block_cycle_follow(actor=actor, cycle=dossier.cycle, target=target, via=VIA)
    return proposal
