"""The read path of signed PDFs."""

from __future__ import annotations

from django.db.models import QuerySet

from thidua.documents.models import IssuedDocument

from .models import SignedPdf


def signed_copies(document: IssuedDocument) -> QuerySet[SignedPdf]:
    return (
        SignedPdf.objects.filter(document=document)
        .select_related("uploaded_by")
        .prefetch_related("signatures")
    )


def valid_signed_copy(document: IssuedDocument) -> SignedPdf | None:
    """The newest valid signed copy: what "signed copy on file" refers to."""
    return SignedPdf.objects.filter(document=document, is_valid=True).order_by("-id").first()
