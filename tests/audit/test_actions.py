"""Audit actions are an enumeration; rows stored under an older spelling still verify, and
filter and display as the member they mean."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import RequestFactory

from tests.org.helpers import unit
from thidua.audit.actions import LEGACY, AuditAction, action_of, stored_names
from thidua.audit.admin import ActionFilter, AuditEventAdmin
from thidua.audit.chain import head_mac, row_hash
from thidua.audit.keys import audit_key
from thidua.audit.models import AuditChainHead, AuditEvent
from thidua.audit.services import record, verify_chain


def test_each_app_writes_under_its_own_prefix():
    apps = {
        "accounts", "apitokens", "awards", "campaigns", "covenants", "documents", "initiatives",
        "org", "proposals", "reports", "scoring", "signatures", "titles", "voting", "years",
    }  # fmt: skip
    for action in AuditAction:
        assert action.value.split(".")[0] in apps, action
    # The drift the enumeration ends: "document." beside "documents.".
    assert not [a for a in AuditAction if a.value.startswith("document.")]


def test_every_audited_configuration_admin_has_its_action():
    from thidua.audit.admin import ConfigurationAdmin

    models = [m for m, a in admin.site._registry.items() if isinstance(a, ConfigurationAdmin)]
    assert models
    for model in models:
        AuditAction(f"{model._meta.app_label}.{model._meta.model_name}.saved")


def test_every_old_spelling_means_one_member_and_is_never_a_new_value():
    values = {action.value for action in AuditAction}
    assert LEGACY and not set(LEGACY) & values
    assert LEGACY["document.issued"] is AuditAction.DOCUMENT_ISSUED
    assert LEGACY["documents.legal_basis_saved"] is AuditAction.LEGAL_BASIS_SAVED
    assert action_of("unit.renamed") is action_of("org.unit.renamed") is AuditAction.UNIT_RENAMED
    assert action_of("scoring.verified") is AuditAction.SCORING_VERIFIED  # never renamed
    assert action_of("rating.deleted") is None
    assert stored_names(AuditAction.UNIT_RENAMED) == ["org.unit.renamed", "unit.renamed"]
    assert stored_names(AuditAction.SCORING_VERIFIED) == ["scoring.verified"]


def test_record_takes_only_members(db):
    with transaction.atomic():
        event = record(actor=None, action=AuditAction.UNIT_RENAMED, obj=unit("TTRA"))
        assert AuditEvent.objects.get(pk=event.pk).action == "org.unit.renamed"
        with pytest.raises(TypeError):
            record(actor=None, action="unit.renamed", obj=unit("TTRA"))  # type: ignore[arg-type]


def _old_row(old: str) -> AuditEvent:
    """A row as the log held it before the enumeration: the old string, hashed with it."""
    with transaction.atomic():
        event = record(
            actor=None, action=action_of(old) or AuditAction.UNIT_CREATED, obj=unit("TTRA")
        )
        event.action = old
        event.hash = row_hash(audit_key(), event)
        event.save()
        head = AuditChainHead.objects.get()
        head.last_hash = event.hash
        head.mac = head_mac(audit_key(), head)
        head.save()
    return event


def test_old_rows_keep_their_string_and_the_chain_stays_intact(db):
    old = _old_row("unit.renamed")
    with transaction.atomic():
        new = record(actor=None, action=AuditAction.UNIT_RENAMED, obj=unit("TTRA"))
    assert verify_chain() is None
    assert AuditEvent.objects.get(pk=old.pk).action == "unit.renamed"
    assert AuditEvent.objects.get(pk=new.pk).action == "org.unit.renamed"


def _filtered(value: str) -> list[str]:
    request = RequestFactory().get("/", {"action": value})
    model_admin = AuditEventAdmin(AuditEvent, admin.site)
    action_filter = ActionFilter(request, {"action": [value]}, AuditEvent, model_admin)
    rows = action_filter.queryset(request, AuditEvent.objects.all())
    assert rows is not None
    return sorted(set(rows.values_list("action", flat=True)))


def test_the_admin_filter_finds_old_and_new_rows_of_an_action(db):
    old = _old_row("unit.renamed")
    with transaction.atomic():
        new = record(actor=None, action=AuditAction.UNIT_RENAMED, obj=unit("TTRA"))
    assert _filtered("org.unit.renamed") == ["org.unit.renamed", "unit.renamed"]
    assert _filtered("unit.renamed") == ["org.unit.renamed", "unit.renamed"]
    shown: Any = AuditEventAdmin(AuditEvent, admin.site).action_name
    assert shown(AuditEvent.objects.get(pk=old.pk)) == "org.unit.renamed"
    assert shown(AuditEvent.objects.get(pk=new.pk)) == "org.unit.renamed"
    assert shown(AuditEvent(action="rating.deleted")) == "rating.deleted"
