"""The tally minutes (biên bản kiểm phiếu): a document of its own for each counted vote,
issued by the meeting's secretary or the secretariat from the result page, printing who
counted, the ballots, the threshold and its base, the count per candidate, and the chain
head or "kiểm phiếu giấy"."""

from __future__ import annotations

import html
import io
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
from thidua.voting.models import Meeting, Tally, Vote
from thidua.voting.services.ballots import ballot_cast
from thidua.voting.services.meetings import meeting_close
from thidua.voting.services.votes import paper_tally_enter, vote_close, vote_open

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
    settings.SOFFICE_PATH = str(tmp_path / "no-soffice")


@pytest.fixture
def counted(persona) -> tuple[Meeting, Vote]:
    """Khối 1's electronic vote: QLDL 4, QLVHGD 2, one blank; the ranking put QLVHGD first.
    The meeting stays open (the tally minutes do not wait for the meeting to close)."""
    voters = heads("K1")
    k1 = meeting(persona("minh"))
    attend(k1)
    vote = open_vote(k1, item_with_units(k1, ["QLVHGD", "QLDL", "TTVH"]))
    ids = candidate_ids(vote)
    for voter, choice in PLAN.items():
        ballot_cast(actor=voters[voter], vote=vote, chosen=[ids[choice]] if choice else [])
    vote_close(actor=k1.chair, vote=vote)
    return k1, Vote.objects.get(pk=vote.pk)


def docx_text(document: IssuedDocument) -> str:
    data = stored_files.read(Area.DOCUMENTS, document.docx_path)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    return html.unescape(" ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)))


def test_the_tally_minutes_print_the_board_ballots_threshold_counts_and_chain_head(
    counted, persona
):
    k1, vote = counted
    document = minutes.tally_minutes_issue(actor=persona("lan"), vote=vote)
    assert document.doc_type.code == "BB" and document.template_key == "bien_ban_kiem_phieu"
    assert document.block_id == k1.term.block_id
    text = docx_text(document)
    assert document.symbol in text
    assert "BIÊN BẢN" in text and "lần bỏ phiếu thứ 1" in text
    # The counting board: the chair heads it, the secretary counts (no board is recorded).
    assert "Ban kiểm phiếu gồm:" in text
    assert f"{k1.chair.full_name or k1.chair} – Chủ trì cuộc họp, Trưởng ban" in text
    assert "TRƯỞNG BAN KIỂM PHIẾU" in text and "THÀNH VIÊN BAN KIỂM PHIẾU" in text
    assert "Số phiếu phát ra: 7." in text and "Số phiếu thu vào: 7." in text
    assert "Số phiếu hợp lệ: 7 (trong đó phiếu trắng: 1)." in text
    assert "Số phiếu không hợp lệ (phiếu hỏng): 0." in text
    # The threshold in Vietnamese with its base, and the least number of votes meeting it.
    assert "Tỷ lệ phiếu cần đạt: >" in text and "(7)" in text and "ít nhất 4 phiếu" in text
    assert "of those" not in text
    # 4 of 7 for QLDL (57,14 %), 2 for QLVHGD (28,57 %).
    assert "57,14" in text and "28,57" in text
    assert "Được chọn" in text and "Không đạt" in text
    assert "được chọn: Phòng Quản lý Du lịch." in text
    assert "khác với thứ tự xếp hạng" in text
    assert vote.tally.chain_head and vote.tally.chain_head in text
    assert "kiểm phiếu giấy" not in text


def test_issued_once_per_vote_separate_from_the_meeting_minutes(counted, persona):
    k1, vote = counted
    lan = persona("lan")
    first = minutes.tally_minutes_issue(actor=lan, vote=vote)
    again = minutes.tally_minutes_issue(actor=lan, vote=vote)
    assert again.pk == first.pk
    assert (
        IssuedDocument.objects.filter(idempotency_key=minutes.tally_minutes_key(vote)).count() == 1
    )
    meeting_close(actor=k1.chair, meeting=k1)
    meeting_minutes = minutes.minutes_issue(actor=lan, meeting=k1)
    assert meeting_minutes.pk != first.pk and meeting_minutes.template_key == "bien_ban"
    assert meeting_minutes.number != first.number
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.DOCUMENT_ISSUED, object_id=str(first.pk)
        ).count()
        == 1
    )


def test_the_meetings_secretary_issues_both_minutes_others_are_refused(counted, persona):
    k1, vote = counted
    hoa = persona("hoa")  # the secretary of this meeting; not in the secretariat
    assert k1.secretary == hoa
    for outsider in ("minh", "tuan", "mai"):  # the chair, a member head, a staff member
        with pytest.raises(PermissionDenied, match="secretary or the secretariat"):
            minutes.tally_minutes_issue(actor=persona(outsider), vote=vote)
    assert not IssuedDocument.objects.filter(doc_type__code="BB").exists()
    tally_minutes = minutes.tally_minutes_issue(actor=hoa, vote=vote)
    assert tally_minutes.number is not None
    event = AuditEvent.objects.get(
        action=AuditAction.DOCUMENT_ISSUED, object_id=str(tally_minutes.pk)
    )
    assert event.actor_id == hoa.pk
    meeting_close(actor=k1.chair, meeting=k1)
    with pytest.raises(PermissionDenied):
        minutes.minutes_issue(actor=persona("tuan"), meeting=k1)
    assert minutes.minutes_issue(actor=hoa, meeting=k1).template_key == "bien_ban"


def test_a_secretary_of_another_meeting_may_not_issue_this_ones(counted, persona):
    _k1, vote = counted
    other = meeting(persona("minh"))
    Meeting.objects.filter(pk=other.pk).update(secretary=persona("tuan"))
    with pytest.raises(PermissionDenied):
        minutes.tally_minutes_issue(actor=persona("tuan"), vote=vote)


def test_an_open_vote_has_no_tally_minutes(persona):
    k1 = meeting(persona("minh"))
    attend(k1)
    vote = open_vote(k1, item_with_units(k1, ["QLVHGD", "QLDL"]))
    with pytest.raises(ValidationError, match="Close the vote"):
        minutes.tally_minutes_issue(actor=persona("hoa"), vote=vote)


def test_a_paper_count_says_so_and_prints_spoilt_ballots(persona):
    k1 = meeting(persona("minh"))
    attend(k1, absent=("VP",))
    vote = open_vote(k1, item_with_units(k1, ["QLVHGD", "QLDL", "TTVH"]), mode=Vote.Mode.PAPER)
    ids = candidate_ids(vote)
    paper_tally_enter(
        actor=k1.secretary,
        vote=vote,
        ballots_returned=6,
        blank=1,
        spoilt=1,
        counts={ids["QLVHGD"]: 4, ids["QLDL"]: 0, ids["TTVH"]: 0},
    )
    text = docx_text(minutes.tally_minutes_issue(actor=persona("hoa"), vote=vote))
    assert "kiểm phiếu giấy" in text and "chuỗi phiếu" not in text
    assert "có mặt: 6" in text and "Số phiếu thu vào: 6." in text
    assert "Số phiếu hợp lệ: 5 (trong đó phiếu trắng: 1)." in text
    assert "Số phiếu không hợp lệ (phiếu hỏng): 1." in text
    assert "được chọn: Phòng Quản lý Văn hóa và Gia đình." in text
    assert "khác với thứ tự xếp hạng" not in text


def test_a_runoff_has_its_own_tally_minutes_with_its_round(persona):
    voters = heads("K1")
    k1 = meeting(persona("minh"))
    attend(k1)
    vote = open_vote(k1, item_with_units(k1, ["QLVHGD", "QLDL", "TTVH"]))
    ids = candidate_ids(vote)
    plan = {
        "VP": "QLVHGD",
        "TCPC": "QLVHGD",
        "KHTC": "QLVHGD",
        "QLTDTT": "QLDL",
        "TTVH": "QLDL",
        "QLVHGD": "QLDL",
        "QLDL": "TTVH",
    }
    for voter, choice in plan.items():
        ballot_cast(actor=voters[voter], vote=vote, chosen=[ids[choice]])
    Vote.objects.filter(pk=vote.pk).update(rule_snapshot={**vote.rule_snapshot, "approval": [1, 5]})
    tally = vote_close(actor=k1.chair, vote=vote)
    assert tally.outcome == Tally.Outcome.RUNOFF
    first = docx_text(minutes.tally_minutes_issue(actor=persona("lan"), vote=vote))
    assert "bỏ phiếu lại (lần bỏ phiếu thứ 2)" in first
    runoff = vote_open(actor=k1.chair, meeting=k1, item=vote.item)
    runoff_ids = candidate_ids(runoff)
    for voter in ("VP", "TCPC", "KHTC", "QLTDTT", "TTVH"):
        ballot_cast(actor=voters[voter], vote=runoff, chosen=[runoff_ids["QLDL"]])
    vote_close(actor=k1.chair, vote=runoff)
    second = minutes.tally_minutes_issue(actor=persona("lan"), vote=runoff)
    text = docx_text(second)
    assert "lần bỏ phiếu thứ 2" in text and "Số phiếu thu vào: 5." in text
    assert "được chọn: Phòng Quản lý Du lịch." in text


def test_the_result_page_issues_once_and_the_roll_downloads(counted, login):
    _k1, vote = counted
    result_url = reverse("voting_result", args=[vote.pk])
    page = login("hoa")
    assert "Issue the tally minutes" in page.get(result_url).content.decode()
    issue = reverse("voting_tally_minutes_issue", args=[vote.pk])
    page.post(issue)
    page.post(issue)
    assert IssuedDocument.objects.filter(template_key="bien_ban_kiem_phieu").count() == 1
    body = page.get(result_url).content.decode()
    assert reverse("voting_tally_minutes_download", args=[vote.pk, "docx"]) in body
    assert "Issue the tally minutes" not in body
    tuan = login("tuan")
    assert "Issue the tally minutes" not in login("tuan").get(result_url).content.decode()
    download = tuan.get(reverse("voting_tally_minutes_download", args=[vote.pk, "docx"]))
    assert download.status_code == 200 and download["Content-Disposition"].endswith('.docx"')
    assert tuan.post(issue).status_code == 403
    denied = login("mai").get(reverse("voting_tally_minutes_download", args=[vote.pk, "docx"]))
    assert denied.status_code == 403
