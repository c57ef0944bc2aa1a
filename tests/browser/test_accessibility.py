"""Accessibility in CI: axe-core (shipped inside the axe-playwright-python wheel, nothing
downloaded at run time) checks the pages the page crawl reaches, for each persona, in
Debian's Chromium, and fails on any serious or critical violation of WCAG 2.1 A/AA.

Each view is checked once, as the first persona to reach it sees it (and every persona's
own home page): the same view with other filters, another object or another persona renders
the same template, and checking
every one of the crawl's ~1,500 URLs would take most of the suite's time. Django's own admin
(/admin/) and the API's Swagger UI (/api/v1/docs, django-ninja's packaged page) are left
out: their templates are not ours. The counts by rule and impact are written
to review/browser/axe.txt for the notes."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

from tests.web.crawl import PERSONAS, crawl

from .conftest import REVIEW_DIR

BLOCKING = ("serious", "critical")
OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def _view(url: str) -> str:
    try:
        return resolve(url.split("?")[0]).view_name
    except Resolver404:
        return url


def pages_by_persona() -> dict[str, tuple[list[str], str]]:
    """For each persona, the views it is the first to reach (one URL each), and its session."""
    from thidua.org.models import User

    seen: set[str] = set()
    found = {}
    for username in PERSONAS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        pages: list[str] = []
        crawl(client, pages)
        mine = []
        for url in pages:
            view = _view(url)
            if url.startswith(("/admin/", "/api/v1/docs")) or (view in seen and url != "/"):
                continue  # each persona's own home page is checked
            seen.add(view)
            mine.append(url)
        found[username] = (mine, client.cookies[settings.SESSION_COOKIE_NAME].value)
    return found


def test_no_page_has_a_serious_accessibility_violation(browser: Any, demo_server: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    by_rule: Counter[str] = Counter()
    by_impact: Counter[str] = Counter()
    blocking: list[str] = []
    checked = 0
    for username, (urls, session) in pages_by_persona().items():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": demo_server.url}]
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        for url in urls:
            page.goto(demo_server.url + url)
            checked += 1
            for violation in axe.run(page, options=OPTIONS).response["violations"]:
                impact = violation.get("impact") or "minor"
                count = len(violation["nodes"])
                by_rule[f"{violation['id']} ({impact})"] += count
                by_impact[impact] += count
                if impact in BLOCKING:
                    target = violation["nodes"][0]["target"]
                    blocking.append(f"{username} {url}: {violation['id']} ({count}) at {target}")
        context.close()
    REVIEW_DIR.mkdir(parents=True, exist_ok=True)
    report = [f"pages checked: {checked}", *(f"{k}: {v}" for k, v in by_impact.items())]
    report += ["", *(f"{rule}: {n}" for rule, n in by_rule.most_common()), "", *blocking]
    (REVIEW_DIR / "axe.txt").write_text("\n".join(report) + "\n")
    assert checked > 60  # the crawl really walked the site
    assert not blocking, "\n".join(blocking[:40])
