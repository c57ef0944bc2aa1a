"""The only write path into the audit log. Call it inside the service's transaction."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone

from thidua.lib.hashing import GENESIS_HASH, canonical_json

from .actions import AuditAction
from .chain import head_mac, row_hash
from .context import current_via
from .keys import audit_key, key_id
from .models import AuditChainHead, AuditEvent
from .verify import ChainProblem, verify_chain

__all__ = ["ChainProblem", "record", "verify_chain"]


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
    key = audit_key()
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        id=1, defaults={"last_hash": GENESIS_HASH, "key_id": key_id(key)}
    )
    if head.key_id != key_id(key):
        # Writing on with another key would fork the chain into two halves that can never
        # both verify: refuse loudly instead (docs/operations.md, "The audit log").
        raise ImproperlyConfigured(
            f"the audit key ({key_id(key)}) is not the one that wrote the log ({head.key_id})"
        )
    data: dict[str, Any] = {}
    if before is not None:
        data["before"] = before
    if after is not None:
        data["after"] = after
    if extra:
        data.update(extra)
    channel = current_via()
    if channel:
        data["via"] = channel
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
    event.hash = row_hash(key, event)
    event.save()
    head.last_seq = event.seq
    head.last_hash = event.hash
    head.mac = head_mac(key, head)
    fields = ["last_seq", "last_hash", "key_id", "mac"]
    due = _checkpoint_due(head)
    if due is not None:
        head.checkpoint_due = due
        fields.append("checkpoint_due")
    head.save(update_fields=fields)
    if due is not None:
        from .tasks import schedule_checkpoint

        transaction.on_commit(lambda: schedule_checkpoint(due), robust=True)
    return event


def _checkpoint_due(head: AuditChainHead) -> dt.datetime | None:
    """When a checkpoint must be published for this event, if none is queued yet (or the
    queued one is long overdue: its job was lost); None when one is already on its way."""
    if settings.AUDIT_CHECKPOINT_MINUTES <= 0:
        return None  # no job: checkpoints come from cron (publish_audit_checkpoint)
    now = timezone.now()
    interval = dt.timedelta(minutes=settings.AUDIT_CHECKPOINT_MINUTES)
    if head.checkpoint_due is not None and head.checkpoint_due + interval > now:
        return None
    return now + interval


def _json_safe(data: Any) -> Any:
    # Store exactly what was hashed: dates and decimals become strings once, here.
    return json.loads(canonical_json(data))
