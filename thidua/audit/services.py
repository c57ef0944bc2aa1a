"""The only write path into the audit log. Call it inside the service's transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from thidua.lib.hashing import GENESIS_HASH, canonical_json, chain_hash

from .actions import AuditAction
from .models import AuditChainHead, AuditEvent


def _row_payload(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_label": event.object_label,
        "data": event.data,
    }


def record(
    *,
    actor: Any,
    action: AuditAction,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the service's transaction")
    if not isinstance(action, AuditAction):
        raise TypeError(f"audit actions are AuditAction members, not {action!r}")
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        id=1, defaults={"last_hash": GENESIS_HASH}
    )
    data: dict[str, Any] = {}
    if before is not None:
        data["before"] = before
    if after is not None:
        data["after"] = after
    if extra:
        data.update(extra)
    is_user = actor is not None and getattr(actor, "pk", None) is not None
    event = AuditEvent(
        seq=head.last_seq + 1,
        occurred_at=timezone.now(),
        actor=actor if is_user else None,
        actor_label=str(actor) if is_user else "system",
        action=action.value,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:300],
        data=_json_safe(data),
        prev_hash=head.last_hash,
    )
    event.hash = chain_hash(event.prev_hash, _row_payload(event))
    event.save()
    head.last_seq = event.seq
    head.last_hash = event.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return event


def _json_safe(data: Any) -> Any:
    # Store exactly what was hashed: dates and decimals become strings once, here.
    return json.loads(canonical_json(data))


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str


def verify_chain(batch_size: int = 5000) -> ChainProblem | None:
    """Walk the chain in order; return the first row that was changed or deleted."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    queryset = AuditEvent.objects.order_by("seq")
    last_seq = 0
    for event in queryset.iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return ChainProblem(expected_seq, "deleted")
        if event.prev_hash != expected_prev:
            return ChainProblem(event.seq - 1, "changed")
        if chain_hash(event.prev_hash, _row_payload(event)) != event.hash:
            return ChainProblem(event.seq, "changed")
        expected_prev = event.hash
        expected_seq += 1
        last_seq = event.seq
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None:
        if head.last_seq > last_seq:
            return ChainProblem(last_seq + 1, "deleted")
        if head.last_hash != expected_prev and last_seq:
            return ChainProblem(last_seq, "changed")
    return None
