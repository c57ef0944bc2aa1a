"""The catalogue of document types (ND 30 Phụ lục III), shared by every agency."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record

from ..models import DocumentType
from ..permissions import Actor


def document_type_snapshot(doc_type: DocumentType) -> dict[str, Any]:
    return {
        "code": doc_type.code,
        "name": doc_type.name,
        "is_numbered": doc_type.is_numbered,
        "is_nd30_type": doc_type.is_nd30_type,
        "legal_basis": doc_type.legal_basis,
        "order": doc_type.order,
    }


@transaction.atomic
def document_type_save(*, actor: Actor, doc_type: DocumentType) -> DocumentType:
    """Save a new or changed catalogue entry. The catalogue is shared by every agency, so
    only a system administrator changes it."""
    if not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("Only a system administrator can change document types."))
    before = None
    if doc_type.pk:
        before = document_type_snapshot(DocumentType.objects.get(pk=doc_type.pk))
    doc_type.code = doc_type.code.strip()
    doc_type.name = doc_type.name.strip()
    doc_type.full_clean()
    doc_type.save()
    record(
        actor=actor,
        action=AuditAction.DOCUMENT_TYPE_SAVED,
        obj=doc_type,
        before=before,
        after=document_type_snapshot(doc_type),
    )
    return doc_type
