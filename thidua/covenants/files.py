"""The covenant's text as files, frozen per circulated revision (CovenantRevision).

At circulation the DOCX is rendered from the `giao_uoc.docx` template and stored with its
SHA-256. The PDF is made from that stored DOCX once, the first time someone needs it (to
download it for signing with a USB token), under the revision row's lock, and is never
regenerated: LibreOffice does not produce identical bytes twice, and token signatures are
checked against exactly these bytes. Making it lazily keeps circulation fast and lets a
server without LibreOffice still circulate (members then sign in the system only).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.lib import files
from thidua.lib.files import Area

from .models import Covenant, CovenantRevision

logger = logging.getLogger(__name__)

TEMPLATE = "giao_uoc.docx"


def _store(relative: Path, data: bytes) -> str:
    return files.write(Area.COVENANTS, relative.as_posix(), data)


def _relative(row: CovenantRevision, extension: str, sha256: str) -> Path:
    """The hash in the name: a file, once written, is never overwritten by other bytes
    (another database sharing the data directory, a retry after a crash)."""
    covenant = row.covenant
    name = f"giao-uoc-v{covenant.version}-r{row.revision}-{sha256[:16]}.{extension}"
    return Path(str(covenant.term.year)) / f"covenant-{covenant.pk}" / name


def read(relative: str) -> bytes:
    return files.read(Area.COVENANTS, relative)


def render_docx(covenant: Covenant) -> bytes:
    from thidua.documents.models import IssuingBody
    from thidua.documents.rendering import render_docx as render
    from thidua.documents.services import choose_template

    from .documents import covenant_context

    # The agency's own version of the covenant template when it has one in force.
    content = None
    body = IssuingBody.objects.filter(unit=covenant.term.block.agency).first()
    if body is not None:
        _record, content = choose_template(TEMPLATE, body)
    return render(TEMPLATE, covenant_context(covenant), content=content)


def _try_docx(row: CovenantRevision, covenant: Covenant) -> None:
    """Fill row's DOCX; a failure is noted on the row, never stops circulation: the members
    can still sign in the system, and the file can be made later from the same text."""
    try:
        docx = render_docx(covenant)
    except Exception:  # a missing template or a generator bug must not block signing
        logger.exception("Covenant %s revision %s: DOCX not rendered", covenant.pk, row.revision)
        row.error = _("The covenant document could not be rendered (template missing or broken).")
        return
    row.docx_sha256 = hashlib.sha256(docx).hexdigest()
    row.docx_path = _store(_relative(row, "docx", row.docx_sha256), docx)
    row.error = ""


def freeze_revision(covenant: Covenant) -> CovenantRevision:
    """Called by covenant_circulate, inside its transaction, when the revision moves."""
    row, created = CovenantRevision.objects.get_or_create(
        covenant=covenant, revision=covenant.revision, defaults={"text_hash": covenant.text_hash}
    )
    if created:
        row.covenant = covenant
        _try_docx(row, covenant)
        row.save(update_fields=["docx_path", "docx_sha256", "error"])
    return row


def current_revision(covenant: Covenant) -> CovenantRevision | None:
    return CovenantRevision.objects.filter(covenant=covenant, revision=covenant.revision).first()


def _text_unchanged(covenant: Covenant, row: CovenantRevision) -> bool:
    from .services import covenant_text_hash

    return covenant_text_hash(covenant) == row.text_hash


def revision_docx(covenant: Covenant) -> tuple[CovenantRevision, bytes]:
    """The frozen DOCX of the covenant's current revision, rendering it now if circulation
    could not (only while the text is still exactly that revision's)."""
    with transaction.atomic():
        row = _locked(covenant)
        if not row.docx_path and _text_unchanged(covenant, row):
            _try_docx(row, covenant)
            row.save(update_fields=["docx_path", "docx_sha256", "error"])
    if not row.docx_path:
        raise ValidationError(row.error or _("No document was made for this revision."))
    return row, read(row.docx_path)


def _locked(covenant: Covenant) -> CovenantRevision:
    row = (
        CovenantRevision.objects.select_for_update()
        .select_related("covenant__term")
        .filter(covenant=covenant, revision=covenant.revision)
        .first()
    )
    if row is None:
        raise ValidationError(_("The covenant has not been sent for signature yet."))
    return row


def revision_pdf(covenant: Covenant) -> tuple[CovenantRevision, bytes]:
    """The frozen PDF of the current revision: made once from the frozen DOCX, then kept.
    Raises ValidationError with the reason when it cannot be made (no LibreOffice)."""
    from thidua.documents.pdf import PdfError, docx_to_pdf

    row, docx = revision_docx(covenant)
    if row.pdf_path:
        return row, read(row.pdf_path)
    error = ""
    with transaction.atomic():
        # A concurrent request waits here and then finds the PDF made by the first one.
        row = _locked(covenant)
        if row.pdf_path:
            return row, read(row.pdf_path)
        try:
            pdf = docx_to_pdf(docx, archive=True)
        except PdfError as failure:
            error = failure.reason
        else:
            row.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
            row.pdf_path = _store(_relative(row, "pdf", row.pdf_sha256), pdf)
            row.error = ""
            row.save(update_fields=["pdf_path", "pdf_sha256", "error"])
            return row, pdf
    CovenantRevision.objects.filter(pk=row.pk).update(error=error)
    raise ValidationError(
        _("The PDF of the covenant cannot be made: %(reason)s Sign in the system instead.")
        % {"reason": error}
    )


def revision_of_file(covenant: Covenant, data: bytes) -> CovenantRevision | None:
    """The earlier frozen revision whose PDF `data` extends, if any: a member who signed
    an old download is told which revision it was."""
    older = CovenantRevision.objects.filter(covenant=covenant, revision__lt=covenant.revision)
    for row in older.exclude(pdf_path="").order_by("-revision"):
        original = read(row.pdf_path)
        if data.startswith(original):
            return row
    return None
