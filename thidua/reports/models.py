"""A member unit's report for one period of its block's year, its submitted versions, the
leader's returns and the evidence files.

Rows are written only by `thidua.reports.services`. The report row holds the working draft
(which a deadline never locks); each submission freezes a `ReportVersion` with everything the
unit said and every computed number with how it was computed, so a later self-score or a
scorer can point at exactly what was submitted.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.campaigns.models import BlockCycle, Criterion, Milestone
from thidua.org.models import Unit


class Period(models.TextChoices):
    MIDYEAR = "midyear", _("Mid-year review (sơ kết)")
    YEAREND = "yearend", _("Year-end review (tổng kết)")


# The campaign milestone whose due date is a period's deadline.
PERIOD_MILESTONE = {
    Period.MIDYEAR: Milestone.Kind.MIDYEAR,
    Period.YEAREND: Milestone.Kind.REPORTS,
}


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for revision")
        ACCEPTED = "accepted", _("Accepted")

    cycle = models.ForeignKey(BlockCycle, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports")
    period = models.CharField(_("period"), max_length=20, choices=Period.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    # The working draft: {content group id: narrative} and {criterion id: reported value}.
    narratives = models.JSONField(default=dict, blank=True)
    values = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["cycle", "period", "unit__code"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "unit", "period"], name="one_report_per_unit_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.get_period_display()} {self.cycle.campaign.year}"

    @property
    def is_returned(self) -> bool:
        return self.status == self.Status.RETURNED

    @property
    def is_editable(self) -> bool:
        """The unit may change the draft (a passed deadline does not matter)."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class ReportVersion(models.Model):
    """One submission, frozen. Never updated after it is created."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    # [{"group_id", "code", "title", "text"}] in the campaign's order.
    narratives = models.JSONField(default=list)
    # [{"criterion_id", "code", "text", "indicator", "computed", "value", "numerator",
    #   "denominator", "source", "as_of", "comparator", "threshold", "met", "unit"}]
    indicators = models.JSONField(default=list)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_on = models.DateField(_("submitted on"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    is_late = models.BooleanField(_("submitted late"), default=False)
    # Calendar days after the due date (what a block's penalty rule counts).
    late_days = models.PositiveIntegerField(_("days late"), default=0)
    text_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_report_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("a submitted report version is immutable")
        super().save(*args, **kwargs)


class ReportReturn(models.Model):
    """The block leader sent a submitted version back with a reason."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="returns")
    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="returns")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    at = models.DateTimeField(_("returned at"), auto_now_add=True)

    class Meta:
        ordering = ["report", "at", "id"]
        verbose_name = _("report return")
        verbose_name_plural = _("report returns")
        constraints = [
            models.UniqueConstraint(fields=["version"], name="one_return_per_report_version")
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.reason[:60]}"


class Evidence(models.Model):
    """An evidence file for one criterion: in the draft (version is null) or frozen with a
    submitted version. The bytes live under DATA_DIR, named by their SHA-256."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (.docx)"
        XLSX = "xlsx", "Excel (.xlsx)"
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="evidence")
    version = models.ForeignKey(
        ReportVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    content_type = models.CharField(_("content type"), max_length=100)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # Relative to DATA_DIR/report-evidence, outside the web root.
    path = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["report", "criterion__group__order", "criterion__order", "uploaded_at", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "criterion", "sha256"],
                condition=Q(version__isnull=True),
                name="one_draft_evidence_per_file",
            ),
            models.UniqueConstraint(
                fields=["version", "criterion", "sha256"],
                condition=Q(version__isnull=False),
                name="one_version_evidence_per_file",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class ReportExport(models.Model):
    """A block's reports for one period as one ZIP, built by the job worker
    (reports.tasks): the page polls the row's status and offers the file when it is ready.
    At most one export of a board is waiting or running at a time, so a second click joins
    the first. The file lives under DATA_DIR, outside the web root, and is served only to
    those who may see the board."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    cycle = models.ForeignKey(BlockCycle, on_delete=models.PROTECT, related_name="report_exports")
    period = models.CharField(_("period"), max_length=20, choices=Period.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("reason for the failure"), blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    # Relative to files.Area.REPORT_EXPORTS (thidua.lib.files).
    path = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "period"],
                condition=Q(status__in=["queued", "running"]),
                name="one_running_report_export_per_board",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cycle} {self.period}: {self.status}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def has_failed(self) -> bool:
        return self.status == self.Status.FAILED
