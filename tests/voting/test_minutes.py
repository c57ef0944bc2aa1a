"""The meeting minutes (biên bản họp, BB) of a closed meeting, issued through the registry:
issued once, carrying the numbers, the threshold and the chain head, and nothing that says
who chose what."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.voting.helpers import attend, candidate_ids, heads, item_with_units, meeting, open_vote
from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.documents.models import IssuedDocument
from thidua.lib import files as stored_files
from thidua.lib.files import Area
from thidua.voting import minutes
from thidua.voting.models import Ballot, Meeting, Vote
from thidua.voting.services.ballots import ballot_cast
from thidua.voting.services.meetings import meeting_close
from thidua.voting.services.votes import vote_close

# Who chose what in the meeting below; the minutes must never be able to tell.
PLAN = {
    "VP": "QLDL",
    "TCPC": "QLVHGD",
    "KHTC": "QLDL",
    "QLTDTT": "QLDL",
    "QLDL": "QLVHGD",
    "TTVH": "QLDL",
    "QLVHGD": None,
}


@pytest.fixture(autouse=True)
def _no_libreoffice(settings: Any, tmp_path: Path) -> None:
    # The PDF is the job worker's; without LibreOffice it is marked failed at once.
    settings.SOFFICE_PATH = str(tmp_path / "no-soffice")


@pytest.fixture
def closed(persona) -> tuple[Meeting, Vote]:
    """Khối 1's meeting with one electronic vote, counted: QLDL 4, QLVHGD 2, one blank.
    The block's ranking put QLVHGD first, so the result differs from it."""
    voters = heads("K1")
    k1 = meeting(persona("minh"))
    attend(k1)
    vote = open_vote(k1, item_with_units(k1, ["QLVHGD", "QLDL", "TTVH"]))
    ids = candidate_ids(vote)
    for voter, choice in PLAN.items():
        ballot_cast(actor=voters[voter], vote=vote, chosen=[ids[choice]] if choice else [])
    vote_close(actor=k1.chair, vote=vote)
    meeting_close(actor=k1.chair, meeting=k1)
    return k1, Vote.objects.get(pk=vote.pk)


def docx_text(document: IssuedDocument) -> str:
    data = stored_files.read(Area.DOCUMENTS, document.docx_path)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    return html.unescape(" ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)))


def test_the_secretariat_issues_the_minutes_once_linked_to_the_campaign_and_block(closed, persona):
    k1, _vote = closed
    lan = persona("lan")
    first = minutes.minutes_issue(actor=lan, meeting=k1)
    again = minutes.minutes_issue(actor=lan, meeting=k1)
    assert again.pk == first.pk
    assert IssuedDocument.objects.filter(idempotency_key=minutes.minutes_key(k1)).count() == 1
    assert first.doc_type.code == "BB" and first.number is not None
    assert first.block_id == k1.term.block_id
    assert first.campaign is not None and first.campaign.year == 2021
    assert first.template_key == "bien_ban"
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.DOCUMENT_ISSUED, object_id=str(first.pk)
        ).count()
        == 1
    )


def test_the_minutes_print_attendance_counts_threshold_result_and_the_chain_head(closed, persona):
    k1, vote = closed
    document = minutes.minutes_issue(actor=persona("lan"), meeting=k1)
    text = docx_text(document)
    assert document.symbol in text
    assert "7/7 đơn vị thành viên" in text
    assert "Số phiếu phát ra: 7" in text and "hợp lệ: 7" in text
    assert "Phòng Quản lý Du lịch" in text
    # 4 of 7 members for QLDL, 2 for QLVHGD: the counts and their percentages.
    assert "57,1" in text and "28,6" in text
    # The threshold and the outcome in Vietnamese, though the secretariat reads English.
    assert "Ngưỡng: >" in text and "of those" not in text
    assert "Kết quả: Phòng Quản lý Du lịch." in text
    assert "khác với kết quả xếp hạng" in text
    assert vote.tally.chain_head and vote.tally.chain_head in text


def test_the_minutes_say_nothing_about_who_chose_what(closed, persona):
    k1, vote = closed
    document = minutes.minutes_issue(actor=persona("lan"), meeting=k1)
    text = docx_text(document)
    ballots = list(Ballot.objects.filter(vote=vote))
    # Only the head of the chain is printed: no single ballot's link or content.
    assert all(b.hash not in text or b.hash == vote.tally.chain_head for b in ballots)
    assert not any(b.choices in text for b in ballots)
    assert "seq" not in text
    for voter in heads("K1").values():
        assert voter.username not in text
    event = AuditEvent.objects.get(action=AuditAction.DOCUMENT_ISSUED, object_id=str(document.pk))
    dumped = json.dumps(event.data, default=str)
    assert not any(b.choices in dumped for b in ballots)


def test_an_open_meeting_has_no_minutes_and_one_not_its_secretary_is_refused(
    persona,
):
    k1 = meeting(persona("minh"))
    with pytest.raises(ValidationError, match="Close the meeting before issuing its minutes"):
        minutes.minutes_issue(actor=persona("lan"), meeting=k1)
    with pytest.raises(ValidationError, match="Close the meeting before issuing its minutes"):
        minutes.minutes_issue(actor=persona("hoa"), meeting=k1)  # its secretary
    with pytest.raises(PermissionDenied, match="secretariat"):
        minutes.minutes_issue(actor=persona("tuan"), meeting=k1)
    assert not IssuedDocument.objects.filter(doc_type__code="BB").exists()


def test_a_double_click_on_the_page_issues_one_document_which_the_roll_can_download(
    closed, login, client
):
    k1, vote = closed
    page = login("lan")
    issue_url = reverse("voting_minutes_issue", args=[k1.pk])
    page.post(issue_url)
    page.post(issue_url)
    assert IssuedDocument.objects.filter(doc_type__code="BB").count() == 1
    body = page.get(reverse("voting_meeting", args=[k1.pk])).content.decode()
    assert "Minutes (DOCX)" in body and "Issue the minutes" not in body
    result = page.get(reverse("voting_result", args=[vote.pk])).content.decode()
    assert reverse("voting_minutes_download", args=[k1.pk, "docx"]) in result
    # tuan heads a member unit: on the roll, he may read the minutes.
    download = login("tuan").get(reverse("voting_minutes_download", args=[k1.pk, "docx"]))
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('.docx"')
    # mai is staff, not on the roll and not running the meeting.
    denied = login("mai").get(reverse("voting_minutes_download", args=[k1.pk, "docx"]))
    assert denied.status_code == 403


def test_the_issue_button_is_shown_to_the_secretariat_and_the_secretary_once_closed(closed, login):
    k1, _vote = closed
    url = reverse("voting_meeting", args=[k1.pk])
    assert "Issue the minutes" in login("lan").get(url).content.decode()
    assert "Issue the minutes" in login("hoa").get(url).content.decode()  # its secretary
    tuan_page = login("tuan").get(url).content.decode()
    assert "Issue the minutes" not in tuan_page
    assert "secretary or the secretariat issues the minutes" in tuan_page
    assert login("tuan").post(reverse("voting_minutes_issue", args=[k1.pk])).status_code == 403
