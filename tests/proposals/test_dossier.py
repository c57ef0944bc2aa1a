"""The block's dossier: prepared from the year's result, checked against the configured
checklist, submitted by the leader, accepted or returned by the standing body."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.org.helpers import nothing_written
from thidua.campaigns.models import BlockCycle
from thidua.proposals.models import Dossier, DossierEvent, DossierRequirement
from thidua.proposals.services.dossiers import (
    dossier_accept,
    dossier_file_add,
    dossier_prepare,
    dossier_return,
    dossier_submit,
)

from .helpers import block_year_done, flag, k1, user, with_files

pytestmark = pytest.mark.django_db


def test_the_dossier_links_the_years_result_and_defaults_to_the_vote_winner():
    block_year_done()
    dossier = dossier_prepare(actor=user("minh"), cycle=k1(), form=flag())
    assert dossier.unit.code == "QLVHGD"
    assert dossier.rank == 1 and dossier.total
    assert dossier.tally is not None and not dossier.differs_from_ranking
    assert dossier.minutes is not None and dossier.minutes.doc_type.code == "BB"
    assert dossier.block_report is not None and dossier.block_report.doc_type.code == "BC"
    assert dossier.member_reports.count() == 7
    # A second press returns the same dossier.
    again = dossier_prepare(actor=user("minh"), cycle=k1(), form=flag())
    assert again.pk == dossier.pk and Dossier.objects.count() == 1


def test_a_winner_other_than_the_ranking_first_is_flagged():
    block_year_done(winner="QLDL")
    dossier = dossier_prepare(actor=user("minh"), cycle=k1(), form=flag())
    assert dossier.unit.code == "QLDL"
    assert dossier.differs_from_ranking


def test_submit_is_refused_naming_each_missing_item_and_nothing_is_saved():
    block_year_done(reports_from=["VP", "QLDL", "TTVH", "QLVHGD", "KHTC", "QLTDTT"])
    dossier = dossier_prepare(actor=user("minh"), cycle=k1(), form=flag())
    with nothing_written(), pytest.raises(ValidationError) as refused:
        dossier_submit(actor=user("minh"), dossier=dossier)
    messages = refused.value.messages
    assert messages == [
        "Missing: Tờ trình đề nghị của Khối thi đua (bản đã ký) (no file uploaded).",
        "Missing: Báo cáo thành tích của tập thể được đề nghị (no file uploaded).",
        "Missing: Báo cáo năm của các đơn vị thành viên "
        "(no report from: Phòng Tổ chức – Pháp chế).",
    ]
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.DRAFT and dossier.checklist == []
    assert k1().state == "leader_elected"


def test_the_checklist_comes_from_configuration():
    block_year_done()
    dossier = with_files(dossier_prepare(actor=user("minh"), cycle=k1(), form=flag()))
    # The admin adds an item in force for the year: the same dossier is now incomplete.
    DossierRequirement.objects.create(
        form=flag(),
        code="XAC_NHAN",
        label="Xác nhận của cơ quan thuế",
        kind="upload",
        required=True,
        legal_basis="Quy định của thành phố (thử)",
        valid_from="2021-01-01",
    )
    with pytest.raises(ValidationError) as refused:
        dossier_submit(actor=user("minh"), dossier=dossier)
    assert refused.value.messages == ["Missing: Xác nhận của cơ quan thuế (no file uploaded)."]


def test_return_with_reason_then_resubmit_then_accept_moves_the_year():
    block_year_done()
    minh, lan = user("minh"), user("lan")
    dossier = with_files(dossier_prepare(actor=minh, cycle=k1(), form=flag()))
    dossier_submit(actor=minh, dossier=dossier)
    # A double click does nothing more.
    dossier_submit(actor=minh, dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.status == "submitted" and dossier.submissions == 1
    assert all(line["met"] for line in dossier.checklist)
    assert k1().state == "submitted_to_dept"

    with pytest.raises(ValidationError):
        dossier_return(actor=lan, dossier=dossier, reason="  ")
    dossier_return(actor=lan, dossier=dossier, reason="Thiếu chữ ký trên tờ trình")
    dossier.refresh_from_db()
    assert dossier.status == "returned"
    assert dossier.return_reason == "Thiếu chữ ký trên tờ trình"
    assert k1().state == "leader_elected"

    dossier_submit(actor=minh, dossier=dossier)
    dossier_accept(actor=lan, dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.status == "accepted" and dossier.submissions == 2
    assert list(dossier.events.values_list("action", flat=True)) == [
        DossierEvent.Action.PREPARED,
        DossierEvent.Action.SUBMITTED,
        DossierEvent.Action.RETURNED,
        DossierEvent.Action.RESUBMITTED,
        DossierEvent.Action.ACCEPTED,
    ]
    assert k1().state == "submitted_to_dept"


@pytest.mark.parametrize("name", ["tuan", "mai", "lan", "thu", "tung"])
def test_only_the_leader_or_deputy_prepares_and_submits(name):
    block_year_done()
    with nothing_written(), pytest.raises(PermissionDenied):
        dossier_prepare(actor=user(name), cycle=k1(), form=flag())
    dossier = with_files(dossier_prepare(actor=user("hoa"), cycle=k1(), form=flag()))
    with nothing_written(), pytest.raises(PermissionDenied):
        dossier_submit(actor=user(name), dossier=dossier)


@pytest.mark.parametrize("name", ["minh", "hoa", "tuan", "mai", "thu", "tung"])
def test_only_the_standing_body_accepts_or_returns(name):
    block_year_done()
    dossier = with_files(dossier_prepare(actor=user("minh"), cycle=k1(), form=flag()))
    dossier_submit(actor=user("minh"), dossier=dossier)
    with nothing_written(), pytest.raises(PermissionDenied):
        dossier_accept(actor=user(name), dossier=dossier)
    with nothing_written(), pytest.raises(PermissionDenied):
        dossier_return(actor=user(name), dossier=dossier, reason="x")
    assert BlockCycle.objects.get(pk=k1().pk).state == "submitted_to_dept"


def test_an_upload_is_checked_by_its_content():
    block_year_done()
    dossier = dossier_prepare(actor=user("minh"), cycle=k1(), form=flag())
    with pytest.raises(ValidationError) as refused:
        dossier_file_add(
            actor=user("minh"),
            dossier=dossier,
            requirement_code="TO_TRINH",
            name="to-trinh.pdf",
            data=b"MZ\x90\x00 not a pdf",
        )
    assert "to-trinh.pdf" in refused.value.messages[0]
    assert not dossier.files.exists()
