from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One row of the append-only, hash-chained event log.

    `seq` is dense (1, 2, 3, ...) so a deleted row shows up as a gap, and `hash` covers
    every other column so an edited row no longer matches its successor's `prev_hash`.
    """

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    occurred_at = models.DateTimeField(_("occurred at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("actor name"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=64)
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    data = models.JSONField(_("data"), default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """A single row that every writer locks, so concurrent events cannot fork the chain,
    and that remembers the last sequence number so deleting the newest rows is caught.

    `mac` is an HMAC over the head's fields with the audit key: pointing the head back at
    an earlier row after deleting the newest ones needs the key. Only a replayed old head
    row (rolled back with its old `mac`) passes that test; the published checkpoints catch
    it."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    # The fingerprint of the key that wrote the chain (never the key itself).
    key_id = models.CharField(max_length=32, blank=True)
    # Rows up to this one were written before the chain was keyed and re-keyed by the
    # migration that introduced the key (0 for a log that started keyed).
    legacy_seq = models.PositiveBigIntegerField(default=0)
    mac = models.CharField(max_length=64, blank=True)
    # When the next checkpoint publication is due (a job is queued for it); scheduling
    # only, not covered by `mac`.
    checkpoint_due = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"


class AuditCheckpoint(models.Model):
    """The database's record of each checkpoint published outside it: a checkpoint file
    deleted later is caught by this row, and this row deleted is caught by the file."""

    number = models.PositiveBigIntegerField(primary_key=True)
    seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    published_at = models.DateTimeField()
    mac = models.CharField(max_length=64)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"checkpoint {self.number}: #{self.seq}"
