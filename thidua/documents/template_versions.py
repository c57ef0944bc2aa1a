"""Agency versions of the built-in Word templates: upload, go back to an earlier version or
to the built-in, and the choice of the file in force when a document is made.

An upload is accepted only when it is a plain Word document that renders with the template's
sample data (documents.samples); otherwise every problem is reported, with the line, the
paragraph and the field, and nothing is written: the version in force stays in force. The
checks run before the transaction, so a slow rendering holds no lock.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.lib import archives
from thidua.lib.files import sha256_hex

from . import sandbox
from .models import IssuingBody, TemplateVersion
from .permissions import Actor, Permission, authorize
from .rendering import TEMPLATES_DIR, TemplateProblem, template_path

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A DOCX is a zip: a small file may unpack into gigabytes. Real templates unpack to well
# under a megabyte; this leaves room for embedded pictures.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_NOTE = 2000
_REQUIRED_PARTS = ("[Content_Types].xml", "word/document.xml")
_MACRO_TYPES = ("macroEnabled", "vbaProject")
_KEY = re.compile(r"^[a-z0-9_]+$")
FIELD = "file"

# How the pages name the built-in templates; a key not listed shows as its file name.
TEMPLATE_TITLES: dict[str, Promise] = {
    "ke_hoach": gettext_lazy("Emulation plan"),
    "quyet_dinh_phan_cong_khoi": gettext_lazy("Decision assigning block leaders"),
    "giao_uoc": gettext_lazy("Emulation covenant"),
    "bao_cao": gettext_lazy("Report"),
    "bien_ban": gettext_lazy("Minutes"),
    "bien_ban_kiem_phieu": gettext_lazy("Tally minutes"),
    "to_trinh": gettext_lazy("Submission"),
    "quyet_dinh_khen_thuong": gettext_lazy("Commendation decision"),
    "giay_khen": gettext_lazy("Certificate of merit"),
}


@dataclass(frozen=True)
class TemplateChoice:
    """The file in force for one template and issuer: the issuer's active version, or the
    built-in file when `version` is None. Pass it to render_docx and record `version` and
    `sha256` on the issued document."""

    key: str
    version: TemplateVersion | None
    sha256: str
    content: bytes

    @property
    def file_name(self) -> str:
        return f"{self.key}.docx"


# Built-in templates and their samples ---------------------------------------------------------


def builtin_keys() -> list[str]:
    """Every template with a file in docx_templates/, by key (the file's stem)."""
    return sorted(p.stem for p in TEMPLATES_DIR.glob("*.docx") if _KEY.match(p.stem))


def is_builtin(key: str) -> bool:
    return bool(_KEY.match(key or "")) and (TEMPLATES_DIR / f"{key}.docx").is_file()


def builtin_content(key: str) -> bytes:
    return template_path(f"{key}.docx").read_bytes()


def template_title(key: str) -> str:
    title = TEMPLATE_TITLES.get(key)
    return str(title) if title is not None else f"{key}.docx"


def _sample_factories() -> Mapping[str, Callable[[], dict[str, Any]]]:
    # Imported late: the samples are written alongside the templates and a missing module
    # must only mean "no upload possible", not a broken import of the whole app.
    try:
        from .samples import SAMPLES
    except ImportError:
        return {}
    return SAMPLES


def sample_for(key: str) -> dict[str, Any] | None:
    """The sample data of a template: its keys are the fields a template may use."""
    factory = _sample_factories().get(f"{key}.docx")
    return factory() if factory is not None else None


def sample_fields(sample: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field as written in {{ … }}, example value) for the page a clerk edits against.
    Records show their members ("signer.name"); lists show their first item's members
    under "[]" ("groups[].title"), since a template walks them with {% for %}."""
    rows: list[tuple[str, str]] = []

    def add(path: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for name, item in value.items():
                add(f"{path}.{name}", item)
        elif isinstance(value, list | tuple):
            count = len(value)
            items = ngettext("a list of %(count)d item", "a list of %(count)d items", count)
            rows.append((path, items % {"count": count}))
            if value and isinstance(value[0], Mapping | list | tuple):
                add(f"{path}[]", value[0])
            elif value:
                rows.append((f"{path}[]", _example(value[0])))
        else:
            rows.append((path, _example(value)))

    for name, value in sample.items():
        add(name, value)
    return rows


def _example(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bytes):
        return _("(a picture)")
    if isinstance(value, bool | int | float | Decimal) or value is None:
        return str(value) if value is not None else "—"
    text = " ".join(str(value).split())
    return text if len(text) <= 160 else text[:159] + "…"


# Selectors ------------------------------------------------------------------------------------


def active_template(key: str, issuer: IssuingBody | None) -> TemplateChoice:
    """The file to fill for `key` when `issuer` makes a document: its active upload, else
    the built-in file."""
    version = None
    if issuer is not None:
        version = TemplateVersion.objects.filter(key=key, issuer=issuer, is_active=True).first()
    if version is not None:
        return TemplateChoice(
            key=key, version=version, sha256=version.sha256, content=bytes(version.content)
        )
    content = builtin_content(key)
    return TemplateChoice(key=key, version=None, sha256=sha256_hex(content), content=content)


def template_versions(issuer: IssuingBody, key: str) -> QuerySet[TemplateVersion]:
    """The issuer's versions of a template, newest first, without their files."""
    return (
        TemplateVersion.objects.filter(issuer=issuer, key=key)
        .defer("content")
        .select_related("uploaded_by")
        .order_by("-version")
    )


def active_versions(issuer: IssuingBody) -> dict[str, TemplateVersion]:
    rows = (
        TemplateVersion.objects.filter(issuer=issuer, is_active=True)
        .defer("content")
        .select_related("uploaded_by")
    )
    return {row.key: row for row in rows}


# Checks ---------------------------------------------------------------------------------------


def too_large_message() -> str:
    return _("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}


def check_package(data: bytes) -> list[str]:
    """Problems with the file itself, judged by its content, not its name: a Word document
    is a zip holding [Content_Types].xml and word/document.xml, and one with macros is
    refused whatever it is called."""
    if not data:
        return [_("The file is empty.")]
    if len(data) > MAX_UPLOAD_BYTES:
        return [too_large_message()]
    not_docx = _("The file is not a Word document (.docx). Save it in Word as “Word Document”.")
    try:
        archive = archives.open_package(data, max_unpacked=MAX_UNPACKED_BYTES)
        infos = archive.infolist()
    except archives.ArchiveRefused as refusal:
        return [not_docx if refusal.reason is archives.Refusal.NOT_ZIP else refusal.message]
    names = {info.filename for info in infos}
    if not all(part in names for part in _REQUIRED_PARTS):
        return [not_docx]
    try:
        content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        return [not_docx]
    if any(name.lower().endswith("vbaproject.bin") for name in names) or any(
        marker in content_types for marker in _MACRO_TYPES
    ):
        return [
            _(
                "The file contains macros, which are not accepted. Save it in Word as "
                "“Word Document” (.docx), without macros."
            )
        ]
    return []


def problem_message(problem: TemplateProblem) -> str:
    """One problem as the clerk reads it, e.g. "Line 8 (paragraph “Số: {{ so_hieu }”): …"."""
    where = _where(problem)
    if problem.kind == "syntax":
        return _(
            "%(where)s: the tag cannot be read (%(error)s). Check its braces {{ }} or {%% %%}."
        ) % {
            "where": where,
            "error": problem.detail.rstrip("."),
        }
    if problem.kind == "field":
        return _("%(where)s: the field “%(field)s” is not among the template's fields.") % {
            "where": where,
            "field": problem.field,
        }
    return _("%(where)s: the template cannot be filled with the sample data (%(error)s).") % {
        "where": where,
        "error": problem.detail.rstrip("."),
    }


def _where(problem: TemplateProblem) -> str:
    if problem.line is None:
        return _("In the document")
    if problem.part == "header":
        place = _("Header, line %(line)d") % {"line": problem.line}
    elif problem.part == "footer":
        place = _("Footer, line %(line)d") % {"line": problem.line}
    else:
        place = _("Line %(line)d") % {"line": problem.line}
    if problem.paragraph:
        return _("%(place)s (paragraph “%(paragraph)s”)") % {
            "place": place,
            "paragraph": problem.paragraph,
        }
    return place


def check_template(key: str, data: bytes) -> list[str]:
    """Every reason `data` cannot replace the template `key`, as messages; empty when it
    may. Writes nothing."""
    if not is_builtin(key):
        return [_("There is no built-in template “%(key)s”.") % {"key": key}]
    sample = sample_for(key)
    if sample is None:
        return [
            _(
                "The template “%(key)s” has no sample data yet, so an upload cannot be "
                "checked; it cannot be replaced for now."
            )
            % {"key": key}
        ]
    problems = check_package(data)
    if problems:
        return problems
    try:
        found = [TemplateProblem(**problem) for problem in sandbox.problems(data, sample)]
    except sandbox.TemplateTooCostly as refusal:
        logger.info("uploaded template %s refused: %s", key, refusal.resource)
        return list(refusal.messages)
    except Exception:  # whatever python-docx or lxml make of a broken package
        # A zip with the right names but parts Word would not open either; the details
        # (lxml's or python-docx's words) mean nothing to a clerk, so they go to the log.
        logger.info("uploaded template %s refused as unreadable", key, exc_info=True)
        return [
            _(
                "The file is not a readable Word document. Open it in Word and save it again "
                "as “Word Document” (.docx)."
            )
        ]
    return [problem_message(problem) for problem in found]


# Services -------------------------------------------------------------------------------------


def _snapshot(version: TemplateVersion) -> dict[str, Any]:
    return {
        "key": version.key,
        "issuer": version.issuer.symbol,
        "version": version.version,
        "sha256": version.sha256,
        "original_name": version.original_name,
        "note": version.note,
    }


def _user(actor: Actor) -> Any:
    # The system (None) and anonymous requests are recorded as nobody.
    return actor if getattr(actor, "pk", None) is not None else None


def _lock(issuer: IssuingBody) -> None:
    # Uploads and switches for one issuer queue on its row, so two of them at the same
    # moment cannot both become active or take the same version number.
    IssuingBody.objects.select_for_update().filter(pk=issuer.pk).first()


def _current(issuer: IssuingBody, key: str) -> TemplateVersion | None:
    return (
        TemplateVersion.objects.filter(issuer=issuer, key=key, is_active=True)
        .defer("content")
        .first()
    )


def template_upload(
    *,
    actor: Actor,
    issuer: IssuingBody,
    key: str,
    data: bytes,
    original_name: str = "",
    note: str = "",
) -> TemplateVersion:
    """Accept an agency's version of template `key` and put it in force. Uploading the file
    already in force again (a double click) changes nothing and returns that version."""
    authorize(actor, Permission.ISSUE, issuer.unit)
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ValidationError(
            {"note": _("The note is longer than %(max)d characters.") % {"max": MAX_NOTE}}
        )
    problems = check_template(key, data)
    if problems:
        raise ValidationError({FIELD: problems})
    digest = sha256_hex(data)
    with transaction.atomic():
        _lock(issuer)
        current = _current(issuer, key)
        if current is not None and current.sha256 == digest:
            return current
        last = TemplateVersion.objects.filter(issuer=issuer, key=key).aggregate(n=Max("version"))
        if current is not None:
            current.is_active = False
            current.save(update_fields=["is_active"])
        version = TemplateVersion.objects.create(
            key=key,
            issuer=issuer,
            version=(last["n"] or 0) + 1,
            content=data,
            sha256=digest,
            original_name=(original_name or "").strip()[:255],
            note=note,
            is_active=True,
            uploaded_by=_user(actor),
        )
        record(
            actor=actor,
            action=AuditAction.DOCUMENT_TEMPLATE_UPLOADED,
            obj=version,
            before={"active_version": current.version if current else None},
            after=_snapshot(version),
        )
    return version


def template_activate(*, actor: Actor, version: TemplateVersion) -> TemplateVersion:
    """Put an earlier version back in force. It was checked when it was uploaded."""
    issuer = version.issuer
    authorize(actor, Permission.ISSUE, issuer.unit)
    with transaction.atomic():
        _lock(issuer)
        version = TemplateVersion.objects.defer("content").get(pk=version.pk)
        current = _current(issuer, version.key)
        if current is not None and current.pk == version.pk:
            return version
        if current is not None:
            current.is_active = False
            current.save(update_fields=["is_active"])
        version.is_active = True
        version.save(update_fields=["is_active"])
        record(
            actor=actor,
            action=AuditAction.DOCUMENT_TEMPLATE_ACTIVATED,
            obj=version,
            before={"active_version": current.version if current else None},
            after={"active_version": version.version},
        )
    return version


def template_reset(*, actor: Actor, issuer: IssuingBody, key: str) -> TemplateVersion | None:
    """Go back to the built-in template; the uploaded versions stay in the history. Returns
    the version taken out of force, or None when the built-in was already in force."""
    authorize(actor, Permission.ISSUE, issuer.unit)
    with transaction.atomic():
        _lock(issuer)
        current = _current(issuer, key)
        if current is None:
            return None
        current.is_active = False
        current.save(update_fields=["is_active"])
        record(
            actor=actor,
            action=AuditAction.DOCUMENT_TEMPLATE_RESET,
            obj=current,
            before={"active_version": current.version},
            after={"active_version": None},
        )
    return current
