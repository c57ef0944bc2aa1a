from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # Messages are asserted in English, whatever translations the project ships.
    with translation.override("en"):
        yield


@pytest.fixture
def checkpoint_dir(settings: Any, tmp_path: Path) -> Path:
    """A checkpoint folder of the test's own (files outlive the rolled-back database)."""
    folder = tmp_path / "checkpoints"
    settings.STORAGES = {
        **settings.STORAGES,
        "audit-checkpoints": {
            "BACKEND": "thidua.lib.files.DurableFileSystemStorage",
            "OPTIONS": {"location": str(folder)},
        },
    }
    return folder / "audit-checkpoints"
