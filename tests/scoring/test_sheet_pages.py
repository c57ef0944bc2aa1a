"""The Excel pages through the test client: the matrix export and its tools on the matrix,
a unit head's offline round trip (download, fill, upload, preview, confirm), a file that is
not a workbook, a double confirmation, refusals, and the chart pages."""

from __future__ import annotations

import hashlib
import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.lib.filetypes import XLSX_CONTENT_TYPE
from thidua.lib.xlsx import TITLE_ROWS
from thidua.scoring import sheets
from thidua.scoring.models import ScoreEntry, ScoringRound
from thidua.scoring.selectors import results
from thidua.scoring.services import self_scores

from .scores_helpers import all_points, open_round, self_and_verify, unit
from .test_sheets import fill, row_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _url(name: str, round_: ScoringRound, mode: str, code: str) -> str:
    return reverse(name, args=[round_.pk, mode, unit(code).pk])


def _upload(client: Client, url: str, data: bytes, name: str = "phieu.xlsx") -> str:
    response = client.post(url, {"file": SimpleUploadedFile(name, data)})
    return response.content.decode()


def test_the_matrix_links_its_tools_and_exports_the_workbook(login) -> None:
    round_ = open_round()
    self_and_verify(round_, "QLDL", all_points(round_))
    client = login("minh")
    page = client.get(reverse("scoring_matrix", args=[round_.table_id, round_.period]))
    html = page.content.decode()
    assert 'id="matrix-tools"' in html
    export = reverse("scoring_sheet_matrix", args=[round_.pk])
    assert export in html and reverse("scoring_sheet_ranking", args=[round_.pk]) in html
    assert reverse("scoring_sheet_profile", args=[round_.pk, unit("QLDL").pk]) in html
    response = client.get(export)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    matrix = load_workbook(io.BytesIO(response.content)).worksheets[0]
    first = [c.value for c in matrix[TITLE_ROWS + 3]]  # after the title block and 2 headers
    assert first[2] == "QLDL" and first[0] == 1
    assert Decimal(str(first[-3])) == results.block_results(round_).rows[0].final.total
    # A member unit's head does not see the matrix, so no export either.
    assert login("tuan").get(export).status_code == 403


def test_a_unit_head_fills_the_sheet_offline_and_confirms_it_once(login) -> None:
    round_ = open_round()
    client = login("tuan")
    index = client.get(reverse("scoring_sheet_index", args=[round_.pk])).content.decode()
    download = _url("scoring_sheet_download", round_, sheets.SELF, "QLDL")
    assert download in index
    blank = client.get(download)
    assert blank.status_code == 200
    data = fill(blank.content, {"1.1": 9, "2.1": 7.5}, {"2.1": "Đạt một phần"})
    html = _upload(client, _url("scoring_sheet_upload", round_, sheets.SELF, "QLDL"), data)
    assert 'id="sheet-preview"' in html and "Save 2 scores" in html
    assert re.search(
        r'class="text-end old">·</td><td>→</td><td class="text-end fw-semibold new">7.5', html
    )
    assert not ScoreEntry.objects.exists()  # the preview writes nothing
    digest = re.search(r'name="sha256" value="([0-9a-f]{64})"', html)
    assert digest is not None
    confirm = _url("scoring_sheet_confirm", round_, sheets.SELF, "QLDL")
    response = client.post(confirm, {"sha256": digest.group(1), "file_name": "phieu.xlsx"})
    assert response.status_code == 302
    assert response.url == reverse("scoring_self", args=[round_.pk, unit("QLDL").pk])
    saved = dict(ScoreEntry.objects.values_list("item__code", "self_points"))
    assert saved == {"1.1": Decimal(9), "2.1": Decimal("7.5")}
    # A second click finds the upload gone and saves nothing again.
    again = client.post(confirm, {"sha256": digest.group(1)}, follow=True)
    assert "no longer available" in again.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.SCORING_SELF_SCORED).count() == 1
    assert ScoreEntry.objects.count() == 2


def test_a_sheet_with_a_bad_row_is_previewed_with_its_problems_and_cannot_be_confirmed(
    login,
) -> None:
    round_ = open_round()
    client = login("tuan")
    blank = client.get(_url("scoring_sheet_download", round_, sheets.SELF, "QLDL")).content
    data = fill(blank, {"1.1": 9, "1.2": 15})
    html = _upload(client, _url("scoring_sheet_upload", round_, sheets.SELF, "QLDL"), data)
    assert 'id="sheet-problems"' in html and "15 is above the maximum 10.00." in html
    assert f"<td>{row_of(data, '1.2')}</td><td>1.2</td>" in html
    assert "confirm-sheet" not in html
    # Forcing the confirmation anyway saves nothing: a sheet with problems is not kept.
    response = client.post(
        _url("scoring_sheet_confirm", round_, sheets.SELF, "QLDL"),
        {"sha256": hashlib.sha256(data).hexdigest()},
        follow=True,
    )
    assert "no longer available" in response.content.decode()
    assert not ScoreEntry.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused_by_its_content(login) -> None:
    round_ = open_round()
    client = login("tuan")
    url = _url("scoring_sheet_upload", round_, sheets.SELF, "QLDL")
    response = client.post(
        url, {"file": SimpleUploadedFile("phieu.xlsx", b"%PDF-1.4 not a workbook")}
    )
    assert response.status_code == 400
    assert "This is not an Excel .xlsx file." in response.content.decode()
    assert "sheet-preview" not in response.content.decode()


def test_a_sheet_for_another_unit_is_refused_on_upload(login, persona) -> None:
    round_ = open_round()
    client = login("minh")
    self_scores.self_score(
        actor=persona("tuan"), round_=round_, unit=unit("QLDL"), points=all_points(round_)
    )
    from ..reports.helpers import head_of

    self_scores.self_score(
        actor=head_of("TTVH"), round_=round_, unit=unit("TTVH"), points=all_points(round_)
    )
    data = client.get(_url("scoring_sheet_download", round_, sheets.VERIFY, "QLDL")).content
    html = _upload(client, _url("scoring_sheet_upload", round_, sheets.VERIFY, "TTVH"), data)
    assert "This sheet is for the unit QLDL" in html
    assert "sheet-preview" not in html


def test_permissions_follow_the_services(login) -> None:
    round_ = open_round()
    self_and_verify(round_, "QLVHGD", all_points(round_))
    tuan = login("tuan")
    # A unit head never gets another unit's self sheet, nor a verification sheet.
    for name in ("scoring_sheet_download", "scoring_sheet_upload"):
        assert tuan.get(_url(name, round_, sheets.SELF, "TTVH")).status_code == 403
        assert tuan.get(_url(name, round_, sheets.VERIFY, "TTVH")).status_code == 403
    # The leader (head of QLVHGD) cannot verify their own unit through a sheet.
    minh = login("minh")
    assert (
        minh.get(_url("scoring_sheet_download", round_, sheets.VERIFY, "QLVHGD")).status_code == 403
    )
    assert (
        minh.post(_url("scoring_sheet_confirm", round_, sheets.VERIFY, "QLVHGD"), {}).status_code
        == 403
    )
    assert (
        minh.get(_url("scoring_sheet_download", round_, sheets.VERIFY, "QLDL")).status_code == 200
    )
    index = minh.get(reverse("scoring_sheet_index", args=[round_.pk])).content.decode()
    assert _url("scoring_sheet_download", round_, sheets.VERIFY, "QLDL") in index
    assert _url("scoring_sheet_download", round_, sheets.VERIFY, "QLVHGD") not in index
    assert minh.get(_url("scoring_sheet_download", round_, "other", "QLDL")).status_code == 404


def test_the_ranking_chart_and_a_unit_profile(login) -> None:
    round_ = open_round()
    self_and_verify(round_, "QLDL", all_points(round_))
    self_and_verify(round_, "TTVH", all_points(round_, each="5"))
    minh = login("minh")
    html = minh.get(reverse("scoring_sheet_ranking", args=[round_.pk])).content.decode()
    block = results.block_results(round_)
    assert html.count('<g class="bar"') == len(block.rows)
    assert html.index('data-rank="1"') < html.index(f'data-rank="{block.rows[-1].rank}"')
    profile = reverse("scoring_sheet_profile", args=[round_.pk, unit("QLDL").pk])
    assert profile in html
    page = minh.get(profile).content.decode()
    assert 'class="chart chart-profile"' in page and "block average" in page
    tuan = login("tuan")
    assert tuan.get(profile).status_code == 200  # their own unit
    other = reverse("scoring_sheet_profile", args=[round_.pk, unit("TTVH").pk])
    assert tuan.get(other).status_code == 403
    assert tuan.get(reverse("scoring_sheet_ranking", args=[round_.pk])).status_code == 403


def test_a_peer_sheet_round_trip_for_an_assigned_pair(login) -> None:
    from thidua.scoring.models import PeerAssignment, PeerScore

    from ..reports.helpers import head_of

    round_ = open_round()
    qldl, ttvh = unit("QLDL"), unit("TTVH")
    self_scores.self_score(
        actor=head_of("TTVH"), round_=round_, unit=ttvh, points=all_points(round_)
    )
    PeerAssignment.objects.get_or_create(round=round_, scorer=qldl, scored=ttvh)
    client = login("tuan")
    index = client.get(reverse("scoring_sheet_index", args=[round_.pk])).content.decode()
    download = _url("scoring_sheet_download", round_, sheets.PEER, "TTVH") + f"?scorer={qldl.pk}"
    assert download in index
    data = fill(client.get(download).content, {"1.1": 6, "2.1": 8})
    upload = _url("scoring_sheet_upload", round_, sheets.PEER, "TTVH") + f"?scorer={qldl.pk}"
    html = _upload(client, upload, data)
    assert "Save 2 scores" in html and not PeerScore.objects.exists()
    digest = re.search(r'name="sha256" value="([0-9a-f]{64})"', html)
    assert digest is not None
    client.post(
        _url("scoring_sheet_confirm", round_, sheets.PEER, "TTVH"),
        {"sha256": digest.group(1), "scorer": qldl.pk},
    )
    saved = dict(PeerScore.objects.filter(scorer=qldl).values_list("item__code", "points"))
    assert saved == {"1.1": Decimal(6), "2.1": Decimal(8)}
    # Not assigned the other way round, and never for another scorer unit.
    back = _url("scoring_sheet_download", round_, sheets.PEER, "QLDL") + f"?scorer={qldl.pk}"
    assert client.get(back).status_code == 403
    other = _url("scoring_sheet_download", round_, sheets.PEER, "QLDL") + f"?scorer={ttvh.pk}"
    assert client.get(other).status_code == 403
