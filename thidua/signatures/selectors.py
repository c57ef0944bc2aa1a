"""The read path of signed PDFs."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from thidua.documents.models import IssuedDocument
from thidua.org.models import Role
from thidua.org.permissions import roles_of

from .models import SignedPdf


def may_see_trust_roots(user: Any) -> bool:
    return bool(roles_of(user) & {Role.ADMIN, Role.SECRETARIAT})


def signed_copies(document: IssuedDocument) -> QuerySet[SignedPdf]:
    return (
        SignedPdf.objects.filter(document=document)
        .select_related("uploaded_by")
        .prefetch_related("signatures")
    )


def valid_signed_copy(document: IssuedDocument) -> SignedPdf | None:
    """The newest valid signed copy: what "signed copy on file" refers to."""
    return SignedPdf.objects.filter(document=document, is_valid=True).order_by("-id").first()
