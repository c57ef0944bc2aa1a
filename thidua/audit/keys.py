"""The audit key: the HMAC secret that keys the chain and signs its checkpoints.

It is kept outside the database, so that someone who can rewrite the tables (a database
administrator, a stolen backup, an injection) cannot make rows, a head or checkpoints that
verify. From THIDUA_AUDIT_KEY or the file THIDUA_AUDIT_KEY_FILE (settings.AUDIT_KEY); under
DEBUG without one, a key generated once into DATA_DIR/audit.key. Production without a key
is refused by `check --deploy` (thidua/audit/checks.py) and by every write.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from thidua.lib.hashing import keyed_digest

MIN_KEY_LENGTH = 32
DEV_KEY_FILE = "audit.key"


def configured_key() -> str:
    return str(getattr(settings, "AUDIT_KEY", "") or "").strip()


def audit_key() -> bytes:
    """The key's bytes; ImproperlyConfigured when production has none."""
    key = configured_key()
    if key:
        return key.encode("utf-8")
    if getattr(settings, "AUDIT_KEY_DEV_DEFAULT", False):
        return _development_key(Path(settings.DATA_DIR) / DEV_KEY_FILE)
    raise ImproperlyConfigured(
        "THIDUA_AUDIT_KEY (or THIDUA_AUDIT_KEY_FILE) must be set: the audit log is keyed "
        "with it. See docs/operations.md, 'The audit log'."
    )


def key_id(key: bytes | None = None) -> str:
    """A fingerprint naming the key in the head and the checkpoints; reveals nothing of it."""
    return keyed_digest(key if key is not None else audit_key(), "thidua audit key id")[:16]


def _development_key(path: Path) -> bytes:
    """Read the development key, creating it (0600, exclusively) on first use."""
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_bytes().strip()
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    return path.read_bytes().strip()
