from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # Services speak English msgids here; the pages' Vietnamese is checked in the *_pages tests.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    # Circulation freezes the text as files: they go to a fresh folder per test.
    settings.DATA_DIR = tmp_path


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:  # type: ignore[no-untyped-def]
    # Many heads get a password here; a cheap hasher for new hashes keeps the suite quick,
    # and Argon2 stays listed so the demo's own hashes still verify.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]


@pytest.fixture(autouse=True)
def _k1_without_its_demo_covenant(db) -> None:  # type: ignore[no-untyped-def]
    # The demo leaves K1's covenant out for signature (minh and hoa signed; thidua/demo.py).
    # These tests walk a covenant from its start, so they begin with K1 at the signing step
    # and no covenant yet; tests/test_demo.py checks the demo's own covenant.
    from thidua.covenants.models import Covenant, CovenantRevision, Signature

    demo = Covenant.objects.filter(term__block__code="K1", term__year=2021)
    Signature.objects.filter(covenant__in=demo).delete()  # signatures are protected
    CovenantRevision.objects.filter(covenant__in=demo).delete()  # so are frozen texts
    demo.delete()
