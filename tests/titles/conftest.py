from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # Messages are asserted in English, whatever translations the project ships.
    with translation.override("en"):
        yield


@pytest.fixture
def later(settings: Any) -> None:
    """A today after the years these tests award (the suite pins the demo's 04/01/2021)."""
    settings.THIDUA_TODAY = "2027-01-31"
