from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # Messages are asserted in English here; test_table_pages checks the Vietnamese page.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _no_demo_table(db: None) -> None:
    # The demo year carries Khối 1's table (thidua/scoring/demo.py); these tests build
    # their own from an empty start. Deleted inside the test's rolled-back transaction.
    from thidua.scoring.models import ScoringTable

    ScoringTable.objects.all().delete()
