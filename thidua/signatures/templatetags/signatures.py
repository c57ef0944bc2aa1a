"""`{% signed_copy_row document %}`: the public verification page's line about the token-signed
copy. Only whether a valid one exists and its SHA-256: no signer, serial or file."""

from __future__ import annotations

from typing import Any

from django import template

from thidua.signatures.selectors import valid_signed_copy

register = template.Library()


@register.inclusion_tag("signatures/_signed_copy_row.html")
def signed_copy_row(document: Any) -> dict[str, Any]:
    return {"signed": valid_signed_copy(document)}
