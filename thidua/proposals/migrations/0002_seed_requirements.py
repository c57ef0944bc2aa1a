"""What a dossier must hold, per title, with its legal basis (shared/docs/legal-2025.md Q6, Q8;
domain.md §5.2, §8.3-8.6). Dated configuration: one set of rows per legal regime.

- From 01/01/2024 the Law on Emulation and Commendation 2022 Art. 84(1) lists the dossier for
  an emulation title: (a) tờ trình, (b) báo cáo thành tích, (c) biên bản bình xét (quoted in
  legal-2025.md Q8). The dossier for the provincial flag is the province's to regulate
  (ND 152/2025 Art. 6(2)(b)); ND 152 Art. 37(2) (Government flag: tờ trình, báo cáo thành
  tích with confirmation, biên bản and vote results) is the model provinces copy.
- Before (the 2021 seed year) the same three items are assumed from the 2003 Law and
  ND 91/2017; article numbers are not in the shared docs, so those rows say [UNVERIFIED].
- The block's published ranking, its summary report and every member's annual report come
  from the seed plan's practice (Khối trưởng gathers the members' reports and reports the
  block's result, domain.md §3) and the flag's link to the block (Law 2022 Art. 26(1) as
  applied by TT 29/2023/TT-BGDĐT Art. 4; HIST ND 91/2017 Art. 12): [PRACTICE].
"""

import datetime as dt

from django.db import migrations

D = dt.date
PERIODS = [
    (D(2017, 10, 1), D(2023, 12, 31), "Luật Thi đua, Khen thưởng 2003 (sửa đổi 2013), Nghị định 91/2017/NĐ-CP [UNVERIFIED: số điều]"),
    (D(2024, 1, 1), None, "Luật Thi đua, khen thưởng 2022"),
]  # fmt: skip

PRACTICE_BLOCK = (
    "Thực tiễn của Sở (Kế hoạch thi đua hằng năm: Khối trưởng tổng hợp báo cáo của các đơn vị "
    "thành viên và báo cáo kết quả của Khối) [PRACTICE]"
)
PRACTICE_RANKING = (
    "Cờ thi đua tặng tập thể dẫn đầu phong trào thi đua của cụm, khối (khoản 1 Điều 26 Luật "
    "Thi đua, khen thưởng 2022, như TT 29/2023/TT-BGDĐT Điều 4 áp dụng; trước đây Điều 12 "
    "Nghị định 91/2017/NĐ-CP) [PRACTICE]"
)

# form code → (code, label, kind, required, basis: "law:<point>" or a full text)
ITEMS = {
    "CTD_TINH": [
        ("TO_TRINH", "Tờ trình đề nghị của Khối thi đua (bản đã ký)", "proposal_document", True, "law:a"),
        ("BAO_CAO_THANH_TICH", "Báo cáo thành tích của tập thể được đề nghị", "upload", True, "law:b"),
        ("BIEN_BAN", "Biên bản họp bình xét của Khối (kết quả bỏ phiếu)", "vote_minutes", True, "law:c"),
        ("XEP_HANG", "Bảng xếp hạng đã công bố của Khối", "block_ranking", True, PRACTICE_RANKING),
        ("BAO_CAO_KHOI", "Báo cáo tổng kết của Khối", "block_report", True, PRACTICE_BLOCK),
        ("BAO_CAO_THANH_VIEN", "Báo cáo năm của các đơn vị thành viên", "member_reports", True, PRACTICE_BLOCK),
    ],
    "TTLDTT": [
        ("TO_TRINH", "Tờ trình đề nghị (bản đã ký)", "proposal_document", True, "law:a"),
        ("BAO_CAO_THANH_TICH", "Báo cáo thành tích của tập thể được đề nghị", "upload", True, "law:b"),
        ("BIEN_BAN", "Biên bản họp bình xét", "vote_minutes", True, "law:c"),
    ],
    "GK_SO": [
        ("TO_TRINH", "Tờ trình đề nghị (bản đã ký)", "proposal_document", True, "law:a"),
        ("BAO_CAO_THANH_TICH", "Báo cáo thành tích của tập thể được đề nghị", "upload", True, "law:b"),
        ("XEP_HANG", "Bảng xếp hạng đã công bố của Khối", "block_ranking", False, PRACTICE_RANKING),
    ],
}  # fmt: skip

LAW_POINTS = {"a": "điểm a", "b": "điểm b", "c": "điểm c"}


def _basis(spec: str, law: str, valid_from: dt.date) -> str:
    if not spec.startswith("law:"):
        return spec
    point = LAW_POINTS[spec[4:]]
    if valid_from.year >= 2024:
        text = f"{law}, {point} khoản 1 Điều 84 (legal-2025.md Q8)"
    else:
        text = f"{law}; nội dung tương ứng {point} khoản 1 Điều 84 Luật 2022"
    return text


def seed(apps, schema_editor):
    AwardForm = apps.get_model("awards", "AwardForm")
    DossierRequirement = apps.get_model("proposals", "DossierRequirement")
    for form_code, items in ITEMS.items():
        form = AwardForm.objects.filter(code=form_code).first()
        if form is None:
            continue
        for valid_from, valid_to, law in PERIODS:
            for order, (code, label, kind, required, basis) in enumerate(items, start=1):
                DossierRequirement.objects.create(
                    form=form,
                    code=code,
                    label=label,
                    kind=kind,
                    required=required,
                    legal_basis=_basis(basis, law, valid_from),
                    order=order * 10,
                    valid_from=valid_from,
                    valid_to=valid_to,
                )


def unseed(apps, schema_editor):
    apps.get_model("proposals", "DossierRequirement").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0001_initial"),
        ("awards", "0002_seed_catalogue"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
