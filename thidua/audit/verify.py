"""Verifying the audit log: the rows, the head and the published checkpoints, with the key.

The first problem named is the row (or head, checkpoint, key) actually changed:

- a row whose keyed hash does not match its own columns was changed — including its
  `prev_hash`, since the hash covers it; nobody without the key can re-hash it;
- a row that verifies under *another* sequence number was moved there: a swap (the row it
  belongs in holds this one's content) or a deletion followed by renumbering;
- a gap in the sequence, or a log shorter than the head or a checkpoint says, is a deletion;
- a head whose MAC does not verify was changed; a missing head with rows or checkpoints
  is a deleted head;
- a checkpoint file whose MAC fails was changed; a number missing from the files (or
  recorded in the database but gone from the files) is a deleted checkpoint;
- a key whose fingerprint is not the one in the head or the checkpoints is another key.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from thidua.lib.hashing import GENESIS_HASH

from . import checkpoints as cp
from .chain import head_mac, row_is_intact
from .keys import audit_key, key_id
from .models import AuditChainHead, AuditCheckpoint, AuditEvent

# How far from its place a moved row is looked for (renumbering after a deletion, a swap).
MOVE_SEARCH = 1000


class Problem(StrEnum):
    CHANGED = "changed"
    DELETED = "deleted"
    RENUMBERED = "renumbered"
    SWAPPED = "swapped"
    HEAD_MISSING = "head-missing"
    HEAD_CHANGED = "head-changed"
    CHECKPOINT_MISSING = "checkpoint-missing"
    CHECKPOINT_CHANGED = "checkpoint-changed"
    KEY = "key"


@dataclass(frozen=True)
class ChainProblem:
    kind: Problem
    message: str
    seq: int | None = None  # the row concerned
    checkpoint: int | None = None  # the checkpoint concerned

    @property
    def reason(self) -> str:
        return self.kind.value


@dataclass(frozen=True)
class ChainReport:
    problems: list[ChainProblem]
    rows: int
    checkpoint: cp.Checkpoint | None  # the newest valid checkpoint
    legacy_seq: int

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_chain(batch_size: int = 5000) -> ChainProblem | None:
    """The first problem of the audit log, or None when it is intact."""
    problems = verify(batch_size).problems
    return problems[0] if problems else None


def verify(batch_size: int = 5000) -> ChainReport:
    key = audit_key()
    current = key_id(key)
    head = AuditChainHead.objects.filter(id=1).first()
    valid, foreign, problems = _checkpoints(key, current)
    newest = valid[max(valid)] if valid else None
    legacy = head.legacy_seq if head else 0
    key_problem = _key_problem(current, head, foreign)
    if key_problem is not None:
        return ChainReport([key_problem], 0, newest, legacy)
    problems += [_checkpoint(Problem.CHECKPOINT_CHANGED, number) for number in foreign]
    problems.sort(key=lambda problem: problem.checkpoint or 0)
    anchors = {checkpoint.seq: checkpoint.hash for checkpoint in valid.values()}
    row_problem, last_seq, last_hash = _walk(key, anchors, batch_size)
    row_problems = [row_problem] if row_problem else []
    if row_problem is None:
        row_problems += _tail(head, valid, last_seq)
        row_problems += _head(key, head, last_seq, last_hash, bool(valid))
    return ChainReport(row_problems + problems, last_seq, newest, legacy)


def _key_problem(
    current: str, head: AuditChainHead | None, foreign: dict[int, cp.Checkpoint]
) -> ChainProblem | None:
    """Another key than the one that wrote the log (the head's fingerprint, or with no
    head, the checkpoints'); checkpoints alone under another fingerprint were edited."""
    expected = head.key_id if head is not None and head.key_id else None
    if expected is None and foreign:
        expected = next(iter(foreign.values())).key_id
    if expected is not None and expected != current:
        return ChainProblem(
            Problem.KEY,
            _(
                "the audit key is not the one that wrote the log (this key is %(found)s, "
                "the log was written with %(expected)s)"
            )
            % {"found": current, "expected": expected},
        )
    return None


def _rows(batch_size: int) -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size)


def _walk(
    key: bytes, anchors: dict[int, str], batch_size: int
) -> tuple[ChainProblem | None, int, str]:
    expected_prev, expected_seq = GENESIS_HASH, 1
    for event in _rows(batch_size):
        if event.seq != expected_seq:
            return _deleted(expected_seq), expected_seq - 1, expected_prev
        if not row_is_intact(key, event):
            return _explain(key, event), event.seq - 1, expected_prev
        if event.prev_hash != expected_prev or anchors.get(event.seq, event.hash) != event.hash:
            # The row verifies but is not the one the chain (or a checkpoint) holds here:
            # a row of another log under the same key, put in its place.
            return _changed(event.seq), event.seq - 1, expected_prev
        expected_prev, expected_seq = event.hash, expected_seq + 1
    return None, expected_seq - 1, expected_prev


def _explain(key: bytes, event: AuditEvent) -> ChainProblem:
    """A row that does not verify where it is: moved from elsewhere, or changed."""
    for original in range(event.seq + 1, event.seq + MOVE_SEARCH + 1):
        if row_is_intact(key, event, seq=original):
            break
    else:
        return _changed(event.seq)
    there = AuditEvent.objects.filter(seq=original).first()
    if there is not None and row_is_intact(key, there, seq=event.seq):
        return ChainProblem(
            Problem.SWAPPED,
            _("row #%(seq)s was changed: it was swapped with row #%(other)s")
            % {"seq": event.seq, "other": original},
            seq=event.seq,
        )
    return ChainProblem(
        Problem.RENUMBERED,
        _(
            "row #%(seq)s was deleted (%(count)s rows from there on) and the rows after "
            "it were renumbered"
        )
        % {"seq": event.seq, "count": original - event.seq},
        seq=event.seq,
    )


def _changed(seq: int) -> ChainProblem:
    return ChainProblem(Problem.CHANGED, _("row #%(seq)s was changed") % {"seq": seq}, seq=seq)


def _deleted(seq: int) -> ChainProblem:
    return ChainProblem(Problem.DELETED, _("row #%(seq)s was deleted") % {"seq": seq}, seq=seq)


def _tail(
    head: AuditChainHead | None, valid: dict[int, cp.Checkpoint], last_seq: int
) -> list[ChainProblem]:
    recorded = max([c.seq for c in valid.values()], default=0)
    if head is not None:
        recorded = max(recorded, head.last_seq)
    if recorded <= last_seq:
        return []
    if last_seq == 0:
        message = _(
            "row #1 was deleted: the audit log is empty, yet rows up to #%(last)s were recorded"
        ) % {"last": recorded}
    else:
        message = _("row #%(seq)s was deleted (rows up to #%(last)s were recorded)") % {
            "seq": last_seq + 1,
            "last": recorded,
        }
    return [ChainProblem(Problem.DELETED, message, seq=last_seq + 1)]


def _head(
    key: bytes, head: AuditChainHead | None, last_seq: int, last_hash: str, published: bool
) -> list[ChainProblem]:
    if head is None:
        if last_seq or published:
            return [ChainProblem(Problem.HEAD_MISSING, _("the chain head is missing"))]
        return []
    intact = hmac.compare_digest(head.mac, head_mac(key, head))
    if not intact or head.last_seq != last_seq or head.last_hash != last_hash:
        return [ChainProblem(Problem.HEAD_CHANGED, _("the chain head was changed"))]
    return []


def _checkpoints(
    key: bytes, current: str
) -> tuple[dict[int, cp.Checkpoint], dict[int, cp.Checkpoint], list[ChainProblem]]:
    """The checkpoints that verify, those under another key's fingerprint, and the
    problems of the others."""
    on_disk = cp.stored()
    recorded = set(AuditCheckpoint.objects.values_list("number", flat=True))
    valid: dict[int, cp.Checkpoint] = {}
    foreign: dict[int, cp.Checkpoint] = {}
    problems: list[ChainProblem] = []
    for number in range(1, max([*on_disk, *recorded], default=0) + 1):
        if number not in on_disk:
            problems.append(_checkpoint(Problem.CHECKPOINT_MISSING, number))
            continue
        checkpoint = cp.parse(on_disk[number])
        previous = valid.get(number - 1)
        if (
            checkpoint is None
            or checkpoint.number != number
            or not hmac.compare_digest(checkpoint.mac, cp.sign(key, checkpoint))
        ):
            if checkpoint is not None and checkpoint.key_id != current:
                foreign[number] = checkpoint
            else:
                problems.append(_checkpoint(Problem.CHECKPOINT_CHANGED, number))
            continue
        if previous is not None and (
            checkpoint.previous != previous.mac or checkpoint.seq < previous.seq
        ):
            problems.append(_checkpoint(Problem.CHECKPOINT_CHANGED, number))
            continue
        valid[number] = checkpoint
    return valid, foreign, problems


def _checkpoint(kind: Problem, number: int) -> ChainProblem:
    message = (
        _("checkpoint %(number)s is missing")
        if kind is Problem.CHECKPOINT_MISSING
        else _("checkpoint %(number)s was changed")
    )
    return ChainProblem(kind, message % {"number": number}, checkpoint=number)
