"""documents imports no domain app: the apps register with it at start-up. These tests hold
the registrations in place and the checks closed when one is missing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from thidua.covenants.dossier import DOSSIER
from thidua.documents import batches, permissions, samples
from thidua.documents.models import DocumentBatch
from thidua.org.documents import documents_policy
from tools.build_templates import all_templates


def test_org_registers_who_may_issue_at_startup() -> None:
    assert permissions._policy == [documents_policy]


def test_without_a_registered_policy_every_check_refuses(monkeypatch) -> None:
    monkeypatch.setattr(permissions, "_policy", [])
    for permission in permissions.Permission:
        assert not permissions.can(None, permission, "unit")
    with pytest.raises(PermissionDenied):
        permissions.authorize(None, permissions.Permission.ISSUE, "unit")


def test_covenants_registers_the_block_dossier_and_documents_its_own_kinds() -> None:
    assert batches._KINDS[DocumentBatch.Kind.DOSSIER] is DOSSIER
    assert not DOSSIER.takes_items
    for kind in (DocumentBatch.Kind.CERTIFICATES, DocumentBatch.Kind.DOCUMENTS):
        assert batches._KINDS[kind].run is batches.issue_items


def test_a_kind_nobody_registered_is_refused(monkeypatch) -> None:
    monkeypatch.delitem(batches._KINDS, DocumentBatch.Kind.DOSSIER)
    with pytest.raises(ValidationError, match="Unknown kind of batch"):
        batches._authorise_start(None, DocumentBatch.Kind.DOSSIER, None, None, None)
    with pytest.raises(ValueError):
        batches.register_kind("no-such-kind", DOSSIER)


def test_every_built_in_template_has_a_sample_registered() -> None:
    assert set(samples.SAMPLES) == set(all_templates())
