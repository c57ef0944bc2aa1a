from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # Services speak English msgids here; the pages' Vietnamese is checked in test_meeting_pages.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _english_pages(client, settings) -> None:  # type: ignore[no-untyped-def]
    # Pages are Vietnamese by default; these tests read them in English (the msgids), so
    # they hold before and after the catalogue is merged. test_meeting_pages checks the Vietnamese.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
