"""Every file the system keeps, through one storage: issued documents, uploads, evidence,
signed PDFs, exports. Nothing else writes under the data directory.

- **One backend, chosen by settings.** `STORAGES["files"]` (see `files_config.py`): the
  local disk under DATA_DIR by default, an S3-compatible bucket through django-storages when
  the environment names one (several app hosts then share the files). Callers never see a
  filesystem path, only an area and a name relative to it.
- **Per-area folders.** Each kind of file has its `Area`; a row stores the name relative to
  its area, so the names already stored in existing databases keep working.
- **Atomic and durable writes** on the local disk: the bytes go to a temporary file (its name
  holds the process id and a random part, so two processes or threads never share one), the
  file and then its folder are fsync'ed, and `os.replace` puts it in place: a reader sees the
  whole old file or the whole new one, never half, even after a power cut.
- **Content-addressed names** (`keep`): named by their SHA-256, so the same bytes uploaded
  twice are one file and a stored file is never overwritten by other bytes.
- **No file without its row** (`removed_on_failure`): a service that stores a file and then
  fails (refused, or its transaction rolled back) removes the files it created.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible

from .files_config import CHECKPOINT_STORAGE_ALIAS

logger = logging.getLogger(__name__)

STORAGE_ALIAS = "files"
SHA256_RE = re.compile(r"[0-9a-f]{64}")


class Area(StrEnum):
    """The folder of each kind of stored file, relative to the storage's root."""

    DOCUMENTS = "documents"  # issued documents (DOCX, PDF) and a decision's list annex
    DOSSIERS = "dossiers"  # block dossier ZIPs
    COVENANTS = "covenants"  # the circulated covenant texts
    SIGNED_PDFS = "signed-pdfs"  # token-signed PDFs uploaded back
    PROPOSAL_FILES = "proposal-files"  # files attached to award dossiers
    REPORT_EVIDENCE = "report-evidence"  # files attached to unit reports
    INITIATIVE_EVIDENCE = "initiative-evidence"  # files supporting an initiative
    REPORT_EXPORTS = "report-exports"  # a board's report ZIPs
    REPORT_PDFS = "report-pdfs"  # a frozen report version's PDF
    AWARDS = "awards"  # scanned originals of award decisions ("originals/…")
    AWARD_IMPORTS = "awards/uploads"  # award lists waiting for confirmation
    SCORING_SHEETS = "scoring/sheets"  # scoring workbooks waiting for confirmation
    ORG_IMPORTS = "uploads/imports"  # organisation workbooks for the import job
    AUDIT_CHECKPOINTS = "audit-checkpoints"  # the audit log's signed checkpoints (never rewritten)


@dataclass(frozen=True)
class Stored:
    name: str  # relative to the area: what a row keeps
    sha256: str
    size: int


def storage(area: Area | None = None) -> Storage:
    """The files storage; the audit checkpoints' own one when settings configure it."""
    if area is Area.AUDIT_CHECKPOINTS and CHECKPOINT_STORAGE_ALIAS in settings.STORAGES:
        return storages[CHECKPOINT_STORAGE_ALIAS]
    return storages[STORAGE_ALIAS]


def _full_name(area: Area, name: str) -> str:
    """`area/name`, refusing names that leave the area or that a row could not have made."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
        raise SuspiciousFileOperation(f"not a stored file name: {name!r}")
    return f"{area.value}/{path.as_posix()}"


# The files created inside the innermost `removed_on_failure` block, to remove if it fails.
_created: ContextVar[list[tuple[Area, str]] | None] = ContextVar("files_created", default=None)


@contextmanager
def removed_on_failure() -> Iterator[None]:
    """Files first created (not merely rewritten) inside the block are removed again when
    the block raises: a service whose database step fails or refuses leaves no file behind
    without a row. Put it outside the service's transaction (also as a decorator above
    `@transaction.atomic`), so the rows are rolled back before the files go. A file that was
    already there (the same bytes kept by another row) is never removed."""
    token = _created.set([])
    try:
        yield
    except BaseException:
        for area, name in reversed(_created.get() or []):
            try:
                delete(area, name)
            except OSError:
                logger.warning("could not remove %s/%s after a failed step", area, name)
        raise
    finally:
        _created.reset(token)


def write(area: Area, name: str, data: bytes) -> str:
    """Store `data` as `name` in `area`, replacing what was there; returns `name`."""
    created = _created.get()
    if created is not None and not exists(area, name):
        created.append((area, name))
    storage(area).save(_full_name(area, name), ContentFile(data))
    return name


def keep(
    area: Area, data: bytes, extension: str, *, folder: str = "", fan_out: bool = True
) -> Stored:
    """Store `data` under its SHA-256 (`folder/ab/abcd….ext` with fan-out, else
    `folder/abcd….ext`), unless the same bytes are already there."""
    digest = sha256_hex(data)
    parts = [p for p in (folder, digest[:2] if fan_out else "", f"{digest}.{extension}") if p]
    name = "/".join(parts)
    if not exists(area, name):
        write(area, name, data)
    return Stored(name, digest, len(data))


# An upload waiting for its confirmation travels between the two requests as its SHA-256.


def keep_upload(area: Area, data: bytes, extension: str = "xlsx") -> str:
    """Keep an upload until the user confirms it; returns its SHA-256 for the form."""
    return keep(area, data, extension, fan_out=False).sha256


def read_upload(area: Area, sha256: str, extension: str = "xlsx") -> bytes | None:
    """The upload a confirmation names, or None (not a digest, or gone)."""
    if not SHA256_RE.fullmatch(sha256):
        return None
    return read_if_exists(area, f"{sha256}.{extension}")


def drop_upload(area: Area, sha256: str, extension: str = "xlsx") -> None:
    if SHA256_RE.fullmatch(sha256):
        delete(area, f"{sha256}.{extension}")


def create(area: Area, name: str, data: bytes) -> str:
    """Store `data` as a new file `name`; FileExistsError when one is already there (an
    append-only area: what was written is never replaced through this module). The caller
    serialises its writers (the audit checkpoints hold the chain's lock)."""
    if exists(area, name):
        raise FileExistsError(_full_name(area, name))
    return write(area, name, data)


def names(area: Area) -> list[str]:
    """The names of the files directly in `area`, sorted; [] when it holds none."""
    try:
        _folders, found = storage(area).listdir(area.value)
    except FileNotFoundError:
        return []
    return sorted(name for name in found if not name.startswith("."))


def read(area: Area, name: str) -> bytes:
    """The stored bytes; FileNotFoundError when there is no such file."""
    with open_file(area, name) as handle:
        data: bytes = handle.read()
    return data


def read_if_exists(area: Area, name: str) -> bytes | None:
    """The stored bytes, or None for an empty name, a missing file or a name no row makes."""
    if not name:
        return None
    try:
        return read(area, name)
    except (FileNotFoundError, SuspiciousFileOperation):
        return None


def open_file(area: Area, name: str) -> File:
    """The stored file opened for reading (FileResponse closes it); FileNotFoundError when
    missing."""
    full = _full_name(area, name)
    if not storage(area).exists(full):
        raise FileNotFoundError(full)
    return storage(area).open(full, "rb")


def file_response(
    area: Area, name: str, *, filename: str, content_type: str, as_attachment: bool = True
) -> FileResponse:
    """A stored file as a download; 404 when the row names no file or the file is gone.
    The caller has checked that the user may have it."""
    try:
        handle = open_file(area, name)
    except (FileNotFoundError, SuspiciousFileOperation):
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=as_attachment, filename=filename, content_type=content_type
    )


def exists(area: Area, name: str) -> bool:
    try:
        return storage(area).exists(_full_name(area, name))
    except SuspiciousFileOperation:
        return False


def delete(area: Area, name: str) -> None:
    """Remove a stored file; nothing happens when it is already gone."""
    if name:
        storage(area).delete(_full_name(area, name))


def local_path(area: Area, name: str) -> Path:
    """Where a stored file is on the local disk (NotImplementedError on S3): for operators'
    tools and tests, never for serving."""
    return Path(storage(area).path(_full_name(area, name)))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# The local backend ---------------------------------------------------------------------------


def atomic_write(target: Path, chunks: Any) -> None:
    """Write the byte chunks to `target` so that it holds the old or the new content whole,
    also after a crash: temporary file, fsync, rename, fsync of the folder."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(6)}.partial")
    try:
        with open(partial, "xb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable: the folder's entry is data too."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@deconstructible(path="thidua.lib.files.DurableFileSystemStorage")
class DurableFileSystemStorage(FileSystemStorage):
    """Django's file system storage, writing atomically and durably, replacing a file of
    the same name instead of inventing another name. Its root is DATA_DIR unless a
    `location` is given, read each time so that a test's own DATA_DIR is followed."""

    def __init__(self, location: str | Path | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("allow_overwrite", True)
        super().__init__(location=location, **kwargs)
        self._root = location

    @property
    def base_location(self) -> str:
        return str(self._root if self._root is not None else settings.DATA_DIR)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def _save(self, name: str, content: File) -> str:
        atomic_write(Path(self.path(name)), content.chunks())
        return name
