"""The demo's Cần Thơ pack, layered on the national one (the city details LĐTT, TTLĐTT,
TTLĐXS and Giấy khen under the Law's delegations, legal-titles.md §1.1).

Cần Thơ's QĐ 10/2024/QĐ-UBND (13/6/2024) is known to be in force and still cited by the merged
city (legal-titles.md §1, item 22), but its text was not retrieved (§11.8), nor the city's
earlier regulation: every condition here is UNVERIFIED. The one condition carried is the
practice that a person disciplined with cảnh cáo or above in the year is not proposed for
Lao động tiên tiến (domain.md §5.1: "not excluded(y)", local add-ons).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from thidua.awards.models import AwardForm
from thidua.org.models import Unit

from .models import Condition, PackVersion, RulePack

D = dt.date
QD10 = "Quyết định 10/2024/QĐ-UBND của UBND thành phố Cần Thơ [UNVERIFIED: văn bản chưa tìm thấy]"
BEFORE = "Quy định thi đua, khen thưởng của Cần Thơ trước 2024 [UNVERIFIED: chưa tìm thấy]"
VERSIONS = [(D(2017, 10, 1), D(2024, 6, 12), BEFORE), (D(2024, 6, 13), None, QD10)]
# title, key, kind, params, legal basis
CONDITIONS = [
    (
        "LDTT",
        "discipline",
        "no_discipline",
        {"level": "canh_cao"},
        "khoản 4 Điều 24 Luật Thi đua, khen thưởng 2022 (thành phố quy định chi tiết)",
    ),
]


@transaction.atomic
def load_demo_packs(territory_code: str = "UBND-CT") -> RulePack | None:
    """The Cần Thơ pack for the city unit and everything below it; again is a no-op."""
    city = Unit.objects.filter(code=territory_code).first()
    national = RulePack.objects.filter(code="national").first()
    if city is None or national is None:
        return None
    pack, created = RulePack.objects.get_or_create(
        code="can-tho",
        defaults={
            "name": "Quy định của thành phố Cần Thơ",
            "base": national,
            "territory": city,
        },
    )
    if not created:
        return pack
    forms = {f.code: f for f in AwardForm.objects.all()}
    for valid_from, valid_to, instrument in VERSIONS:
        version = PackVersion.objects.create(
            pack=pack, valid_from=valid_from, valid_to=valid_to, instrument=instrument
        )
        for order, (title, key, kind, params, basis) in enumerate(CONDITIONS, start=1):
            Condition.objects.create(
                version=version,
                title=forms[title],
                key=key,
                kind=kind,
                params=params,
                legal_basis=f"{basis}; {instrument}",
                unverified=True,
                order=order,
            )
    return pack
