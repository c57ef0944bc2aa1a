"""The write path of reports: open, save the draft, add or remove evidence, submit, return,
accept, and close a period's collection.

The block's year follows the reports (campaigns.services.block_cycle_follow): the last
member's year-end report submitted, or the leader closing the collection on the board, moves
it to REPORTS_COLLECTED; the deputy recording the mid-year review on the mid-year board moves
it to MIDYEAR_REVIEWED. Mid-year reports all being in does not: the review is the meeting the
deputy holds afterwards, and only the deputy knows it was held.

Each service runs in one transaction: authorise → validate → write → audit. The report row
(or the block cycle, before a report exists) is locked first, so a double click or a retry
finds the work already done and returns it instead of doing it twice. A passed deadline never
locks a draft: submitting late is allowed and recorded with how late it was.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.campaigns.cycle import STATE_LABELS, CycleState
from thidua.campaigns.models import BlockCycle, Criterion
from thidua.campaigns.services import block_cycle_follow
from thidua.lib import files as stored_files
from thidua.lib.dates import today
from thidua.lib.hashing import canonical_digest
from thidua.org.models import Unit, User
from thidua.org.permissions import (
    Actor,
    acting_user,
)

from . import evidence as files
from .models import Evidence, Period, Report, ReportReturn, ReportVersion
from .permissions import may_close_collection, require_head, require_reviewer
from .selectors import groups_of, indicator_rows, parse_value, period_deadline


def _lock(report: Report) -> Report:
    return (
        Report.objects.select_for_update()
        .select_related("unit", "cycle__campaign", "cycle__term__block__agency")
        .get(pk=report.pk)
    )


def _require_editable(report: Report) -> None:
    if not report.is_editable:
        raise ValidationError(
            _("The report cannot be changed while it is “%(status)s”.")
            % {"status": report.get_status_display()}
        )


@transaction.atomic
def report_open(*, actor: Actor, cycle: BlockCycle, unit: Unit, period: str) -> Report:
    """The unit's report for the period, created empty the first time (idempotent)."""
    cycle = (
        BlockCycle.objects.select_for_update()
        .select_related("campaign", "term__block__agency")
        .get(pk=cycle.pk)
    )
    require_head(actor, unit)
    if period not in Period.values:
        raise ValidationError(_("Unknown report period."))
    if not cycle.term.memberships.filter(unit=unit).exists():
        raise PermissionDenied(_("“%(unit)s” is not a member of this block.") % {"unit": unit})
    existing = Report.objects.filter(cycle=cycle, unit=unit, period=period).first()
    if existing is not None:
        return existing
    report = Report.objects.create(
        cycle=cycle,
        unit=unit,
        period=period,
        due_on=period_deadline(cycle.campaign, period),
        created_by=actor if isinstance(actor, User) else None,
    )
    record(
        actor=actor,
        action=AuditAction.REPORT_STARTED,
        obj=report,
        after={"unit": unit.code, "period": period, "block": cycle.term.block.code},
    )
    return report


@transaction.atomic
def report_save_draft(
    *,
    actor: Actor,
    report: Report,
    narratives: dict[int, str],
    values: dict[int, str],
) -> Report:
    """Save the narrative per content group and the values the unit reports. Saving the same
    text twice changes nothing."""
    report = _lock(report)
    require_head(actor, report.unit)
    _require_editable(report)
    campaign = report.cycle.campaign
    group_ids = {g.pk for g in groups_of(campaign)}
    reported = {
        c.pk: c
        for c in Criterion.objects.filter(group__campaign=campaign, kind=Criterion.Kind.MEASURABLE)
        if not c.is_computed
    }
    if set(narratives) - group_ids or set(values) - set(reported):
        raise ValidationError(_("Some fields do not belong to this report."))
    errors: dict[str, str] = {}
    for pk, text in values.items():
        try:
            parse_value(text)
        except ValueError:
            errors[f"value_{pk}"] = _("“%(value)s” is not a number.") % {"value": text}
    if errors:
        raise ValidationError(errors)
    new_narratives = {**report.narratives, **{str(k): v.strip() for k, v in narratives.items()}}
    new_values = {**report.values, **{str(k): v.strip() for k, v in values.items()}}
    if new_narratives == report.narratives and new_values == report.values:
        return report
    before = {"narratives": report.narratives, "values": report.values}
    report.narratives = new_narratives
    report.values = new_values
    report.save(update_fields=["narratives", "values", "updated_at"])
    record(
        actor=actor,
        action=AuditAction.REPORT_DRAFT_SAVED,
        obj=report,
        before=before,
        after={"narratives": new_narratives, "values": new_values},
    )
    return report


@stored_files.removed_on_failure()
def evidence_add(
    *, actor: Actor, report: Report, criterion: Criterion, data: bytes, name: str
) -> Evidence:
    """Attach a file to a criterion of the draft. The same file twice on the same criterion is
    one attachment. The content is checked before anything is locked or written."""
    require_head(actor, report.unit)
    display_name = files.clean_name(name)
    checked = files.check(data, display_name)
    relative = files.store(checked, data)
    try:
        return _evidence_add(
            actor=actor,
            report=report,
            criterion=criterion,
            checked=checked,
            relative=relative,
            name=display_name,
        )
    except IntegrityError:
        # A concurrent upload of the same file won the race: that row is the attachment.
        return Evidence.objects.get(
            report=report, criterion=criterion, sha256=checked.sha256, version__isnull=True
        )


@transaction.atomic
def _evidence_add(
    *,
    actor: Actor,
    report: Report,
    criterion: Criterion,
    checked: files.Checked,
    relative: str,
    name: str,
) -> Evidence:
    report = _lock(report)
    user = acting_user(actor)
    require_head(actor, report.unit)
    _require_editable(report)
    if criterion.group.campaign_id != report.cycle.campaign_id:
        raise ValidationError(_("This criterion is not part of the report's campaign."))
    existing = report.evidence.filter(
        criterion=criterion, sha256=checked.sha256, version__isnull=True
    ).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        item = Evidence.objects.create(
            report=report,
            criterion=criterion,
            kind=checked.kind,
            content_type=checked.content_type,
            original_name=name,
            size=checked.size,
            sha256=checked.sha256,
            path=relative,
            uploaded_by=user,
            uploaded_at=timezone.now(),
        )
    record(
        actor=actor,
        action=AuditAction.REPORT_EVIDENCE_ADDED,
        obj=report,
        after={
            "criterion": criterion.code,
            "file": name,
            "kind": checked.kind,
            "size": checked.size,
            "sha256": checked.sha256,
        },
    )
    return item


@transaction.atomic
def evidence_remove(*, actor: Actor, report: Report, evidence: Evidence) -> None:
    """Take a file out of the draft; files of submitted versions stay with them."""
    report = _lock(report)
    require_head(actor, report.unit)
    _require_editable(report)
    if evidence.report_id != report.pk or evidence.version_id is not None:
        raise ValidationError(_("Only files of the draft can be removed."))
    record(
        actor=actor,
        action=AuditAction.REPORT_EVIDENCE_REMOVED,
        obj=report,
        before={"criterion": evidence.criterion.code, "file": evidence.original_name},
    )
    evidence.delete()


def _frozen_narratives(report: Report) -> list[dict[str, Any]]:
    return [
        {
            "group_id": group.pk,
            "code": group.code,
            "title": group.title,
            "text": report.narratives.get(str(group.pk), ""),
        }
        for group in groups_of(report.cycle.campaign)
    ]


def version_hash(
    narratives: list[dict[str, Any]], indicators: list[dict[str, Any]], evidence: list[Evidence]
) -> str:
    """What a version says: its texts, its numbers and the exact files attached."""
    payload = {
        "narratives": [[n["code"], n["text"]] for n in narratives],
        "indicators": [
            [i["code"], i["value"], i["numerator"], i["denominator"]] for i in indicators
        ],
        "evidence": sorted([e.criterion_id, e.sha256] for e in evidence),
    }
    return canonical_digest(payload)


def _check_complete(narratives: list[dict[str, Any]], indicators: list[dict[str, Any]]) -> None:
    if not any(n["text"] for n in narratives):
        raise ValidationError(_("Write the narrative of at least one content group first."))
    missing = [i["code"] for i in indicators if not i["computed"] and i["value"] is None]
    if missing:
        raise ValidationError(
            _("Enter the value of every reported indicator first: %(codes)s.")
            % {"codes": ", ".join(missing)}
        )


@transaction.atomic
def report_submit(*, actor: Actor, report: Report) -> ReportVersion:
    """Freeze the draft as a new version and send it to the block leader. After the deadline
    this still works and the version is marked late with the number of days."""
    report = _lock(report)
    user = acting_user(actor)
    require_head(actor, report.unit)
    if report.status in (Report.Status.SUBMITTED, Report.Status.ACCEPTED):
        latest = report.versions.order_by("-number").first()
        if latest is not None:
            return latest  # a double click or a retry: already submitted
    _require_editable(report)
    narratives = _frozen_narratives(report)
    indicators = indicator_rows(report)
    _check_complete(narratives, indicators)
    draft_files = list(report.evidence.filter(version__isnull=True).select_related("criterion"))
    due_on = period_deadline(report.cycle.campaign, report.period) or report.due_on
    day = today()
    late_days = max((day - due_on).days, 0) if due_on else 0
    number = (report.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = ReportVersion.objects.create(
        report=report,
        number=number,
        narratives=narratives,
        indicators=indicators,
        submitted_at=timezone.now(),
        submitted_on=day,
        submitted_by=user,
        due_on=due_on,
        is_late=late_days > 0,
        late_days=late_days,
        text_hash=version_hash(narratives, indicators, draft_files),
    )
    Evidence.objects.bulk_create(
        Evidence(
            report=report,
            version=version,
            criterion_id=item.criterion_id,
            kind=item.kind,
            content_type=item.content_type,
            original_name=item.original_name,
            size=item.size,
            sha256=item.sha256,
            path=item.path,
            uploaded_by_id=item.uploaded_by_id,
            uploaded_at=item.uploaded_at,
        )
        for item in draft_files
    )
    report.status = Report.Status.SUBMITTED
    report.due_on = due_on
    report.save(update_fields=["status", "due_on", "updated_at"])
    record(
        actor=actor,
        action=AuditAction.REPORT_SUBMITTED,
        obj=report,
        after={
            "version": number,
            "text_hash": version.text_hash,
            "due_on": due_on,
            "submitted_on": day,
            "is_late": version.is_late,
            "late_days": late_days,
            "evidence": len(draft_files),
        },
    )
    if report.period == Period.YEAREND and not missing_units(report.cycle, report.period):
        block_cycle_follow(
            actor=actor, cycle=report.cycle, target=CycleState.REPORTS_COLLECTED, via=VIA
        )
    return version


@transaction.atomic
def report_return(*, actor: Actor, report: Report, reason: str) -> ReportReturn:
    """The leader sends the submitted version back; the unit revises the draft and submits a
    new version. The returned version is kept."""
    report = _lock(report)
    user = acting_user(actor)
    require_reviewer(actor, report)
    latest = report.versions.order_by("-number").first()
    if report.status == Report.Status.RETURNED and latest is not None:
        existing = ReportReturn.objects.filter(version=latest).first()
        if existing is not None:
            return existing  # the same return sent twice
    if report.status != Report.Status.SUBMITTED or latest is None:
        raise ValidationError(_("Only a submitted report can be returned."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the report is returned.")})
    returned = ReportReturn.objects.create(
        report=report, version=latest, by=user, reason=reason.strip()
    )
    report.status = Report.Status.RETURNED
    report.save(update_fields=["status", "updated_at"])
    record(
        actor=actor,
        action=AuditAction.REPORT_RETURNED,
        obj=report,
        after={"version": latest.number, "reason": returned.reason},
    )
    return returned


@transaction.atomic
def report_accept(*, actor: Actor, report: Report) -> Report:
    report = _lock(report)
    user = acting_user(actor)
    require_reviewer(actor, report)
    if report.status == Report.Status.ACCEPTED:
        return report
    if report.status != Report.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be accepted."))
    report.status = Report.Status.ACCEPTED
    report.accepted_at = timezone.now()
    report.accepted_by = user
    report.save(update_fields=["status", "accepted_at", "accepted_by", "updated_at"])
    latest = report.versions.order_by("-number").first()
    record(
        actor=actor,
        action=AuditAction.REPORT_ACCEPTED,
        obj=report,
        after={"version": latest.number if latest else None},
    )
    return report


# Closing a period's collection ---------------------------------------------------------------

VIA = "reports"
# What closing a period's collection moves the year to, and from where.
COLLECTION_STEP = {
    Period.YEAREND: (CycleState.ACTIVE_H2, CycleState.REPORTS_COLLECTED),
    Period.MIDYEAR: (CycleState.ACTIVE, CycleState.MIDYEAR_REVIEWED),
}
IN_STATES = (Report.Status.SUBMITTED, Report.Status.ACCEPTED)


def missing_units(cycle: BlockCycle, period: str) -> list[Unit]:
    """Member units whose report for the period is not in (not started, a draft, or returned
    and not sent again), in code order."""
    sent = Report.objects.filter(cycle=cycle, period=period, status__in=IN_STATES).values("unit")
    return [
        m.unit
        for m in cycle.term.memberships.exclude(unit__in=sent)
        .select_related("unit")
        .order_by("unit__code")
    ]


@transaction.atomic
def report_collection_close(*, actor: Actor, cycle: BlockCycle, period: str) -> list[Unit]:
    """Close the period's collection on the board: the year moves on even if some members
    have not sent their report (they can still send it, late); returns those members, for
    the warning. A second press finds the year already moved and changes nothing."""
    cycle = (
        BlockCycle.objects.select_for_update()
        .select_related("campaign", "term__block__agency")
        .get(pk=cycle.pk)
    )
    if period not in COLLECTION_STEP:
        raise ValidationError(_("Unknown report period."))
    if not may_close_collection(actor, cycle, period):
        raise PermissionDenied(
            _("Only the block leader may close the collection of annual reports.")
            if period == Period.YEAREND
            else _("Only the block deputy may record the mid-year review.")
        )
    source, target = COLLECTION_STEP[Period(period)]
    missing = missing_units(cycle, period)
    if cycle.state == target:
        return missing
    if cycle.state != source:
        raise ValidationError(
            _("The block's year is at “%(state)s”; this can be done only at “%(source)s”.")
            % {"state": STATE_LABELS[CycleState(cycle.state)], "source": STATE_LABELS[source]}
        )
    record(
        actor=actor,
        action=AuditAction.REPORT_COLLECTION_CLOSED,
        obj=cycle,
        after={"period": period, "missing": [unit.code for unit in missing]},
    )
    block_cycle_follow(actor=actor, cycle=cycle, target=target, via=VIA)
    return missing
