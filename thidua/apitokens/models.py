from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scopes import Access, scope_names


class ApiToken(models.Model):
    """A personal API token. The secret is shown once; only its SHA-256 is kept, and the
    public prefix finds the row."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    access = models.CharField(_("access"), max_length=10, choices=Access.choices)
    # Empty: every area.
    areas = models.JSONField(_("areas"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_on = models.DateField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.display_prefix})"

    @property
    def display_prefix(self) -> str:
        return f"thd_{self.prefix}"

    @property
    def scopes(self) -> list[str]:
        return scope_names(self.access, list(self.areas))

    def is_expired(self, today: object = None) -> bool:
        return (today or timezone.localdate()) > self.expires_on  # type: ignore[operator]

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired()
