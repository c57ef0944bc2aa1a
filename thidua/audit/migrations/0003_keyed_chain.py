"""Key the audit chain (issue #13): new columns, then the existing chain re-keyed.

Re-keying: the chain as it stands is first verified the old way (plain SHA-256, the head's
sequence number); a broken chain stops the migration, naming the row, so tampering done
before the key existed is never laundered into a keyed chain. Then every row's hash is
recomputed as HMAC-SHA256 with the audit key, in order, and the head records how many rows
were re-keyed (`legacy_seq`: `verify_audit` says so) and the key's fingerprint. From here on
anyone without the key can no longer re-hash the chain after an edit. The plain chain's last
hash is logged, so that it can be compared with an older backup or printout.
"""

import logging

from django.db import migrations, models

from thidua.lib.hashing import GENESIS_HASH, chain_hash, keyed_chain_hash, keyed_digest

logger = logging.getLogger(__name__)


def _payload(event, seq):
    # Frozen copy of thidua.audit.chain.row_payload as of this migration.
    return {
        "seq": seq,
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_label": event.object_label,
        "data": event.data,
    }


def rekey(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    head = AuditChainHead.objects.filter(id=1).first()
    rows = AuditEvent.objects.order_by("seq")
    if head is None and not rows.exists():
        return
    from thidua.audit.keys import audit_key, key_id

    key = audit_key()
    old_prev, new_prev, seq = GENESIS_HASH, GENESIS_HASH, 0
    for event in rows.iterator(chunk_size=2000):
        seq += 1
        if (
            event.seq != seq
            or event.prev_hash != old_prev
            or chain_hash(event.prev_hash, _payload(event, event.seq)) != event.hash
        ):
            raise RuntimeError(
                f"The audit log was already broken at row #{seq} before it was keyed; "
                "restore it from a backup before migrating (docs/operations.md)."
            )
        old_prev = event.hash
        event.prev_hash = new_prev
        event.hash = keyed_chain_hash(key, new_prev, _payload(event, event.seq))
        event.save(update_fields=["prev_hash", "hash"])
        new_prev = event.hash
    if head is None or head.last_seq != seq or (seq and head.last_hash != old_prev):
        raise RuntimeError(
            f"The audit log's head does not match its {seq} rows before it was keyed; "
            "restore it from a backup before migrating (docs/operations.md)."
        )
    logger.warning("audit chain re-keyed: %s rows, plain SHA-256 head was %s", seq, old_prev)
    head.last_hash = new_prev
    head.key_id = key_id(key)
    head.legacy_seq = seq
    head.mac = keyed_digest(
        key,
        {
            "head": head.id,
            "last_seq": head.last_seq,
            "last_hash": head.last_hash,
            "key_id": head.key_id,
            "legacy_seq": head.legacy_seq,
        },
    )
    head.save()


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditCheckpoint',
            fields=[
                ('number', models.PositiveBigIntegerField(primary_key=True, serialize=False)),
                ('seq', models.PositiveBigIntegerField()),
                ('hash', models.CharField(max_length=64)),
                ('published_at', models.DateTimeField()),
                ('mac', models.CharField(max_length=64)),
            ],
            options={
                'verbose_name': 'audit checkpoint',
                'verbose_name_plural': 'audit checkpoints',
                'ordering': ['-number'],
            },
        ),
        migrations.AddField(
            model_name='auditchainhead',
            name='checkpoint_due',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='auditchainhead',
            name='key_id',
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AddField(
            model_name='auditchainhead',
            name='legacy_seq',
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='auditchainhead',
            name='mac',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(rekey, migrations.RunPython.noop),
    ]
