from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # Services speak English msgids here; the pages' Vietnamese is checked in test_report_pages.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> None:
    # Evidence is written under DATA_DIR; each test gets its own, so files never leak.
    settings.DATA_DIR = tmp_path
