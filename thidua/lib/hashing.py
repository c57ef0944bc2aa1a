"""Canonical JSON and hash chains (plain and keyed), shared by the audit log and ballots."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from decimal import Decimal
from typing import Any

GENESIS_HASH = "0" * 64


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def canonical_json(data: Any) -> str:
    """One byte sequence per value: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    )


def canonical_digest(data: Any) -> str:
    """SHA-256 (hex) of the canonical JSON: the same value always gives the same digest."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def chain_hash(prev_hash: str, payload: Any) -> str:
    return hashlib.sha256((prev_hash + canonical_json(payload)).encode("utf-8")).hexdigest()


def keyed_chain_hash(key: bytes, prev_hash: str, payload: Any) -> str:
    """HMAC-SHA256 of the link: without the key nobody can make a row that verifies, so
    rewriting a row and re-hashing the chain from there on is no longer possible."""
    message = (prev_hash + canonical_json(payload)).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def keyed_digest(key: bytes, data: Any) -> str:
    """HMAC-SHA256 (hex) of the canonical JSON of `data`."""
    return hmac.new(key, canonical_json(data).encode("utf-8"), hashlib.sha256).hexdigest()
