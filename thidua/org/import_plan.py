"""Planning an import: the workbook's rows checked against each other and the database, and
sorted by code into what to create, update or leave unchanged."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

from django.utils.translation import gettext as _

from thidua.lib.dates import periods_overlap, today, year_end, year_start

from .import_workbook import (
    EMPLOYMENT,
    PEOPLE,
    RATINGS,
    SHEET_PEOPLE,
    SHEETS,
    UNITS,
    EmploymentRow,
    PersonRow,
    RatingRow,
    RowError,
    SheetSpec,
    UnitRow,
    WorkbookRows,
)
from .models import Employment, Person, StaffRating, Unit, UnitStatus, UnitVersion

T = TypeVar("T")

# Codes per `IN (...)` lookup, below SQLite's historical 999-parameter limit.
IN_CHUNK = 900


@dataclass
class SheetCounts:
    key: str
    title: str
    create: int = 0
    update: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"create": self.create, "update": self.update, "unchanged": self.unchanged}


class _DbUnit(NamedTuple):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    status: str


class _DbPerson(NamedTuple):
    id: int
    full_name: str
    birth_date: dt.date | None
    email: str


class _DbEmployment(NamedTuple):
    id: int
    person_id: int
    unit_id: int
    position: str
    is_head: bool
    valid_from: dt.date
    valid_to: dt.date | None


@dataclass(slots=True)
class UnitChange:
    unit_id: int
    row: UnitRow
    versioned: bool
    moved: bool
    renamed: bool
    on: dt.date
    version_id: int | None
    version_from: dt.date | None


@dataclass
class ImportPlan:
    """What an import would do: counts per sheet, and the errors that stop it."""

    sha256: str
    agency_code: str
    counts: dict[str, SheetCounts]
    errors: list[RowError]
    error_count: int
    unit_ids: dict[str, int] = field(default_factory=dict, repr=False)
    person_ids: dict[str, int] = field(default_factory=dict, repr=False)
    unit_creates: list[UnitRow] = field(default_factory=list, repr=False)
    unit_updates: list[UnitChange] = field(default_factory=list, repr=False)
    person_creates: list[PersonRow] = field(default_factory=list, repr=False)
    person_updates: list[tuple[int, PersonRow]] = field(default_factory=list, repr=False)
    employment_creates: list[EmploymentRow] = field(default_factory=list, repr=False)
    employment_updates: list[tuple[int, EmploymentRow]] = field(default_factory=list, repr=False)
    rating_creates: list[RatingRow] = field(default_factory=list, repr=False)
    rating_updates: list[tuple[int, RatingRow]] = field(default_factory=list, repr=False)

    @property
    def is_valid(self) -> bool:
        return self.error_count == 0

    @property
    def has_changes(self) -> bool:
        return any(c.create or c.update for c in self.counts.values())

    @property
    def sheets(self) -> list[SheetCounts]:
        return list(self.counts.values())

    @property
    def hidden_error_count(self) -> int:
        return self.error_count - len(self.errors)


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Planner:
    """Checks rows against each other and the database, and sorts them into create, update
    and unchanged. Loads what it needs in a fixed number of bulk queries per 900 codes."""

    def __init__(self, rows: WorkbookRows, agency: Unit) -> None:
        self.rows = rows
        self.agency = agency
        self.errors = rows.errors
        self.today = today()
        self.plan = ImportPlan(
            sha256=rows.sha256,
            agency_code=agency.code,
            counts={s.key: SheetCounts(s.key, s.title) for s in SHEETS},
            errors=[],
            error_count=0,
        )

    def run(self) -> ImportPlan:
        self._load_units()
        self._load_people()
        self._plan_units()
        self._plan_people()
        self._plan_employments()
        self._plan_ratings()
        order = {spec.title: index for index, spec in enumerate(SHEETS)}
        self.plan.errors = sorted(self.errors.items, key=lambda e: (order.get(e.sheet, -1), e.row))
        self.plan.error_count = self.errors.count
        return self.plan

    # Loading

    def _load_units(self) -> None:
        subtree = Unit.objects.filter(path__startswith=self.agency.path).values_list(
            "id", "code", "name", "short_name", "kind", "parent_id", "status"
        )
        self.db_units = {row[1]: _DbUnit(*row) for row in subtree}
        self.unit_code_by_id = {u.id: u.code for u in self.db_units.values()}
        self.plan.unit_ids = {code: u.id for code, u in self.db_units.items()}
        units = [*self.rows.units, *self.rows.partial_units]
        referenced = {u.code for u in units if u.code} | {u.parent for u in units if u.parent}
        referenced |= {
            e.unit for e in (*self.rows.employments, *self.rows.partial_employments) if e.unit
        }
        unknown = sorted(referenced - set(self.db_units))
        self.outside_units: set[str] = set()
        for chunk in chunks(unknown, IN_CHUNK):
            self.outside_units.update(
                Unit.objects.filter(code__in=chunk).values_list("code", flat=True)
            )
        # The open history period of each unit in the file: renames and moves close it, and
        # a closed unit's open period says since when it is closed.
        ids = [self.db_units[code].id for code in self.rows.unit_rows if code in self.db_units] + [
            u.id for u in self.db_units.values() if u.status != UnitStatus.ACTIVE
        ]
        self.open_versions: dict[int, tuple[int, dt.date]] = {}
        for id_chunk in chunks(sorted(set(ids)), IN_CHUNK):
            for version_id, unit_id, valid_from in UnitVersion.objects.filter(
                unit_id__in=id_chunk, valid_to__isnull=True
            ).values_list("id", "unit_id", "valid_from"):
                self.open_versions[unit_id] = (version_id, valid_from)

    def _load_people(self) -> None:
        codes = set(self.rows.person_rows)
        codes |= {e.person for e in self.rows.employments} | {r.person for r in self.rows.ratings}
        codes |= {e.person for e in self.rows.partial_employments if e.person}
        codes |= {r.person for r in self.rows.partial_ratings if r.person}
        self.db_people: dict[str, _DbPerson] = {}
        for chunk in chunks(sorted(codes), IN_CHUNK):
            for code, person_id, full_name, birth_date, email in Person.objects.filter(
                code__in=chunk
            ).values_list("code", "id", "full_name", "birth_date", "email"):
                self.db_people[code] = _DbPerson(person_id, full_name, birth_date, email)
        self.plan.person_ids = {code: p.id for code, p in self.db_people.items()}
        self.person_code_by_id = {p.id: code for code, p in self.db_people.items()}
        ids = sorted(self.person_code_by_id)
        # Employment in this agency's units only: that is what a rating here must rest on.
        # The units are filtered here rather than joined in SQL: PostgreSQL, with statistics
        # not yet caught up after a big import, chose a nested loop over every unit.
        self.db_employments: list[_DbEmployment] = []
        for id_chunk in chunks(ids, IN_CHUNK):
            self.db_employments.extend(
                _DbEmployment(*row)
                for row in Employment.objects.filter(person_id__in=id_chunk).values_list(
                    "id", "person_id", "unit_id", "position", "is_head", "valid_from", "valid_to"
                )
                if row[2] in self.unit_code_by_id
            )
        rated = sorted(
            {self.db_people[r.person].id for r in self.rows.ratings if r.person in self.db_people}
        )
        self.db_ratings: dict[tuple[int, int], tuple[int, str, str]] = {}
        # By person only: a few dozen years each at most, and adding `year IN (...)` led
        # PostgreSQL to scan the (year, person) index by year alone.
        for id_chunk in chunks(rated, IN_CHUNK):
            for rating_id, person_id, year, rating, note in StaffRating.objects.filter(
                person_id__in=id_chunk
            ).values_list("id", "person_id", "year", "rating", "note"):
                self.db_ratings[(person_id, year)] = (rating_id, rating, note)

    # Units

    def _parent_code(self, unit: _DbUnit) -> str:
        if unit.parent_id == self.agency.pk:
            return self.agency.code
        return self.unit_code_by_id.get(unit.parent_id or 0, "")

    def _plan_units(self) -> None:
        # The tree as it will be after the import, to refuse moves that would make a loop.
        self.final_parent = {code: self._parent_code(u) for code, u in self.db_units.items()}
        self.final_parent.update({row.code: row.parent for row in self.rows.units})
        counts = self.plan.counts[UNITS.key]
        for row in self.rows.units:
            before = self.errors.count
            self._check_unit_code(row)
            self._check_unit_parent(row)
            if self.errors.count > before:
                continue
            existing = self.db_units.get(row.code)
            if existing is None:
                self.plan.unit_creates.append(row)
                counts.create += 1
                continue
            change = self._unit_change(row, existing)
            if change is None:
                counts.unchanged += 1
            elif self._check_unit_change(row, existing, change):
                self.plan.unit_updates.append(change)
                counts.update += 1
        for row in self.rows.partial_units:
            if row.code:
                self._check_unit_code(row)
            if row.parent:
                self._check_unit_parent(row)

    def _check_unit_code(self, row: UnitRow) -> None:
        if row.code == self.agency.code:
            self.errors.add(
                UNITS,
                row.row,
                "code",
                _("This is the agency you are importing into; list only the units under it."),
            )
        elif row.code in self.outside_units:
            self.errors.add(
                UNITS,
                row.row,
                "code",
                _("The code “%(code)s” is used by a unit outside %(agency)s.")
                % {"code": row.code, "agency": self.agency},
            )

    def _check_unit_parent(self, row: UnitRow) -> None:
        parent = row.parent
        message = ""
        if parent == row.code:
            message = _("A unit cannot be its own parent.")
        elif parent == self.agency.code:
            return
        elif parent in self.db_units:
            if self.db_units[parent].status != UnitStatus.ACTIVE:
                message = _("The parent unit “%(code)s” is no longer active.")
        elif parent in self.rows.unit_rows:
            if self.rows.unit_rows[parent] > row.row:
                message = _("The parent unit “%(code)s” must be listed above this row.")
        elif parent in self.outside_units:
            message = _("The parent unit “%(code)s” is not part of %(agency)s.")
        else:
            message = _(
                "Unknown unit code “%(code)s”: it is neither in the system nor in this file."
            )
        if message:
            self.errors.add(
                UNITS, row.row, "parent", message % {"code": parent, "agency": self.agency}
            )

    def _unit_change(self, row: UnitRow, existing: _DbUnit) -> UnitChange | None:
        renamed = (row.name, row.short_name) != (existing.name, existing.short_name)
        moved = row.parent != self._parent_code(existing)
        if not (renamed or moved or row.kind != existing.kind):
            return None
        version_id, version_from = self.open_versions.get(existing.id, (None, None))
        return UnitChange(
            unit_id=existing.id,
            row=row,
            versioned=renamed or moved,
            moved=moved,
            renamed=renamed,
            on=row.valid_from or self.today,
            version_id=version_id,
            version_from=version_from,
        )

    def _check_unit_change(self, row: UnitRow, existing: _DbUnit, change: UnitChange) -> bool:
        message, column = "", "code"
        if existing.status != UnitStatus.ACTIVE:
            message = _("“%(code)s” is closed; an import cannot change it.") % {"code": row.code}
        elif change.moved and self._makes_loop(row.code):
            message = _("“%(code)s” cannot be placed under one of its own sub-units.") % {
                "code": row.code
            }
            column = "parent"
        elif change.versioned and change.version_from is None:
            message = _("Unit “%(unit)s” has no open history period.") % {"unit": existing.name}
        elif change.versioned and change.version_from and change.on < change.version_from:
            message = _(
                "The date must not be before %(date)s, when the current name/position took effect."
            ) % {"date": change.version_from.strftime("%d/%m/%Y")}
            column = "valid_from"
        if message:
            self.errors.add(UNITS, row.row, column, message)
        return not message

    def _makes_loop(self, code: str) -> bool:
        seen = {code}
        current = self.final_parent.get(code)
        while current and current != self.agency.code:
            if current in seen:
                return True
            seen.add(current)
            current = self.final_parent.get(current)
        return False

    # People

    def _plan_people(self) -> None:
        counts = self.plan.counts[PEOPLE.key]
        updates: list[tuple[int, PersonRow]] = []
        for row in self.rows.people:
            existing = self.db_people.get(row.code)
            if existing is None:
                self.plan.person_creates.append(row)
                counts.create += 1
            elif (row.full_name, row.birth_date, row.email) == existing[1:]:
                counts.unchanged += 1
            else:
                updates.append((existing.id, row))
        for person_id, row in self._updatable(updates):
            self.plan.person_updates.append((person_id, row))
            counts.update += 1

    def _updatable(self, updates: list[tuple[int, PersonRow]]) -> list[tuple[int, PersonRow]]:
        """People whose details this agency may change: those who work here (per the database
        or this file) and those who work nowhere yet. Someone working only for another agency
        is that agency's to edit."""
        here = {e.person_id for e in self.db_employments}
        here |= {
            self.db_people[e.person].id for e in self.rows.employments if e.person in self.db_people
        }
        doubtful = [person_id for person_id, _row in updates if person_id not in here]
        elsewhere: set[int] = set()
        for chunk in chunks(doubtful, IN_CHUNK):
            elsewhere.update(
                Employment.objects.filter(person_id__in=chunk).values_list("person_id", flat=True)
            )
        allowed = []
        for person_id, row in updates:
            if person_id in elsewhere:
                self.errors.add(
                    PEOPLE,
                    row.row,
                    "code",
                    _(
                        "%(code)s works outside %(agency)s; only that agency can change their "
                        "details."
                    )
                    % {"code": row.code, "agency": self.agency},
                )
            else:
                allowed.append((person_id, row))
        return allowed

    # Employment

    def _check_person_ref(self, spec: SheetSpec, row: EmploymentRow | RatingRow) -> bool:
        if not row.person:
            return False  # the cell's own error is reported
        if row.person in self.rows.person_rows or row.person in self.db_people:
            return True
        self.errors.add(
            spec,
            row.row,
            "person",
            _(
                "Unknown staff code “%(code)s”: it is neither in the system nor in the sheet "
                "%(sheet)s."
            )
            % {"code": row.person, "sheet": SHEET_PEOPLE},
        )
        return False

    def _check_employment_unit(self, row: EmploymentRow) -> bool:
        code, message = row.unit, ""
        existing = self.db_units.get(code)
        if code == self.agency.code:
            pass
        elif existing is not None:
            closed = self.open_versions.get(existing.id)
            # Unlike employment_validate, an open-ended period also runs past the
            # closing day.
            if (
                existing.status != UnitStatus.ACTIVE
                and closed is not None
                and (row.valid_to is None or row.valid_to >= closed[1])
            ):
                message = _("“%(code)s” is closed from %(date)s.") % {
                    "code": code,
                    "date": closed[1].strftime("%d/%m/%Y"),
                }
        elif code in self.rows.unit_rows:
            pass
        elif code in self.outside_units:
            message = _("The unit “%(code)s” is not part of %(agency)s.") % {
                "code": code,
                "agency": self.agency,
            }
        else:
            message = _(
                "Unknown unit code “%(code)s”: it is neither in the system nor in this file."
            ) % {"code": code}
        if message:
            self.errors.add(EMPLOYMENT, row.row, "unit", message)
        return not message

    def _plan_employments(self) -> None:
        counts = self.plan.counts[EMPLOYMENT.key]
        by_key = {(e.person_id, e.unit_id, e.valid_from): e for e in self.db_employments}
        replaced: set[int] = set()
        # Final periods per (person, unit) and per person, for the overlap and rating checks.
        self.periods: defaultdict[str, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
        pairs: defaultdict[tuple[str, str], list[tuple[dt.date, dt.date | None, int]]] = (
            defaultdict(list)
        )
        for row in self.rows.partial_employments:
            if row.person:
                self._check_person_ref(EMPLOYMENT, row)
            if row.unit:
                self._check_employment_unit(row)
            if row.person and row.valid_from:
                # Rejected, but the period it claims still backs the person's ratings: the
                # row's own errors are what to mend.
                self.periods[row.person].append((row.valid_from, row.valid_to))
        for row in self.rows.employments:
            person_ok = self._check_person_ref(EMPLOYMENT, row)
            if not (self._check_employment_unit(row) and person_ok):
                self.periods[row.person].append((row.valid_from, row.valid_to))
                continue
            pairs[(row.person, row.unit)].append((row.valid_from, row.valid_to, row.row))
            self.periods[row.person].append((row.valid_from, row.valid_to))
            person = self.db_people.get(row.person)
            unit_id = self.plan.unit_ids.get(row.unit) or (
                self.agency.pk if row.unit == self.agency.code else None
            )
            existing = (
                by_key.get((person.id, unit_id, row.valid_from)) if person and unit_id else None
            )
            if existing is None:
                self.plan.employment_creates.append(row)
                counts.create += 1
                continue
            replaced.add(existing.id)
            if (row.position, row.is_head, row.valid_to) == (
                existing.position,
                existing.is_head,
                existing.valid_to,
            ):
                counts.unchanged += 1
            else:
                self.plan.employment_updates.append((existing.id, row))
                counts.update += 1
        self._add_db_periods(pairs, replaced)
        self._check_overlaps(pairs)

    def _add_db_periods(
        self,
        pairs: defaultdict[tuple[str, str], list[tuple[dt.date, dt.date | None, int]]],
        replaced: set[int],
    ) -> None:
        for employment in self.db_employments:
            if employment.id in replaced:
                continue
            person = self.person_code_by_id[employment.person_id]
            self.periods[person].append((employment.valid_from, employment.valid_to))
            unit = (
                self.agency.code
                if employment.unit_id == self.agency.pk
                else self.unit_code_by_id.get(employment.unit_id, "")
            )
            if (person, unit) in pairs:
                pairs[(person, unit)].append((employment.valid_from, employment.valid_to, 0))

    def _check_overlaps(
        self, pairs: defaultdict[tuple[str, str], list[tuple[dt.date, dt.date | None, int]]]
    ) -> None:
        for (person, unit), periods in pairs.items():
            if len(periods) < 2:
                continue
            periods.sort(key=lambda p: (p[0], p[2]))
            # The period reaching furthest so far: any later start on or before its end overlaps.
            reach_start, reach_end, reach_row = periods[0]
            for start, end, number in periods[1:]:
                if (reach_end is None or start <= reach_end) and (number or reach_row):
                    self.errors.add(
                        EMPLOYMENT,
                        number or reach_row,
                        "valid_from",
                        _(
                            "%(person)s already works in “%(unit)s” from %(date)s; periods in "
                            "one unit must not overlap."
                        )
                        % {
                            "person": person,
                            "unit": unit,
                            "date": reach_start.strftime("%d/%m/%Y"),
                        },
                    )
                if reach_end is not None and (end is None or end > reach_end):
                    reach_start, reach_end, reach_row = start, end, number

    # Ratings

    def _check_rated_year(self, row: RatingRow) -> bool:
        """A rating rests on employment in one of the agency's units during that year."""
        if row.person in self.rows.people_with_bad_employment or any(
            periods_overlap(start, end, year_start(row.year), year_end(row.year))
            for start, end in self.periods.get(row.person, ())
        ):
            return True
        self.errors.add(
            RATINGS,
            row.row,
            "year",
            _(
                "%(person)s was not employed by any unit of %(agency)s in %(year)s, so "
                "cannot be rated for that year."
            )
            % {"person": row.person, "agency": self.agency, "year": row.year},
        )
        return False

    def _plan_ratings(self) -> None:
        counts = self.plan.counts[RATINGS.key]
        for partial in self.rows.partial_ratings:
            if self._check_person_ref(RATINGS, partial) and partial.year:
                self._check_rated_year(partial)
        for row in self.rows.ratings:
            if not (self._check_person_ref(RATINGS, row) and self._check_rated_year(row)):
                continue
            person = self.db_people.get(row.person)
            existing = self.db_ratings.get((person.id, row.year)) if person else None
            if existing is None:
                self.plan.rating_creates.append(row)
                counts.create += 1
            elif (row.rating, row.note) == existing[1:]:
                counts.unchanged += 1
            else:
                self.plan.rating_updates.append((existing[0], row))
                counts.update += 1
