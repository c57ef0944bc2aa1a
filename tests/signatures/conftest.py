from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from .pki import Pki, build_pki, minimal_pdf, sign_pdf


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def pki() -> Pki:
    return build_pki()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, settings: Any, pki: Pki) -> Path:
    """Files go to a fresh folder per test; the trust roots hold only the test root CA."""
    settings.DATA_DIR = tmp_path
    settings.THIDUA_TRUST_ROOTS = tmp_path / "trust-roots"
    pki.install_roots(settings.THIDUA_TRUST_ROOTS)
    return tmp_path


@pytest.fixture(scope="session")
def original() -> bytes:
    return minimal_pdf("Hello")


@pytest.fixture(scope="session")
def signed(original: bytes, pki: Pki) -> bytes:
    return sign_pdf(original, pki.official)
