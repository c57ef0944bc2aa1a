"""Small factories for titles: ratings, discipline and awards of a given achievement year,
made through the services, without the demo year."""

from __future__ import annotations

import datetime as dt
import itertools

from tests.org.factories import make_admin
from thidua.awards.models import AwardDecision, AwardForm
from thidua.awards.services import AwardInput, DecisionInput, record_decision
from thidua.org.models import Person, Unit
from thidua.org.services.discipline import discipline_record_add
from thidua.org.services.ratings import staff_rating_set, unit_rating_set

_serial = itertools.count(1)


def rate(person: Person, year: int, rating: str) -> None:
    staff_rating_set(actor=make_admin(), person=person, year=year, rating=rating)


def rate_unit(unit: Unit, year: int, rating: str) -> None:
    unit_rating_set(actor=make_admin(), unit=unit, year=year, rating=rating)


def discipline(person: Person, unit: Unit, level: str, on: dt.date) -> None:
    discipline_record_add(actor=make_admin(), person=person, unit=unit, level=level, decided_on=on)


def award(
    *,
    agency: Unit,
    code: str,
    year: int,
    person: Person | None = None,
    unit: Unit | None = None,
    issued_on: dt.date | None = None,
    with_year: bool = True,
) -> AwardDecision:
    """A decision recorded in `agency`'s register giving one title for `year` (the
    achievement year written on it unless `with_year` is False)."""
    return record_decision(
        actor=make_admin(),
        data=DecisionInput(
            agency=agency,
            issuer_name="Ủy ban nhân dân tỉnh",
            symbol=f"{next(_serial)}/QĐ-UBND",
            issued_on=issued_on or dt.date(year + 1, 1, 10),
            awards=[
                AwardInput(
                    form=AwardForm.objects.get(code=code),
                    person=person,
                    unit=unit,
                    achievement_year=year if with_year else None,
                )
            ],
        ),
    )


def justify(*, unit_code: str, title: str, year: int, actor_username: str = "khoa") -> None:
    """An override with a written reason for a unit's title, once (the demo's QLDL has no
    member holding Lao động tiên tiến, so its Tập thể lao động tiên tiến needs one)."""
    from thidua.org.models import User
    from thidua.titles.models import Override
    from thidua.titles.services import override_record

    unit = Unit.objects.get(code=unit_code)
    form = AwardForm.objects.get(code=title)
    if not Override.objects.filter(unit=unit, title=form, year=year).exists():
        override_record(
            actor=User.objects.get(username=actor_username),
            agency=unit.parent,  # type: ignore[arg-type]
            year=year,
            title=form,
            unit=unit,
            reason="Tập thể có thành tích xuất sắc, danh sách LĐTT trình cùng đợt.",
        )
