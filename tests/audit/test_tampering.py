"""verify_audit against someone who can rewrite the database but holds neither the audit key
nor the checkpoint folder: each of the tampering cases below is caught, and the problem names
the row (or head, checkpoint, key) that was actually changed.

The cases (issue #13, item 3):
 1. both audit tables emptied
 2. the newest row deleted and the head pointed at the row before it
 3. a row edited and the chain re-hashed from there on
 4. a row deleted and the later rows renumbered
 5. a forged event appended (and the head moved to it)
 6. a row's prev_hash edited
 7. two rows swapped
 8. a row's payload (data) edited
 9. a row's actor edited
10. a row's timestamp edited
11. a row's action edited
12. a middle row deleted
13. the tail truncated (newest rows deleted, head untouched)
14. the head rolled back to an earlier state (replayed with its MAC) and the rows after it deleted
15. a checkpoint file deleted (the first one, and the newest one)
16. a checkpoint file edited
17. the key changed
and beyond them: the head deleted, the head edited, the object edited, the row re-hashed with
a guessed key.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F

from tests.org.factories import make_unit
from thidua.audit import checkpoints as cp
from thidua.audit.actions import AuditAction
from thidua.audit.chain import row_payload
from thidua.audit.models import AuditChainHead, AuditCheckpoint, AuditEvent
from thidua.audit.services import record
from thidua.audit.verify import ChainProblem, Problem, verify_chain
from thidua.lib.hashing import chain_hash, keyed_chain_hash


@dataclass
class Chain:
    first: int  # the first of this test's rows
    last: int  # the newest row
    anchored: int  # the row the newest checkpoint holds
    old_head: dict[str, Any]  # the head as it was at row `last - 3`, MAC and all
    folder: Path

    @property
    def middle(self) -> int:
        return (self.first + self.last) // 2


def _event(unit: Any, i: int) -> AuditEvent:
    with transaction.atomic():
        return record(
            actor=None, action=AuditAction.UNIT_RENAMED, obj=unit, after={"name": f"Tên {i}"}
        )


def _head_fields() -> dict[str, Any]:
    head = AuditChainHead.objects.get()
    return {f: getattr(head, f) for f in ("last_seq", "last_hash", "key_id", "legacy_seq", "mac")}


@pytest.fixture
def chain(db: Any, checkpoint_dir: Path) -> Chain:
    """Twelve events on an agency of its own, a checkpoint, then two checkpoints more."""
    unit = make_unit(name="Sở Tư pháp tỉnh Hậu Giang")
    first = _event(unit, 0).seq
    for i in range(1, 9):
        _event(unit, i)
    assert cp.checkpoint_publish() is not None
    old_head = _head_fields()  # at row last - 3
    for i in range(9, 12):
        last = _event(unit, i).seq
    newest = cp.checkpoint_publish()
    assert newest is not None and newest.number == 2
    assert verify_chain() is None
    return Chain(first, last, newest.seq, old_head, checkpoint_dir)


def problem() -> ChainProblem:
    found = verify_chain()
    assert found is not None, "the tampering was not detected"
    return found


def assert_row(kind: Problem, seq: int) -> ChainProblem:
    found = problem()
    assert (found.kind, found.seq) == (kind, seq), found.message
    return found


def _set_head(**fields: Any) -> None:
    AuditChainHead.objects.filter(id=1).update(**fields)


def _rehash_plain(start: int) -> None:
    """What an attacker without the key does: recompute the chain from `start` with SHA-256
    (or any key of his own), and move the head to the result."""
    prev = AuditEvent.objects.get(seq=start - 1).hash if start > 1 else "0" * 64
    for event in AuditEvent.objects.filter(seq__gte=start).order_by("seq"):
        event.prev_hash = prev
        event.hash = chain_hash(prev, row_payload(event))
        event.save()
        prev = event.hash
    _set_head(last_hash=prev)


# 1 -------------------------------------------------------------------------------------------
def test_01_emptying_both_tables_is_caught(chain: Chain) -> None:
    AuditEvent.objects.all().delete()
    AuditChainHead.objects.all().delete()
    AuditCheckpoint.objects.all().delete()

    found = assert_row(Problem.DELETED, 1)
    assert "the audit log is empty" in found.message


# 2 -------------------------------------------------------------------------------------------
def test_02_deleting_the_newest_row_and_updating_the_head_names_it(chain: Chain) -> None:
    AuditEvent.objects.filter(seq=chain.last).delete()
    before = AuditEvent.objects.get(seq=chain.last - 1)
    _set_head(last_seq=before.seq, last_hash=before.hash)

    assert_row(Problem.DELETED, chain.last)


def test_02b_the_same_after_the_last_checkpoint_is_caught_by_the_heads_mac(chain: Chain) -> None:
    unit = make_unit()
    before = _event(unit, 1)
    AuditEvent.objects.filter(seq=_event(unit, 2).seq).delete()
    _set_head(last_seq=before.seq, last_hash=before.hash)

    assert problem().kind is Problem.HEAD_CHANGED


# 3 -------------------------------------------------------------------------------------------
def test_03_editing_a_row_and_rehashing_from_there_names_that_row(chain: Chain) -> None:
    AuditEvent.objects.filter(seq=chain.middle).update(actor_label="Nguyễn Văn Khác")
    _rehash_plain(chain.middle)

    assert_row(Problem.CHANGED, chain.middle)


def test_03b_rehashing_with_a_guessed_key_names_that_row(chain: Chain) -> None:
    event = AuditEvent.objects.get(seq=chain.middle)
    event.data = {"after": {"name": "Tên sửa"}}
    event.hash = keyed_chain_hash(b"guess" * 8, event.prev_hash, row_payload(event))
    event.save()

    assert_row(Problem.CHANGED, chain.middle)


# 4 -------------------------------------------------------------------------------------------
def test_04_deleting_a_row_and_renumbering_names_the_deleted_row(chain: Chain) -> None:
    AuditEvent.objects.filter(seq=chain.middle).delete()
    for event in AuditEvent.objects.filter(seq__gt=chain.middle).order_by("seq"):
        AuditEvent.objects.filter(pk=event.pk).update(seq=F("seq") - 1)
    _set_head(last_seq=chain.last - 1)

    found = assert_row(Problem.RENUMBERED, chain.middle)
    assert f"row #{chain.middle} was deleted" in found.message


# 5 -------------------------------------------------------------------------------------------
def test_05_a_forged_appended_event_is_named(chain: Chain) -> None:
    newest = AuditEvent.objects.get(seq=chain.last)
    forged = AuditEvent(
        seq=chain.last + 1,
        occurred_at=newest.occurred_at + dt.timedelta(minutes=1),
        actor_label="system",
        action=AuditAction.UNIT_ARCHIVED.value,
        object_type=newest.object_type,
        object_id=newest.object_id,
        data={},
        prev_hash=newest.hash,
    )
    forged.hash = chain_hash(forged.prev_hash, row_payload(forged))
    forged.save()
    _set_head(last_seq=forged.seq, last_hash=forged.hash)

    assert_row(Problem.CHANGED, chain.last + 1)


# 6 -------------------------------------------------------------------------------------------
def test_06_an_edited_prev_hash_names_that_row_not_the_one_before(chain: Chain) -> None:
    AuditEvent.objects.filter(seq=chain.middle).update(prev_hash="f" * 64)

    assert_row(Problem.CHANGED, chain.middle)


# 7 -------------------------------------------------------------------------------------------
def test_07_swapped_rows_are_named(chain: Chain) -> None:
    a, b = chain.middle, chain.middle + 2
    AuditEvent.objects.filter(seq=a).update(seq=10**12)
    AuditEvent.objects.filter(seq=b).update(seq=a)
    AuditEvent.objects.filter(seq=10**12).update(seq=b)

    found = assert_row(Problem.SWAPPED, a)
    assert f"row #{b}" in found.message


# 8–11 ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "change",
    [
        {"data": {"after": {"rating": "HTXSNV"}}},  # 8 the payload
        {"actor_label": "Nguyễn Văn Khác"},  # 9 the actor
        {"occurred_at": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)},  # 10 the timestamp
        {"action": AuditAction.UNIT_ARCHIVED.value},  # 11 the action
        {"object_id": "999999"},  # and the object
    ],
    ids=["08-payload", "09-actor", "10-timestamp", "11-action", "object"],
)
def test_08_to_11_an_edited_column_names_that_row(chain: Chain, change: dict[str, Any]) -> None:
    AuditEvent.objects.filter(seq=chain.middle).update(**change)

    assert_row(Problem.CHANGED, chain.middle)


# 12 ------------------------------------------------------------------------------------------
def test_12_a_deleted_middle_row_is_named(chain: Chain) -> None:
    AuditEvent.objects.filter(seq=chain.middle).delete()

    assert_row(Problem.DELETED, chain.middle)


# 13 ------------------------------------------------------------------------------------------
def test_13_a_truncated_tail_names_the_first_missing_row(chain: Chain) -> None:
    AuditEvent.objects.filter(seq__gt=chain.last - 3).delete()

    assert_row(Problem.DELETED, chain.last - 2)


# 14 ------------------------------------------------------------------------------------------
def test_14_a_head_rolled_back_with_its_old_mac_is_caught_by_the_checkpoint(
    chain: Chain,
) -> None:
    AuditEvent.objects.filter(seq__gt=chain.old_head["last_seq"]).delete()
    _set_head(**chain.old_head)

    found = assert_row(Problem.DELETED, chain.last - 2)
    assert f"up to #{chain.anchored}" in found.message


# 15 ------------------------------------------------------------------------------------------
def test_15_a_deleted_checkpoint_file_is_named(chain: Chain) -> None:
    (chain.folder / cp.file_name(1)).unlink()

    found = problem()
    assert (found.kind, found.checkpoint) == (Problem.CHECKPOINT_MISSING, 1)


def test_15b_the_newest_checkpoint_deleted_is_caught_by_its_database_record(
    chain: Chain,
) -> None:
    (chain.folder / cp.file_name(2)).unlink()

    found = problem()
    assert (found.kind, found.checkpoint) == (Problem.CHECKPOINT_MISSING, 2)


# 16 ------------------------------------------------------------------------------------------
def test_16_an_edited_checkpoint_is_named(chain: Chain) -> None:
    path = chain.folder / cp.file_name(2)
    content = json.loads(path.read_text())
    content["seq"] -= 3  # to hide a deleted tail
    path.write_text(json.dumps(content))

    found = problem()
    assert (found.kind, found.checkpoint) == (Problem.CHECKPOINT_CHANGED, 2)


# 17 ------------------------------------------------------------------------------------------
def test_17_another_key_is_named_as_such(chain: Chain, settings: Any) -> None:
    settings.AUDIT_KEY = "another-key-" + "1" * 32

    found = problem()
    assert found.kind is Problem.KEY
    assert "not the one that wrote the log" in found.message


def test_17b_writing_with_another_key_is_refused(chain: Chain, settings: Any) -> None:
    from django.core.exceptions import ImproperlyConfigured

    settings.AUDIT_KEY = "another-key-" + "1" * 32
    with pytest.raises(ImproperlyConfigured):
        make_unit()


# beyond the seventeen -----------------------------------------------------------------------
def test_a_deleted_head_is_caught(chain: Chain) -> None:
    AuditChainHead.objects.all().delete()

    assert problem().kind is Problem.HEAD_MISSING


def test_an_edited_head_is_caught(chain: Chain) -> None:
    _set_head(legacy_seq=chain.last)

    assert problem().kind is Problem.HEAD_CHANGED


def test_a_tampered_chain_is_never_anchored_by_a_checkpoint(chain: Chain) -> None:
    unit = make_unit()
    seq = _event(unit, 1).seq
    AuditEvent.objects.filter(seq=seq).update(actor_label="someone else")

    with pytest.raises(cp.ChainNotPublishable):
        cp.checkpoint_publish()
    assert not (chain.folder / cp.file_name(3)).exists()


# the command --------------------------------------------------------------------------------
def test_verify_audit_reports_rows_and_the_last_checkpoint(chain: Chain) -> None:
    out = StringIO()
    call_command("verify_audit", stdout=out)

    text = out.getvalue()
    assert f"audit chain intact: {chain.last} rows" in text
    assert f"last checkpoint: 2, row #{chain.anchored}" in text


def test_verify_audit_fails_naming_the_row(chain: Chain) -> None:
    AuditEvent.objects.filter(seq=chain.middle).update(action="tampered")

    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", stdout=StringIO(), stderr=StringIO())
    assert str(failure.value) == f"audit chain broken: row #{chain.middle} was changed"


def test_new_events_continue_the_chain_from_the_head(chain: Chain) -> None:
    head = AuditChainHead.objects.get()

    make_unit()

    first_new = AuditEvent.objects.get(seq=head.last_seq + 1)
    assert first_new.prev_hash == head.last_hash
    assert AuditChainHead.objects.get().last_hash == AuditEvent.objects.latest("seq").hash
    assert verify_chain() is None
