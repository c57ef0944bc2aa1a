"""What the audit chain hashes: a row's payload, its keyed link, and the head's MAC.

A row's `hash` is HMAC-SHA256(key, prev_hash ‖ canonical JSON of the row's columns), so
each row vouches for its own columns *and* for its predecessor; the head's `mac` vouches for
the head's fields. Without the key no one can make either verify.
"""

from __future__ import annotations

from typing import Any

from thidua.lib.hashing import keyed_chain_hash, keyed_digest

from .models import AuditChainHead, AuditEvent


def row_payload(event: AuditEvent, *, seq: int | None = None) -> dict[str, Any]:
    """The hashed columns of a row (`seq` may be overridden to test where a row came from)."""
    return {
        "seq": event.seq if seq is None else seq,
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_label": event.object_label,
        "data": event.data,
    }


def row_hash(key: bytes, event: AuditEvent, *, seq: int | None = None) -> str:
    return keyed_chain_hash(key, event.prev_hash, row_payload(event, seq=seq))


def row_is_intact(key: bytes, event: AuditEvent, *, seq: int | None = None) -> bool:
    return row_hash(key, event, seq=seq) == event.hash


def head_mac(key: bytes, head: AuditChainHead) -> str:
    return keyed_digest(
        key,
        {
            "head": head.id,
            "last_seq": head.last_seq,
            "last_hash": head.last_hash,
            "key_id": head.key_id,
            "legacy_seq": head.legacy_seq,
        },
    )
