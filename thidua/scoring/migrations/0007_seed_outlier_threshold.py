"""Seed the threshold the THIDUA_OUTLIER_SHARE setting gave until now (0.2), so nothing
changes on existing databases; an agency sets its own in the admin."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

BASIS = (
    "Ngưỡng mặc định của hệ thống (trước đây là biến môi trường THIDUA_OUTLIER_SHARE = 0,2). "
    "Cơ quan thay bằng ngưỡng trong quy chế chấm điểm thi đua của mình."
)


def seed(apps, schema_editor):
    OutlierThreshold = apps.get_model("scoring", "OutlierThreshold")
    if not OutlierThreshold.objects.filter(agency__isnull=True).exists():
        OutlierThreshold.objects.create(
            agency=None, valid_from=dt.date(2000, 1, 1), legal_basis=BASIS, share=Decimal("0.20")
        )


def unseed(apps, schema_editor):
    apps.get_model("scoring", "OutlierThreshold").objects.filter(legal_basis=BASIS).delete()


class Migration(migrations.Migration):
    dependencies = [("scoring", "0006_outlier_threshold")]

    operations = [migrations.RunPython(seed, unseed)]
