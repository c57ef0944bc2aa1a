from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # Services speak English msgids here; the pages' Vietnamese is checked in test_pages.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:  # type: ignore[no-untyped-def]
    # Many heads get a password here; a cheap hasher for new hashes keeps the suite quick,
    # and Argon2 stays listed so the demo's own hashes still verify.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
