"""One ZIP with every submitted report of a block for a period: per report (its latest
submitted version) a PDF made through the document engine, the DOCX it was made from, a
printable HTML page, and the evidence files of that version; plus a CSV summary of every
member's state. Drafts are the unit's work in progress and are never exported.

The archive is built in the job worker (reports.tasks), not in the request: the first export
of a year converts every report to PDF with LibreOffice, which takes longer than a request
should. `export_request` writes a ReportExport row and queues the task when it commits; a
second click while one is waiting or running gets that one back. The board polls the row
(htmx) and offers the file when it is ready; a failure shows its reason and a retry. The
PDFs of frozen versions are kept, so only the first export converts. Without LibreOffice the
ZIP still has the DOCX and HTML, and the CSV says why the PDF is missing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import secrets
import zipfile
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.campaigns.models import BlockCycle
from thidua.lib import files
from thidua.lib.csvfile import csv_bytes
from thidua.lib.files import Area
from thidua.org.models import User
from thidua.org.permissions import Actor

from . import document
from . import evidence as evidence_files
from .models import Period, ReportExport
from .permissions import may_see_board
from .selectors import Board, board, explain, version_evidence

logger = logging.getLogger(__name__)

Status = ReportExport.Status
# An export with no news for this long is taken as failed: the worker was stopped or the
# server restarted, and a new click must not wait for it forever.
STALLED_AFTER = dt.timedelta(hours=1)


def _folder(code: str, name: str) -> str:
    return f"{code}-{slugify(name)[:40]}".strip("-")


def export_zip(board: Board) -> tuple[str, bytes]:
    """(file name, bytes) of the block's archive for the board's period."""
    buffer = io.BytesIO()
    summary: list[list[object]] = [
        [
            "unit_code",
            "unit",
            "state",
            "version",
            "submitted_on",
            "due_on",
            "late_days",
            "sha256",
            "pdf",
        ]
    ]
    versions = [row.version for row in board.rows if row.version is not None]
    docx = {version.pk: document.version_docx(version) for version in versions}
    pdfs = document.version_pdfs(versions, docx) if versions else {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for row in board.rows:
            version = row.version
            summary.append(
                [
                    row.unit.code,
                    row.unit.name,
                    row.state,
                    version.number if version else "",
                    version.submitted_on.isoformat() if version else "",
                    board.deadline.isoformat() if board.deadline else "",
                    version.late_days if version else "",
                    version.text_hash if version else "",
                    _pdf_note(pdfs.get(version.pk)) if version else "",
                ]
            )
            if version is None or row.report is None:
                continue
            folder = _folder(row.unit.code, row.unit.name)
            evidence = version_evidence(version)
            page = render_to_string(
                "reports/print.html",
                {
                    "report": row.report,
                    "version": version,
                    "indicators": [(i, explain(i)) for i in version.indicators],
                    "evidence": evidence,
                    "standalone": True,
                },
            )
            base = f"{folder}/bao-cao-v{version.number}"
            archive.writestr(f"{base}.html", page)
            archive.writestr(f"{base}.docx", docx[version.pk])
            pdf = pdfs.get(version.pk)
            if isinstance(pdf, bytes):
                archive.writestr(f"{base}.pdf", pdf)
            used: set[str] = set()
            for item in evidence:
                prefix = f"{folder}/minh-chung/{item.criterion.code}"
                name = f"{prefix}-{item.original_name}"
                if name in used:  # two different files with the same name on a criterion
                    name = f"{prefix}-{item.sha256[:8]}-{item.original_name}"
                used.add(name)
                archive.writestr(name, evidence_files.read(item.path))
        # A BOM so Excel opens the Vietnamese names as UTF-8.
        archive.writestr("tong-hop.csv", csv_bytes(summary))
    term = board.cycle.term
    name = f"bao-cao-{term.block.code}-{term.year}-{board.period}.zip"
    return name, buffer.getvalue()


def _pdf_note(pdf: bytes | str | None) -> str:
    if isinstance(pdf, bytes):
        return "ok"
    return pdf or ""


# The export job ------------------------------------------------------------------------------


def latest_for(cycle: BlockCycle, period: str) -> ReportExport | None:
    """The board's most recent export, whatever its state."""
    return ReportExport.objects.filter(cycle=cycle, period=period).first()


def _stalled(job: ReportExport) -> bool:
    moment = job.started_at or job.requested_at
    return job.is_running and timezone.now() - moment > STALLED_AFTER


def export_request(*, actor: Actor, cycle: BlockCycle, period: str) -> ReportExport:
    """Queue the board's ZIP, or return the export already waiting or running for it."""
    cycle = BlockCycle.objects.select_related("term__block__agency").get(pk=cycle.pk)
    if not isinstance(actor, User) or not may_see_board(actor, cycle):
        raise PermissionDenied(_("Only those who follow the block's board may export it."))
    if period not in Period.values:
        raise ValidationError(_("Unknown report period."))
    with transaction.atomic():
        # The cycle row serialises two clicks: the second sees the first's export.
        BlockCycle.objects.select_for_update().filter(pk=cycle.pk).first()
        running = ReportExport.objects.filter(
            cycle=cycle, period=period, status__in=(Status.QUEUED, Status.RUNNING)
        ).first()
        if running is not None and not _stalled(running):
            return running
        if running is not None:
            fail(running.pk, _("The worker stopped before the ZIP was finished."))
        job = ReportExport.objects.create(cycle=cycle, period=period, requested_by=actor)
        record(
            actor=actor,
            action=AuditAction.REPORT_EXPORT_REQUESTED,
            obj=job,
            after={"block": cycle.term.block.code, "period": period},
        )
        transaction.on_commit(partial(_enqueue, job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import report_export_task

    report_export_task.enqueue(job_id, translation.get_language() or settings.LANGUAGE_CODE)


def run_export(job_id: int) -> str:
    """Build and store one export; returns what happened ("done", "failed", "skipped"). Only
    a waiting export is taken, so a task run twice builds it once."""
    claimed = ReportExport.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    job = ReportExport.objects.select_related("cycle__campaign", "cycle__term__block").get(
        pk=job_id
    )
    try:
        name, data = export_zip(board(job.cycle, job.period))
        relative = f"{job.pk}-{secrets.token_hex(8)}.zip"
        files.write(Area.REPORT_EXPORTS, relative, data)
    except Exception as error:  # whatever goes wrong, the page must say so and offer a retry
        logger.exception("report export %s failed", job_id)
        fail(job_id, _("The ZIP could not be made: %(reason)s") % {"reason": error})
        return "failed"
    ReportExport.objects.filter(pk=job_id).update(
        status=Status.DONE,
        finished_at=timezone.now(),
        file_name=name,
        path=relative,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    return "done"


def fail(job_id: int, reason: str) -> None:
    """The export failed (also when its worker died: reports.tasks); a running one only."""
    ReportExport.objects.filter(pk=job_id, status__in=(Status.QUEUED, Status.RUNNING)).update(
        status=Status.FAILED, finished_at=timezone.now(), error=reason[:2000]
    )
