"""The read path of the registry."""

from __future__ import annotations

from .models import IssuedDocument
from .services.verification import normalise_code


def document_by_code(raw_code: str) -> IssuedDocument | None:
    """The document a verification code names, whatever case or separators it was typed
    with. Malformed input is looked up like any other code and simply matches nothing, so
    callers cannot tell a badly formed code from an unknown one."""
    return (
        IssuedDocument.objects.select_related("doc_type")
        .filter(verification_code=normalise_code(raw_code))
        .first()
    )
