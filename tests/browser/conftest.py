"""Browser tests: Debian's Chromium driven by Playwright against a live server.

Never `playwright install`: the browser comes from Debian (scripts/setup-system.sh).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps

from thidua.demo.loader import load_demo

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REVIEW_DIR = Path(__file__).resolve().parents[2] / "review" / "browser"
# Without the background-networking flags Chromium keeps calling home, which this
# sandboxed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The hook sees every collected item, not only this folder's.
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# What the migrations seed. A live-server test flushes the whole database when it ends,
# seeded rows included, so the next one would find no document type, award form, legal
# basis, dossier checklist or voting rule.
SEEDS = [
    ("thidua.awards.migrations.0002_seed_catalogue", "awards.AwardForm"),
    ("thidua.documents.migrations.0002_seed_document_types", "documents.DocumentType"),
    ("thidua.documents.migrations.0004_national_legal_bases", "documents.NationalLegalBasis"),
    ("thidua.proposals.migrations.0002_seed_requirements", "proposals.DossierRequirement"),
    ("thidua.voting.migrations.0002_seed_rules", "voting.VotingRule"),
]


@pytest.fixture
def demo_server(live_server: Any) -> Any:
    """The live server with the seeded configuration and the demo year."""
    for module, model in SEEDS:
        if not apps.get_model(model).objects.exists():
            import_module(module).seed(apps, None)
    import_module("thidua.documents.migrations.0005_legal_basis_passed_on").seed(apps, None)
    load_demo()
    return live_server


@pytest.fixture
def page(browser: Any, demo_server: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = demo_server.url  # type: ignore[attr-defined]
    yield page
    context.close()


def screenshot(page: Any, name: str) -> None:
    """Keep a picture for a person to look at after the run (review/ is git-ignored)."""
    REVIEW_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(REVIEW_DIR / f"{name}.png"), full_page=True)


def log_in(page: Any, username: str, password: str) -> None:
    page.goto(page.base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
