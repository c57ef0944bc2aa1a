"""Checkpoints: the chain's head published outside the database, signed with the audit key.

Each checkpoint is a small JSON file, `audit-checkpoints/<number>.json`, created once and
never rewritten (`files.create` refuses an existing name), holding the head's sequence
number and hash, the key's fingerprint, the previous checkpoint's MAC (so the files form a
chain of their own) and an HMAC over all of it. It is written into the storage that
THIDUA_AUDIT_CHECKPOINT_DIR names (another disk or host, append-only for the application),
optionally e-mailed to THIDUA_AUDIT_CHECKPOINT_EMAILS, and recorded in `AuditCheckpoint`.

Someone who rewrites the tables can then no longer roll the log back behind the newest
checkpoint: verification compares the rows with every checkpoint.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.lib import files
from thidua.lib.hashing import canonical_json, keyed_digest

from .chain import head_mac, row_is_intact
from .keys import audit_key, key_id
from .models import AuditChainHead, AuditCheckpoint, AuditEvent

logger = logging.getLogger(__name__)

AREA = files.Area.AUDIT_CHECKPOINTS
NAME_RE = re.compile(r"(\d{10})\.json")


def file_name(number: int) -> str:
    return f"{number:010d}.json"


@dataclass(frozen=True)
class Checkpoint:
    number: int
    seq: int
    hash: str
    published_at: str
    key_id: str
    previous: str
    mac: str

    def body(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "seq": self.seq,
            "hash": self.hash,
            "published_at": self.published_at,
            "key_id": self.key_id,
            "previous": self.previous,
        }


class ChainNotPublishable(Exception):
    """The rows since the last checkpoint do not verify: publishing would anchor them."""


def sign(key: bytes, checkpoint: Checkpoint) -> str:
    return keyed_digest(key, checkpoint.body())


def parse(raw: bytes) -> Checkpoint | None:
    """A checkpoint file's content, or None when it is not one (its MAC is not checked)."""
    try:
        data = json.loads(raw.decode("utf-8"))
        return Checkpoint(
            number=int(data["number"]),
            seq=int(data["seq"]),
            hash=str(data["hash"]),
            published_at=str(data["published_at"]),
            key_id=str(data["key_id"]),
            previous=str(data["previous"]),
            mac=str(data["mac"]),
        )
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None


def stored() -> dict[int, bytes]:
    """Every checkpoint file by its number."""
    found: dict[int, bytes] = {}
    for name in files.names(AREA):
        match = NAME_RE.fullmatch(name)
        if match:
            found[int(match[1])] = files.read(AREA, name)
    return found


def checkpoint_publish() -> Checkpoint | None:
    """Publish the head as the next checkpoint; None when nothing was recorded since the
    last one. Refuses (ChainNotPublishable) when the head or the rows written since the last
    checkpoint do not verify: a tampered chain is reported, never anchored."""
    key = audit_key()
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(id=1).first()
        if head is None:
            return None
        AuditChainHead.objects.filter(id=1).update(checkpoint_due=None)
        on_disk = stored()
        last_number = max(
            [*on_disk, *AuditCheckpoint.objects.values_list("number", flat=True)], default=0
        )
        last = parse(on_disk[last_number]) if last_number in on_disk else None
        if last is not None and last.seq == head.last_seq:
            return None
        _check_since(key, head, last)
        checkpoint = Checkpoint(
            number=last_number + 1,
            seq=head.last_seq,
            hash=head.last_hash,
            published_at=timezone.now().isoformat(),
            key_id=key_id(key),
            previous=last.mac if last is not None else "",
            mac="",
        )
        checkpoint = Checkpoint(**{**checkpoint.body(), "mac": sign(key, checkpoint)})
        content = (canonical_json({**checkpoint.body(), "mac": checkpoint.mac}) + "\n").encode()
        files.create(AREA, file_name(checkpoint.number), content)
        AuditCheckpoint.objects.create(
            number=checkpoint.number,
            seq=checkpoint.seq,
            hash=checkpoint.hash,
            published_at=timezone.now(),
            mac=checkpoint.mac,
        )
        if settings.AUDIT_CHECKPOINT_EMAILS:
            transaction.on_commit(lambda: _mail(checkpoint, content), robust=True)
    return checkpoint


def _check_since(key: bytes, head: AuditChainHead, last: Checkpoint | None) -> None:
    if head.mac != head_mac(key, head):
        raise ChainNotPublishable("the chain head does not verify")
    expected_prev, expected_seq = (last.hash, last.seq + 1) if last else ("0" * 64, 1)
    rows = AuditEvent.objects.filter(seq__gte=expected_seq).order_by("seq")
    for event in rows.iterator(chunk_size=2000):
        if event.seq != expected_seq or event.prev_hash != expected_prev:
            raise ChainNotPublishable(f"row #{expected_seq} does not follow the chain")
        if not row_is_intact(key, event):
            raise ChainNotPublishable(f"row #{event.seq} does not verify")
        expected_prev, expected_seq = event.hash, event.seq + 1
    if expected_seq - 1 != head.last_seq or expected_prev != head.last_hash:
        raise ChainNotPublishable("the chain head does not match the last row")


def _mail(checkpoint: Checkpoint, content: bytes) -> None:
    send_mail(
        subject=_("Thi đua: audit checkpoint %(number)s (row #%(seq)s)")
        % {"number": checkpoint.number, "seq": checkpoint.seq},
        message=content.decode(),
        from_email=None,
        recipient_list=list(settings.AUDIT_CHECKPOINT_EMAILS),
    )
