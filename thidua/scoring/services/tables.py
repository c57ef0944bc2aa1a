"""The write path of scoring tables: create, copy, edit items while draft, freeze, version,
bands. Each service: authorise → validate → write → audit, in one transaction.

A frozen table never changes: editing it means opening a new version (a draft copy).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.campaigns.indicators import Comparator
from thidua.campaigns.models import Campaign, ContentGroup, Criterion
from thidua.org.models import Block, User
from thidua.org.permissions import Actor

from .. import permissions
from ..engine import NEEDS_MAXIMUM, Kind, Rounding
from ..formula import FormulaError, parse
from ..models import Band, ScoringItem, ScoringTable
from ..selectors import tables as table_selectors

MAX_TREE_DEPTH = 5

DEFAULT_FORMULAS = {
    Comparator.GTE: "if(value >= target, max_points, 0)",
    Comparator.LTE: "if(value <= target, max_points, 0)",
    Comparator.EQ: "if(value = target, max_points, 0)",
}


@dataclass(frozen=True)
class ItemInput:
    """What a form (or the API) may set on an item."""

    code: str
    text: str
    kind: str
    max_points: Decimal | None = None
    cap: Decimal | None = None
    evidence_required: bool = False
    indicator_source: str = ""
    criterion: Criterion | None = None
    target: Decimal | None = None
    lower_is_better: bool = False
    formula: str = ""
    points_per_occurrence: Decimal | None = None


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _lock(table: ScoringTable) -> ScoringTable:
    return (
        ScoringTable.objects.select_for_update(of=("self",))
        .select_related("agency", "campaign", "block")
        .get(pk=table.pk)
    )


def _require_draft(table: ScoringTable) -> None:
    if not table.is_draft:
        raise ValidationError(
            _("This version is frozen and cannot change: open a new version to edit it.")
        )


def _snapshot(item: ScoringItem) -> dict[str, Any]:
    return {
        "code": item.code,
        "text": item.text,
        "kind": item.kind,
        "parent": item.parent.code if item.parent else None,
        "max_points": str(item.max_points) if item.max_points is not None else None,
        "cap": str(item.cap) if item.cap is not None else None,
        "formula": item.formula,
        "target": str(item.target) if item.target is not None else None,
        "points_per_occurrence": (
            str(item.points_per_occurrence) if item.points_per_occurrence is not None else None
        ),
        "evidence_required": item.evidence_required,
    }


# Tables ------------------------------------------------------------------------------------


def _next_version(campaign: Campaign, block: Block | None, agency_id: int, name: str) -> int:
    tables = ScoringTable.objects.filter(campaign=campaign, block=block)
    if block is None:
        tables = tables.filter(agency_id=agency_id, name=name)
    return (tables.aggregate(v=Max("version"))["v"] or 0) + 1


def default_name(campaign: Campaign, block: Block | None) -> str:
    if block is None:
        return _("Scoring table template, %(year)s") % {"year": campaign.year}
    return _("Scoring table of %(block)s, %(year)s") % {"block": block.name, "year": campaign.year}


def _prefill(table: ScoringTable, campaign: Campaign) -> None:
    """A section per content group, a leaf per criterion: measurable ones scored by a
    formula against the plan's threshold, the others pass / fail. Points are left for the
    block to set: the plan gives none."""
    groups = ContentGroup.objects.filter(campaign=campaign).order_by("order")
    criteria = Criterion.objects.filter(group__campaign=campaign).order_by("order", "id")
    by_group: dict[int, list[Criterion]] = {}
    for criterion in criteria:
        by_group.setdefault(criterion.group_id, []).append(criterion)
    for group_order, group in enumerate(groups, start=1):
        section = ScoringItem.objects.create(
            table=table,
            order=group_order,
            code=group.code,
            text=group.title,
            kind=Kind.SECTION,
            group=group,
        )
        for order, criterion in enumerate(by_group.get(group.pk, []), start=1):
            measurable = criterion.kind == Criterion.Kind.MEASURABLE
            ScoringItem.objects.create(
                table=table,
                parent=section,
                order=order,
                code=criterion.code,
                text=criterion.text,
                kind=Kind.QUANTITATIVE if measurable else Kind.PASS_FAIL,
                criterion=criterion,
                group=group,
                indicator_source=(
                    (
                        ScoringItem.Source.COMPUTED
                        if criterion.is_computed
                        else ScoringItem.Source.REPORTED
                    )
                    if measurable
                    else ""
                ),
                target=criterion.threshold if measurable else None,
                lower_is_better=measurable and criterion.comparator == Comparator.LTE,
                formula=DEFAULT_FORMULAS.get(Comparator(criterion.comparator), "")
                if measurable and criterion.comparator
                else "",
            )


@transaction.atomic
def table_create(
    *, actor: Actor, campaign: Campaign, block: Block | None, name: str = ""
) -> ScoringTable:
    """Open a block's table for a campaign, pre-filled from the campaign's criteria.
    Idempotent: a block that already has a table gets it back."""
    permissions.require_table_editor(actor, campaign, block)
    if block is not None:
        if block.agency_id != campaign.agency_id:
            raise ValidationError(_("The block does not belong to the campaign's agency."))
        Block.objects.select_for_update().get(pk=block.pk)  # two clicks create one table
        existing = table_selectors.current_table(campaign, block)
        if existing is not None:
            return existing
    name = name.strip() or default_name(campaign, block)
    table = ScoringTable.objects.create(
        agency=campaign.agency,
        campaign=campaign,
        block=block,
        name=name,
        version=_next_version(campaign, block, campaign.agency_id, name),
        created_by=_user(actor),
    )
    _prefill(table, campaign)
    record(
        actor=actor,
        action=AuditAction.TABLE_CREATED,
        obj=table,
        after={"name": table.name, "block": block.code if block else None, "year": campaign.year},
    )
    return table


def _copy_content(source: ScoringTable, target: ScoringTable) -> None:
    """Copy items (parents first) and bands. Links to the campaign's groups and criteria
    follow the codes into the target campaign when it is another year's."""
    same_campaign = source.campaign_id == target.campaign_id
    groups = {g.code: g for g in ContentGroup.objects.filter(campaign_id=target.campaign_id)}
    criteria = {
        (c.group.code, c.code): c
        for c in Criterion.objects.filter(group__campaign_id=target.campaign_id).select_related(
            "group"
        )
    }
    items = list(
        source.items.select_related("criterion__group", "group").order_by("parent_id", "order")
    )
    copied: dict[int, ScoringItem] = {}
    pending = list(items)
    # One insert per level of the tree (parents first), not one per item: a province's
    # new year copies a hundred tables at once.
    while pending:
        ready = [i for i in pending if i.parent_id is None or i.parent_id in copied]
        level: dict[int, ScoringItem] = {}
        for item in ready:
            group, criterion = item.group, item.criterion
            if not same_campaign:
                group = groups.get(item.group.code) if item.group else None
                criterion = (
                    criteria.get((item.criterion.group.code, item.criterion.code))
                    if item.criterion
                    else None
                )
            level[item.pk] = ScoringItem(
                table=target,
                parent=copied[item.parent_id] if item.parent_id else None,
                order=item.order,
                code=item.code,
                text=item.text,
                kind=item.kind,
                max_points=item.max_points,
                cap=item.cap,
                evidence_required=item.evidence_required,
                indicator_source=item.indicator_source,
                criterion=criterion,
                group=group,
                target=item.target,
                lower_is_better=item.lower_is_better,
                formula=item.formula,
                points_per_occurrence=item.points_per_occurrence,
            )
        ScoringItem.objects.bulk_create(level.values())
        copied.update(level)
        pending = [i for i in pending if i.pk not in copied]
    Band.objects.bulk_create(
        Band(table=target, name=b.name, min_total=b.min_total, eligible_for=b.eligible_for)
        for b in source.bands.all()
    )


@transaction.atomic
def table_copy(
    *, actor: Actor, source: ScoringTable, campaign: Campaign, block: Block | None
) -> ScoringTable:
    """Start a block's table from another one (last year's, or another block's): a new
    draft that remembers where it came from."""
    permissions.require_table_editor(actor, campaign, block)
    if source.agency_id != campaign.agency_id:
        raise ValidationError(_("Only tables of the same agency can be copied."))
    if block is not None:
        Block.objects.select_for_update().get(pk=block.pk)
    if ScoringTable.objects.filter(
        campaign=campaign, block=block, status=ScoringTable.Status.DRAFT
    ).exists():
        raise ValidationError(
            _("This block already has a draft table for the campaign: edit that draft instead.")
        )
    name = default_name(campaign, block)
    table = ScoringTable.objects.create(
        agency=campaign.agency,
        campaign=campaign,
        block=block,
        name=name,
        version=_next_version(campaign, block, campaign.agency_id, name),
        copied_from=source,
        rounding_places=source.rounding_places,
        rounding_mode=source.rounding_mode,
        created_by=_user(actor),
    )
    _copy_content(source, table)
    record(
        actor=actor,
        action=AuditAction.TABLE_COPIED,
        obj=table,
        after={"name": table.name, "version": table.version, "copied_from": source.pk},
    )
    return table


def freeze_problems(table: ScoringTable) -> list[str]:
    """What stops a table from being used for scoring."""
    problems: list[str] = []
    items = list(table.items.all())
    if not any(not i.is_section for i in items):
        problems.append(_("The table has no scored items."))
    has_children = {i.parent_id for i in items}
    for item in items:
        if item.kind in NEEDS_MAXIMUM and item.max_points is None:
            problems.append(_("%(code)s: the maximum points are not set.") % {"code": item.code})
        if item.kind == Kind.QUANTITATIVE and not item.formula:
            problems.append(_("%(code)s: the formula is missing.") % {"code": item.code})
        if item.kind == Kind.PER_OCCURRENCE and item.points_per_occurrence is None:
            problems.append(
                _("%(code)s: the points per occurrence are not set.") % {"code": item.code}
            )
        if item.is_section and item.pk not in has_children:
            problems.append(_("%(code)s: the section is empty.") % {"code": item.code})
    return problems


@transaction.atomic
def table_freeze(*, actor: Actor, table: ScoringTable, in_use: bool = False) -> ScoringTable:
    """A table in use is frozen: from now on only a new version can change it. `in_use`: a
    member unit's first self-score freezes it (the scores service has authorised the head)."""
    table = _lock(table)
    if not in_use:
        permissions.require_table_editor(actor, table.campaign, table.block)
    if not table.is_draft:
        return table
    problems = freeze_problems(table)
    if problems:
        raise ValidationError(problems)
    table.status = ScoringTable.Status.FROZEN
    table.frozen_at = timezone.now()
    table.frozen_by = _user(actor)
    table.save(update_fields=["status", "frozen_at", "frozen_by"])
    record(
        actor=actor,
        action=AuditAction.TABLE_FROZEN,
        obj=table,
        after={"version": table.version, "by_first_self_score": in_use},
    )
    return table


@transaction.atomic
def table_new_version(*, actor: Actor, table: ScoringTable) -> ScoringTable:
    """Editing a frozen table: a draft copy with the next version number (or the draft
    that is already open)."""
    table = _lock(table)
    permissions.require_table_editor(actor, table.campaign, table.block)
    if table.is_draft:
        return table
    draft = (
        ScoringTable.objects.filter(
            campaign=table.campaign,
            block=table.block,
            agency=table.agency,
            name=table.name,
            status=ScoringTable.Status.DRAFT,
        )
        .order_by("-version")
        .first()
    )
    if draft is not None:
        return draft
    new = ScoringTable.objects.create(
        agency=table.agency,
        campaign=table.campaign,
        block=table.block,
        name=table.name,
        version=_next_version(table.campaign, table.block, table.agency_id, table.name),
        copied_from=table,
        rounding_places=table.rounding_places,
        rounding_mode=table.rounding_mode,
        created_by=_user(actor),
    )
    _copy_content(table, new)
    record(
        actor=actor,
        action=AuditAction.TABLE_NEW_VERSION,
        obj=new,
        after={"version": new.version, "copied_from": table.pk},
    )
    return new


@transaction.atomic
def table_update(
    *, actor: Actor, table: ScoringTable, name: str, rounding_places: int, rounding_mode: str
) -> ScoringTable:
    table = _lock(table)
    permissions.require_table_editor(actor, table.campaign, table.block)
    _require_draft(table)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Give the table a name.")
    if not 0 <= rounding_places <= 4:
        errors["rounding_places"] = _("Between 0 and 4 decimal places.")
    if rounding_mode not in Rounding.__members__.values():
        errors["rounding_mode"] = _("Unknown rounding.")
    if errors:
        raise ValidationError(errors)
    before = {
        "name": table.name,
        "rounding_places": table.rounding_places,
        "rounding_mode": table.rounding_mode,
    }
    table.name = name.strip()
    table.rounding_places = rounding_places
    table.rounding_mode = rounding_mode
    table.save(update_fields=["name", "rounding_places", "rounding_mode"])
    after = {"name": table.name, "rounding_places": rounding_places, "rounding_mode": rounding_mode}
    record(actor=actor, action=AuditAction.TABLE_EDITED, obj=table, before=before, after=after)
    return table


# Items -------------------------------------------------------------------------------------


def _depth(item: ScoringItem | None) -> int:
    depth = 0
    while item is not None:
        depth += 1
        item = item.parent
    return depth


def _descendant_ids(item: ScoringItem) -> set[int]:
    found: set[int] = set()
    frontier = [item.pk]
    while frontier:
        ids = list(ScoringItem.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        found.update(ids)
        frontier = ids
    return found


def _group_of(
    data: ItemInput, parent: ScoringItem | None, item: ScoringItem | None
) -> ContentGroup | None:
    """The content group an item belongs to: its criterion's, else the one it already has
    (a section made from a group keeps it), else its parent's."""
    if data.criterion is not None:
        return data.criterion.group
    if item is not None and item.group_id is not None:
        return item.group
    return parent.group if parent is not None else None


def _validate_item(
    table: ScoringTable, data: ItemInput, parent: ScoringItem | None, item: ScoringItem | None
) -> dict[str, Any]:
    """Check the input and return the model fields to write; errors name their field."""
    errors: dict[str, str] = {}
    code = data.code.strip()
    if not code:
        errors["code"] = _("Give the item a code.")
    elif table.items.filter(code=code).exclude(pk=item.pk if item else 0).exists():
        errors["code"] = _("Code “%(code)s” is already used in this table.") % {"code": code}
    if not data.text.strip():
        errors["text"] = _("Describe the item.")
    try:
        kind = Kind(data.kind)
    except ValueError:
        raise ValidationError({"kind": _("Unknown kind of item.")}) from None
    if parent is not None:
        if parent.table_id != table.pk or not parent.is_section:
            errors["parent"] = _("Items can only be placed inside a section of this table.")
        elif item is not None and (parent.pk == item.pk or parent.pk in _descendant_ids(item)):
            errors["parent"] = _("A section cannot be placed inside itself.")
        elif _depth(parent) >= MAX_TREE_DEPTH:
            errors["parent"] = _("Sections nest at most %(n)s levels deep.") % {"n": MAX_TREE_DEPTH}
    if item is not None and kind != Kind.SECTION and item.children.exists():
        errors["kind"] = _("This section has items: move or delete them first.")
    for name in ("max_points", "cap", "points_per_occurrence"):
        number = getattr(data, name)
        if number is not None and number <= 0:
            errors[name] = _("Must be greater than zero.")
    formula = data.formula.strip()
    if kind == Kind.QUANTITATIVE:
        if not formula:
            errors["formula"] = _("A quantitative item needs a formula.")
        else:
            try:
                parse(formula)
            except FormulaError as error:
                errors["formula"] = error.message
    if kind == Kind.PER_OCCURRENCE and data.points_per_occurrence is None:
        errors["points_per_occurrence"] = _("Set the points per occurrence.")
    late = data.indicator_source == ScoringItem.Source.LATE_DAYS
    if late and (kind != Kind.PENALTY or data.points_per_occurrence is None):
        errors["indicator_source"] = _(
            "Days late count only for a penalty item with points per occurrence (per day)."
        )
    if data.criterion is not None and data.criterion.group.campaign_id != table.campaign_id:
        errors["criterion"] = _("The criterion belongs to another campaign.")
    if errors:
        raise ValidationError(errors)
    section = kind == Kind.SECTION
    quantitative = kind == Kind.QUANTITATIVE
    occurrences = kind in (Kind.PER_OCCURRENCE, Kind.BONUS, Kind.PENALTY)
    return {
        "code": code,
        "text": data.text.strip(),
        "kind": kind.value,
        "max_points": data.max_points,
        "cap": data.cap if section else None,
        "evidence_required": data.evidence_required and not section,
        "indicator_source": (data.indicator_source or ScoringItem.Source.REPORTED)
        if quantitative
        else (ScoringItem.Source.LATE_DAYS if late else ""),
        "criterion": None if section else data.criterion,
        "group": _group_of(data, parent, item),
        "target": data.target if quantitative else None,
        "lower_is_better": data.lower_is_better if quantitative else False,
        "formula": formula if quantitative else "",
        "points_per_occurrence": data.points_per_occurrence if occurrences else None,
    }


@transaction.atomic
def item_add(
    *, actor: Actor, table: ScoringTable, parent: ScoringItem | None, data: ItemInput
) -> ScoringItem:
    table = _lock(table)
    permissions.require_table_editor(actor, table.campaign, table.block)
    _require_draft(table)
    fields = _validate_item(table, data, parent, None)
    last = table.items.filter(parent=parent).aggregate(o=Max("order"))["o"] or 0
    item = ScoringItem.objects.create(table=table, parent=parent, order=last + 1, **fields)
    record(actor=actor, action=AuditAction.ITEM_ADDED, obj=item, after=_snapshot(item))
    return item


@transaction.atomic
def item_update(
    *, actor: Actor, item: ScoringItem, data: ItemInput, parent: ScoringItem | None
) -> ScoringItem:
    table = _lock(item.table)
    permissions.require_table_editor(actor, table.campaign, table.block)
    _require_draft(table)
    item = ScoringItem.objects.select_related("parent").get(pk=item.pk)
    before = _snapshot(item)
    fields = _validate_item(table, data, parent, item)
    if parent != item.parent:
        last = table.items.filter(parent=parent).aggregate(o=Max("order"))["o"] or 0
        item.parent = parent
        item.order = last + 1
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    after = _snapshot(item)
    if after != before:
        record(actor=actor, action=AuditAction.ITEM_EDITED, obj=item, before=before, after=after)
    return item


@transaction.atomic
def item_move(*, actor: Actor, item: ScoringItem, up: bool) -> ScoringItem:
    """Swap an item with its previous (or next) sibling."""
    table = _lock(item.table)
    permissions.require_table_editor(actor, table.campaign, table.block)
    _require_draft(table)
    siblings = list(table.items.filter(parent_id=item.parent_id).order_by("order", "id"))
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return siblings[index]
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for order, sibling in enumerate(siblings, start=1):
        if sibling.order != order:
            sibling.order = order
            sibling.save(update_fields=["order"])
    moved = siblings[other]
    record(
        actor=actor,
        action=AuditAction.ITEM_MOVED,
        obj=moved,
        after={"code": moved.code, "order": moved.order},
    )
    return moved


@transaction.atomic
def item_delete(*, actor: Actor, item: ScoringItem) -> None:
    table = _lock(item.table)
    permissions.require_table_editor(actor, table.campaign, table.block)
    _require_draft(table)
    item = ScoringItem.objects.select_related("parent").get(pk=item.pk)
    removed = [
        item.code,
        *ScoringItem.objects.filter(pk__in=_descendant_ids(item)).values_list("code", flat=True),
    ]
    record(
        actor=actor,
        action=AuditAction.ITEM_DELETED,
        obj=item,
        before=_snapshot(item),
        extra={"removed": sorted(removed)},
    )
    item.delete()


# Bands ---------------------------------------------------------------------------------------


@transaction.atomic
def band_save(
    *,
    actor: Actor,
    table: ScoringTable,
    name: str,
    min_total: Decimal,
    eligible_for: str = "",
    band: Band | None = None,
) -> Band:
    table = _lock(table)
    permissions.require_table_editor(actor, table.campaign, table.block)
    _require_draft(table)
    if band is not None and band.table_id != table.pk:
        raise ValidationError(_("The band belongs to another table."))
    errors: dict[str, str] = {}
    others = table.bands.exclude(pk=band.pk if band else 0)
    if not name.strip():
        errors["name"] = _("Give the band a name.")
    elif others.filter(name=name.strip()).exists():
        errors["name"] = _("Band “%(name)s” already exists.") % {"name": name.strip()}
    if min_total < 0:
        errors["min_total"] = _("The minimum total cannot be negative.")
    elif others.filter(min_total=min_total).exists():
        errors["min_total"] = _("Another band starts at the same total.")
    if errors:
        raise ValidationError(errors)
    before = None
    if band is None:
        band = Band(table=table)
    else:
        before = {"name": band.name, "min_total": str(band.min_total)}
    band.name, band.min_total, band.eligible_for = name.strip(), min_total, eligible_for.strip()
    band.save()
    record(
        actor=actor,
        action=AuditAction.BAND_SAVED,
        obj=band,
        before=before,
        after={"name": band.name, "min_total": str(band.min_total), "eligible": band.eligible_for},
    )
    return band


@transaction.atomic
def band_delete(*, actor: Actor, band: Band) -> None:
    table = _lock(band.table)
    permissions.require_table_editor(actor, table.campaign, table.block)
    _require_draft(table)
    record(
        actor=actor,
        action=AuditAction.BAND_DELETED,
        obj=band,
        before={"name": band.name, "min_total": str(band.min_total)},
    )
    band.delete()


def item_input(item: ScoringItem) -> ItemInput:
    """An item's current values, as a form starts from them."""
    return ItemInput(
        code=item.code,
        text=item.text,
        kind=item.kind,
        max_points=item.max_points,
        cap=item.cap,
        evidence_required=item.evidence_required,
        indicator_source=item.indicator_source,
        criterion=item.criterion,
        target=item.target,
        lower_is_better=item.lower_is_better,
        formula=item.formula,
        points_per_occurrence=item.points_per_occurrence,
    )
