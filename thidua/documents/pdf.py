"""DOCX → PDF through LibreOffice headless (stack.md §2.7).

One `soffice --convert-to pdf` process converts any number of files, and starting it costs
about a second, so bulk issuing goes through `docx_to_pdf_many`, which hands a whole batch
to one process. Every invocation gets its own fresh profile directory
(-env:UserInstallation): two LibreOffice processes sharing a profile block each other or
silently hand the job to the other one, and a fresh profile also carries no state left over
by a crashed run.

Failures are split in two so the interface can say plainly what is wrong:
* `PdfUnavailable`: LibreOffice is not installed here (DOCX still works);
* `PdfConversionFailed`: it ran but produced no PDF (crash, timeout, unreadable input).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

# The Debian package that provides a headless `soffice`, named in every "not installed"
# message so an administrator knows what to install.
SOFFICE_PACKAGE = "libreoffice-writer-nogui"
# PDF/A-2b for archiving (stack.md §2.7: pdfinfo shows pdfaid:part 2, conformance B).
PDF_FILTER = "pdf"
PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
# Files per soffice process in docx_to_pdf_many: large enough that the start-up second is
# amortised, small enough that one bad file or a timeout costs little and memory stays flat.
DEFAULT_BATCH_SIZE = 50
# Output beyond this is only kept for error messages.
_STDERR_LIMIT = 2000


class PdfError(Exception):
    """Base of the PDF errors; `reason` is a sentence for a person."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PdfUnavailable(PdfError):
    """LibreOffice is not installed (or SOFFICE_PATH points nowhere)."""


class PdfConversionFailed(PdfError):
    """LibreOffice ran but produced no PDF: it crashed, timed out or could not read the
    file."""


def soffice_path() -> str:
    """The soffice binary: settings.SOFFICE_PATH if set, else the one on PATH."""
    configured = getattr(settings, "SOFFICE_PATH", None)
    if configured:
        path = Path(configured)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise PdfUnavailable(
                _(
                    "LibreOffice not found at SOFFICE_PATH (%(path)s). Install the %(package)s "
                    "package or correct SOFFICE_PATH."
                )
                % {"path": configured, "package": SOFFICE_PACKAGE}
            )
        return str(path)
    found = shutil.which("soffice")
    if found is None:
        raise PdfUnavailable(
            _(
                "LibreOffice is not installed on the server, so PDF files cannot be made "
                "(Word files still can). Install the %(package)s package."
            )
            % {"package": SOFFICE_PACKAGE}
        )
    return found


def pdf_available() -> tuple[bool, str]:
    """(True, "") or (False, why), for the interface to show instead of a PDF button."""
    try:
        soffice_path()
    except PdfUnavailable as error:
        return False, error.reason
    return True, ""


def _timeout_default(timeout: float | None) -> float:
    return float(settings.PDF_TIMEOUT_SECONDS if timeout is None else timeout)


def _run_soffice(
    inputs: Sequence[Path], out_dir: Path, work: Path, *, archive: bool, timeout: float
) -> tuple[bool, str]:
    """Run one soffice over `inputs`, writing <stem>.pdf into out_dir. Returns (timed_out,
    stderr). The process runs in its own session so a timeout kills soffice.bin too, not
    only the shell wrapper that started it."""
    profile = work / "profile"
    command = [
        soffice_path(),
        "--headless",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        f"-env:UserInstallation={profile.as_uri()}",
        # Read every input as Word 2007+: without it LibreOffice guesses, and a damaged file
        # comes out as a PDF of its raw bytes printed as text.
        "--infilter=MS Word 2007 XML",
        "--convert-to",
        PDFA_FILTER if archive else PDF_FILTER,
        "--outdir",
        str(out_dir),
        *(str(path) for path in inputs),
    ]
    # HOME inside the work dir: LibreOffice and fontconfig write caches there, and the
    # service user's real home may be read-only.
    env = {**os.environ, "HOME": str(work)}
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=work,
        start_new_session=True,
    )
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        # It may have exited between the timeout and the kill.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        _, stderr = process.communicate()
        return True, stderr.decode(errors="replace")[-_STDERR_LIMIT:]
    return False, stderr.decode(errors="replace")[-_STDERR_LIMIT:]


def _convert_batch(
    docs: Sequence[bytes], *, archive: bool, timeout: float
) -> list[bytes | PdfError]:
    """One soffice process for all of `docs`; a missing or empty output is that file's
    failure, whatever happened to the others."""
    with tempfile.TemporaryDirectory(prefix="thidua-pdf-") as tmp:
        work = Path(tmp)
        in_dir, out_dir = work / "in", work / "out"
        in_dir.mkdir()
        out_dir.mkdir()
        inputs = []
        for index, data in enumerate(docs):
            path = in_dir / f"{index:06d}.docx"
            path.write_bytes(data)
            inputs.append(path)
        if not inputs:
            return []
        timed_out, stderr = _run_soffice(inputs, out_dir, work, archive=archive, timeout=timeout)
        results: list[bytes | PdfError] = []
        for path in inputs:
            output = out_dir / f"{path.stem}.pdf"
            data = output.read_bytes() if output.is_file() else b""
            if data.startswith(b"%PDF-"):
                results.append(data)
            elif timed_out:
                results.append(
                    PdfConversionFailed(
                        _("LibreOffice did not finish within %(seconds)s seconds and was stopped.")
                        % {"seconds": f"{timeout:g}"}
                    )
                )
            else:
                detail = stderr.strip().splitlines()[-1] if stderr.strip() else ""
                results.append(
                    PdfConversionFailed(
                        _("LibreOffice produced no PDF for this file. %(detail)s")
                        % {"detail": detail}
                    )
                )
        return results


def docx_to_pdf(docx: bytes, *, archive: bool = False, timeout: float | None = None) -> bytes:
    """Convert one DOCX; `archive` gives PDF/A-2b. Raises PdfUnavailable or
    PdfConversionFailed. `timeout` defaults to settings.PDF_TIMEOUT_SECONDS."""
    result = _convert_batch([docx], archive=archive, timeout=_timeout_default(timeout))[0]
    if isinstance(result, PdfError):
        raise result
    return result


def docx_to_pdf_many(
    docs: Sequence[bytes],
    *,
    archive: bool = False,
    timeout: float | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> list[bytes | Exception]:
    """Convert many DOCX files, `batch_size` per soffice process. The result has one entry
    per input, in order: the PDF bytes or the PdfConversionFailed for that file, so one bad
    file never stops the others. `timeout` (default settings.PDF_TIMEOUT_SECONDS) applies to
    each batch; files a timed-out batch had already converted are kept.

    Raises PdfUnavailable up front when LibreOffice is missing: that is not a per-file
    problem."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    soffice_path()
    limit = _timeout_default(timeout)
    results: list[bytes | Exception] = []
    for start in range(0, len(docs), batch_size):
        results.extend(
            _convert_batch(docs[start : start + batch_size], archive=archive, timeout=limit)
        )
    return results
