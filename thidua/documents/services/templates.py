"""Which template makes a document (an agency's uploaded version or the built-in file) and
the `render` that fills it with what the registry gives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import rendering
from ..models import IssuingBody, TemplateVersion

Render = Callable[[dict[str, Any]], tuple[bytes, bytes | None]]


@dataclass(frozen=True)
class TemplateRecord:
    """Which template made a document: a built-in file (version None) or an agency's
    uploaded version, with the SHA-256 of the exact bytes used."""

    key: str
    version: TemplateVersion | None
    sha256: str


def choose_template(template_name: str, issuer: IssuingBody) -> tuple[TemplateRecord, bytes | None]:
    """The template `issuer` uses for `template_name` ("ke_hoach.docx"): its active
    uploaded version (with that version's bytes) or the built-in file (bytes None), and
    the record every issued document keeps of it."""
    from ..template_versions import active_template

    choice = active_template(Path(template_name).stem, issuer)
    record_ = TemplateRecord(choice.key, choice.version, choice.sha256)
    return record_, (bytes(choice.content) if choice.version is not None else None)


def render_template(
    template_name: str,
    content: bytes | None,
    context: dict[str, Any],
    *,
    images: dict[str, bytes] | None = None,
) -> bytes:
    """Render the built-in file, or an agency's version when `content` is given."""
    return rendering.render_docx(template_name, context, images=images, content=content)


def registry_renderer(
    template_name: str,
    content: bytes | None,
    context: dict[str, Any],
    *,
    place: str | None = None,
) -> Render:
    """The `render` of `document_issue` for a generator's context: fill in what the registry
    gives (number and symbol, verification code and QR; the place and date line when `place`
    is given) and render the DOCX with the issuer's template. The PDF is left to the job
    worker."""
    from ..vn_format import place_date_line

    def render(issued: dict[str, Any]) -> tuple[bytes, bytes | None]:
        filled = {
            **context,
            "number_symbol": issued["symbol"] or context.get("number_symbol", ""),
            "verification_code": issued["verification_code"],
            "verification_url": issued["verification_url"],
        }
        if place is not None:
            filled["place_date"] = place_date_line(place, issued["issued_on"])
        images = {"verification_qr": issued["verification_qr_png"]}
        return render_template(template_name, content, filled, images=images), None

    return render
