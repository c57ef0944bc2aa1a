"""Recording a decision: amounts, the recipient-on-date rule, the original's content check,
annulment, permissions and audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from tests.org.factories import make_unit
from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.awards.models import Award, AwardDecision, DecisionStatus
from thidua.awards.services import AwardInput, DecisionInput, annul_decision, record_decision
from thidua.org.models import Employment, Person
from thidua.org.services.units import unit_dissolve

D = dt.date
pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n%fake but starts like a PDF\n"


def test_decision_with_awards_and_amounts(
    decide: Any, unit: Any, form: Any, person_of: Any
) -> None:
    decision = decide(
        [
            AwardInput(form=form("CTD_TINH"), unit=unit("TTVH"), reason="Dẫn đầu Khối 2"),
            AwardInput(form=form("BK_TINH"), person=person_of("hoa")),
        ]
    )
    flag, praise = decision.awards.order_by("pk")
    # 2020: base salary 1 490 000 [UNVERIFIED]; flag 8.0 ×, individual Bằng khen 1.5 ×.
    assert flag.amount == Decimal(11_920_000)
    assert flag.amount_in_words == "Mười một triệu chín trăm hai mươi nghìn đồng"
    assert flag.recipient_name == "Trung tâm Văn hóa thành phố"
    assert praise.amount == Decimal(2_240_000)  # 2 235 000 rounded up
    assert praise.recipient_name == "Lê Thị Hoa"
    assert praise.recipient_unit_name == "Trung tâm Văn hóa thành phố"
    assert AuditEvent.objects.filter(
        action=AuditAction.DECISION_RECORDED, object_id=str(decision.pk)
    ).exists()


def test_unit_not_yet_created_is_refused_naming_the_row(
    decide: Any, persona: Any, agency: Any, form: Any, unit: Any
) -> None:
    new = make_unit(
        code="MOI", name="Phòng Mới", parent=agency, valid_from=D(2021, 1, 1), actor=persona("khoa")
    )
    with pytest.raises(ValidationError) as refused:
        decide(
            [
                AwardInput(form=form("TTLDTT"), unit=unit("VP")),
                AwardInput(form=form("TTLDTT"), unit=new, row=7),
            ]
        )
    assert refused.value.messages == ["Row 7: The unit “Phòng Mới” did not exist on 30/12/2020."]
    assert not AwardDecision.objects.exists()
    with pytest.raises(ValidationError, match="must not be in the future"):
        decide([AwardInput(form=form("TTLDTT"), unit=new)], on=D(2021, 1, 5))
    assert not Award.objects.exists()


def test_dissolved_unit_is_refused(decide: Any, persona: Any, form: Any, unit: Any) -> None:
    unit_dissolve(actor=persona("khoa"), unit=unit("TTXTDL"), on=D(2020, 6, 1))
    with pytest.raises(ValidationError) as refused:
        decide([AwardInput(form=form("TTLDTT"), unit=unit("TTXTDL"))])
    assert "Row 1: The unit “Trung tâm Xúc tiến Du lịch” was dissolved on 30/12/2020." in (
        refused.value.messages
    )


def test_person_without_employment_then_is_refused(decide: Any, form: Any, unit: Any) -> None:
    newcomer = Person.objects.create(code="NV-NEW", full_name="Ngô Văn Mới", search_text="x")
    Employment.objects.create(person=newcomer, unit=unit("VP"), valid_from=D(2021, 1, 1))
    with pytest.raises(ValidationError) as refused:
        decide([AwardInput(form=form("GK_SO"), person=newcomer)])
    assert refused.value.messages == [
        "Row 1: “Ngô Văn Mới” was not employed in any unit on 30/12/2020."
    ]
    # The day after, the same person may be awarded.
    decision = decide([AwardInput(form=form("GK_SO"), person=newcomer)], on=D(2021, 1, 4))
    assert decision.awards.get().amount == Decimal(450_000)  # 0.3 × 1 490 000 = 447 000 ↑


def test_form_for_the_wrong_kind_of_recipient(decide: Any, form: Any, person_of: Any) -> None:
    with pytest.raises(ValidationError, match="is not awarded to this kind of recipient"):
        decide([AwardInput(form=form("CTD_TINH"), person=person_of("hoa"))])


def test_database_refuses_an_award_with_two_recipients(
    decide: Any, form: Any, unit: Any, person_of: Any
) -> None:
    decision = decide([AwardInput(form=form("TTLDTT"), unit=unit("VP"))])
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.create(
            decision=decision, form=form("GK_SO"), unit=unit("VP"), person=person_of("hoa"),
            recipient_name="x",
        )  # fmt: skip


def test_same_decision_twice_is_refused(decide: Any, form: Any, unit: Any) -> None:
    decide([AwardInput(form=form("TTLDTT"), unit=unit("VP"))])
    with pytest.raises(ValidationError, match="already recorded"):
        decide([AwardInput(form=form("TTLDTT"), unit=unit("KHTC"))])


def test_decision_from_above_needs_a_real_original(
    decide: Any, form: Any, unit: Any, data_dir: Path
) -> None:
    awards = [AwardInput(form=form("CTD_TINH"), unit=unit("TTVH"))]
    with pytest.raises(ValidationError, match="Attach the scanned or signed original"):
        decide(awards, received_from_above=True)
    with pytest.raises(ValidationError, match="must be a PDF, JPEG or PNG"):
        decide(awards, received_from_above=True, original=b"MZ\x90\x00 not a scan")
    decision = decide(awards, received_from_above=True, original=PDF)
    stored = data_dir / "awards" / decision.original_path
    assert stored.read_bytes() == PDF
    assert decision.original_content_type == "application/pdf"


def test_annulment_keeps_awards_marked_revoked(
    decide: Any, form: Any, unit: Any, persona: Any
) -> None:
    first = decide([AwardInput(form=form("TTLDTT"), unit=unit("VP"))], symbol="1/QĐ-SVHTTDL")
    later = decide([], symbol="9/QĐ-SVHTTDL", on=D(2021, 1, 4))
    annul_decision(actor=persona("lan"), decision=first, by=later, reason="Kê khai không đúng")
    first.refresh_from_db()
    assert first.status == DecisionStatus.ANNULLED and first.annulled_by == later
    award = first.awards.get()
    assert award.revoked
    assert AuditEvent.objects.filter(action=AuditAction.DECISION_ANNULLED).exists()
    with pytest.raises(ValidationError, match="already annulled"):
        annul_decision(actor=persona("lan"), decision=first, by=later, reason="again")


def test_annulment_by_an_earlier_decision_is_refused(
    decide: Any, form: Any, unit: Any, persona: Any
) -> None:
    earlier = decide([], symbol="1/QĐ-SVHTTDL", on=D(2020, 1, 1))
    decision = decide([AwardInput(form=form("TTLDTT"), unit=unit("VP"))])
    with pytest.raises(ValidationError, match="must not be dated before 30/12/2020"):
        annul_decision(actor=persona("lan"), decision=decision, by=earlier, reason="x")
    with pytest.raises(ValidationError, match="Give the reason"):
        annul_decision(actor=persona("lan"), decision=decision, by=decision, reason=" ")


@pytest.mark.parametrize("username", ["minh", "mai", "thu"])
def test_only_the_secretariat_records_or_annuls(
    username: str, persona: Any, agency: Any, form: Any, unit: Any, decide: Any
) -> None:
    data = DecisionInput(
        agency=agency, issuer_name="Sở", symbol="2/QĐ-SVHTTDL", issued_on=D(2020, 12, 30),
        awards=[AwardInput(form=form("TTLDTT"), unit=unit("VP"))],
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        record_decision(actor=persona(username), data=data)
    decision = decide([AwardInput(form=form("TTLDTT"), unit=unit("VP"))])
    later = decide([], symbol="9/QĐ-SVHTTDL", on=D(2021, 1, 4))
    with pytest.raises(PermissionDenied):
        annul_decision(actor=persona(username), decision=decision, by=later, reason="x")
