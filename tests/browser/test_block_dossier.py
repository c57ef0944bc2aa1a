"""Chị Lan builds Khối 1's dossier from the campaign page: the batch page shows it waiting
for the job worker, follows its progress by itself, and offers the ZIP when it is ready."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from thidua.campaigns.models import Campaign
from thidua.documents import batches
from thidua.documents.models import DocumentBatch
from thidua.org.models import Block

from .conftest import log_in, screenshot


def test_the_dossier_page_follows_the_worker_and_offers_the_zip(
    page: Any, demo_password: str, settings: Any, tmp_path: Any
) -> None:
    settings.DATA_DIR = tmp_path
    # A queue nobody serves: the test plays the job worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    campaign = Campaign.objects.get(agency__code="SVHTTDL", year=2021)
    block = Block.objects.get(agency=campaign.agency, name__contains="số 1")
    log_in(page, "lan", demo_password)
    page.goto(f"{page.base_url}/campaigns/{campaign.pk}/")
    page.locator(f'form[action$="/blocks/{block.pk}/dossier/"] button').click()
    expect(page.locator("#batch-state")).to_have_attribute("hx-trigger", "every 2s")
    expect(page.locator("#batch-download")).to_have_count(0)
    batch = DocumentBatch.objects.get(kind="dossier")
    assert batches.run_batch(batch.pk) == "done"
    # No reload: the page asks the server every two seconds and stops once it is done.
    expect(page.locator("#batch-download")).to_be_visible(timeout=10_000)
    expect(page.locator("#batch-state")).not_to_have_attribute("hx-trigger", "every 2s")
    screenshot(page, "block-dossier-ready")
    with page.expect_download() as download:
        page.locator("#batch-download").click()
    assert download.value.suggested_filename.endswith(".zip")
