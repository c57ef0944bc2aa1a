"""The read path of reports: what a viewer may do, the indicator rows of a report, the
block's board and the differences between two versions (who may see or act: permissions)."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from thidua.campaigns.indicators import Indicator, compare
from thidua.campaigns.models import BlockCycle, Campaign, ContentGroup, Criterion, Milestone
from thidua.campaigns.selectors import campaign_criteria, evaluate_measurable, staff_date
from thidua.lib import dates
from thidua.org.models import DisciplineLevel, Rating, Unit
from thidua.org.permissions import (
    headed_unit_ids,
    member_unit_ids,
)

from .models import PERIOD_MILESTONE, Evidence, Period, Report, ReportReturn, ReportVersion
from .permissions import may_review, may_see_board


@dataclass(frozen=True)
class Viewer:
    is_head: bool  # of the report's unit: edits and submits
    is_member: bool  # head or staff of the report's unit
    oversees: bool
    may_review: bool

    @property
    def may_view(self) -> bool:
        return self.is_member or self.oversees


def viewer_of(user: Any, report: Report) -> Viewer:
    return Viewer(
        is_head=report.unit_id in headed_unit_ids(user),
        is_member=report.unit_id in member_unit_ids(user),
        oversees=may_see_board(user, report.cycle),
        may_review=may_review(user, report),
    )


@dataclass(frozen=True)
class ReportActions:
    """What a person may do on one report now; the report page shows exactly these."""

    edit: bool = False  # change the draft and submit it
    review: bool = False  # accept or return the submitted version
    board: bool = False


def actions_for(viewer: Viewer, status: str) -> ReportActions:
    """The actions open to `viewer` on a report in `status` (pure: no database)."""
    S = Report.Status
    return ReportActions(
        edit=viewer.is_head and status in (S.DRAFT, S.RETURNED),
        review=viewer.may_review and status == S.SUBMITTED,
        board=viewer.oversees,
    )


def report_actions(viewer: Viewer, report: Report) -> ReportActions:
    return actions_for(viewer, report.status)


# Queries -------------------------------------------------------------------------------------


def report_queryset() -> QuerySet[Report]:
    return Report.objects.select_related(
        "unit", "cycle__campaign", "cycle__term__block__agency", "cycle__term__leader"
    ).prefetch_related(
        Prefetch("versions", queryset=ReportVersion.objects.select_related("submitted_by")),
        Prefetch("returns", queryset=ReportReturn.objects.select_related("by", "version")),
    )


def period_deadline(campaign: Campaign | int, period: str) -> dt.date | None:
    """The due date of the campaign milestone of the period's kind."""
    campaign_id = campaign if isinstance(campaign, int) else campaign.pk
    milestone = (
        Milestone.objects.filter(campaign_id=campaign_id, kind=PERIOD_MILESTONE[Period(period)])
        .order_by("due_on")
        .first()
    )
    return milestone.due_on if milestone else None


def groups_of(campaign: Campaign) -> list[ContentGroup]:
    return list(campaign.groups.order_by("order"))


def measurable_criteria(campaign: Campaign) -> list[Criterion]:
    return [c for c in campaign_criteria(campaign) if c.kind == Criterion.Kind.MEASURABLE]


def latest_version(report: Report) -> ReportVersion | None:
    versions = list(report.versions.all())
    return versions[-1] if versions else None


def draft_evidence(report: Report) -> list[Evidence]:
    return list(
        report.evidence.filter(version__isnull=True).select_related("criterion", "uploaded_by")
    )


def version_evidence(version: ReportVersion) -> list[Evidence]:
    return list(version.evidence.select_related("criterion", "uploaded_by"))


# Indicators -----------------------------------------------------------------------------------


def parse_value(text: str) -> Decimal | None:
    """A value typed by a unit: "95", "95,5" or "95.5"; None when empty."""
    cleaned = (text or "").strip().replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


def _number(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


@dataclass(frozen=True)
class Contents:
    indicators: list[dict[str, Any]]
    draft_files: list[Evidence]
    version_files: list[Evidence]


def report_contents(
    report: Report,
    latest: ReportVersion | None,
    *,
    editing: bool,
    values: dict[str, str] | None = None,
) -> Contents:
    """What the report page shows: while editing, or before any version, the draft's
    indicators (with the values being typed) and evidence; else the latest version's."""
    draft = editing or latest is None
    rows = indicator_rows(report, values) if draft else []
    return Contents(
        indicators=latest.indicators if (latest and not editing) else rows,
        draft_files=draft_evidence(report) if draft else [],
        version_files=version_evidence(latest) if latest else [],
    )


def indicator_rows(report: Report, values: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """One row per measurable criterion: computed ones from the organisation data (the same
    evaluation as the campaign's), reported ones from the draft. Plain JSON, so a version
    freezes exactly what the page showed."""
    campaign = report.cycle.campaign
    criteria = measurable_criteria(campaign)
    computed = evaluate_measurable(campaign, [report.unit_id], criteria)
    typed = report.values if values is None else values
    rows: list[dict[str, Any]] = []
    for criterion in criteria:
        row: dict[str, Any] = {
            "criterion_id": criterion.pk,
            "group_id": criterion.group_id,
            "code": criterion.code,
            "text": criterion.text,
            "indicator": criterion.indicator,
            "computed": criterion.is_computed,
            "comparator": criterion.comparator,
            "threshold": _number(criterion.threshold),
            "unit": criterion.unit_of_measure,
            "min_rating": criterion.min_rating,
            "min_discipline": criterion.min_discipline,
            "year": campaign.year,
            "as_of": staff_date(criterion, campaign).isoformat(),
            "numerator": None,
            "denominator": None,
            "value": None,
            "met": None,
        }
        evaluation = computed.get((criterion.pk, report.unit_id))
        if evaluation is not None:
            row.update(
                value=_number(evaluation.value),
                numerator=evaluation.numerator,
                denominator=evaluation.denominator,
                met=evaluation.met,
            )
        elif not criterion.is_computed:
            raw = typed.get(str(criterion.pk), "")
            row["as_of"] = None
            try:
                value = parse_value(raw)
            except ValueError:
                value = None
            row["value"] = _number(value)
            if value is not None and criterion.threshold is not None and criterion.comparator:
                row["met"] = compare(value, criterion.comparator, criterion.threshold)
        rows.append(row)
    return rows


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def explain(row: dict[str, Any]) -> str:
    """How an indicator value was obtained, in the reader's language."""
    indicator = row.get("indicator")
    as_of = row.get("as_of")
    day = dt.date.fromisoformat(as_of).strftime("%d/%m/%Y") if as_of else ""
    if indicator == Indicator.STAFF_SHARE_RATED_AT_LEAST:
        if not row.get("denominator"):
            return _("No staff employed on %(day)s in the staff records.") % {"day": day}
        return _(
            "%(n)s of %(total)s staff employed on %(day)s were rated at least %(rating)s for "
            "%(year)s (staff records and annual ratings)."
        ) % {
            "n": row["numerator"],
            "total": row["denominator"],
            "day": day,
            "rating": _label(Rating, row.get("min_rating", "")),
            "year": row["year"],
        }
    if indicator == Indicator.STAFF_DISCIPLINED_AT_LEAST:
        return _(
            "%(n)s staff disciplined at “%(level)s” or above in %(year)s (discipline records)."
        ) % {
            "n": row["numerator"],
            "level": _label(DisciplineLevel, row.get("min_discipline", "")),
            "year": row["year"],
        }
    if indicator == Indicator.UNIT_RATED_AT_LEAST:
        if row.get("value") is None:
            return _("The unit has no rating for %(year)s yet.") % {"year": row["year"]}
        return _("The unit's own rating for %(year)s compared with %(rating)s (unit ratings).") % {
            "year": row["year"],
            "rating": _label(Rating, row.get("min_rating", "")),
        }
    return _("Reported by the unit.")


# Board ----------------------------------------------------------------------------------------

NOT_STARTED = "not_started"


@dataclass
class BoardRow:
    unit: Unit
    report: Report | None
    version: ReportVersion | None
    deadline: dt.date | None
    days_left: int | None
    last_return: ReportReturn | None = None

    @property
    def state(self) -> str:
        if self.report is None:
            return NOT_STARTED
        if self.report.status == Report.Status.SUBMITTED and self.version and self.version.is_late:
            return "late"
        return str(self.report.status)

    @property
    def state_label(self) -> str:
        labels = {
            NOT_STARTED: _("Not started"),
            Report.Status.DRAFT: _("Draft"),
            Report.Status.SUBMITTED: _("Submitted"),
            "late": _("Submitted late"),
            Report.Status.RETURNED: _("Returned"),
            Report.Status.ACCEPTED: _("Accepted"),
        }
        return str(labels[self.state])

    @property
    def waiting(self) -> bool:
        """The unit still owes a submission."""
        return self.state in (NOT_STARTED, Report.Status.DRAFT, Report.Status.RETURNED)

    @property
    def overdue(self) -> bool:
        return self.waiting and self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -(self.days_left or 0)


@dataclass
class Board:
    cycle: BlockCycle
    period: str
    deadline: dt.date | None
    rows: list[BoardRow] = field(default_factory=list)

    def count(self, *states: str) -> int:
        return sum(1 for row in self.rows if row.state in states)

    @property
    def submitted_count(self) -> int:
        return self.count(Report.Status.SUBMITTED, "late", Report.Status.ACCEPTED)


def board(cycle: BlockCycle, period: str) -> Board:
    """Every member unit of the block with its report's state, in a fixed number of queries."""
    deadline = period_deadline(cycle.campaign_id, period)
    days_left = dates.days_left(deadline)
    reports = {r.unit_id: r for r in report_queryset().filter(cycle=cycle, period=period)}
    result = Board(cycle, period, deadline)
    memberships = cycle.term.memberships.select_related("unit").order_by("unit__code")
    for membership in memberships:
        report = reports.get(membership.unit_id)
        version = latest_version(report) if report else None
        returns = list(report.returns.all()) if report else []
        result.rows.append(
            BoardRow(
                membership.unit,
                report,
                version,
                deadline,
                days_left,
                returns[-1] if returns else None,
            )
        )
    return result


# Differences between versions ------------------------------------------------------------


@dataclass
class Change:
    label: str
    before: str
    after: str
    diff: list[tuple[str, str]]  # (kind, text): kind in "same", "added", "removed"


def _line_diff(before: str, after: str) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("? "):
            continue
        kind = {"+ ": "added", "- ": "removed"}.get(line[:2], "same")
        lines.append((kind, line[2:]))
    return lines


def version_changes(old: ReportVersion | None, new: ReportVersion) -> list[Change]:
    """What changed from one submission to the next: narratives, indicator values, files."""
    changes: list[Change] = []
    before_text = {n["group_id"]: n["text"] for n in (old.narratives if old else [])}
    for narrative in new.narratives:
        before = before_text.get(narrative["group_id"], "")
        if before != narrative["text"]:
            label = f"{narrative['code']}. {narrative['title']}"
            diff = _line_diff(before, narrative["text"])
            changes.append(Change(label, before, narrative["text"], diff))
    before_values = {i["criterion_id"]: i.get("value") for i in (old.indicators if old else [])}
    for row in new.indicators:
        before = before_values.get(row["criterion_id"])
        if before != row.get("value"):
            changes.append(
                Change(f"{row['code']}", before or "—", row.get("value") or "—", diff=[])
            )
    before_files = {(e.criterion.code, e.original_name, e.sha256) for e in _files(old)}
    after_files = {(e.criterion.code, e.original_name, e.sha256) for e in _files(new)}
    for code, name, _sha in sorted(after_files - before_files):
        changes.append(Change(code, "", name, diff=[("added", name)]))
    for code, name, _sha in sorted(before_files - after_files):
        changes.append(Change(code, name, "", diff=[("removed", name)]))
    return changes


def _files(version: ReportVersion | None) -> list[Evidence]:
    return version_evidence(version) if version is not None else []


# Where a user's reports are ------------------------------------------------------------------


def my_reports(user: Any, campaign: Campaign) -> list[tuple[BlockCycle, Unit]]:
    """The (block cycle, unit) pairs the user reports for or belongs to in the campaign."""
    units = member_unit_ids(user)
    cycles = campaign.cycles.select_related("term__block__agency").prefetch_related(
        "term__memberships__unit"
    )
    found = []
    for cycle in cycles:
        for membership in cycle.term.memberships.all():
            if membership.unit_id in units:
                found.append((cycle, membership.unit))
    return found


def boards_for(user: Any, campaign: Campaign) -> list[BlockCycle]:
    cycles = campaign.cycles.select_related(
        "term__block__agency", "term__leader", "term__deputy"
    ).order_by("term__block__code")
    return [cycle for cycle in cycles if may_see_board(user, cycle)]


# What is due ---------------------------------------------------------------------------------


def is_handed_in(report: Report | None) -> bool:
    """Whether the unit has handed its report in (submitted, or already accepted): it owes
    nothing more for the period unless the report comes back."""
    return report is not None and report.status in (
        Report.Status.SUBMITTED,
        Report.Status.ACCEPTED,
    )


def unit_reports(
    cycles: list[BlockCycle], unit_ids: set[int], period: str
) -> dict[tuple[int, int], Report]:
    """The period's reports of these units in these block years, by (cycle id, unit id),
    in one query."""
    return {
        (r.cycle_id, r.unit_id): r
        for r in Report.objects.filter(cycle__in=cycles, unit_id__in=unit_ids, period=period)
    }


def period_of_milestone(kind: str) -> Period | None:
    """The reporting period whose deadline a milestone of this kind sets, if any."""
    return next((p for p, k in PERIOD_MILESTONE.items() if k == kind), None)


def units_yet_to_report(cycle: BlockCycle, period: str) -> list[int]:
    """Member units of the block year that have not handed in the period's report."""
    members = {m.unit_id for m in cycle.term.memberships.all()}
    reports = unit_reports([cycle], members, period)
    return sorted(u for u in members if not is_handed_in(reports.get((cycle.pk, u))))
