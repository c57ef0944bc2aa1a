"""Excel import of the organisation: units, people, employment and staff ratings.

The flow is read → plan → apply:

- `import_workbook.read_workbook` turns the xlsx into typed rows, checking each cell on its
  own (no database);
- `import_plan.Planner` checks the rows against each other and the database and works out, by
  code, what to create, update or leave alone;
- `import_apply` re-reads and re-plans, and writes the plan in one transaction with bulk
  queries.

`parse_workbook` is read + plan, for the preview. Identity is by code (a unit's code, a
person's staff code, an employment's person + unit + start date, a rating's person + year), so
importing the same file twice finds everything unchanged the second time and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from thidua.audit.actions import AuditAction
from thidua.audit.services import record
from thidua.lib import files
from thidua.lib.dates import today
from thidua.lib.files import Area
from thidua.lib.text import fold

from .import_plan import ImportPlan, Planner, SheetCounts, UnitChange, chunks
from .import_workbook import (
    SHEETS,
    RowError,
    UnitRow,
    WorkbookRows,
    build_template,
    check_archive,
    check_upload,
    read_workbook,
)
from .models import (
    RATING_RANK,
    Employment,
    Person,
    StaffRating,
    Unit,
    UnitStatus,
    UnitVersion,
)
from .permissions import Action, Actor, authorize, can
from .selectors import agencies

__all__ = [
    "SHEETS",
    "ImportPlan",
    "ImportRefused",
    "ImportResult",
    "Progress",
    "RowError",
    "build_template",
    "check_upload",
    "import_apply",
    "importable_agencies",
    "load_upload",
    "parse_workbook",
    "store_upload",
]

ONE_DAY = dt.timedelta(days=1)
# Rows per INSERT/UPDATE; Django lowers it further on SQLite (999 parameters per query).
BATCH = 2000


# Told, in the user's words, which step an import has reached (background jobs show it).
Progress = Callable[[str], None]


def _no_progress(_message: str) -> None:
    pass


def _row_count(rows: WorkbookRows) -> str:
    count = len(rows.units) + len(rows.people) + len(rows.employments) + len(rows.ratings)
    return number_format(count, force_grouping=True)


def parse_workbook(data: bytes, *, agency: Unit, progress: Progress = _no_progress) -> ImportPlan:
    """What importing `data` into `agency` would do, with every error; writes nothing."""
    progress(_("Reading the workbook…"))
    rows = read_workbook(data)
    progress(_("Checking %(rows)s rows against the database…") % {"rows": _row_count(rows)})
    return Planner(rows, agency).run()


# Writing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    sha256: str
    counts: dict[str, SheetCounts]

    @property
    def changed(self) -> bool:
        return any(c.create or c.update for c in self.counts.values())

    @property
    def created(self) -> int:
        return sum(c.create for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c.update for c in self.counts.values())


class ImportRefused(ValidationError):
    """The file has errors, so nothing was written; `plan` lists them."""

    def __init__(self, plan: ImportPlan) -> None:
        message = ngettext(
            "The file has %(count)s error; nothing was imported.",
            "The file has %(count)s errors; nothing was imported.",
            plan.error_count,
        )
        super().__init__(message % {"count": plan.error_count})
        self.plan = plan


def _unit_search_text(row: UnitRow) -> str:
    return fold(f"{row.code} {row.name} {row.short_name}")


def _change_reason(change: UnitChange) -> str:
    if change.renamed and change.moved:
        return _("Renamed and moved (Excel import)")
    return _("Renamed (Excel import)") if change.renamed else _("Moved (Excel import)")


def _create_units(plan: ImportPlan, unit_ids: dict[str, int], on: dt.date) -> None:
    # Parents come before their children in the sheet, so creating level by level gives
    # every new unit its parent's id. Paths are filled in afterwards by _refresh_paths.
    levels: dict[str, int] = {}
    by_level: defaultdict[int, list[UnitRow]] = defaultdict(list)
    for row in plan.unit_creates:
        levels[row.code] = levels.get(row.parent, -1) + 1
        by_level[levels[row.code]].append(row)
    versions: list[UnitVersion] = []
    for level in sorted(by_level):
        units = [
            Unit(
                code=row.code,
                name=row.name,
                short_name=row.short_name,
                kind=row.kind,
                parent_id=unit_ids[row.parent],
                status=UnitStatus.ACTIVE,
                path="",
                search_text=_unit_search_text(row),
            )
            for row in by_level[level]
        ]
        Unit.objects.bulk_create(units, batch_size=BATCH)
        for unit, row in zip(units, by_level[level], strict=True):
            unit_ids[row.code] = unit.pk
            versions.append(
                UnitVersion(
                    unit_id=unit.pk,
                    valid_from=row.valid_from or on,
                    name=row.name,
                    short_name=row.short_name,
                    parent_id=unit.parent_id,
                    status=UnitStatus.ACTIVE,
                    reason=_("Created (Excel import)"),
                )
            )
    UnitVersion.objects.bulk_create(versions, batch_size=BATCH)


def _update_units(plan: ImportPlan, unit_ids: dict[str, int]) -> None:
    """Apply changed units the way services.units.unit_rename / unit_move do: a rename or a move
    closes the open history period the day before and starts a new one (or amends it when
    it starts that very day)."""
    units: list[Unit] = []
    closed: list[UnitVersion] = []
    amended: list[UnitVersion] = []
    started: list[UnitVersion] = []
    for change in plan.unit_updates:
        row = change.row
        parent_id = unit_ids[row.parent]
        units.append(
            Unit(
                pk=change.unit_id,
                name=row.name,
                short_name=row.short_name,
                kind=row.kind,
                parent_id=parent_id,
                search_text=_unit_search_text(row),
            )
        )
        if not change.versioned:
            continue
        assert change.version_id is not None
        fields = {"name": row.name, "short_name": row.short_name, "parent_id": parent_id}
        reason = _change_reason(change)
        if change.on == change.version_from:
            amended.append(UnitVersion(pk=change.version_id, reason=reason, **fields))
        else:
            closed.append(UnitVersion(pk=change.version_id, valid_to=change.on - ONE_DAY))
            started.append(
                UnitVersion(
                    unit_id=change.unit_id,
                    valid_from=change.on,
                    status=UnitStatus.ACTIVE,
                    reason=reason,
                    **fields,
                )
            )
    Unit.objects.bulk_update(
        units, ["name", "short_name", "kind", "parent", "search_text"], batch_size=BATCH
    )
    UnitVersion.objects.bulk_update(closed, ["valid_to"], batch_size=BATCH)
    UnitVersion.objects.bulk_update(
        amended, ["name", "short_name", "parent", "reason"], batch_size=BATCH
    )
    UnitVersion.objects.bulk_create(started, batch_size=BATCH)


def _refresh_paths(agency: Unit) -> None:
    """Recompute the materialised path of every unit under the agency from the parent links,
    once, instead of per moved subtree as services.units._refresh_path does."""
    rows = Unit.objects.filter(Q(path__startswith=agency.path) | Q(path="")).values_list(
        "id", "parent_id", "path"
    )
    children: defaultdict[int | None, list[int]] = defaultdict(list)
    paths: dict[int, str] = {}
    for unit_id, parent_id, path in rows:
        children[parent_id].append(unit_id)
        paths[unit_id] = path
    changed: list[Unit] = []
    stack = [(agency.pk, agency.path)]
    while stack:
        parent_id, parent_path = stack.pop()
        for unit_id in children[parent_id]:
            path = f"{parent_path}{unit_id}/"
            if paths[unit_id] != path:
                changed.append(Unit(pk=unit_id, path=path))
            stack.append((unit_id, path))
    Unit.objects.bulk_update(changed, ["path"], batch_size=BATCH)


def _write_people(plan: ImportPlan, person_ids: dict[str, int]) -> None:
    for chunk in chunks(plan.person_creates, BATCH):
        people = [
            Person(
                code=row.code,
                full_name=row.full_name,
                birth_date=row.birth_date,
                email=row.email,
                search_text=fold(f"{row.code} {row.full_name}"),
            )
            for row in chunk
        ]
        Person.objects.bulk_create(people)
        person_ids.update((person.code, person.pk) for person in people)
    for update_chunk in chunks(plan.person_updates, BATCH):
        Person.objects.bulk_update(
            [
                Person(
                    pk=person_id,
                    full_name=row.full_name,
                    birth_date=row.birth_date,
                    email=row.email,
                    search_text=fold(f"{row.code} {row.full_name}"),
                )
                for person_id, row in update_chunk
            ],
            ["full_name", "birth_date", "email", "search_text"],
        )


def _write_employments(
    plan: ImportPlan, person_ids: dict[str, int], unit_ids: dict[str, int]
) -> None:
    for chunk in chunks(plan.employment_creates, BATCH):
        Employment.objects.bulk_create(
            Employment(
                person_id=person_ids[row.person],
                unit_id=unit_ids[row.unit],
                position=row.position,
                is_head=row.is_head,
                valid_from=row.valid_from,
                valid_to=row.valid_to,
            )
            for row in chunk
        )
    for update_chunk in chunks(plan.employment_updates, BATCH):
        Employment.objects.bulk_update(
            [
                Employment(
                    pk=employment_id,
                    position=row.position,
                    is_head=row.is_head,
                    valid_to=row.valid_to,
                )
                for employment_id, row in update_chunk
            ],
            ["position", "is_head", "valid_to"],
        )


def _write_ratings(plan: ImportPlan, person_ids: dict[str, int]) -> None:
    for chunk in chunks(plan.rating_creates, BATCH):
        StaffRating.objects.bulk_create(
            StaffRating(
                person_id=person_ids[row.person],
                year=row.year,
                rating=row.rating,
                rating_rank=RATING_RANK[row.rating],
                note=row.note,
            )
            for row in chunk
        )
    for update_chunk in chunks(plan.rating_updates, BATCH):
        StaffRating.objects.bulk_update(
            [
                StaffRating(
                    pk=rating_id,
                    rating=row.rating,
                    rating_rank=RATING_RANK[row.rating],
                    note=row.note,
                )
                for rating_id, row in update_chunk
            ],
            ["rating", "rating_rank", "note"],
        )


def _write(plan: ImportPlan, agency: Unit) -> None:
    unit_ids = {**plan.unit_ids, agency.code: agency.pk}
    _create_units(plan, unit_ids, today())
    _update_units(plan, unit_ids)
    if plan.unit_creates or any(change.moved for change in plan.unit_updates):
        _refresh_paths(agency)
    person_ids = dict(plan.person_ids)
    _write_people(plan, person_ids)
    _write_employments(plan, person_ids, unit_ids)
    _write_ratings(plan, person_ids)


def import_apply(
    *, actor: Actor, agency: Unit, data: bytes, progress: Progress = _no_progress
) -> ImportResult:
    """Import the workbook into `agency`: all of it in one transaction, or nothing.

    Raises ImportRefused (a ValidationError) when any row has an error. `progress` is only
    called outside the transaction, where what it records can be seen by others.
    """
    authorize(actor, Action.ORG_IMPORT, agency)
    # Reading the xlsx is the slow part and touches no table, so it happens before the
    # transaction; planning happens inside it, against the rows as they are when we write.
    progress(_("Reading the workbook…"))
    rows = read_workbook(data)
    progress(
        _("Checking and writing %(rows)s rows, all in one transaction…")
        % {"rows": _row_count(rows)}
    )
    try:
        with transaction.atomic():
            # Imports into one agency queue here (SQLite's IMMEDIATE transactions already
            # queue every writer), so a double click or a retry plans against what the first
            # one wrote and finds nothing left to do instead of writing it twice.
            locked = Unit.objects.select_for_update().get(pk=agency.pk)
            plan = Planner(rows, locked).run()
            if not plan.is_valid:
                raise ImportRefused(plan)
            if plan.has_changes:
                _write(plan, locked)
                # One summary event per import, not one per row: the file's hash identifies
                # exactly what was imported, and 600,000 chained audit rows (each locking the
                # chain head) would make a province-size import crawl.
                record(
                    actor=actor,
                    action=AuditAction.ORG_IMPORTED,
                    obj=locked,
                    extra={
                        "sha256": plan.sha256,
                        "counts": {key: c.as_dict() for key, c in plan.counts.items()},
                    },
                )
    except IntegrityError as exc:
        # Another writer (an import into another agency, or a form) took one of the codes
        # between our plan and our write; the rollback left nothing half-done.
        raise ValidationError(
            _(
                "Another change to the same units or people was saved at the same moment; "
                "nothing was imported. Please try again."
            )
        ) from exc
    return ImportResult(sha256=plan.sha256, counts=plan.counts)


# Uploads ------------------------------------------------------------------------------------


def store_upload(data: bytes) -> str:
    """Keep a checked upload outside the web root, named by its SHA-256; return the hash.

    The same file uploaded twice is stored once. The caller has run check_upload (which
    opens the workbook); the cheap checks are repeated so nothing else is ever stored."""
    check_archive(data)
    return files.keep_upload(Area.ORG_IMPORTS, data)


def load_upload(sha256: str) -> bytes | None:
    return files.read_upload(Area.ORG_IMPORTS, sha256)


def importable_agencies(user: Any) -> QuerySet[Unit]:
    """The agencies the user may import into."""
    allowed = [agency.pk for agency in agencies() if can(user, Action.ORG_IMPORT, agency)]
    return agencies().filter(pk__in=allowed)
