"""Fixtures for the documents tests.

NOTE for the registry's author and the lead: the rendering engineer overwrote this file by
mistake on 24/11 (it was untracked, so git has no copy). This is a reconstruction from what
test_numbering.py, test_verify.py and helpers.py need (`data_dir`, English messages, as the
other apps' conftest files do); please check it against your version.
"""

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


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, settings: Any) -> Path:
    """Issued files go to a fresh folder per test, never to var/."""
    settings.DATA_DIR = tmp_path
    return tmp_path


# The rendered demo documents (plan and decision, DOCX and their contexts), shared by the
# layout, plan and PDF tests. Imported here rather than through pytest_plugins, which pytest
# only honours in the root conftest.
from tests.documents.rendered import (  # noqa: E402, F401
    decision_context,
    decision_docx,
    plan_context,
    plan_docx,
)
