"""The write path of covenants: start, edit, circulate, sign, return, submit, accept, correct.

Each service runs in one transaction: authorise → validate → write → audit. The covenant row
(or the block cycle, before a covenant exists) is locked first, so two clicks, a double submit
or a retry find the work already done and return it instead of doing it twice.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.campaigns.cycle import COVENANT, CycleState
from thidua.campaigns.models import BlockCycle, Criterion, Milestone
from thidua.campaigns.services import block_cycle_advance
from thidua.lib import files as stored_files
from thidua.lib.dates import today
from thidua.lib.hashing import canonical_digest
from thidua.org.models import Unit, User
from thidua.org.permissions import (
    Actor,
    acting_user,
    headed_unit_ids,
    require_block_leader,
)
from thidua.signatures.models import SignedPdf
from thidua.signatures.services import check_size, keep_signed_pdf
from thidua.signatures.validation import validate_signed_pdf

from . import files
from .models import Covenant, CovenantItem, CovenantReturn, Signature
from .permissions import require_secretariat
from .selectors import missing_signatures


def covenant_text_hash(covenant: Covenant) -> str:
    """What a signer agrees to: the title, bases, commitments and every target."""
    payload = {
        "title": covenant.title,
        "legal_bases": covenant.legal_bases,
        "commitments": covenant.commitments,
        "items": [[item.code, item.text, item.target] for item in covenant.items.order_by("order")],
    }
    return canonical_digest(payload)


def _lock(covenant: Covenant) -> Covenant:
    return (
        Covenant.objects.select_for_update()
        .select_related("term__block__agency", "cycle__campaign")
        .get(pk=covenant.pk)
    )


def _require_status(covenant: Covenant, *statuses: str) -> None:
    if covenant.status not in statuses:
        raise ValidationError(
            _("This cannot be done while the covenant is “%(status)s”.")
            % {"status": covenant.get_status_display()}
        )


def _member_unit(actor: Actor, covenant: Covenant, unit: Unit) -> None:
    """The signer must be the head of a member unit, and sign for that unit only."""
    member_ids = set(covenant.term.memberships.values_list("unit_id", flat=True))
    if unit.pk not in member_ids:
        raise PermissionDenied(_("“%(unit)s” is not a member of this block.") % {"unit": unit})
    if unit.pk not in headed_unit_ids(actor):
        raise PermissionDenied(
            _("Only the head of “%(unit)s” may sign or return for it.") % {"unit": unit}
        )


def covenant_deadline(cycle: BlockCycle) -> Any:
    milestone = (
        Milestone.objects.filter(campaign_id=cycle.campaign_id, kind=Milestone.Kind.COVENANT)
        .order_by("due_on")
        .first()
    )
    return milestone.due_on if milestone else None


def default_target(criterion: Criterion) -> str:
    """A measurable criterion starts from the plan's threshold; the leader may change it."""
    if criterion.kind != Criterion.Kind.MEASURABLE or criterion.threshold is None:
        return ""
    threshold = f"{criterion.threshold.normalize():f}"
    unit = f" {criterion.unit_of_measure}" if criterion.unit_of_measure else ""
    return f"{criterion.comparator} {threshold}{unit}".strip()


@transaction.atomic
def covenant_start(*, actor: Actor, cycle: BlockCycle) -> Covenant:
    """Open the year's draft, pre-filled from the campaign (idempotent per block term)."""
    cycle = (
        BlockCycle.objects.select_for_update()
        .select_related("term__block__agency", "campaign")
        .get(pk=cycle.pk)
    )
    term = cycle.term
    require_block_leader(actor, term)
    existing = Covenant.objects.filter(term=term).order_by("-version").first()
    if existing is not None:
        return existing
    if cycle.state not in (CycleState.COVENANT_DRAFT, CycleState.COVENANT_SIGNING):
        raise ValidationError(_("The block's year is not at the covenant step."))
    campaign = cycle.campaign
    covenant = Covenant.objects.create(
        term=term,
        cycle=cycle,
        title=_("Emulation covenant of %(block)s, %(year)s")
        % {"block": term.block.name, "year": term.year},
        legal_bases="\n".join(b.text for b in campaign.legal_bases.all()),
        deadline=covenant_deadline(cycle),
        created_by=actor if isinstance(actor, User) else None,
    )
    criteria = Criterion.objects.filter(group__campaign=campaign).select_related("group")
    CovenantItem.objects.bulk_create(
        CovenantItem(
            covenant=covenant,
            criterion=criterion,
            order=order,
            group_code=criterion.group.code,
            group_title=criterion.group.title,
            code=criterion.code,
            text=criterion.text,
            target=default_target(criterion),
        )
        for order, criterion in enumerate(criteria.order_by("group__order", "order", "id"), start=1)
    )
    record(
        actor=actor,
        action=AuditAction.COVENANT_STARTED,
        obj=covenant,
        after={"block": term.block.code, "year": term.year, "version": covenant.version},
    )
    return covenant


@transaction.atomic
def covenant_update(
    *,
    actor: Actor,
    covenant: Covenant,
    commitments: str,
    targets: dict[int, str],
) -> Covenant:
    """The leader edits targets and commitments. Only a draft can change: a text out for
    signature must first come back (returned by a member), a submitted one never."""
    covenant = _lock(covenant)
    require_block_leader(actor, covenant.term)
    _require_status(covenant, Covenant.Status.DRAFT)
    items = {item.pk: item for item in covenant.items.all()}
    unknown = set(targets) - set(items)
    if unknown:
        raise ValidationError(_("Some targets do not belong to this covenant."))
    changed: dict[str, Any] = {}
    for pk, target in targets.items():
        item = items[pk]
        if item.target != target.strip():
            changed[item.code] = {"before": item.target, "after": target.strip()}
            item.target = target.strip()
            item.save(update_fields=["target"])
    if covenant.commitments != commitments.strip():
        changed["commitments"] = {"before": covenant.commitments, "after": commitments.strip()}
        covenant.commitments = commitments.strip()
        covenant.save(update_fields=["commitments"])
    if changed:
        record(
            actor=actor,
            action=AuditAction.COVENANT_EDITED,
            obj=covenant,
            extra={"changes": changed},
        )
    return covenant


@transaction.atomic
def covenant_circulate(*, actor: Actor, covenant: Covenant) -> Covenant:
    """Send the text to the members. A changed text gets a new revision, and signatures on
    an earlier text stop counting, with a note saying why."""
    covenant = _lock(covenant)
    require_block_leader(actor, covenant.term)
    if covenant.status == Covenant.Status.SIGNING:
        return covenant
    _require_status(covenant, Covenant.Status.DRAFT)
    new_hash = covenant_text_hash(covenant)
    invalidated: list[str] = []
    if new_hash != covenant.text_hash:
        covenant.revision += 1
        covenant.text_hash = new_hash
        now = timezone.now()
        stale = covenant.signatures.filter(invalidated_at__isnull=True).exclude(text_hash=new_hash)
        invalidated = [s.unit.code for s in stale.select_related("unit")]
        stale.update(
            invalidated_at=now,
            invalidated_note=_("The text changed after this signature (revision %(rev)s).")
            % {"rev": covenant.revision},
        )
    covenant.status = Covenant.Status.SIGNING
    covenant.save(update_fields=["revision", "text_hash", "status"])
    # The text members sign is frozen as a document for this revision.
    files.freeze_revision(covenant)
    if covenant.cycle.state == CycleState.COVENANT_DRAFT:
        block_cycle_advance(
            actor=actor, cycle=covenant.cycle, target=CycleState.COVENANT_SIGNING, via=COVENANT
        )
    record(
        actor=actor,
        action=AuditAction.COVENANT_CIRCULATED,
        obj=covenant,
        after={"revision": covenant.revision, "text_hash": new_hash},
        extra={"invalidated_signatures": invalidated},
    )
    return covenant


@transaction.atomic
def covenant_sign(
    *,
    actor: Actor,
    covenant: Covenant,
    unit: Unit,
    password: str,
    ip_address: str | None = None,
) -> Signature:
    """The head of a member unit signs for it in the system, re-entering their password.
    Signing with a USB token is `covenant_sign_token`."""
    covenant = _lock(covenant)
    _member_unit(actor, covenant, unit)
    existing = covenant.signatures.filter(unit=unit, invalidated_at__isnull=True).first()
    if existing is not None and existing.text_hash == covenant.text_hash:
        return existing
    _require_status(covenant, Covenant.Status.SIGNING)
    if not isinstance(actor, User) or not actor.check_password(password):
        raise ValidationError({"password": _("The password is wrong; nothing was signed.")})
    signature = Signature.objects.create(
        covenant=covenant,
        unit=unit,
        signer=actor,
        method=Signature.Method.PASSWORD,
        revision=covenant.revision,
        text_hash=covenant.text_hash,
        ip_address=ip_address or None,
    )
    record(
        actor=actor,
        action=AuditAction.COVENANT_SIGNED,
        obj=covenant,
        after={
            "unit": unit.code,
            "revision": covenant.revision,
            "text_hash": covenant.text_hash,
            "method": signature.method,
            "ip_address": ip_address,
        },
    )
    return signature


def covenant_sign_token(
    *,
    actor: Actor,
    covenant: Covenant,
    unit: Unit,
    data: bytes,
    file_name: str = "",
    ip_address: str | None = None,
) -> Signature:
    """The head of a member unit uploads the frozen PDF of the current revision signed with
    their USB token. The file must be exactly that PDF plus the signature (an incremental
    update), intact, from a certificate chaining to a configured trust root.

    The PDF is made (once) before the covenant row is locked: LibreOffice takes seconds."""
    _member_unit(actor, covenant, unit)
    _require_status(covenant, Covenant.Status.SIGNING)
    check_size(data)
    _, original = files.revision_pdf(covenant)
    return _sign_token(
        actor=actor,
        covenant=covenant,
        unit=unit,
        data=data,
        original=original,
        file_name=file_name,
        ip_address=ip_address,
    )


@stored_files.removed_on_failure()
@transaction.atomic
def _sign_token(
    *,
    actor: Actor,
    covenant: Covenant,
    unit: Unit,
    data: bytes,
    original: bytes,
    file_name: str,
    ip_address: str | None,
) -> Signature:
    revision = covenant.revision
    covenant = _lock(covenant)
    _member_unit(actor, covenant, unit)
    user = acting_user(actor)
    sha256 = hashlib.sha256(data).hexdigest()
    existing = (
        covenant.signatures.filter(unit=unit, invalidated_at__isnull=True)
        .select_related("signed_pdf")
        .first()
    )
    if existing is not None and existing.text_hash == covenant.text_hash:
        if existing.signed_pdf is not None and existing.signed_pdf.sha256 == sha256:
            return existing  # the same upload twice
        raise ValidationError(
            {"file": _("“%(unit)s” has already signed this revision.") % {"unit": unit}}
        )
    _require_status(covenant, Covenant.Status.SIGNING)
    if covenant.revision != revision:
        raise ValidationError({"file": _("The text changed while the file was uploaded.")})
    report = validate_signed_pdf(data, original_pdf=original)
    if not report.valid:
        raise ValidationError({"file": _older_revision_reason(covenant, data) or report.reason})
    frozen = files.current_revision(covenant)
    signed = keep_signed_pdf(
        actor=user,
        data=data,
        file_name=file_name,
        report=report,
        purpose=SignedPdf.Purpose.COVENANT,
        original_sha256=frozen.pdf_sha256 if frozen else "",
    )
    signature = Signature.objects.create(
        covenant=covenant,
        unit=unit,
        signer=user,
        method=Signature.Method.TOKEN,
        revision=covenant.revision,
        text_hash=covenant.text_hash,
        ip_address=ip_address or None,
        signed_pdf=signed,
    )
    first = report.signatures[0]
    record(
        actor=actor,
        action=AuditAction.COVENANT_SIGNED,
        obj=covenant,
        after={
            "unit": unit.code,
            "revision": covenant.revision,
            "text_hash": covenant.text_hash,
            "method": signature.method,
            "ip_address": ip_address,
            "pdf_sha256": signed.sha256,
            "certificate": {
                "signer": first.signer_name,
                "serial": first.serial,
                "issuer": first.issuer,
                "signed_at": first.signed_at.isoformat() if first.signed_at else None,
            },
        },
    )
    return signature


def _older_revision_reason(covenant: Covenant, data: bytes) -> str:
    older = files.revision_of_file(covenant, data)
    if older is None:
        return ""
    return _(
        "This file signs revision %(old)s of the covenant, but the text now out for signature "
        "is revision %(current)s. Download the current PDF and sign it again."
    ) % {"old": older.revision, "current": covenant.revision}


@transaction.atomic
def covenant_return(*, actor: Actor, covenant: Covenant, unit: Unit, reason: str) -> Covenant:
    """A member head sends the text back to the leader instead of signing."""
    covenant = _lock(covenant)
    _member_unit(actor, covenant, unit)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the text is returned.")})
    last = covenant.returns.order_by("-id").first()
    if (
        covenant.status == Covenant.Status.DRAFT
        and last is not None
        and last.unit_id == unit.pk
        and last.revision == covenant.revision
        and last.reason == reason.strip()
    ):
        return covenant  # the same return sent twice
    _require_status(covenant, Covenant.Status.SIGNING)
    CovenantReturn.objects.create(
        covenant=covenant,
        stage=CovenantReturn.Stage.MEMBER,
        unit=unit,
        by=acting_user(actor),
        reason=reason.strip(),
        revision=covenant.revision,
    )
    covenant.status = Covenant.Status.DRAFT
    covenant.save(update_fields=["status"])
    record(
        actor=actor,
        action=AuditAction.COVENANT_RETURNED,
        obj=covenant,
        after={"unit": unit.code, "revision": covenant.revision},
        extra={"reason": reason.strip()},
    )
    return covenant


@transaction.atomic
def covenant_submit(*, actor: Actor, covenant: Covenant) -> Covenant:
    """The leader sends the fully signed text to the secretariat; late is allowed and marked."""
    covenant = _lock(covenant)
    require_block_leader(actor, covenant.term)
    if covenant.status in (Covenant.Status.SUBMITTED, Covenant.Status.ACCEPTED):
        return covenant
    _require_status(covenant, Covenant.Status.SIGNING)
    missing = missing_signatures(covenant)
    if missing:
        raise ValidationError(
            _("Not every member has signed yet: %(units)s.")
            % {"units": ", ".join(u.name for u in missing)}
        )
    day = today()
    covenant.status = Covenant.Status.SUBMITTED
    covenant.submitted_at = timezone.now()
    covenant.submitted_on = day
    covenant.is_late = covenant.deadline is not None and day > covenant.deadline
    covenant.save(update_fields=["status", "submitted_at", "submitted_on", "is_late"])
    record(
        actor=actor,
        action=AuditAction.COVENANT_SUBMITTED,
        obj=covenant,
        after={
            "submitted_on": day,
            "is_late": covenant.is_late,
            "deadline": covenant.deadline,
            "text_hash": covenant.text_hash,
        },
    )
    return covenant


@transaction.atomic
def covenant_accept(*, actor: Actor, covenant: Covenant) -> Covenant:
    """The secretariat accepts it; the block's year becomes active. A correction accepted
    replaces the version it corrects."""
    covenant = _lock(covenant)
    require_secretariat(actor, covenant.term)
    if covenant.status == Covenant.Status.ACCEPTED:
        return covenant
    _require_status(covenant, Covenant.Status.SUBMITTED)
    covenant.status = Covenant.Status.ACCEPTED
    covenant.accepted_at = timezone.now()
    covenant.accepted_by = actor if isinstance(actor, User) else None
    covenant.save(update_fields=["status", "accepted_at", "accepted_by"])
    if covenant.previous_id:
        Covenant.objects.filter(pk=covenant.previous_id).update(status=Covenant.Status.SUPERSEDED)
    if covenant.cycle.state in (CycleState.COVENANT_SIGNING, CycleState.COVENANT_LATE):
        block_cycle_advance(
            actor=actor,
            cycle=covenant.cycle,
            target=CycleState.ACTIVE,
            note=_("Covenant version %(version)s accepted.") % {"version": covenant.version},
            via=COVENANT,
        )
    record(
        actor=actor,
        action=AuditAction.COVENANT_ACCEPTED,
        obj=covenant,
        after={"version": covenant.version, "is_late": covenant.is_late},
    )
    return covenant


@transaction.atomic
def covenant_send_back(*, actor: Actor, covenant: Covenant, reason: str) -> Covenant:
    """The secretariat returns a submitted covenant to the leader with a reason."""
    covenant = _lock(covenant)
    require_secretariat(actor, covenant.term)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the covenant is returned.")})
    if covenant.status == Covenant.Status.DRAFT:
        last = covenant.returns.order_by("-id").first()
        if last is not None and last.stage == CovenantReturn.Stage.SECRETARIAT:
            return covenant
    _require_status(covenant, Covenant.Status.SUBMITTED)
    CovenantReturn.objects.create(
        covenant=covenant,
        stage=CovenantReturn.Stage.SECRETARIAT,
        by=acting_user(actor),
        reason=reason.strip(),
        revision=covenant.revision,
    )
    # Back to a draft: the signatures stay valid unless the leader changes the text.
    covenant.status = Covenant.Status.DRAFT
    covenant.submitted_at = covenant.submitted_on = None
    covenant.is_late = False
    covenant.save(update_fields=["status", "submitted_at", "submitted_on", "is_late"])
    record(
        actor=actor,
        action=AuditAction.COVENANT_SENT_BACK,
        obj=covenant,
        extra={"reason": reason.strip()},
    )
    return covenant


@transaction.atomic
def covenant_correct(*, actor: Actor, covenant: Covenant) -> Covenant:
    """After acceptance the text never changes; a correction is a new version pointing to
    the old one, drafted, signed and accepted like the first (idempotent)."""
    covenant = _lock(covenant)
    require_block_leader(actor, covenant.term)
    newer = Covenant.objects.filter(previous=covenant).first()
    if newer is not None:
        return newer
    _require_status(covenant, Covenant.Status.ACCEPTED)
    correction = Covenant.objects.create(
        term=covenant.term,
        cycle=covenant.cycle,
        version=covenant.version + 1,
        previous=covenant,
        title=covenant.title,
        legal_bases=covenant.legal_bases,
        commitments=covenant.commitments,
        deadline=covenant.deadline,
        created_by=actor if isinstance(actor, User) else None,
    )
    CovenantItem.objects.bulk_create(
        CovenantItem(
            covenant=correction,
            criterion_id=item.criterion_id,
            order=item.order,
            group_code=item.group_code,
            group_title=item.group_title,
            code=item.code,
            text=item.text,
            target=item.target,
        )
        for item in covenant.items.all()
    )
    record(
        actor=actor,
        action=AuditAction.COVENANT_CORRECTION_STARTED,
        obj=correction,
        after={"version": correction.version, "corrects": covenant.pk},
    )
    return correction
