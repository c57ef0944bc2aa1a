"""The register across renames and mergers, its filters, and the history on unit and person
pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from thidua.awards.selectors import RegisterFilter, register, unit_history
from thidua.awards.services import AwardInput
from thidua.org.services.units import unit_merge, unit_rename

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def renamed_vp(decide: Any, form: Any, unit: Any, persona: Any) -> Any:
    """VP gets a flag in 2020, then is renamed on 02/01/2021."""
    decide([AwardInput(form=form("TTLDXS"), unit=unit("VP"))], symbol="12/QĐ-UBND")
    return unit_rename(
        actor=persona("khoa"), unit=unit("VP"), name="Văn phòng Sở (mới)", short_name="",
        on=D(2021, 1, 2),
    )  # fmt: skip


def test_award_survives_a_rename(renamed_vp: Any) -> None:
    award = unit_history(renamed_vp).get()
    assert award.recipient_name == "Văn phòng Sở"
    assert award.unit is not None and award.unit.name == "Văn phòng Sở (mới)"
    # Found by the old name and by the new one.
    assert register(RegisterFilter(text="Văn phòng Sở (mới)")).get() == award
    assert register(RegisterFilter(text="van phong so")).count() == 1


def test_merged_units_awards_follow_to_the_successor(
    decide: Any, form: Any, unit: Any, persona: Any
) -> None:
    decide([AwardInput(form=form("TTLDTT"), unit=unit("TTXTDL"))], symbol="3/QĐ-SVHTTDL")
    unit_merge(
        actor=persona("khoa"), sources=[unit("TTXTDL")], target=unit("TTVH"), on=D(2021, 1, 2)
    )
    award = unit_history(unit("TTVH")).get()
    assert award.recipient_name == "Trung tâm Xúc tiến Du lịch"
    assert unit_history(unit("TTXTDL")).get() == award


def test_filters(decide: Any, form: Any, unit: Any, person_of: Any) -> None:
    decide(
        [AwardInput(form=form("CTD_TINH"), unit=unit("TVIEN"))],
        symbol="5/QĐ-UBND", on=D(2019, 12, 20),
    )  # fmt: skip
    decide(
        [AwardInput(form=form("GK_SO"), person=person_of("mai"))],
        symbol="7/QĐ-SVHTTDL", issuer="Sở Văn hóa, Thể thao và Du lịch",
    )  # fmt: skip
    assert register(RegisterFilter(year=2019)).get().form.code == "CTD_TINH"
    assert register(RegisterFilter(form_code="GK_SO")).get().person == person_of("mai")
    assert register(RegisterFilter(issuer="Sở Văn hóa")).count() == 1
    assert register(RegisterFilter(person=person_of("mai"))).count() == 1
    assert register(RegisterFilter(unit=unit("TVIEN"), year=2020)).count() == 0


def test_unit_page_shows_history_under_name_then_and_now(renamed_vp: Any, login: Any) -> None:
    page = login("mai").get(reverse("unit_detail", args=[renamed_vp.pk]))
    html = page.content.decode()
    section = html[html.index('id="award-history"') :]
    assert "Tập thể lao động xuất sắc" in section
    assert "12/QĐ-UBND" in section
    assert "Văn phòng Sở" in section and "today: Văn phòng Sở (mới)" in section


def test_person_page_shows_history_and_revocation(
    decide: Any, form: Any, person_of: Any, login: Any, persona: Any
) -> None:
    from thidua.awards.services import annul_decision

    hoa = person_of("hoa")
    decision = decide([AwardInput(form=form("CSTDCS"), person=hoa)], symbol="8/QĐ-SVHTTDL")
    later = decide([], symbol="9/QĐ-SVHTTDL", on=D(2021, 1, 4))
    annul_decision(actor=persona("lan"), decision=decision, by=later, reason="Sai sót")
    html = login("hoa").get(reverse("person_detail", args=[hoa.pk])).content.decode()
    section = html[html.index('id="award-history"') :]
    assert "Chiến sĩ thi đua cơ sở" in section and "revoked" in section


def test_register_page_in_vietnamese(renamed_vp: Any, login: Any) -> None:
    from django.utils import translation

    with translation.override("vi"):
        page = login("mai").get(
            reverse("awards:register") + "?year=2020", HTTP_ACCEPT_LANGUAGE="vi"
        )
    assert page.status_code == 200
    html = page.content.decode()
    assert "12/QĐ-UBND" in html and "Văn phòng Sở (mới)" in html


def test_decision_page_and_annul_form(renamed_vp: Any, login: Any, decide: Any) -> None:
    from thidua.awards.models import AwardDecision

    decision = AwardDecision.objects.get(symbol="12/QĐ-UBND")
    later = decide([], symbol="1/QĐ-UBND", on=D(2021, 1, 4))
    client = login("mai")
    page = client.get(reverse("awards:decision_detail", args=[decision.pk])).content.decode()
    assert "Mười một triệu" not in page  # TTLĐXS 1.5 × 1 490 000 = 2 235 000 → 2 240 000
    assert "Hai triệu hai trăm bốn mươi nghìn đồng" in page
    assert 'id="annul-form"' not in page
    refused = client.post(
        reverse("awards:decision_annul", args=[decision.pk]), {"by": later.pk, "reason": "x"}
    )
    assert refused.status_code == 403
    client = login("lan")
    assert (
        'id="annul-form"'
        in client.get(reverse("awards:decision_detail", args=[decision.pk])).content.decode()
    )
    client.post(
        reverse("awards:decision_annul", args=[decision.pk]), {"by": later.pk, "reason": "Sai"}
    )
    decision.refresh_from_db()
    assert decision.is_annulled
