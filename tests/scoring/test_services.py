"""The write path: create from the campaign, edit while draft, freeze, new versions, copies,
bands, and who may do it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from thidua.audit.actions import AuditAction
from thidua.audit.models import AuditEvent
from thidua.campaigns.models import Campaign, ContentGroup, Criterion
from thidua.scoring import permissions
from thidua.scoring.engine import Kind, UnitInputs, score_block
from thidua.scoring.models import Band, ScoringItem, ScoringTable
from thidua.scoring.selectors import tables as table_selectors
from thidua.scoring.services import tables as table_services
from thidua.scoring.services.tables import ItemInput

from .helpers import block, campaign, leaf, quantitative

pytestmark = pytest.mark.django_db


@pytest.fixture
def k1_table(persona) -> ScoringTable:
    return table_services.table_create(
        actor=persona("minh"), campaign=campaign(), block=block("K1")
    )


def complete(table: ScoringTable, actor) -> None:
    """Give every scored leaf its points, as the leader would before freezing."""
    for item in table.items.exclude(kind=Kind.SECTION):
        data = replace(table_services.item_input(item), max_points=Decimal(10))
        table_services.item_update(actor=actor, item=item, data=data, parent=item.parent)


def test_a_new_table_is_prefilled_from_the_campaign_criteria(k1_table, persona) -> None:
    groups = ContentGroup.objects.filter(campaign=campaign())
    criteria = Criterion.objects.filter(group__campaign=campaign())
    sections = k1_table.items.filter(kind=Kind.SECTION)
    assert sections.count() == groups.count()
    assert k1_table.items.exclude(kind=Kind.SECTION).count() == criteria.count()
    staff = k1_table.items.get(criterion__indicator="staff_share_rated_at_least")
    assert staff.kind == Kind.QUANTITATIVE
    assert staff.indicator_source == ScoringItem.Source.COMPUTED
    assert staff.target == 95 and staff.formula == "if(value >= target, max_points, 0)"
    discipline = k1_table.items.get(criterion__indicator="staff_disciplined_at_least")
    assert discipline.lower_is_better and discipline.formula.startswith("if(value <= target")
    qualitative = criteria.filter(kind=Criterion.Kind.QUALITATIVE).first()
    assert k1_table.items.get(criterion=qualitative).kind == Kind.PASS_FAIL
    assert k1_table.is_draft and k1_table.version == 1
    assert "Khối thi đua số 1" in k1_table.name
    assert AuditEvent.objects.filter(action=AuditAction.TABLE_CREATED).exists()
    # Starting again gives the same table back.
    again = table_services.table_create(
        actor=persona("minh"), campaign=campaign(), block=block("K1")
    )
    assert again.pk == k1_table.pk


def test_a_bad_formula_is_refused_on_save_with_its_position(k1_table, persona) -> None:
    staff = k1_table.items.get(criterion__indicator="staff_share_rated_at_least")
    data = replace(table_services.item_input(staff), formula="min(max_points, gia_tri")
    with pytest.raises(ValidationError) as caught:
        table_services.item_update(
            actor=persona("minh"), item=staff, data=data, parent=staff.parent
        )
    message = caught.value.message_dict["formula"][0]
    assert "Unknown variable “gia_tri” at position 17" in message
    staff.refresh_from_db()
    assert staff.formula == "if(value >= target, max_points, 0)"


def test_items_are_validated(k1_table, persona) -> None:
    minh = persona("minh")
    section = k1_table.items.get(code="1")
    with pytest.raises(ValidationError) as caught:
        table_services.item_add(
            actor=minh,
            table=k1_table,
            parent=section,
            data=ItemInput(code="1.1", text="x", kind=Kind.PER_OCCURRENCE, max_points=Decimal(-1)),
        )
    errors = caught.value.message_dict
    assert "already used" in errors["code"][0]
    assert "greater than zero" in errors["max_points"][0]
    assert "per occurrence" in errors["points_per_occurrence"][0]
    a_leaf = k1_table.items.exclude(kind=Kind.SECTION).first()
    with pytest.raises(ValidationError) as caught:
        table_services.item_add(
            actor=minh,
            table=k1_table,
            parent=a_leaf,
            data=ItemInput(code="9.9", text="x", kind=Kind.MANUAL),
        )
    assert "inside a section" in caught.value.message_dict["parent"][0]
    with pytest.raises(ValidationError) as caught:
        table_services.item_update(
            actor=minh,
            item=section,
            data=replace(table_services.item_input(section), kind=Kind.MANUAL),
            parent=None,
        )
    assert "move or delete them first" in caught.value.message_dict["kind"][0]
    with pytest.raises(ValidationError) as caught:
        table_services.item_update(
            actor=minh, item=section, data=table_services.item_input(section), parent=section
        )
    assert "inside itself" in caught.value.message_dict["parent"][0]


def test_add_move_and_delete_items(k1_table, persona) -> None:
    minh = persona("minh")
    section = k1_table.items.get(code="1")
    added = table_services.item_add(
        actor=minh,
        table=k1_table,
        parent=section,
        data=quantitative("1.9", "min(max_points, max_points * value / best_value)"),
    )
    codes = list(section.children.order_by("order").values_list("code", flat=True))
    assert codes[-1] == "1.9"
    table_services.item_move(actor=minh, item=added, up=True)
    codes = list(section.children.order_by("order").values_list("code", flat=True))
    assert codes[-2:] == ["1.9", codes[-1]] and codes[-1] != "1.9"
    count = k1_table.items.count()
    children = section.children.count()
    table_services.item_delete(actor=minh, item=section)
    assert k1_table.items.count() == count - children - 1
    event = AuditEvent.objects.filter(action=AuditAction.ITEM_DELETED).latest("seq")
    assert "1.9" in event.data["removed"]


def test_freeze_needs_a_complete_table_and_then_refuses_edits(k1_table, persona) -> None:
    minh = persona("minh")
    with pytest.raises(ValidationError) as caught:
        table_services.table_freeze(actor=minh, table=k1_table)
    assert any("maximum points are not set" in m for m in caught.value.messages)
    complete(k1_table, minh)
    frozen = table_services.table_freeze(actor=minh, table=k1_table)
    assert frozen.status == ScoringTable.Status.FROZEN and frozen.frozen_by == minh
    item = leaf(frozen, "1.1")
    with pytest.raises(ValidationError, match="frozen"):
        table_services.item_update(
            actor=minh, item=item, data=table_services.item_input(item), parent=item.parent
        )
    with pytest.raises(ValidationError, match="frozen"):
        table_services.band_save(actor=minh, table=frozen, name="Tốt", min_total=Decimal(50))


def test_editing_a_frozen_table_makes_a_new_version(k1_table, persona) -> None:
    minh = persona("minh")
    complete(k1_table, minh)
    table_services.band_save(actor=minh, table=k1_table, name="Xuất sắc", min_total=Decimal(90))
    table_services.table_freeze(actor=minh, table=k1_table)
    new = table_services.table_new_version(actor=minh, table=k1_table)
    assert (new.version, new.status, new.copied_from_id) == (2, "draft", k1_table.pk)
    assert new.items.count() == k1_table.items.count()
    assert list(new.bands.values_list("name", flat=True)) == ["Xuất sắc"]
    # The tree keeps its shape and its links.
    old_leaf, new_leaf = leaf(k1_table, "1.2"), leaf(new, "1.2")
    assert new_leaf.parent.code == old_leaf.parent.code and new_leaf.parent.table_id == new.pk
    assert new_leaf.criterion_id == old_leaf.criterion_id
    # Asking again returns the open draft; the frozen one in force stays version 1.
    assert table_services.table_new_version(actor=minh, table=k1_table).pk == new.pk
    assert table_selectors.current_table(campaign(), block("K1")).pk == k1_table.pk
    table_services.item_update(
        actor=minh,
        item=new_leaf,
        data=replace(table_services.item_input(new_leaf), max_points=Decimal(20)),
        parent=new_leaf.parent,
    )
    assert leaf(k1_table, "1.2").max_points == 10


def test_copy_from_last_years_table_follows_the_criteria_by_code(persona) -> None:
    lan = persona("lan")
    current = campaign()
    last_year = Campaign.objects.create(
        agency=current.agency,
        year=2020,
        title="Phong trào thi đua năm 2020",
        starts_on=dt.date(2020, 1, 1),
        ends_on=dt.date(2020, 12, 31),
    )
    group = ContentGroup.objects.create(campaign=last_year, order=1, code="1", title="Nhóm 1")
    Criterion.objects.create(group=group, order=2, code="1.2", text="95% HTTNV")
    old = table_services.table_create(actor=lan, campaign=last_year, block=block("K1"))
    assert old.items.get(code="1.2").criterion.group.campaign == last_year
    copy = table_services.table_copy(
        actor=persona("minh"), source=old, campaign=current, block=block("K1")
    )
    assert copy.copied_from == old and copy.campaign == current and copy.is_draft
    assert copy.items.get(code="1.2").criterion.group.campaign == current
    assert copy.items.get(code="1").group.campaign == current
    # A second draft for the same block is refused: edit the one there is.
    with pytest.raises(ValidationError, match="already has a draft"):
        table_services.table_copy(
            actor=persona("minh"), source=old, campaign=current, block=block("K1")
        )


def test_copy_from_another_blocks_table(persona, k1_table) -> None:
    lan = persona("lan")
    copy = table_services.table_copy(
        actor=lan, source=k1_table, campaign=campaign(), block=block("K2")
    )
    assert copy.block == block("K2") and copy.copied_from == k1_table
    assert set(copy.items.values_list("code", flat=True)) == set(
        k1_table.items.values_list("code", flat=True)
    )


def test_who_may_edit(k1_table, persona) -> None:
    section = k1_table.items.get(code="1")
    data = ItemInput(code="1.8", text="Thêm", kind=Kind.MANUAL, max_points=Decimal(5))
    # Member heads who are not the leader (the deputy, a member), and plain staff: refused.
    for name in ("hoa", "tuan", "mai"):
        with pytest.raises(PermissionDenied):
            table_services.item_add(actor=persona(name), table=k1_table, parent=section, data=data)
        assert not permissions.may_edit(persona(name), k1_table)
    # The secretariat and the admin may.
    table_services.item_add(actor=persona("lan"), table=k1_table, parent=section, data=data)
    assert permissions.may_edit(persona("khoa"), k1_table)
    # The leader of Khối 1 cannot touch Khối 2's table.
    k2 = table_services.table_create(actor=persona("lan"), campaign=campaign(), block=block("K2"))
    with pytest.raises(PermissionDenied):
        table_services.table_freeze(actor=persona("minh"), table=k2)
    with pytest.raises(PermissionDenied):
        table_services.table_create(actor=persona("minh"), campaign=campaign(), block=block("K2"))
    with pytest.raises(PermissionDenied):
        table_services.table_copy(
            actor=persona("minh"), source=k1_table, campaign=campaign(), block=block("K2")
        )
    # Members see their block's table; the leader of K1 sees K2's only if allowed elsewhere.
    assert permissions.may_view(persona("tuan"), k1_table)
    assert not permissions.may_view(persona("tuan"), k2)


def test_bands(k1_table, persona) -> None:
    minh = persona("minh")
    good = table_services.band_save(actor=minh, table=k1_table, name="Tốt", min_total=Decimal(80))
    table_services.band_save(
        actor=minh,
        table=k1_table,
        name="Xuất sắc",
        min_total=Decimal(95),
        eligible_for="Cờ thi đua của UBND thành phố",
    )
    with pytest.raises(ValidationError) as caught:
        table_services.band_save(actor=minh, table=k1_table, name="Tốt", min_total=Decimal(95))
    assert set(caught.value.message_dict) == {"name", "min_total"}
    table_services.band_save(
        actor=minh, table=k1_table, band=good, name="Tốt", min_total=Decimal(75)
    )
    assert list(k1_table.bands.values_list("name", "min_total")) == [
        ("Xuất sắc", Decimal(95)),
        ("Tốt", Decimal(75)),
    ]
    table_services.band_delete(actor=minh, band=good)
    assert not Band.objects.filter(pk=good.pk).exists()


def test_the_engine_scores_a_configured_table(k1_table, persona) -> None:
    minh = persona("minh")
    complete(k1_table, minh)
    staff = k1_table.items.get(criterion__indicator="staff_share_rated_at_least")
    table_services.item_update(
        actor=minh,
        item=staff,
        data=replace(
            table_services.item_input(staff),
            formula="min(max_points, max_points * value / best_value)",
        ),
        parent=staff.parent,
    )
    table_services.band_save(actor=minh, table=k1_table, name="Tốt", min_total=Decimal(5))
    table = table_selectors.engine_table(k1_table)
    code = staff.code
    scores = score_block(
        table,
        {"a": UnitInputs(values={code: Decimal(100)}), "b": UnitInputs(values={code: Decimal(80)})},
    )
    assert scores["a"].by_code()[code].points == 10
    assert scores["b"].by_code()[code].points == 8
    assert scores["a"].band.name == "Tốt" and scores["a"].incomplete


def test_database_constraints_hold_whatever_the_path(k1_table) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ScoringItem.objects.create(
            table=k1_table, order=99, code="1", text="duplicate", kind=Kind.SECTION
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoringItem.objects.create(
            table=k1_table, order=99, code="Z", text="x", kind=Kind.MANUAL, max_points=0
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoringItem.objects.create(
            table=k1_table, order=99, code="Z", text="x", kind=Kind.MANUAL, cap=5
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Band.objects.create(table=k1_table, name="x", min_total=-1)


def test_editing_a_section_keeps_its_content_group(k1_table, persona) -> None:
    section = k1_table.items.get(code="1")
    group = section.group
    assert group is not None
    table_services.item_update(
        actor=persona("minh"),
        item=section,
        data=replace(table_services.item_input(section), text="Nhóm 1 (đã sửa)", cap=Decimal(30)),
        parent=None,
    )
    section.refresh_from_db()
    assert (section.text, section.cap, section.group) == ("Nhóm 1 (đã sửa)", 30, group)
    event = AuditEvent.objects.filter(action=AuditAction.ITEM_EDITED).latest("seq")
    assert event.data["before"]["cap"] is None and event.data["after"]["cap"] == "30"
