from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # Services speak English msgids here; the *_pages tests check the Vietnamese pages.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _files(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    # The PDF is the job worker's; without LibreOffice it is marked failed at once.
    settings.SOFFICE_PATH = str(tmp_path / "no-soffice")
    settings.THIDUA_TODAY = "2021-12-20"


@pytest.fixture
def vietnamese_pages(client: Any, settings: Any) -> None:
    """The test client reads the pages in Vietnamese (the default for the people)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
