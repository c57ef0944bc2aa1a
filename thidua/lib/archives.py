"""Zip packages from users (xlsx imports, docx templates, Office evidence), opened with a
bound on what they may unpack to: one check for every upload path.

A zip of a few kilobytes can declare a member of gigabytes (a "zip bomb"); openpyxl,
python-docx and ElementTree would inflate it into memory. Python's zipfile never inflates a
member past the size its central directory declares (it stops there and the CRC check
fails), so bounding the declared sizes bounds what any reader through zipfile can inflate.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils.translation import gettext as _


class Refusal(StrEnum):
    NOT_ZIP = "not-zip"
    TOO_LARGE = "too-large"
    TOO_MANY = "too-many"


@dataclass
class ArchiveRefused(ValueError):
    """Why a package was refused; `message` is for the person who uploaded it."""

    reason: Refusal
    limit: int = 0

    @property
    def message(self) -> str:
        if self.reason is Refusal.TOO_LARGE:
            return _(
                "The file unpacks to more than %(mb)s MB (a compressed file that inflates "
                "far beyond its size is not accepted)."
            ) % {"mb": round(self.limit / 1024 / 1024, 1)}
        if self.reason is Refusal.TOO_MANY:
            return _("The file holds more than %(count)s parts.") % {"count": self.limit}
        return _("The file is not a valid Office (zip) package.")

    def __str__(self) -> str:
        return self.message


def max_unpacked_bytes() -> int:
    return int(settings.UPLOAD_MAX_UNPACKED_BYTES)


def open_package(data: bytes, *, max_unpacked: int | None = None) -> zipfile.ZipFile:
    """The package opened for reading, after checking its declared sizes and its number of
    members; ArchiveRefused otherwise. `max_unpacked` may only tighten the setting."""
    limit = min(max_unpacked or max_unpacked_bytes(), max_unpacked_bytes())
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ArchiveRefused(Refusal.NOT_ZIP) from exc
    members = int(settings.UPLOAD_MAX_ZIP_MEMBERS)
    if len(infos) > members:
        archive.close()
        raise ArchiveRefused(Refusal.TOO_MANY, members)
    if sum(info.file_size for info in infos) > limit:
        archive.close()
        raise ArchiveRefused(Refusal.TOO_LARGE, limit)
    return archive


def check_package(data: bytes, *, max_unpacked: int | None = None) -> None:
    """open_package's checks alone."""
    open_package(data, max_unpacked=max_unpacked).close()
