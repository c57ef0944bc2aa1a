"""The demo's initiatives: Bản đồ số, recognised at the grassroots in December 2020 (a
decision recorded as received), counts for its two authors in 2021; the register shows it to
the secretariat and to its author."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from thidua.initiatives.models import Initiative
from thidua.initiatives.selectors import initiatives_recognised
from thidua.org.models import User

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        bool(os.environ.get("THIDUA_TESTS_WITHOUT_DEMO")), reason="reads the demo year"
    ),
]


def test_the_demo_initiative_counts_for_its_authors_in_2021() -> None:
    mai, tuan = (User.objects.get(username=name).person for name in ("mai", "tuan"))
    assert mai is not None and tuan is not None
    rows = initiatives_recognised(
        person_ids=[mai.pk, tuan.pk], unit_ids=[], until=dt.date(2021, 12, 31)
    )
    assert {(r.person_id, r.scope, r.recognised_on) for r in rows} == {
        (mai.pk, "co_so", dt.date(2020, 12, 15)),
        (tuan.pk, "co_so", dt.date(2020, 12, 15)),
    }
    assert Initiative.objects.filter(year=2020).count() == 2


def test_the_register_shows_the_demo_initiatives_to_their_readers(login) -> None:  # type: ignore[no-untyped-def]
    page = login("lan").get("/initiatives/?q=ban do so").content.decode()
    assert "Bản đồ số các điểm du lịch cộng đồng" in page and "85/QĐ-SVHTTDL" in page
    mine = login("mai").get("/initiatives/").content.decode()
    assert "Bản đồ số" in mine and "Đăng ký sử dụng hội trường" not in mine
