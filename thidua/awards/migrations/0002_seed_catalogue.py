"""The catalogue of titles and forms a Department deals with, their bonus multiples and the
base salary, from shared/docs/legal-2025.md (Q7) and domain.md §5.

- ND 152/2025 multiples (Art. 50, 54; in force 01/07/2025, time-limited to 28/02/2027 by its
  Art. 60(1)) are RESOLVED in legal-2025.md Q7.
- Before ND 152 the same multiples are assumed from 01/10/2017 (ND 91/2017, then ND 98/2023):
  domain.md §5.1 says ND 98/2023 Art. 54 had the same individual multiples [HIST]; the
  collective ones and the ND 91/2017 figures are [UNVERIFIED] and marked so in the row.
- Base salary: 2.340.000 đ from 01/07/2024 (ND 73/2024 Art. 3(2), quoted) and 2.530.000 đ from
  01/07/2026 (ND 161/2026, PARTLY: amount from secondary notes). The earlier values
  (1.490.000 đ ND 38/2019, 1.800.000 đ ND 24/2023) are not in the shared docs → [UNVERIFIED].
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

D = dt.date
ND152_FROM, ND152_TO = D(2025, 7, 1), D(2027, 2, 28)
BEFORE_FROM, BEFORE_TO = D(2017, 10, 1), D(2025, 6, 30)

# code, name, kind, level, recipient kind, individual multiple, collective multiple, article
FORMS = [
    ("CTD_CP", "Cờ thi đua của Chính phủ", "title", "national", "collective", None, "12.0", "Art. 50(2)(đ)"),
    ("CTD_TINH", "Cờ thi đua của Ủy ban nhân dân thành phố", "title", "provincial", "collective", None, "8.0", "Art. 50(2)(e)"),
    ("TTLDXS", "Tập thể lao động xuất sắc", "title", "provincial", "collective", None, "1.5", "Art. 50(2)(a)"),
    ("TTLDTT", "Tập thể lao động tiên tiến", "title", "agency", "collective", None, "0.8", "Art. 50(2)(b)"),
    ("CSTD_TQ", "Chiến sĩ thi đua toàn quốc", "title", "national", "individual", "4.5", None, "Art. 50(1)(a)"),
    ("CSTD_TINH", "Chiến sĩ thi đua thành phố", "title", "provincial", "individual", "3.0", None, "Art. 50(1)(b)"),
    ("CSTDCS", "Chiến sĩ thi đua cơ sở", "title", "agency", "individual", "1.0", None, "Art. 50(1)(c)"),
    ("LDTT", "Lao động tiên tiến", "title", "agency", "individual", "0.3", None, "Art. 50(1)(d)"),
    ("BK_TTG", "Bằng khen của Thủ tướng Chính phủ", "form", "national", "both", "3.5", "7.0", "Art. 54(1)(a), 54(2)(a)"),
    ("BK_TINH", "Bằng khen của Chủ tịch Ủy ban nhân dân thành phố", "form", "provincial", "both", "1.5", "3.0", "Art. 54(1)(b), 54(2)(a)"),
    ("GK_SO", "Giấy khen của Giám đốc Sở", "form", "agency", "both", "0.3", "0.6", "Art. 54(1)(e), 54(2)(c)"),
]  # fmt: skip

SALARIES = [
    (1_490_000, D(2019, 7, 1), D(2023, 6, 30), "Nghị định 38/2019/NĐ-CP [UNVERIFIED: not in shared docs]"),
    (1_800_000, D(2023, 7, 1), D(2024, 6, 30), "Nghị định 24/2023/NĐ-CP [UNVERIFIED: not in shared docs]"),
    (2_340_000, D(2024, 7, 1), D(2026, 6, 30), "Nghị định 73/2024/NĐ-CP Điều 3 khoản 2 (legal-2025.md Q7)"),
    (2_530_000, D(2026, 7, 1), None, "Nghị định 161/2026/NĐ-CP [PARTLY: amount from secondary notes, legal-2025.md Q7]"),
]  # fmt: skip


def seed(apps, schema_editor):
    AwardForm = apps.get_model("awards", "AwardForm")
    AwardFormRate = apps.get_model("awards", "AwardFormRate")
    BaseSalary = apps.get_model("awards", "BaseSalary")
    for order, (code, name, kind, level, recipients, single, group, article) in enumerate(
        FORMS, start=1
    ):
        form = AwardForm.objects.create(
            code=code,
            name=name,
            kind=kind,
            level=level,
            recipient_kind=recipients,
            order=order * 10,
        )
        for recipient_kind, multiple in (("individual", single), ("collective", group)):
            if multiple is None:
                continue
            AwardFormRate.objects.create(
                form=form,
                recipient_kind=recipient_kind,
                multiple=Decimal(multiple),
                valid_from=ND152_FROM,
                valid_to=ND152_TO,
                legal_basis=f"Nghị định 152/2025/NĐ-CP {article} (legal-2025.md Q7)",
            )
            AwardFormRate.objects.create(
                form=form,
                recipient_kind=recipient_kind,
                multiple=Decimal(multiple),
                valid_from=BEFORE_FROM,
                valid_to=BEFORE_TO,
                legal_basis=(
                    "Nghị định 91/2017/NĐ-CP, 98/2023/NĐ-CP [UNVERIFIED: assumed equal to "
                    "ND 152/2025; domain.md §5.1]"
                ),
            )
    for amount, valid_from, valid_to, basis in SALARIES:
        BaseSalary.objects.create(
            amount=amount, valid_from=valid_from, valid_to=valid_to, legal_basis=basis
        )


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
