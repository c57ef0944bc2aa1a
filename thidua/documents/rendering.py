"""Fill a Word template from docx_templates/ with a plain context: render_docx(name, ctx) → bytes.

Documents receive plain data (design.md §2): dicts, lists, strings, numbers, dates — never
model instances, whose lazy attribute access would run queries inside a template and tie
the documents app back to the others. The check below enforces it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined

TEMPLATES_DIR = Path(__file__).resolve().parent / "docx_templates"

_NAME = re.compile(r"^[a-z0-9_]+\.docx$")
_SCALARS = (str, int, float, bool, Decimal, dt.date, type(None))
# XML 1.0 forbids most C0 controls, and docxtpl turns "\a" and "\f" into new paragraphs and
# page breaks: neither may come in from data typed by users. "\n" (a line break in Word) and
# "\t" (a tab) are kept on purpose.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


class ContextError(TypeError):
    """The context holds something that is not plain data."""


def template_path(template_name: str) -> Path:
    """Only bare names of files in docx_templates/: a name from a request can never walk
    out of the folder."""
    if not _NAME.match(template_name):
        raise ValueError(f"not a template name: {template_name!r}")
    path = TEMPLATES_DIR / template_name
    if not path.is_file():
        raise FileNotFoundError(path)
    return path


def plain(value: Any, where: str = "context") -> Any:
    """Check that `value` is plain data and return a copy with control characters removed
    from its strings."""
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ContextError(f"{where}: key {key!r} is not a string")
            out[key] = plain(item, f"{where}.{key}")
        return out
    if isinstance(value, list | tuple):
        return [plain(item, f"{where}[{i}]") for i, item in enumerate(value)]
    raise ContextError(f"{where}: {type(value).__name__} is not plain data")


def _environment() -> Environment:
    # Autoescape: a unit called "A & B" must reach the XML as "A &amp; B", not break it.
    # StrictUndefined: a tag the context does not fill (a typo in a clerk's edit, or a
    # generator that forgot a key) fails loudly instead of printing an empty line into an
    # official document.
    return Environment(autoescape=True, undefined=StrictUndefined)


def render_docx(
    template_name: str,
    context: Mapping[str, Any],
    *,
    images: Mapping[str, bytes] | None = None,
    image_width_mm: float = 18,
) -> bytes:
    """`images` (name → PNG bytes) are added to the checked context as inline pictures
    `image_width_mm` wide, e.g. the verification QR code."""
    template = DocxTemplate(template_path(template_name))
    data = plain(context)
    for name, png in (images or {}).items():
        data[name] = InlineImage(template, io.BytesIO(png), width=Mm(image_width_mm))
    template.render(data, jinja_env=_environment(), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
