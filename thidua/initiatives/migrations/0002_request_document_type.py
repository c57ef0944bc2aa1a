"""The registry's type for an author's request for recognition (Đơn yêu cầu công nhận sáng
kiến): not an administrative type of Nghị định 30/2020, so unnumbered by default; an
administrator can change that in the catalogue."""

from django.db import migrations

CODE = "ĐYC"
BASIS = (
    "Đơn của tác giả theo Điều lệ Sáng kiến ban hành kèm theo Nghị định 13/2012/NĐ-CP; không "
    "thuộc các loại văn bản hành chính tại Điều 7 Nghị định 30/2020/NĐ-CP."
)


def seed(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    DocumentType.objects.get_or_create(
        code=CODE,
        defaults={
            "name": "Đơn yêu cầu công nhận sáng kiến",
            "is_numbered": False,
            "is_nd30_type": False,
            "legal_basis": BASIS,
            "order": 80,
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_seed_document_types"),
        ("initiatives", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
