"""Evidence files: what a file really is (by its bytes, never its name), and where it is kept.

Only PDF, DOCX, XLSX, JPEG and PNG are accepted. Office files are zip archives whose
[Content_Types].xml names the main part; macro-enabled variants (docm, xlsm) and any archive
carrying a VBA project are refused, as is a file whose extension says something else than its
content (a zip named .pdf, a program named .jpg).
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from thidua.lib import archives, files
from thidua.lib.files import Area
from thidua.lib.filetypes import CONTENT_TYPES, sniff

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

EXTENSIONS = {
    "pdf": {".pdf"},
    "docx": {".docx"},
    "xlsx": {".xlsx"},
    "jpeg": {".jpg", ".jpeg"},
    "png": {".png"},
}
_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
}
_MACRO_PARTS = {
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.ms-excel.sheet.binary.macroEnabled.main",
    "application/vnd.ms-office.vbaProject",
}
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_SAFE_NAME = re.compile(r"[^\w.\- ]+", re.UNICODE)


def max_bytes() -> int:
    return int(getattr(settings, "REPORT_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class Checked:
    kind: str
    content_type: str
    sha256: str
    size: int


def _not_allowed(name: str) -> ValidationError:
    return ValidationError(
        _(
            "“%(name)s” is not a PDF, Word (.docx), Excel (.xlsx), JPEG or PNG file; "
            "only these are accepted as evidence."
        )
        % {"name": name},
        code="type",
    )


def _office_kind(data: bytes, name: str) -> str:
    """docx or xlsx from the package's declared main part; refuses macros and zip bombs."""
    try:
        with archives.open_package(data) as archive:
            names = {info.filename for info in archive.infolist()}
            if "[Content_Types].xml" not in names:
                raise _not_allowed(name)
            types = ElementTree.fromstring(archive.read("[Content_Types].xml"))
    except archives.ArchiveRefused as exc:
        if exc.reason is archives.Refusal.NOT_ZIP:
            raise _not_allowed(name) from exc
        raise ValidationError(f"“{name}”: {exc.message}", code="inflation") from exc
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, RuntimeError) as exc:
        raise _not_allowed(name) from exc
    declared = {el.get("ContentType", "") for el in types.iter(f"{_CT_NS}Override")}
    declared |= {el.get("ContentType", "") for el in types.iter(f"{_CT_NS}Default")}
    if declared & _MACRO_PARTS or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ValidationError(
            _(
                "“%(name)s” contains macros (a macro-enabled Office file); save it as a "
                "plain .docx or .xlsx and upload it again."
            )
            % {"name": name},
            code="macro",
        )
    kinds = {_MAIN_PARTS[t] for t in declared if t in _MAIN_PARTS}
    if len(kinds) != 1:
        raise _not_allowed(name)
    return kinds.pop()


def detect(data: bytes, name: str) -> str:
    """The kind of file `data` is, by content; ValidationError naming the file otherwise."""
    kind = sniff(data)
    if kind == "zip":
        return _office_kind(data, name)
    if kind is None:
        raise _not_allowed(name)
    return kind


def check(data: bytes, name: str) -> Checked:
    """Size, content and name: everything that must hold before a file is stored."""
    limit = max_bytes()
    if len(data) > limit:
        raise ValidationError(
            _("“%(name)s” is larger than the %(size)s MB allowed for an evidence file.")
            % {"name": name, "size": round(limit / 1024 / 1024, 1)},
            code="size",
        )
    if not data:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    kind = detect(data, name)
    extension = Path(name).suffix.lower()
    if extension not in EXTENSIONS[kind]:
        raise ValidationError(
            _(
                "“%(name)s” is named %(extension)s but its content is %(kind)s; "
                "rename it or upload the right file."
            )
            % {"name": name, "extension": extension or "—", "kind": kind.upper()},
            code="extension",
        )
    return Checked(kind, CONTENT_TYPES[kind], hashlib.sha256(data).hexdigest(), len(data))


def clean_name(name: str) -> str:
    """The name shown and offered on download: no directories, no control characters."""
    base = Path(name.replace("\\", "/")).name.strip()
    return _SAFE_NAME.sub("_", base)[:200] or "file"


def store(checked: Checked, data: bytes) -> str:
    """Content-addressed and written durably; the same file uploaded twice is one file."""
    return files.keep(Area.REPORT_EVIDENCE, data, checked.kind).name


def read(relative: str) -> bytes:
    return files.read(Area.REPORT_EVIDENCE, relative)
