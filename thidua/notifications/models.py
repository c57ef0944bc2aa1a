"""The log of reminder e-mails: one row per milestone, scope, person and reminder day, so a
daily run sends each reminder once however often it is started."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.campaigns.models import Milestone


class ReminderSent(models.Model):
    class Status(models.TextChoices):
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.CASCADE, related_name="+"
    )
    # "block:<id>" for a block's part of the milestone, "agency" for the agency-wide one.
    # A string rather than a nullable block so the unique key below holds on every database.
    scope = models.CharField(_("scope"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE
    )
    days_before = models.SmallIntegerField(
        _("days before the deadline"), help_text=_("Negative once the deadline has passed.")
    )
    email = models.EmailField(_("e-mail"))
    subject = models.CharField(_("subject"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SENDING
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "scope", "user", "days_before"],
                name="notifications_reminder_once",
            )
        ]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")

    def __str__(self) -> str:
        return self.subject
