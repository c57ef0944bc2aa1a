"""System checks: production refuses to run with the audit log unkeyed or its checkpoints
kept where the database's administrator can rewrite them as easily as the tables."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from .keys import MIN_KEY_LENGTH, configured_key


@register(Tags.security)
def check_audit_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    key = configured_key()
    if not key and not getattr(settings, "AUDIT_KEY_DEV_DEFAULT", False):
        return [
            Error(
                "The audit log has no key: THIDUA_AUDIT_KEY (or THIDUA_AUDIT_KEY_FILE) is unset.",
                hint="Generate one with `python -c 'import secrets; print(secrets.token_hex(32))'`,"
                " keep it outside the database and its backups (docs/operations.md).",
                id="thidua.audit.E001",
            )
        ]
    if key and len(key) < MIN_KEY_LENGTH:
        return [
            Error(
                f"The audit key is shorter than {MIN_KEY_LENGTH} characters.",
                id="thidua.audit.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_audit_deploy(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    if not configured_key():
        messages.append(
            Error(
                "The audit log is keyed with a development key generated into DATA_DIR.",
                hint="Set THIDUA_AUDIT_KEY_FILE to a file outside DATA_DIR and the backups.",
                id="thidua.audit.E003",
            )
        )
    if not settings.AUDIT_CHECKPOINT_DIR and not settings.AUDIT_CHECKPOINT_EMAILS:
        messages.append(
            Warning(
                "The audit checkpoints are kept beside the other stored files only.",
                hint="Set THIDUA_AUDIT_CHECKPOINT_DIR to a folder on another disk or host "
                "(append-only for the application) or THIDUA_AUDIT_CHECKPOINT_EMAILS.",
                id="thidua.audit.W001",
            )
        )
    return messages
