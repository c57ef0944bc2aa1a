"""The council votes on the accepted dossiers; the approved ones go up as the Department's
proposal; the City's answer is recorded and lands in the award register."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.org.helpers import nothing_written
from tests.reports.helpers import PDF
from thidua.awards import selectors as register
from thidua.org.models import Unit, UnitVersion
from thidua.proposals.models import Dossier, UpwardProposal
from thidua.proposals.selectors import council_result
from thidua.proposals.services.dossiers import council_agenda_add
from thidua.proposals.services.upward import (
    upward_answer_record,
    upward_create,
    upward_issue,
    upward_status_record,
)

from .helpers import accepted_dossier, council_session, council_votes, flag, k1, user

pytestmark = pytest.mark.django_db

CITY = "Ủy ban nhân dân thành phố Cần Thơ"


def approved() -> Dossier:
    dossier = accepted_dossier()
    session = council_session()
    council_agenda_add(actor=user("lan"), meeting=session, year=2021)
    council_votes(session, {"tung": "agree", "lan": "agree", "thu": "agree", "minh": "disagree"})
    dossier.refresh_from_db()
    return dossier


def test_the_council_agenda_lists_accepted_dossiers_once(settings):
    dossier = accepted_dossier()
    session = council_session()
    added = council_agenda_add(actor=user("lan"), meeting=session, year=2021)
    assert [d.pk for d in added] == [dossier.pk]
    item = session.agenda.get()
    assert item.title == "Đề nghị tặng Cờ thi đua của Ủy ban nhân dân thành phố năm 2021"
    candidate = item.candidates.get()
    assert candidate.unit is not None and candidate.unit.code == "QLVHGD"
    assert candidate.ranking == 1
    # Pressing again puts nothing more on the agenda.
    with pytest.raises(ValidationError):
        council_agenda_add(actor=user("lan"), meeting=session, year=2021)
    assert session.agenda.count() == 1
    with nothing_written(), pytest.raises(PermissionDenied):
        council_agenda_add(actor=user("thu"), meeting=session, year=2021)


def test_the_dossier_shows_the_councils_result_from_the_tally():
    dossier = accepted_dossier()
    session = council_session()
    council_agenda_add(actor=user("lan"), meeting=session, year=2021)
    assert council_result(Dossier.objects.get(pk=dossier.pk)) is None
    council_votes(session, {"tung": "agree", "lan": "agree", "thu": "agree", "minh": "disagree"})
    result = council_result(Dossier.objects.get(pk=dossier.pk))
    assert result is not None
    # Council of 5, more than half of all members needed: 3 of 5 approve.
    assert (result.approved, result.votes, result.base) == (True, 3, 5)


def test_a_dossier_the_council_rejects_cannot_go_up():
    dossier = accepted_dossier()
    session = council_session()
    council_agenda_add(actor=user("lan"), meeting=session, year=2021)
    council_votes(session, {"tung": "agree", "lan": "disagree", "thu": "disagree"})
    dossier.refresh_from_db()
    result = council_result(dossier)
    assert result is not None and not result.approved and result.votes == 1
    with pytest.raises(ValidationError) as refused:
        upward_create(
            actor=user("lan"),
            agency=dossier.cycle.campaign.agency,
            year=2021,
            form=flag(),
            level_above=CITY,
            dossiers=[dossier],
        )
    assert "was not approved by the council" in refused.value.messages[0]


def _upward(dossier: Dossier) -> UpwardProposal:
    return upward_create(
        actor=user("lan"),
        agency=dossier.cycle.campaign.agency,
        year=2021,
        form=flag(),
        level_above=CITY,
        dossiers=[dossier],
    )


def test_the_upward_proposal_is_issued_sent_and_answered_into_the_register(settings):
    dossier = approved()
    lan = user("lan")
    proposal = _upward(dossier)
    document = upward_issue(
        actor=lan, proposal=proposal, signer_name="Nguyễn Khánh Tùng", signer_title="Giám đốc"
    )
    assert document.doc_type.code == "TTr" and document.symbol.endswith("/TTr-SVHTTDL")
    again = upward_issue(
        actor=lan, proposal=proposal, signer_name="Nguyễn Khánh Tùng", signer_title="Giám đốc"
    )
    assert again.pk == document.pk

    proposal = upward_status_record(
        actor=lan, proposal=proposal, status="sent", on=dt.date(2021, 12, 20)
    )
    assert k1().state == "submitted_to_city"
    with pytest.raises(ValidationError) as refused:
        upward_status_record(
            actor=lan, proposal=proposal, status="returned", on=dt.date(2021, 12, 20)
        )
    assert refused.value.messages == ["Give the reason the level above returned the proposal."]
    upward_status_record(
        actor=lan,
        proposal=proposal,
        status="returned",
        on=dt.date(2021, 12, 20),
        note="Bổ sung báo cáo thành tích có xác nhận",
    )
    upward_status_record(
        actor=lan,
        proposal=proposal,
        status="sent",
        on=dt.date(2021, 12, 20),
        number="45/TTr-SVHTTDL",
    )
    upward_status_record(
        actor=lan, proposal=proposal, status="acknowledged", on=dt.date(2021, 12, 20)
    )

    settings.THIDUA_TODAY = "2022-01-20"
    with pytest.raises(ValidationError) as refused:
        upward_answer_record(
            actor=lan,
            proposal=proposal,
            awarded=[dossier],
            issuer_name="Ủy ban nhân dân thành phố Cần Thơ",
            symbol="120/QĐ-UBND",
            issued_on=dt.date(2022, 1, 15),
        )
    assert "Attach the scanned or signed original of a decision from above." in (
        refused.value.messages
    )
    proposal = upward_answer_record(
        actor=lan,
        proposal=proposal,
        awarded=[dossier],
        issuer_name="Ủy ban nhân dân thành phố Cần Thơ",
        symbol="120/QĐ-UBND",
        issued_on=dt.date(2022, 1, 15),
        original=PDF,
        original_name="qd-120.pdf",
    )
    assert proposal.status == "approved" and proposal.decision is not None
    assert proposal.decision.received_from_above
    assert [e.status for e in proposal.events.all()] == [
        "drafted", "sent", "returned", "sent", "acknowledged", "approved",
    ]  # fmt: skip
    assert proposal.events.get(status="returned").note == "Bổ sung báo cáo thành tích có xác nhận"
    assert [e.number for e in proposal.events.filter(status="sent")] == [
        document.symbol,
        "45/TTr-SVHTTDL",
    ]
    history = register.unit_history(Unit.objects.get(code="QLVHGD"))
    assert [(a.form.code, a.decision.symbol) for a in history] == [("CTD_TINH", "120/QĐ-UBND")]
    assert k1().state == "awarded"


def test_a_no_answer_marks_the_year_not_awarded(settings):
    dossier = approved()
    lan = user("lan")
    proposal = _upward(dossier)
    upward_status_record(
        actor=lan,
        proposal=proposal,
        status="sent",
        on=dt.date(2021, 12, 20),
        number="45/TTr-SVHTTDL",
    )
    upward_answer_record(
        actor=lan,
        proposal=proposal,
        awarded=[],
        issuer_name=CITY,
        symbol="Công văn 12/UBND-NC",
        issued_on=dt.date(2021, 12, 20),
        note="Chưa đủ điều kiện",
    )
    proposal.refresh_from_db()
    assert proposal.status == "rejected" and proposal.decision is None
    assert k1().state == "not_awarded"


def test_a_recipient_that_did_not_exist_on_the_decision_date_is_refused(settings):
    dossier = approved()
    lan = user("lan")
    proposal = _upward(dossier)
    upward_status_record(
        actor=lan, proposal=proposal, status="sent", on=dt.date(2021, 12, 20), number="45/TTr"
    )
    # QLVHGD was dissolved before the City's decision came.
    UnitVersion.objects.filter(unit__code="QLVHGD").update(valid_to=dt.date(2021, 12, 31))
    settings.THIDUA_TODAY = "2022-01-20"
    with nothing_written(), pytest.raises(ValidationError) as refused:
        upward_answer_record(
            actor=lan,
            proposal=proposal,
            awarded=[dossier],
            issuer_name=CITY,
            symbol="120/QĐ-UBND",
            issued_on=dt.date(2022, 1, 15),
            original=PDF,
            original_name="qd.pdf",
        )
    assert any("did not exist on 15/01/2022" in m for m in refused.value.messages)
    proposal.refresh_from_db()
    assert proposal.status == "sent" and k1().state == "submitted_to_city"


@pytest.mark.parametrize("name", ["minh", "hoa", "tuan", "thu", "tung"])
def test_only_the_standing_body_carries_the_proposal_up(name):
    dossier = approved()
    with nothing_written(), pytest.raises(PermissionDenied):
        upward_create(
            actor=user(name),
            agency=dossier.cycle.campaign.agency,
            year=2021,
            form=flag(),
            level_above=CITY,
            dossiers=[dossier],
        )
