"""What a dossier holds against what its title requires: one line per configured item, met
or not, with what is missing. Read by the submit service (which refuses on a missing
required item and freezes the result) and by the dossier page."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from thidua.lib.dated import valid_on

from .models import FILE_KINDS, DossierRequirement, RequirementKind

if TYPE_CHECKING:
    from .models import Dossier


@dataclass(frozen=True)
class Line:
    code: str
    label: str
    kind: str
    required: bool
    met: bool
    detail: str
    legal_basis: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def requirements_on(form_id: int, day: dt.date) -> QuerySet[DossierRequirement]:
    return DossierRequirement.objects.filter(valid_on(day), form_id=form_id).order_by(
        "order", "code"
    )


def missing_member_reports(dossier: Dossier) -> list[str]:
    """Names of the block's member units without a submitted year-end report version."""
    reported = {v.report.unit_id for v in dossier.member_reports.select_related("report")}
    members = dossier.cycle.term.memberships.select_related("unit").order_by("unit__name")
    return [m.unit.name for m in members if m.unit_id not in reported]


def _line(requirement: DossierRequirement, dossier: Dossier) -> Line:
    kind = requirement.kind
    met, detail = False, ""
    if kind == RequirementKind.BLOCK_RANKING:
        met = dossier.snapshot_id is not None
        detail = "" if met else _("the ranking is not published")
    elif kind == RequirementKind.VOTE_MINUTES:
        met = dossier.minutes_id is not None
        detail = "" if met else _("the minutes of the year-end meeting are not issued")
    elif kind == RequirementKind.BLOCK_REPORT:
        met = dossier.block_report_id is not None
        detail = "" if met else _("the block's report is not issued")
    elif kind == RequirementKind.MEMBER_REPORTS:
        missing = missing_member_reports(dossier)
        met = not missing
        detail = _("no report from: %(units)s") % {"units": ", ".join(missing)} if missing else ""
    elif kind in FILE_KINDS:
        met = any(f.requirement_code == requirement.code for f in dossier.files.all())
        detail = "" if met else _("no file uploaded")
    return Line(
        code=requirement.code,
        label=requirement.label,
        kind=kind,
        required=requirement.required,
        met=met,
        detail=detail,
        legal_basis=requirement.legal_basis,
    )


def evaluate(dossier: Dossier, day: dt.date) -> list[Line]:
    return [_line(r, dossier) for r in requirements_on(dossier.form_id, day)]


def missing(lines: list[Line]) -> list[str]:
    """One message per missing required item, naming it and why."""
    return [
        _("Missing: %(item)s (%(why)s).") % {"item": line.label, "why": line.detail}
        for line in lines
        if line.required and not line.met
    ]
