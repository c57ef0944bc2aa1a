"""Demo issuing bodies (documents.IssuingBody) for the seed's agencies. Idempotent: a body
that exists is left as it is, so a symbol someone changed while trying the system survives a
reload."""

from __future__ import annotations

from typing import Any

from thidua.documents import services
from thidua.documents.models import IssuingBody

from .models import Unit, User

DEMO_ISSUERS = [
    # (unit code, symbol, name as printed, governing body, place)
    (
        "SVHTTDL",
        "SVHTTDL",
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "UBND THÀNH PHỐ CẦN THƠ",
        "Cần Thơ",
    ),
    # ND 30 Phụ lục I, Mục V examples: a People's Committee signs as "UBND" ("Số: 12/UBND-VX").
    ("UBND-CT", "UBND", "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ", "", "Cần Thơ"),
]


def ensure_demo_issuers(actor: Any = None) -> list[IssuingBody]:
    """Create the demo agencies' issuing bodies where missing. `actor` defaults to the
    demo's system administrator, who sets up catalogue data."""
    actor = actor or User.objects.filter(is_superuser=True).order_by("pk").first()
    bodies = []
    for unit_code, symbol, printed_name, governing_body, place in DEMO_ISSUERS:
        unit = Unit.objects.filter(code=unit_code).first()
        if unit is None:
            continue
        body = IssuingBody.objects.filter(unit=unit).first()
        if body is None:
            body = services.issuing_body_save(
                actor=actor,
                unit=unit,
                symbol=symbol,
                place=place,
                governing_body_name=governing_body,
                printed_name=printed_name,
            )
        bodies.append(body)
    return bodies
