"""Which unit, person and title or form each row of an Excel award list names: a row that
matches nothing (or several) is named in the refusal (awards.issuing.decision_record_from_list)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from thidua.lib.dated import valid_on
from thidua.lib.text import fold
from thidua.org.models import Person, Unit

from . import award_list as awards_list
from .decision_defaults import awardable_levels, level_errors
from .models import AwardForm
from .services import AwardInput, employment_on, unit_version_on

# Forms of address written before a name in lists ("Bà Lê Thị Hoa"), not part of the name.
_HONORIFICS = ("ông/bà", "đồng chí", "ông", "bà", "anh", "chị")


def strip_honorific(name: str) -> str:
    words = " ".join(name.split())
    folded = words.casefold()
    for honorific in _HONORIFICS:
        if folded.startswith(honorific + " "):
            return words[len(honorific) + 1 :].strip()
    return words


def _agency_units(agency: Unit) -> Any:
    return Unit.objects.filter(path__startswith=agency.path)


def match_unit(agency: Unit, name: str, day: dt.date) -> list[Unit]:
    """Units of the agency named `name` (folded: "phong quan ly du lich" finds "Phòng Quản
    lý Du lịch") today or on `day`."""
    wanted = fold(" ".join(name.split()))
    found = []
    for unit in _agency_units(agency).prefetch_related("versions"):
        version = unit_version_on(unit, day)
        names = {unit.name, unit.short_name, version.name if version else ""}
        if wanted in {fold(n) for n in names if n}:
            found.append(unit)
    return found


def match_person(agency: Unit, name: str, detail: str, day: dt.date) -> list[Person]:
    """People employed in the agency on `day` with that full name; when several share it,
    those whose unit the detail column names."""
    wanted = fold(strip_honorific(name))
    units = _agency_units(agency)
    people = list(
        Person.objects.filter(
            employments__unit__in=units, employments__valid_from__lte=day
        )
        .filter(valid_on(day, start=None, end="employments__valid_to"))
        .distinct()
    )  # fmt: skip
    found = [p for p in people if fold(p.full_name) == wanted]
    if len(found) > 1:
        folded_detail = fold(detail)
        narrowed = []
        for person in found:
            employment = employment_on(person, day)
            if employment is not None and fold(employment.unit.name) in folded_detail:
                narrowed.append(person)
        found = narrowed or found
    return found


def match_form(text: str, agency: Unit) -> list[AwardForm]:
    """The catalogue entry written in the list: its code, its name, or the one name that
    starts with what is written ("Giấy khen" for "Giấy khen của Giám đốc Sở"), among the
    forms the agency awards first."""
    wanted = fold(" ".join(text.split()))
    forms = list(AwardForm.objects.all())
    exact = [f for f in forms if f.code.casefold() == text.strip().casefold()]
    exact = exact or [f for f in forms if fold(f.name) == wanted]
    if exact:
        return exact
    starting = [f for f in forms if fold(f.name).startswith(wanted)]
    own = [f for f in starting if f.level in awardable_levels(agency)]
    return own if len(own) == 1 else starting


def match_list_rows(agency: Unit, rows: list[dict[str, Any]], day: dt.date) -> list[AwardInput]:
    """The list's rows as awards of the register; a ValidationError naming every row that
    matches no unit or person, or no title or form the agency awards (all or nothing)."""
    awards, errors = _match_rows(agency, rows, day)
    errors += level_errors(agency, awards)
    if errors:
        raise ValidationError(errors)
    return awards


def _match_rows(
    agency: Unit, rows: list[dict[str, Any]], day: dt.date
) -> tuple[list[AwardInput], list[str]]:
    awards: list[AwardInput] = []
    errors: list[str] = []
    for index, row in enumerate(rows, start=1):
        number = row.get("row") or index
        prefix = _("Row %(row)s") % {"row": number}
        forms = match_form(row["title"], agency)
        if len(forms) != 1:
            errors.append(
                f"{prefix}: "
                + (
                    _("“%(title)s” is not a title or form of the catalogue.")
                    if not forms
                    else _("“%(title)s” matches several titles or forms; write its full name.")
                )
                % {"title": row["title"]}
            )
        if row["kind"] == awards_list.COLLECTIVE:
            units = match_unit(agency, row["name"], day)
            if len(units) != 1:
                errors.append(
                    f"{prefix}: "
                    + _("no unit of %(agency)s is named “%(name)s”.")
                    % {"agency": agency.name, "name": row["name"]}
                )
                continue
            recipient: dict[str, Any] = {"unit": units[0]}
        else:
            people = match_person(agency, row["name"], row.get("detail", ""), day)
            if len(people) != 1:
                message = (
                    _("nobody named “%(name)s” works in %(agency)s on %(date)s.")
                    if not people
                    else _("several people are named “%(name)s”; name their unit in column B.")
                )
                errors.append(
                    f"{prefix}: "
                    + message
                    % {"name": row["name"], "agency": agency.name, "date": day.strftime("%d/%m/%Y")}
                )
                continue
            recipient = {"person": people[0]}
        if len(forms) == 1:
            awards.append(
                AwardInput(form=forms[0], reason=row.get("reason", ""), row=number, **recipient)
            )
    return awards, errors
