"""Facts about the channel a change came through, added to every audit row written while
they hold: an API call made with a personal token records the token's prefix beside its
owner, so the log tells the program's changes from the person's own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_via: ContextVar[dict[str, Any] | None] = ContextVar("audit_via", default=None)


@contextmanager
def via(**facts: Any) -> Iterator[None]:
    token = _via.set({**(_via.get() or {}), **facts})
    try:
        yield
    finally:
        _via.reset(token)


def via_set(**facts: Any) -> None:
    """Adds facts until the end of the current context (the caller runs in a copied one)."""
    _via.set({**(_via.get() or {}), **facts})


def current_via() -> dict[str, Any] | None:
    return _via.get()
