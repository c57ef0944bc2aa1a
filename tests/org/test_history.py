"""Renaming, moving, merging and dissolving units keep the past queryable."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.org.helpers import (
    AGENCY,
    K1_NAME,
    K2_NAME,
    ONE_DAY,
    D,
    node,
    nothing_written,
    parent_code,
    person,
    text,
    unit,
)
from thidua.org.models import Employment, Role, Unit, UnitKind, UnitStatus, UnitVersion
from thidua.org.permissions import Action, can
from thidua.org.selectors import org_tree, unit_staff, unit_version_on
from thidua.org.services.employment import employment_add
from thidua.org.services.people import person_save
from thidua.org.services.roles import role_assign
from thidua.org.services.units import unit_create, unit_dissolve, unit_merge, unit_move, unit_rename

IN_2021 = D(2021, 11, 15)
RENAMED_ON = D(2022, 7, 1)
MERGED_ON = D(2023, 1, 1)
NEW_TTRA_NAME = "Thanh tra Sở Văn hóa, Thể thao và Du lịch"


@pytest.fixture
def khoa(persona):
    return persona("khoa")


def rename_then_merge_ttra(khoa) -> Unit:
    ttra = unit("TTRA")
    unit_rename(actor=khoa, unit=ttra, name=NEW_TTRA_NAME, short_name="Thanh tra", on=RENAMED_ON)
    unit_merge(actor=khoa, sources=[ttra], target=unit("VP"), on=MERGED_ON)
    return unit("TTRA")


# Renaming ---------------------------------------------------------------------------------


def test_renamed_unit_keeps_its_old_name_for_days_before_the_rename(khoa):
    ttra = unit("TTRA")
    unit_rename(actor=khoa, unit=ttra, name=NEW_TTRA_NAME, short_name="", on=RENAMED_ON)

    assert unit_version_on(ttra, RENAMED_ON - ONE_DAY).name == "Thanh tra Sở"
    assert unit_version_on(ttra, RENAMED_ON).name == NEW_TTRA_NAME
    assert unit("TTRA").name == NEW_TTRA_NAME


def test_past_tree_shows_the_name_in_force_that_day(db):
    # The demo renamed the tourism promotion centre on 01/07/2019.
    assert node(org_tree(on=D(2018, 6, 1)), "TTXTDL").name == (
        "Trung tâm Thông tin Xúc tiến Du lịch"
    )
    assert node(org_tree(on=D(2019, 7, 1)), "TTXTDL").name == "Trung tâm Xúc tiến Du lịch"


def test_second_change_on_the_same_day_amends_that_days_period(khoa):
    ttra = unit("TTRA")
    unit_rename(actor=khoa, unit=ttra, name="Tên tạm", short_name="", on=RENAMED_ON)
    unit_rename(actor=khoa, unit=ttra, name=NEW_TTRA_NAME, short_name="", on=RENAMED_ON)

    periods = list(ttra.versions.order_by("valid_from").values_list("name", "valid_to"))
    assert periods == [("Thanh tra Sở", RENAMED_ON - ONE_DAY), (NEW_TTRA_NAME, None)]


def test_rename_dated_before_the_current_period_is_refused(khoa):
    ttxtdl = unit("TTXTDL")  # current name since 01/07/2019

    with nothing_written(), pytest.raises(ValidationError) as refused:
        unit_rename(actor=khoa, unit=ttxtdl, name="Tên khác", short_name="", on=D(2019, 1, 1))

    assert "01/07/2019" in text(refused.value)
    assert unit("TTXTDL").name == "Trung tâm Xúc tiến Du lịch"


# Renamed, then merged ---------------------------------------------------------------------


def test_renamed_and_merged_unit_still_has_its_2021_name_and_parent(khoa):
    ttra = rename_then_merge_ttra(khoa)

    version = unit_version_on(ttra, IN_2021)

    assert version.name == "Thanh tra Sở"
    assert version.parent.code == AGENCY
    assert version.status == UnitStatus.ACTIVE


def test_renamed_and_merged_unit_appears_in_the_2021_tree_with_its_2021_block(khoa):
    rename_then_merge_ttra(khoa)

    tree = org_tree(on=IN_2021)

    ttra = node(tree, "TTRA")
    assert ttra is not None
    assert (ttra.name, ttra.block) == ("Thanh tra Sở", K2_NAME)
    assert parent_code(tree, "TTRA") == AGENCY


def test_merged_unit_leaves_the_current_tree_but_not_the_full_one(khoa):
    rename_then_merge_ttra(khoa)

    assert node(org_tree(), "TTRA") is None
    closed = node(org_tree(include_closed=True), "TTRA")
    assert closed is not None
    assert closed.status == UnitStatus.MERGED
    assert unit("TTRA").merged_into.code == "VP"


def test_unit_code_survives_rename_and_merge_and_cannot_be_reused(khoa):
    rename_then_merge_ttra(khoa)

    assert Unit.objects.filter(code="TTRA").count() == 1
    with nothing_written(), pytest.raises(ValidationError) as refused:
        unit_create(
            actor=khoa,
            code="TTRA",
            name="Thanh tra mới",
            kind=UnitKind.DIVISION,
            parent=unit(AGENCY),
            valid_from=MERGED_ON,
        )
    assert "TTRA" in text(refused.value)
    assert "already used" in text(refused.value)


def test_closed_unit_cannot_be_renamed(khoa):
    ttra = rename_then_merge_ttra(khoa)

    with nothing_written(), pytest.raises(ValidationError) as refused:
        unit_rename(actor=khoa, unit=ttra, name="X", short_name="", on=D(2023, 6, 1))

    assert "active" in text(refused.value)


# Blocks over the years --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "day", "block"),
    [
        ("TTRA", D(2020, 6, 1), K1_NAME),
        ("TTRA", D(2021, 6, 1), K2_NAME),
        ("TTVH", D(2020, 6, 1), K2_NAME),
        ("TTVH", D(2021, 6, 1), K1_NAME),
    ],
)
def test_past_tree_shows_the_block_of_that_year(db, code, day, block):
    assert node(org_tree(on=day), code).block == block


@pytest.mark.parametrize("day", [D(2019, 6, 1), D(2022, 6, 1)], ids=["before", "after"])
def test_unit_without_a_block_that_year_shows_none(db, day):
    # No terms for 2019, and 2022's are not decided yet: last year's block is not carried over.
    assert node(org_tree(on=day), "TTRA").block == ""


# Moving -----------------------------------------------------------------------------------


def test_moved_unit_hangs_under_its_old_parent_on_past_days(khoa):
    unit_move(actor=khoa, unit=unit("BQLDT"), parent=unit("BTANG"), on=D(2022, 3, 1))

    assert parent_code(org_tree(on=IN_2021), "BQLDT") == AGENCY
    assert parent_code(org_tree(on=D(2022, 3, 1)), "BQLDT") == "BTANG"
    assert parent_code(org_tree(), "BQLDT") == "BTANG"
    assert unit_version_on(unit("BQLDT"), IN_2021).parent.code == AGENCY


def test_moving_a_unit_brings_its_subunits_into_the_new_parents_scope(khoa, persona):
    bqldt = unit("BQLDT")
    site = unit_create(
        actor=khoa,
        code="BQLDT-DT1",
        name="Di tích lịch sử Lộ Vòng Cung",
        kind=UnitKind.OTHER,
        parent=bqldt,
        valid_from=D(2021, 1, 1),
    )
    role_assign(
        actor=khoa,
        user=persona("hoa"),
        role=Role.UNIT_HEAD,
        unit=unit("BTANG"),
        valid_from=D(2020, 1, 1),
        include_descendants=True,
    )
    assert not can(persona("hoa"), Action.PERSON_MANAGE, unit("BQLDT-DT1"))

    unit_move(actor=khoa, unit=bqldt, parent=unit("BTANG"), on=D(2022, 3, 1))

    assert unit("BQLDT-DT1").path.startswith(unit("BTANG").path)
    assert can(persona("hoa"), Action.PERSON_MANAGE, unit("BQLDT-DT1"))
    assert unit_version_on(site, D(2022, 6, 1)).parent.code == "BQLDT"


# Merging two units into one ---------------------------------------------------------------


@pytest.fixture
def merged_into_new_unit(khoa) -> Unit:
    """QLDL and QLTDTT merged into a new division on 01/01/2023."""
    target = unit_create(
        actor=khoa,
        code="QLTTDL",
        name="Phòng Quản lý Thể thao và Du lịch",
        kind=UnitKind.DIVISION,
        parent=unit(AGENCY),
        valid_from=MERGED_ON,
    )
    unit_merge(actor=khoa, sources=[unit("QLDL"), unit("QLTDTT")], target=target, on=MERGED_ON)
    return target


def staff_codes(code: str, day) -> set[str]:
    return {e.person.code for e in unit_staff(unit(code), on=day)}


def test_merge_closes_both_sources_as_merged_into_the_target(merged_into_new_unit):
    for code in ("QLDL", "QLTDTT"):
        source = unit(code)
        assert source.status == UnitStatus.MERGED
        assert source.merged_into == merged_into_new_unit
        assert unit_version_on(source, MERGED_ON).status == UnitStatus.MERGED
        assert unit_version_on(source, MERGED_ON - ONE_DAY).status == UnitStatus.ACTIVE


def test_merged_staff_work_in_the_target_from_the_merge_day(merged_into_new_unit):
    last_day = MERGED_ON - ONE_DAY
    former_staff = staff_codes("QLDL", last_day) | staff_codes("QLTDTT", last_day)

    assert "P-TUAN" in former_staff
    assert staff_codes("QLTTDL", MERGED_ON) == former_staff
    assert staff_codes("QLDL", MERGED_ON) == set()
    assert staff_codes("QLTDTT", MERGED_ON) == set()


def test_merged_staff_keep_their_old_period_in_the_old_unit(merged_into_new_unit):
    periods = list(
        Employment.objects.filter(person=person("P-TUAN"))
        .order_by("valid_from")
        .values_list("unit__code", "valid_from", "valid_to", "position")
    )

    assert periods == [
        ("QLDL", D(2015, 3, 1), D(2022, 12, 31), "Trưởng phòng"),
        ("QLTTDL", MERGED_ON, None, "Trưởng phòng"),
    ]
    assert "P-TUAN" in staff_codes("QLDL", IN_2021)


def test_head_of_a_merged_unit_is_not_made_head_of_the_target(merged_into_new_unit):
    tuan = person("P-TUAN")

    assert tuan.employments.get(unit__code="QLDL").is_head
    assert not tuan.employments.get(unit__code="QLTTDL").is_head


def test_merge_on_the_day_someone_joins_moves_that_employment_whole(khoa):
    newcomer = person_save(actor=khoa, unit=unit("QLDL"), code="QLDL-NEW", full_name="Trần Thị Mới")
    employment_add(actor=khoa, person=newcomer, unit=unit("QLDL"), valid_from=MERGED_ON)

    unit_merge(actor=khoa, sources=[unit("QLDL")], target=unit("VP"), on=MERGED_ON)

    periods = list(
        newcomer.employments.order_by("valid_from").values_list("unit__code", "valid_from")
    )
    assert periods == [("VP", MERGED_ON)]


def test_merging_a_unit_into_itself_is_refused(khoa):
    with nothing_written(), pytest.raises(ValidationError) as refused:
        unit_merge(actor=khoa, sources=[unit("VP")], target=unit("VP"), on=MERGED_ON)

    assert "itself" in text(refused.value)


# Dissolving -------------------------------------------------------------------------------


DISSOLVED_ON = D(2022, 1, 1)


@pytest.fixture
def dissolved_ttxtdl(khoa) -> Unit:
    unit_dissolve(actor=khoa, unit=unit("TTXTDL"), on=DISSOLVED_ON)
    return unit("TTXTDL")


def test_dissolved_unit_stays_in_the_tree_of_its_last_year(dissolved_ttxtdl):
    past = node(org_tree(on=IN_2021), "TTXTDL")

    assert past is not None
    assert (past.name, past.block, past.status) == (
        "Trung tâm Xúc tiến Du lịch",
        K2_NAME,
        UnitStatus.ACTIVE,
    )
    assert node(org_tree(on=DISSOLVED_ON), "TTXTDL") is None
    assert dissolved_ttxtdl.status == UnitStatus.DISSOLVED


def test_dissolved_units_staff_leave_the_day_before(dissolved_ttxtdl):
    assert staff_codes("TTXTDL", DISSOLVED_ON - ONE_DAY)
    assert staff_codes("TTXTDL", DISSOLVED_ON) == set()
    assert set(dissolved_ttxtdl.employments.values_list("valid_to", flat=True)) == {
        DISSOLVED_ON - ONE_DAY
    }


def test_dissolving_a_unit_with_active_subunits_is_refused(khoa):
    unit_create(
        actor=khoa,
        code="BTANG-CN",
        name="Chi nhánh Bảo tàng",
        kind=UnitKind.OTHER,
        parent=unit("BTANG"),
        valid_from=D(2021, 1, 1),
    )

    with nothing_written(), pytest.raises(ValidationError) as refused:
        unit_dissolve(actor=khoa, unit=unit("BTANG"), on=DISSOLVED_ON)

    assert "active sub-units" in text(refused.value)
    assert unit("BTANG").status == UnitStatus.ACTIVE
    assert UnitVersion.objects.filter(unit=unit("BTANG"), valid_to__isnull=True).get().status == (
        UnitStatus.ACTIVE
    )
