"""The block's report (Báo cáo) issued from a published ranking, through the registry."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from thidua.documents.models import IssuedDocument
from thidua.lib import files as stored_files
from thidua.lib.files import Area
from thidua.scoring import report_document
from thidua.scoring.models import RankingSnapshot
from thidua.scoring.services import rankings, rounds, verification

from .scores_helpers import all_points, leader, open_round, self_and_verify, unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, settings: Any) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def docx_text(data: bytes) -> str:
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    return " ".join(re.sub(r"<[^>]+>", " ", xml).split())


def published() -> RankingSnapshot:
    round_ = open_round()
    self_and_verify(round_, "QLDL", all_points(round_))
    self_and_verify(round_, "TTVH", all_points(round_, each="8"))
    verification.verify(
        actor=leader(),
        round_=round_,
        unit=unit("QLDL"),
        points={"2.1": Decimal(6)},
        reasons={"2.1": "Thiếu minh chứng"},
    )
    rounds.round_lock(actor=leader(), round_=round_)
    return rankings.publish(actor=leader(), round_=round_)


def test_the_report_prints_the_published_ranking_and_is_issued_once(persona: Any) -> None:
    snapshot = published()
    lan = persona("lan")
    document = report_document.report_issue(actor=lan, snapshot=snapshot)
    again = report_document.report_issue(actor=lan, snapshot=snapshot)
    assert again.pk == document.pk
    assert IssuedDocument.objects.filter(doc_type__code="BC").count() == 1
    assert document.block == snapshot.round.table.block
    assert document.symbol.endswith("/BC-SVHTTDL")
    text = docx_text(stored_files.read(Area.DOCUMENTS, document.docx_path))
    assert document.symbol in text and snapshot.sha256 in text
    rows = sorted(snapshot.rows, key=lambda r: r["rank"])
    first, second = rows[0], rows[1]
    # Rank order in the table, with the published totals (decimal comma).
    assert text.index(first["unit_name"]) < text.index(second["unit_name"])
    # 186.00 → "186", 92.25 → "92,25": the generator's Vietnamese number format.
    total = f"{Decimal(first['total']).normalize():f}".replace(".", ",")
    assert f"{first['unit_name']} {total}" in text
    assert "dẫn đầu Khối" in text
    assert "Kính gửi" in text and "Hội đồng Thi đua – Khen thưởng" in text


def test_only_the_registry_keeper_issues_it_and_the_page_offers_it(
    persona: Any, login: Any
) -> None:
    snapshot = published()
    with pytest.raises(PermissionDenied):
        report_document.report_issue(actor=leader(), snapshot=snapshot)
    assert not IssuedDocument.objects.filter(doc_type__code="BC").exists()
    page = login("lan").get(reverse("scoring_snapshot", args=[snapshot.pk])).content.decode()
    assert reverse("scoring_snapshot_report", args=[snapshot.pk]) in page
    response = login("lan").post(reverse("scoring_snapshot_report", args=[snapshot.pk]))
    assert response.status_code == 302
    document = IssuedDocument.objects.get(doc_type__code="BC")
    page = login("lan").get(reverse("scoring_snapshot", args=[snapshot.pk])).content.decode()
    assert reverse("document_detail", args=[document.pk]) in page
    minh_page = login("minh").get(reverse("scoring_snapshot", args=[snapshot.pk]))
    assert minh_page.status_code == 200  # the leader still reads the ranking
    assert reverse("scoring_snapshot_report", args=[snapshot.pk]) not in minh_page.content.decode()
