"""Seed the values the code used as constants until now, so nothing changes on existing
databases: the home page's bands (suggested 30 days ahead, soon at 14, urgent at 3) become
the bands of every agency without its own, and each share-of-staff criterion counts the
staff employed on 31/12 of its campaign's year."""

import datetime as dt

from django.db import migrations

BASIS = (
    "Mốc mặc định của hệ thống (trước đây cố định trong mã nguồn: gợi ý trước 30 ngày, "
    "sắp đến hạn trong 14 ngày, khẩn trong 3 ngày). Cơ quan thay bằng mốc trong quy chế "
    "thi đua, khen thưởng của mình."
)


def seed(apps, schema_editor):
    DeadlineBands = apps.get_model("campaigns", "DeadlineBands")
    Criterion = apps.get_model("campaigns", "Criterion")
    if not DeadlineBands.objects.filter(agency__isnull=True).exists():
        DeadlineBands.objects.create(
            agency=None,
            valid_from=dt.date(2000, 1, 1),
            legal_basis=BASIS,
            notice_days=30,
            soon_days=14,
            urgent_days=3,
        )
    shares = Criterion.objects.filter(
        indicator="staff_share_rated_at_least", staff_counted_on__isnull=True
    ).select_related("group__campaign")
    for criterion in shares:
        criterion.staff_counted_on = dt.date(criterion.group.campaign.year, 12, 31)
        criterion.save(update_fields=["staff_counted_on"])


def unseed(apps, schema_editor):
    apps.get_model("campaigns", "DeadlineBands").objects.filter(
        agency__isnull=True, legal_basis=BASIS
    ).delete()
    apps.get_model("campaigns", "Criterion").objects.update(staff_counted_on=None)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0003_deadline_bands_and_staff_date")]

    operations = [migrations.RunPython(seed, unseed)]
