"""Every page a persona reaches by following links from the home page opens: no server
error, no link to a page that does not exist. A net under the pages no other test names: the
council page once linked to an editing view that had never been routed, and gave the
secretariat a server error. tests/browser/test_whole_year.py walks the same way once the
whole year has been played, when the year's later pages exist."""

from __future__ import annotations

from typing import Any

import pytest

from .crawl import PERSONAS, crawl

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", PERSONAS)
def test_every_link_from_the_home_page_opens(login: Any, username: str) -> None:
    pages, failures = crawl(login(username))
    assert pages > 20  # the crawl really walked the site
    assert not failures
