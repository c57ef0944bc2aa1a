from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # Messages are asserted in English, whatever translations the project ships.
    with translation.override("en"):
        yield


@pytest.fixture
def en_client(client, settings):
    """The test client with English chosen in the language switcher."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
