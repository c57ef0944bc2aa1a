"""Small factories for the documents registry: an issuing body and who issues for it."""

from __future__ import annotations

from tests.org.factories import make_admin, make_unit
from thidua.documents import services
from thidua.documents.models import IssuingBody
from thidua.org.models import Unit


def make_issuer(
    *,
    symbol: str,
    unit: Unit | None = None,
    printed_name: str = "",
    governing_body_name: str = "",
    place: str = "Cần Thơ",
) -> IssuingBody:
    """The issuing body of `unit` (a new agency when none is given)."""
    return services.issuing_body_save(
        actor=make_admin(),
        unit=unit or make_unit(),
        symbol=symbol,
        place=place,
        governing_body_name=governing_body_name,
        printed_name=printed_name,
    )
