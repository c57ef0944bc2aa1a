"""Helpers shared by the foundation's tests (org, campaigns, audit, permission matrix)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Max

from thidua.audit.models import AuditEvent
from thidua.org.models import Person, Unit
from thidua.org.selectors import TreeNode, flatten

D = dt.date
ONE_DAY = dt.timedelta(days=1)
AGENCY = "SVHTTDL"
K1_NAME = "Khối thi đua số 1"
K2_NAME = "Khối thi đua số 2"
WATCHED_APPS = ("org", "campaigns", "audit")


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def person(code: str) -> Person:
    return Person.objects.get(code=code)


def row_counts() -> dict[str, int]:
    """Rows per model of the foundation's apps."""
    return {
        model._meta.label: model._default_manager.count()
        for app in WATCHED_APPS
        for model in apps.get_app_config(app).get_models()
    }


def last_seq() -> int:
    return AuditEvent.objects.aggregate(top=Max("seq"))["top"] or 0


def events_after(seq: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq"))


@contextmanager
def nothing_written() -> Iterator[None]:
    """Assert that the block adds or removes no row and writes no audit event."""
    before, seq = row_counts(), last_seq()
    yield
    assert last_seq() == seq, "an audit event was written"
    assert row_counts() == before, "rows were added or removed"


def text(error: ValidationError) -> str:
    """All messages of a ValidationError as one string."""
    return " ".join(error.messages)


def node(tree: list[TreeNode], code: str) -> TreeNode | None:
    return next((n for n in flatten(tree) if n.unit.code == code), None)


def parent_code(tree: list[TreeNode], code: str) -> str | None:
    for candidate in flatten(tree):
        if any(child.unit.code == code for child in candidate.children):
            return candidate.unit.code
    return None


def database_state() -> dict[str, list[dict]]:
    """Every row of the foundation's apps, to prove that nothing at all changed."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for app in WATCHED_APPS
        for model in apps.get_app_config(app).get_models()
    }


@contextmanager
def nothing_changed() -> Iterator[None]:
    """Assert that the block changes no row of the foundation's apps (audit log included)."""
    before = database_state()
    yield
    after = database_state()
    changed = [label for label in before if before[label] != after[label]]
    assert not changed, f"rows changed in {changed}"
