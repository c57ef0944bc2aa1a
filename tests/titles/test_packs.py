"""Rule packs as dated data: the seeded national pack, layers, and what is refused on save
with the field named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.org.factories import make_unit
from thidua.awards.models import AwardForm
from thidua.titles import selectors
from thidua.titles.models import Condition, PackVersion, RulePack

D = dt.date
pytestmark = pytest.mark.django_db


def national() -> RulePack:
    return RulePack.objects.get(code="national")


def test_the_national_pack_changes_with_the_law_not_the_code() -> None:
    agency = make_unit()
    old = selectors.pack_for(agency, D(2022, 1, 15))
    new = selectors.pack_for(agency, D(2025, 1, 15))
    share = {r.title: r for r in old.rules if r.key == "ldtt-share"}["TTLDTT"]
    assert share.params == {"title": "LDTT", "ratio": 0.5, "strict": True} and share.unverified
    share = {r.title: r for r in new.rules if r.key == "ldtt-share"}["TTLDTT"]
    assert share.params == {"title": "LDTT", "ratio": 0.7}
    assert share.legal_basis == "khoản 1 Điều 28 Luật Thi đua, khen thưởng 2022"
    # The amended Law of 2026: carried over, every condition marked unverified.
    amended = selectors.pack_for(agency, D(2026, 12, 1))
    assert amended.rules and all(r.unverified for r in amended.rules)


def test_a_province_pack_layers_on_the_national_one_for_its_units_only() -> None:
    province = make_unit(code="TINH-X")
    agency = make_unit(parent=province, kind="agency")
    elsewhere = make_unit()
    pack = RulePack.objects.create(
        code="tinh-x", name="Tỉnh X", base=national(), territory=province
    )
    version = PackVersion.objects.create(pack=pack, valid_from=D(2024, 1, 1), instrument="QĐ 1")
    Condition.objects.create(
        version=version,
        title=AwardForm.objects.get(code="TTLDTT"),
        key="ldtt-share",
        kind="member_share_holding",
        params={"title": "LDTT", "ratio": 0.8},
        legal_basis="QĐ 1 Điều 5",
    )
    mine = {(r.title, r.key): r for r in selectors.pack_for(agency, D(2025, 3, 1)).rules}
    theirs = {(r.title, r.key): r for r in selectors.pack_for(elsewhere, D(2025, 3, 1)).rules}
    assert mine[("TTLDTT", "ldtt-share")].params["ratio"] == 0.8
    assert theirs[("TTLDTT", "ldtt-share")].params["ratio"] == 0.7
    assert ("TTLDTT", "discipline") in mine


def test_overlapping_versions_of_one_pack_are_refused_naming_the_field() -> None:
    version = PackVersion(pack=national(), valid_from=D(2026, 1, 1), instrument="Luật mới")
    with pytest.raises(ValidationError) as refused:
        version.full_clean()
    assert "valid_from" in refused.value.message_dict


def _condition(**fields: object) -> Condition:
    version = PackVersion.objects.filter(pack=national()).order_by("-valid_from").first()
    values = {
        "version": version,
        "title": AwardForm.objects.get(code="TTLDTT"),
        "key": "new",
        "kind": "member_share_holding",
        "params": {"title": "LDTT", "ratio": 0.7},
        "legal_basis": "Điều 28",
    }
    values.update(fields)
    return Condition(**values)


@pytest.mark.parametrize(
    ("params", "text"),
    [
        ({"title": "LDTT", "ratio": 1.5}, "ratio: must be a number between 0 and 1"),
        ({"title": "NOPE", "ratio": 0.5}, "title: unknown title “NOPE”"),
    ],
)
def test_a_bad_condition_is_refused_naming_the_parameter(params: dict, text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        _condition(params=params).full_clean()
    assert refused.value.message_dict["params"] == [text]


def test_standards_that_refer_to_each_other_in_a_circle_are_refused() -> None:
    # CSTĐCS already requires the standard of LĐTT; LĐTT requiring CSTĐCS closes a circle.
    circle = _condition(
        title=AwardForm.objects.get(code="LDTT"),
        kind="meets_standard",
        params={"title": "CSTDCS"},
    )
    with pytest.raises(ValidationError) as refused:
        circle.full_clean()
    assert "CSTDCS → LDTT → CSTDCS" in refused.value.message_dict["params"][0]
