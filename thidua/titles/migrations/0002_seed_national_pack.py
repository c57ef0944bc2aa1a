"""The catalogue's legal facts and the national rule pack, from shared/docs/legal-titles.md
(§2–§5, §10) and domain.md §5.

Four versions, one per legal regime, so a new law is a new version from a date:

1. 01/10/2017–31/12/2023: Law 2003 (amended 2013) with ND 91/2017 — [HIST], every condition
   UNVERIFIED (the texts were not read; domain.md §5 and legal-titles.md cite them as history:
   TTLĐTT > 50 %, CSTĐCS needs an initiative, the 15 % CSTĐCS cap).
2. 01/01/2024–30/06/2025: Law 06/2022/QH15 (with ND 98/2023).
3. 01/07/2025–30/09/2026: Law 06/2022/QH15 with ND 152/2025 (council vote shares, the
   Government flag's 20 % of block leaders).
4. from 01/10/2026: Law 06/2022 as amended by Law 06/2026/QH16 — its text was not found
   (legal-titles.md §9): the 2022 wording is carried over and every condition is UNVERIFIED.

Status follows legal-titles.md: SECONDARY (verbatim in restating sources) is not flagged;
UNVERIFIED and [HIST] are. Competence: Art. 80(1) is VERIFIED (gazette); Art. 77/79 were not
read (UNVERIFIED).
"""

import datetime as dt

from django.db import migrations

D = dt.date
LAW = "Luật Thi đua, khen thưởng 2022"
LAW03 = "Luật Thi đua, khen thưởng 2003 (sửa đổi 2013), Nghị định 91/2017/NĐ-CP [HIST]"

# form code, short name, article, awarded by, its basis, unverified
ENTRIES = [
    ("CTD_CP", "Cờ thi đua của Chính phủ", "Điều 25 " + LAW, "prime_minister", "Điều 77 " + LAW, True),
    ("CTD_TINH", "Cờ thi đua thành phố", "Điều 26 " + LAW, "provincial_chair", "Điều 79 " + LAW, True),
    ("TTLDXS", "TTLĐXS", "Điều 27 " + LAW, "provincial_chair", "Điều 79 " + LAW, True),
    ("TTLDTT", "TTLĐTT", "Điều 28 " + LAW, "agency_head", "khoản 1 Điều 80 " + LAW, False),
    ("CSTD_TQ", "CSTĐ toàn quốc", "Điều 21 " + LAW, "prime_minister", "Điều 77 " + LAW, True),
    ("CSTD_TINH", "CSTĐ thành phố", "Điều 22 " + LAW, "provincial_chair", "Điều 79 " + LAW, True),
    ("CSTDCS", "CSTĐCS", "Điều 23 " + LAW, "agency_head", "khoản 1 Điều 80 " + LAW, False),
    ("LDTT", "LĐTT", "Điều 24 " + LAW, "agency_head", "khoản 1 Điều 80 " + LAW, False),
    ("BK_TTG", "Bằng khen Thủ tướng", "Điều 73 " + LAW, "prime_minister", "Điều 77 " + LAW, True),
    ("BK_TINH", "Bằng khen thành phố", "Điều 74 " + LAW, "provincial_chair", "Điều 79 " + LAW, True),
    ("GK_SO", "Giấy khen Sở", "Điều 75 " + LAW, "agency_head", "khoản 1 Điều 80 " + LAW, False),
]  # fmt: skip


def law2022(nd152: bool) -> list[tuple]:
    """(title, key, kind, params, group, legal basis, unverified) of the 2022 Law."""
    rows = [
        ("LDTT", "rating", "rating_at_least", {"rating": "HTTNV"}, "", "điểm a khoản 1 Điều 24 " + LAW, False),
        ("CSTDCS", "ldtt-standard", "meets_standard", {"title": "LDTT"}, "", "khoản 1 Điều 23 " + LAW, False),
        ("CSTDCS", "excellent", "rating_at_least", {"rating": "HTXSNV"}, "achievement", "khoản 2 Điều 23 " + LAW, False),
        ("CSTDCS", "initiative", "initiative", {"scope": "co_so", "count": 1, "years": 1}, "achievement", "khoản 2 Điều 23 " + LAW, False),
        ("CSTD_TINH", "cstdcs-3", "holds_consecutive", {"title": "CSTDCS", "years": 3}, "", "điểm a khoản 1 Điều 22 " + LAW, False),
        # The window the initiative must fall in (the three CSTĐCS years) is our reading.
        ("CSTD_TINH", "initiative", "initiative", {"scope": "tinh_bo", "count": 1, "years": 3}, "", "điểm b khoản 1, khoản 2 Điều 22 " + LAW, True),
        ("CSTD_TQ", "cstd-tinh-2", "holds_consecutive", {"title": "CSTD_TINH", "years": 2, "step": 3}, "", "khoản 1 Điều 21 " + LAW, False),
        ("CSTD_TQ", "initiative", "initiative", {"scope": "toan_quoc", "count": 1, "years": 6}, "", "khoản 1, khoản 2 Điều 21 " + LAW, True),
        ("TTLDTT", "rating", "rating_at_least", {"rating": "HTTNV"}, "", "khoản 1 Điều 28 " + LAW, False),
        ("TTLDTT", "ldtt-share", "member_share_holding", {"title": "LDTT", "ratio": 0.7}, "", "khoản 1 Điều 28 " + LAW, False),
        ("TTLDTT", "discipline", "no_discipline", {"level": "canh_cao"}, "", "khoản 1 Điều 28 " + LAW, False),
        ("TTLDXS", "rating", "rating_at_least", {"rating": "HTXSNV"}, "", "điểm a khoản 1 Điều 27 " + LAW, False),
        ("TTLDXS", "all-completed", "member_share_rated", {"rating": "HTNV", "ratio": 1}, "", "điểm c khoản 1 Điều 27 " + LAW, False),
        ("TTLDXS", "ldtt-share", "member_share_holding", {"title": "LDTT", "ratio": 0.7}, "", "điểm c khoản 1 Điều 27 " + LAW, False),
        ("TTLDXS", "cstdcs", "members_holding_at_least", {"title": "CSTDCS", "count": 1}, "", "điểm d khoản 1 Điều 27 " + LAW, False),
    ]  # fmt: skip
    if nd152:
        rows += [
            ("CSTD_TQ", "council-vote", "council_vote", {"share": 0.9}, "", "khoản 5 Điều 33 Nghị định 152/2025/NĐ-CP", False),
            ("CTD_CP", "council-vote", "council_vote", {"share": 0.8}, "", "khoản 5 Điều 33 Nghị định 152/2025/NĐ-CP", False),
            ("CTD_CP", "block-leaders-quota", "quota", {"ratio": 0.2, "of": "block_leaders"}, "", "khoản 1 Điều 7 Nghị định 152/2025/NĐ-CP", False),
        ]  # fmt: skip
    return rows


LAW2003 = [
    ("LDTT", "rating", "rating_at_least", {"rating": "HTTNV"}, "", "Điều 24 " + LAW03, True),
    ("CSTDCS", "ldtt-standard", "meets_standard", {"title": "LDTT"}, "", "Điều 23 " + LAW03, True),
    ("CSTDCS", "initiative", "initiative", {"scope": "co_so", "count": 1, "years": 1}, "", "Điều 23 " + LAW03, True),
    ("CSTDCS", "cap", "quota", {"ratio": 0.15, "of": "LDTT"}, "", "khoản 3 Điều 9 Nghị định 91/2017/NĐ-CP [HIST]", True),
    ("CSTD_TINH", "cstdcs-3", "holds_consecutive", {"title": "CSTDCS", "years": 3}, "", "Điều 22 " + LAW03, True),
    ("CSTD_TINH", "initiative", "initiative", {"scope": "tinh_bo", "count": 1, "years": 3}, "", "Điều 22 " + LAW03, True),
    ("TTLDTT", "rating", "rating_at_least", {"rating": "HTTNV"}, "", "Điều 28 " + LAW03, True),
    ("TTLDTT", "ldtt-share", "member_share_holding", {"title": "LDTT", "ratio": 0.5, "strict": True}, "", "Điều 28 " + LAW03, True),
    ("TTLDTT", "discipline", "no_discipline", {"level": "canh_cao"}, "", "Điều 28 " + LAW03, True),
    ("TTLDXS", "rating", "rating_at_least", {"rating": "HTXSNV"}, "", "Điều 27 " + LAW03, True),
    ("TTLDXS", "all-completed", "member_share_rated", {"rating": "HTNV", "ratio": 1}, "", "Điều 27 " + LAW03, True),
    ("TTLDXS", "ldtt-share", "member_share_holding", {"title": "LDTT", "ratio": 0.7}, "", "Điều 27 " + LAW03, True),
    ("TTLDXS", "cstdcs", "members_holding_at_least", {"title": "CSTDCS", "count": 1}, "", "Điều 27 " + LAW03, True),
    ("TTLDXS", "discipline", "no_discipline", {"level": "canh_cao"}, "", "Điều 27 " + LAW03, True),
]  # fmt: skip

VERSIONS = [
    (D(2017, 10, 1), D(2023, 12, 31), LAW03, LAW2003, False),
    (D(2024, 1, 1), D(2025, 6, 30), "Luật Thi đua, khen thưởng 06/2022/QH15; Nghị định 98/2023/NĐ-CP", law2022(False), False),
    (D(2025, 7, 1), D(2026, 9, 30), "Luật Thi đua, khen thưởng 06/2022/QH15; Nghị định 152/2025/NĐ-CP", law2022(True), False),
    (D(2026, 10, 1), None, "Luật Thi đua, khen thưởng 06/2022/QH15 sửa đổi bởi Luật 06/2026/QH16 [UNVERIFIED: văn bản sửa đổi chưa tìm thấy]", law2022(True), True),
]  # fmt: skip


def seed(apps, schema_editor):
    AwardForm = apps.get_model("awards", "AwardForm")
    TitleEntry = apps.get_model("titles", "TitleEntry")
    RulePack = apps.get_model("titles", "RulePack")
    PackVersion = apps.get_model("titles", "PackVersion")
    Condition = apps.get_model("titles", "Condition")
    forms = {f.code: f for f in AwardForm.objects.all()}
    for code, short, article, by, basis, unverified in ENTRIES:
        if code in forms:
            TitleEntry.objects.get_or_create(
                form=forms[code],
                defaults={
                    "short_name": short,
                    "article": article,
                    "awarded_by": by,
                    "awarded_by_basis": basis,
                    "unverified": unverified,
                },
            )
    pack, _ = RulePack.objects.get_or_create(
        code="national", defaults={"name": "Quy định chung của Luật Thi đua, khen thưởng"}
    )
    for valid_from, valid_to, instrument, rows, all_unverified in VERSIONS:
        version = PackVersion.objects.create(
            pack=pack, valid_from=valid_from, valid_to=valid_to, instrument=instrument
        )
        for order, (title, key, kind, params, group, basis, unverified) in enumerate(rows, 1):
            if title not in forms:
                continue
            Condition.objects.create(
                version=version,
                title=forms[title],
                key=key,
                kind=kind,
                params=params,
                group=group,
                legal_basis=basis,
                unverified=unverified or all_unverified,
                order=order,
            )


def unseed(apps, schema_editor):
    RulePack = apps.get_model("titles", "RulePack")
    PackVersion = apps.get_model("titles", "PackVersion")
    PackVersion.objects.filter(pack__code="national").delete()
    RulePack.objects.filter(code="national").delete()
    apps.get_model("titles", "TitleEntry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("titles", "0001_initial"), ("awards", "0004_award_achievement_year")]

    operations = [migrations.RunPython(seed, unseed)]
