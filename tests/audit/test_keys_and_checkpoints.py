"""The audit key outside the database, the system checks that demand one in production, the
re-keying migration of an existing chain, and the periodic checkpoint job."""

from __future__ import annotations

import importlib
import stat
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_tasks import default_task_backend

from tests.audit.test_tampering import _event
from tests.org.factories import make_unit
from thidua.audit import checkpoints as cp
from thidua.audit.chain import row_payload
from thidua.audit.checks import check_audit_deploy, check_audit_key
from thidua.audit.keys import audit_key
from thidua.audit.models import AuditChainHead, AuditEvent
from thidua.audit.verify import verify, verify_chain
from thidua.lib.hashing import GENESIS_HASH, chain_hash

rekey = importlib.import_module("thidua.audit.migrations.0003_keyed_chain").rekey


def test_development_key_is_generated_once_into_the_data_folder(settings: Any, tmp_path: Path):
    settings.AUDIT_KEY = ""
    settings.AUDIT_KEY_DEV_DEFAULT = True
    settings.DATA_DIR = tmp_path

    key = audit_key()

    stored = tmp_path / "audit.key"
    assert stored.read_bytes().strip() == key and len(key) >= 32
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert audit_key() == key


def test_production_without_a_key_is_refused_by_the_checks_and_every_write(settings: Any, db: Any):
    settings.AUDIT_KEY = ""
    settings.AUDIT_KEY_DEV_DEFAULT = False

    assert [m.id for m in check_audit_key()] == ["thidua.audit.E001"]
    assert "thidua.audit.E003" in [m.id for m in check_audit_deploy()]
    with pytest.raises(ImproperlyConfigured, match="THIDUA_AUDIT_KEY"):
        make_unit()


def test_deploy_checks_pass_with_a_key_and_a_checkpoint_folder(settings: Any, tmp_path: Path):
    settings.AUDIT_KEY = "k" * 40
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path)

    assert check_audit_key() == [] and check_audit_deploy() == []
    settings.AUDIT_KEY = "short"
    assert [m.id for m in check_audit_key()] == ["thidua.audit.E002"]


def test_the_deploy_check_warns_when_checkpoints_stay_beside_the_data(settings: Any):
    settings.AUDIT_CHECKPOINT_DIR = ""
    settings.AUDIT_CHECKPOINT_EMAILS = []

    assert "thidua.audit.W001" in [m.id for m in check_audit_deploy()]


def _make_legacy_chain() -> int:
    """Rewrite the log as the plain SHA-256 chain it was before the key."""
    prev = GENESIS_HASH
    for event in AuditEvent.objects.order_by("seq"):
        event.prev_hash = prev
        event.hash = chain_hash(prev, row_payload(event))
        event.save()
        prev = event.hash
    last = AuditEvent.objects.order_by("seq").last()
    seq = last.seq if last else 0
    AuditChainHead.objects.update_or_create(
        id=1, defaults={"last_seq": seq, "last_hash": prev, "key_id": "", "mac": ""}
    )
    return seq


def test_migration_rekeys_an_intact_legacy_chain_and_marks_it(db: Any):
    make_unit(name="Ban Thi đua - Khen thưởng tỉnh Sóc Trăng")
    seq = _make_legacy_chain()
    assert verify_chain() is not None  # the plain chain does not verify under the key

    rekey(apps, None)

    report = verify()
    assert report.intact and report.legacy_seq == seq == report.rows


def test_migration_refuses_a_legacy_chain_that_was_already_broken(db: Any):
    make_unit()
    seq = _make_legacy_chain()
    AuditEvent.objects.filter(seq=seq - 1).update(actor_label="someone else")

    with pytest.raises(RuntimeError, match=f"row #{seq - 1}"):
        rekey(apps, None)


def test_an_event_queues_one_checkpoint_job_due_after_the_interval(
    settings: Any, db: Any, django_capture_on_commit_callbacks: Any
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.AUDIT_CHECKPOINT_MINUTES = 15
    AuditChainHead.objects.update(checkpoint_due=None)
    with django_capture_on_commit_callbacks(execute=True):
        unit = make_unit()  # its events queue the job
    with django_capture_on_commit_callbacks(execute=True):
        _event(unit, 2)  # one is on its way: nothing more

    queued = default_task_backend.results  # type: ignore[attr-defined]
    assert [r.task.name for r in queued] == ["publish_checkpoint_task"]
    due = AuditChainHead.objects.get().checkpoint_due
    assert queued[0].task.run_after == due


def test_the_job_publishes_a_checkpoint_and_mails_it(
    settings: Any, db: Any, checkpoint_dir: Path, django_capture_on_commit_callbacks: Any
):
    from thidua.audit.tasks import publish_checkpoint_task

    settings.AUDIT_CHECKPOINT_EMAILS = ["kiemtoan@stp.haugiang.gov.vn"]
    make_unit()

    with django_capture_on_commit_callbacks(execute=True):
        number = publish_checkpoint_task.call()

    head = AuditChainHead.objects.get()
    assert number is not None
    stored = cp.parse((checkpoint_dir / cp.file_name(number)).read_bytes())
    assert stored is not None and (stored.seq, stored.hash) == (head.last_seq, head.last_hash)
    assert head.checkpoint_due is None
    assert mail.outbox[0].to == ["kiemtoan@stp.haugiang.gov.vn"]
    assert stored.mac in mail.outbox[0].body
    assert publish_checkpoint_task.call() is None  # nothing new: no empty checkpoint


def test_a_checkpoint_file_is_never_overwritten(db: Any, checkpoint_dir: Path):
    make_unit()
    with transaction.atomic():
        first = cp.checkpoint_publish()
    assert first is not None
    from thidua.lib import files

    with pytest.raises(FileExistsError):
        files.create(files.Area.AUDIT_CHECKPOINTS, cp.file_name(first.number), b"{}")
