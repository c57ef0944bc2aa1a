"""The report's year: open, save, submit on time or late, return, resubmit, accept; every
version kept, nothing doubled by a second click, computed indicators from the org data."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.campaigns.models import Criterion
from thidua.campaigns.selectors import evaluate_measurable, staff_date
from thidua.reports import selectors, services
from thidua.reports.models import Evidence, Period, Report, ReportReturn, ReportVersion

from . import helpers

pytestmark = pytest.mark.django_db


def test_open_is_idempotent_and_takes_the_milestone_deadline(persona: Any) -> None:
    tuan = persona("tuan")
    first = helpers.open_report(tuan)
    again = helpers.open_report(tuan)
    assert first.pk == again.pk
    assert str(first.due_on) == "2021-11-14"  # "trước ngày 15/11/2021"
    midyear = helpers.open_report(tuan, period=Period.MIDYEAR)
    assert str(midyear.due_on) == "2021-06-30"
    assert Report.objects.filter(unit__code="QLDL").count() == 2


def test_only_the_unit_head_opens_edits_and_submits(persona: Any) -> None:
    with pytest.raises(PermissionDenied):
        helpers.open_report(persona("mai"))  # staff of QLDL
    with pytest.raises(PermissionDenied):
        helpers.open_report(persona("minh"), code="QLDL")  # the leader, not QLDL's head
    report = helpers.open_report(persona("tuan"))
    with pytest.raises(PermissionDenied):
        helpers.fill(persona("mai"), report)
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=persona("minh"), report=report)


def test_a_unit_outside_the_block_cannot_report_in_it(persona: Any) -> None:
    outsider = helpers.head_of("TVIEN")
    with pytest.raises(PermissionDenied):
        services.report_open(
            actor=outsider,
            cycle=helpers.cycle("K1"),
            unit=helpers.unit("TVIEN"),
            period=Period.YEAREND,
        )


def test_submit_on_time(persona: Any, settings: Any) -> None:
    settings.THIDUA_TODAY = "2021-11-10"
    tuan = persona("tuan")
    report = helpers.fill(tuan, helpers.open_report(tuan))
    version = services.report_submit(actor=tuan, report=report)
    assert version.number == 1
    assert not version.is_late and version.late_days == 0
    assert str(version.submitted_on) == "2021-11-10"
    assert helpers.fresh(report).status == Report.Status.SUBMITTED
    event = AuditEvent.objects.filter(action=AuditAction.REPORT_SUBMITTED).latest("seq")
    assert event.data["after"]["is_late"] is False


def test_submit_after_the_deadline_is_allowed_and_marked_late(persona: Any, settings: Any) -> None:
    tuan = persona("tuan")
    report = helpers.fill(tuan, helpers.open_report(tuan))
    settings.THIDUA_TODAY = "2021-11-16"  # the seed's late unit
    # The draft is still editable after the deadline: nothing is locked or lost.
    report = helpers.fill(tuan, report, text="Bổ sung sau hạn.")
    version = services.report_submit(actor=tuan, report=report)
    assert version.is_late
    assert version.late_days == 2
    assert str(version.due_on) == "2021-11-14"
    assert version.submitted_at is not None
    assert version.narratives[0]["text"] == "Bổ sung sau hạn."


def test_double_submit_creates_one_version(persona: Any) -> None:
    tuan = persona("tuan")
    report = helpers.fill(tuan, helpers.open_report(tuan))
    first = services.report_submit(actor=tuan, report=report)
    second = services.report_submit(actor=tuan, report=report)
    assert first.pk == second.pk
    assert ReportVersion.objects.filter(report=report).count() == 1
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.REPORT_SUBMITTED, object_id=str(report.pk)
        ).count()
        == 1
    )


def test_submit_needs_a_narrative_and_every_reported_value(persona: Any) -> None:
    tuan = persona("tuan")
    report = helpers.open_report(tuan)
    with pytest.raises(ValidationError, match="narrative of at least one content group"):
        services.report_submit(actor=tuan, report=report)
    groups = list(report.cycle.campaign.groups.order_by("order"))
    services.report_save_draft(
        actor=tuan, report=report, narratives={groups[0].pk: "Đã làm."}, values={}
    )
    codes = [c.code for c in helpers.reported_criteria()]
    with pytest.raises(ValidationError, match="reported indicator first: " + ", ".join(codes)):
        services.report_submit(actor=tuan, report=report)
    assert not ReportVersion.objects.filter(report=report).exists()


def test_reported_values_must_be_numbers(persona: Any) -> None:
    tuan = persona("tuan")
    report = helpers.open_report(tuan)
    criterion = helpers.reported_criteria()[0]
    with pytest.raises(ValidationError) as refused:
        services.report_save_draft(
            actor=tuan, report=report, narratives={}, values={criterion.pk: "chín mươi"}
        )
    assert "“chín mươi” is not a number." in str(refused.value)
    services.report_save_draft(
        actor=tuan, report=report, narratives={}, values={criterion.pk: "95,5"}
    )
    assert helpers.fresh(report).values[str(criterion.pk)] == "95,5"


def test_return_and_resubmit_keep_every_version(persona: Any) -> None:
    tuan, minh = persona("tuan"), persona("minh")
    report = helpers.fill(tuan, helpers.open_report(tuan), text="Bản đầu.")
    services.evidence_add(
        actor=tuan,
        report=report,
        criterion=helpers.criterion("1.1"),
        data=helpers.PDF,
        name="v1.pdf",
    )
    v1 = services.report_submit(actor=tuan, report=report)
    with pytest.raises(ValidationError, match="Say why"):
        services.report_return(actor=minh, report=report, reason="  ")
    returned = services.report_return(actor=minh, report=report, reason="Thiếu số liệu nhóm 4.")
    again = services.report_return(actor=minh, report=report, reason="Thiếu số liệu nhóm 4.")
    assert again.pk == returned.pk
    assert helpers.fresh(report).status == Report.Status.RETURNED
    # The unit revises: the draft still holds what was submitted, and the file carries over.
    report = helpers.fill(tuan, helpers.fresh(report), text="Bản sửa, bổ sung nhóm 4.")
    services.evidence_add(
        actor=tuan,
        report=report,
        criterion=helpers.criterion("4.1"),
        data=helpers.PNG,
        name="v2.png",
    )
    v2 = services.report_submit(actor=tuan, report=report)
    assert v2.number == 2
    v1 = ReportVersion.objects.get(pk=v1.pk)
    assert v1.narratives[0]["text"] == "Bản đầu."
    assert v2.narratives[0]["text"] == "Bản sửa, bổ sung nhóm 4."
    assert v1.text_hash != v2.text_hash
    assert sorted(e.original_name for e in v1.evidence.all()) == ["v1.pdf"]
    assert sorted(e.original_name for e in v2.evidence.all()) == ["v1.pdf", "v2.png"]
    assert ReportReturn.objects.get(report=report).version_id == v1.pk
    changes = selectors.version_changes(v1, v2)
    labels = [c.label for c in changes]
    assert any(label.startswith("1.") for label in labels)
    assert "4.1" in labels  # the new file
    services.report_accept(actor=minh, report=report)
    report = helpers.fresh(report)
    assert report.status == Report.Status.ACCEPTED and report.accepted_by == minh
    with pytest.raises(ValidationError):
        helpers.fill(tuan, report)  # an accepted report is closed


def test_submitted_versions_are_immutable(persona: Any) -> None:
    tuan = persona("tuan")
    version = services.report_submit(
        actor=tuan, report=helpers.fill(tuan, helpers.open_report(tuan))
    )
    version.narratives = []
    with pytest.raises(ValueError, match="immutable"):
        version.save()


def test_removing_a_draft_file_keeps_it_in_the_submitted_version(persona: Any) -> None:
    tuan, minh = persona("tuan"), persona("minh")
    report = helpers.fill(tuan, helpers.open_report(tuan))
    item = services.evidence_add(
        actor=tuan,
        report=report,
        criterion=helpers.criterion("1.1"),
        data=helpers.PDF,
        name="a.pdf",
    )
    version = services.report_submit(actor=tuan, report=report)
    services.report_return(actor=minh, report=report, reason="Sửa lại.")
    services.evidence_remove(actor=tuan, report=helpers.fresh(report), evidence=item)
    assert not Evidence.objects.filter(report=report, version__isnull=True).exists()
    assert version.evidence.count() == 1


def test_who_may_return_or_accept(persona: Any) -> None:
    tuan, hoa, minh = persona("tuan"), persona("hoa"), persona("minh")
    report = helpers.fill(tuan, helpers.open_report(tuan))
    services.report_submit(actor=tuan, report=report)
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=hoa, report=report)  # the deputy: year-end is the leader's
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=tuan, report=report)  # never one's own report
    midyear = helpers.fill(tuan, helpers.open_report(tuan, period=Period.MIDYEAR))
    services.report_submit(actor=tuan, report=midyear)
    services.report_accept(actor=hoa, report=midyear)  # the deputy hosts the mid-year review
    # The leader's own unit is reviewed by the deputy, not by the leader.
    own = helpers.fill(minh, helpers.open_report(minh, code="QLVHGD"))
    services.report_submit(actor=minh, report=own)
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=minh, report=own)
    services.report_accept(actor=hoa, report=own)


def test_computed_indicators_match_the_campaign_evaluation(persona: Any) -> None:
    tuan = persona("tuan")
    report = helpers.fill(tuan, helpers.open_report(tuan))
    version = services.report_submit(actor=tuan, report=report)
    campaign = report.cycle.campaign
    expected = evaluate_measurable(campaign, [report.unit_id])
    computed = [row for row in version.indicators if row["computed"]]
    assert computed, "the demo campaign has computed criteria"
    for row in computed:
        evaluation = expected[(row["criterion_id"], report.unit_id)]
        value = None if evaluation.value is None else f"{evaluation.value.normalize():f}"
        assert row["value"] == value
        assert row["numerator"] == evaluation.numerator
        assert row["denominator"] == evaluation.denominator
        assert row["met"] == evaluation.met
        criterion = Criterion.objects.get(pk=row["criterion_id"])
        assert row["as_of"] == staff_date(criterion, campaign).isoformat() == "2021-12-31"
    share = next(r for r in computed if r["indicator"] == "staff_share_rated_at_least")
    how = selectors.explain(share)
    assert f"{share['numerator']} of {share['denominator']} staff" in how
    reported = [row for row in version.indicators if not row["computed"]]
    assert {row["value"] for row in reported} == {"100"}
    assert selectors.explain(reported[0]) == "Reported by the unit."
