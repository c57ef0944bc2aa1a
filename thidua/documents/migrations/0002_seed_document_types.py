"""The document types the emulation cycle issues.

Abbreviations of the ND 30 types are those of Nghị định 30/2020/NĐ-CP, Phụ lục III. Giấy khen
and the covenant are not ND 30 types; whether they are numbered is each agency's practice
(domain.md §13 item 9), so it is a flag an administrator can change.
"""

from django.db import migrations

ND30 = "Nghị định 30/2020/NĐ-CP, Điều 7 và Phụ lục III."
LOCAL = (
    "Không thuộc các loại văn bản hành chính tại Điều 7 Nghị định 30/2020/NĐ-CP; "
    "việc cấp số do người đứng đầu cơ quan quy định (Điều 15 khoản 1 điểm c)."
)

TYPES = [
    # (code, name, numbered, ND 30 type, legal basis, order)
    ("KH", "Kế hoạch", True, True, ND30, 10),
    ("QĐ", "Quyết định", True, True, ND30, 20),
    ("BC", "Báo cáo", True, True, ND30, 30),
    ("BB", "Biên bản", True, True, ND30, 40),
    ("TTr", "Tờ trình", True, True, ND30, 50),
    ("GK", "Giấy khen", True, False, LOCAL, 60),
    ("GUTĐ", "Giao ước thi đua", False, False, LOCAL, 70),
]


def seed(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    for code, name, numbered, nd30, basis, order in TYPES:
        DocumentType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "is_numbered": numbered,
                "is_nd30_type": nd30,
                "legal_basis": basis,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
