"""The register is scoped to agencies: a user sees the decisions of the agencies they belong
to (the council and secretariat of the agency see all of them), an administrator sees every
agency, and a user of another agency sees nothing — on the register, its export, decision
pages, originals and the history sections of unit and person pages."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.org.factories import make_unit
from thidua.awards.models import AwardDecision
from thidua.awards.selectors import RegisterFilter, register, visible_agency_ids
from thidua.awards.services import AwardInput
from thidua.lib.xlsx import TITLE_ROWS
from thidua.org.models import Role, Unit, UnitKind, User
from thidua.org.services.roles import role_assign

D = dt.date
pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n%fake but starts like a PDF\n"


def rows_of(response: Any) -> list[tuple[Any, ...]]:
    """The exported register's rows from its column headers on (after the title block)."""
    workbook = b"".join(response.streaming_content)
    sheet: Any = load_workbook(io.BytesIO(workbook)).active
    return list(sheet.iter_rows(min_row=TITLE_ROWS + 1, values_only=True))


@pytest.fixture
def decision(decide: Any, form: Any, unit: Any, person_of: Any) -> AwardDecision:
    """A decision from the city, received with its original, for TTVH and for hoa."""
    return decide(
        [
            AwardInput(form=form("CTD_TINH"), unit=unit("TTVH")),
            AwardInput(form=form("BK_TINH"), person=person_of("hoa")),
        ],
        received_from_above=True,
        original=PDF,
    )


@pytest.fixture
def outsider(persona: Any) -> User:
    """Staff of a unit of another Department of the city."""
    khoa = persona("khoa")
    city = Unit.objects.get(code="UBND-CT")
    other = make_unit(
        code="SGD",
        name="Sở Giáo dục và Đào tạo",
        kind=UnitKind.AGENCY,
        parent=city,
        valid_from=D(2008, 1, 1),
        actor=khoa,
    )
    office = make_unit(
        code="SGD-VP",
        name="Văn phòng Sở Giáo dục",
        parent=other,
        valid_from=D(2008, 1, 1),
        actor=khoa,
    )
    user = User.objects.create_user(username="binh", password="x")
    role_assign(actor=khoa, user=user, role=Role.STAFF, unit=office, valid_from=D(2020, 1, 1))
    return user


def test_a_user_of_another_agency_sees_nothing_of_it(
    decision: AwardDecision, outsider: User, client: Any, unit: Any, person_of: Any
) -> None:
    client.force_login(outsider)
    html = client.get(reverse("awards:register")).content.decode()
    assert decision.symbol not in html and "No awards match." in html
    assert client.get(reverse("awards:decision_detail", args=[decision.pk])).status_code == 404
    assert client.get(reverse("awards:decision_original", args=[decision.pk])).status_code == 404
    sheet = rows_of(client.get(reverse("awards:register_export")))
    assert len(sheet) == 1  # the header only
    for url in (
        reverse("unit_detail", args=[unit("TTVH").pk]),
        reverse("person_detail", args=[person_of("hoa").pk]),
    ):
        page = client.get(url)
        if page.status_code == 200:
            section = page.content.decode().split('id="award-history"')[1]
            assert decision.symbol not in section
    assert not register(RegisterFilter(), user=outsider).exists()


@pytest.mark.parametrize("username", ["thu", "tung", "lan", "mai", "khoa"])
def test_the_agency_sees_its_register(
    decision: AwardDecision, outsider: User, login: Any, username: str
) -> None:
    client = login(username)
    html = client.get(reverse("awards:register")).content.decode()
    assert decision.symbol in html
    assert client.get(reverse("awards:decision_detail", args=[decision.pk])).status_code == 200
    original = client.get(reverse("awards:decision_original", args=[decision.pk]))
    assert original.status_code == 200


def test_an_administrator_sees_every_agency(persona: Any, outsider: User) -> None:
    assert visible_agency_ids(persona("khoa")) is None
    agency = Unit.objects.get(code="SVHTTDL")
    assert visible_agency_ids(persona("thu")) == {agency.pk}
    assert visible_agency_ids(outsider) == {Unit.objects.get(code="SGD").pk}


def test_the_export_follows_the_filter(
    decision: AwardDecision, login: Any, decide: Any, form: Any, unit: Any
) -> None:
    decide(
        [AwardInput(form=form("TTLDTT"), unit=unit("TVIEN"))],
        symbol="3/QĐ-SVHTTDL", on=D(2019, 12, 20), issuer="Sở Văn hóa, Thể thao và Du lịch",
    )  # fmt: skip
    client = login("lan")
    everything = rows_of(client.get(reverse("awards:register_export")))
    assert len(everything) == 1 + 3
    response = client.get(reverse("awards:register_export"), {"year": "2019"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = rows_of(response)[1:]
    assert len(rows) == 1
    assert rows[0][1] == "3/QĐ-SVHTTDL" and rows[0][4] == "Thư viện thành phố"
    assert rows[0][8] == 1_200_000 and rows[0][9] == "Một triệu hai trăm nghìn đồng"
    page = client.get(reverse("awards:register"), {"year": "2019"}).content.decode()
    assert reverse("awards:register_export") + "?year=2019" in page
