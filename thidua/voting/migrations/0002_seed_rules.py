"""Default voting rules with their sources (shared/docs/domain.md §7, legal-2025.md Q1).

Each block or council may replace these with its own regulation (a new version of the same
code with a later valid_from). [UNVERIFIED] marks a value no source fixes for this body.
"""

from __future__ import annotations

import datetime as dt

from django.db import migrations

ND152_FROM, ND152_TO = dt.date(2025, 7, 1), dt.date(2027, 2, 28)

RULES = [
    {
        "code": "block-leading-unit",
        "name": "Khối thi đua: bỏ phiếu kín suy tôn đơn vị dẫn đầu",
        "legal_basis": (
            "Quy chế hoạt động của Khối thi đua quyết định cách bỏ phiếu [UNVERIFIED: không "
            "nguồn nào quy định ngưỡng, mẫu số, kiểu phiếu, quyền tự bầu ở cấp khối — "
            "documents.md §3]. Túc số 2/3 thành viên: thực tiễn cụm thi đua Hà Nội 2021 "
            "[SECONDARY]. Ngưỡng quá 1/2 số đơn vị có mặt: đa số [UNVERIFIED]. Mỗi vòng tối "
            "đa 02 lần bỏ phiếu, sau đó Trưởng khối và Phó Trưởng khối quyết định, ưu tiên "
            "đơn vị có thành tích nổi bật hơn: TT 01/2024/TT-TANDTC (thực tiễn ngành) "
            "[SECONDARY]. Đơn vị không tự bầu cho mình: nguyên tắc xung đột lợi ích của hệ "
            "thống. Ưu tiên nữ/tập thể có từ 70% nữ khi ngang nhau: Nghị định 152/2025/NĐ-CP "
            "khoản 6 Điều 4."
        ),
        "valid_from": dt.date(2020, 1, 1),
        "valid_to": None,
        "quorum": (2, 3),
        "approval": (1, 2),
        "denominator": "present",
        "strictly_more": True,
        "chair_must_approve": False,
        "secret": True,
        "ballot_style": "choose_one",
        "max_choices": None,
        "voter_basis": "unit",
        "self_vote_allowed": False,
        "max_rounds": 2,
        "deciders": "leader_deputy",
        "tie_preference": "women",
    },
    {
        "code": "council-majority",
        "name": "Hội đồng TĐKT Sở: biểu quyết theo đa số",
        "legal_basis": (
            "Quy chế hoạt động của Hội đồng Thi đua – Khen thưởng do bộ, ngành, tỉnh quy định "
            "(Nghị định 152/2025/NĐ-CP điểm đ, e khoản 2 Điều 6). Mô hình Hội đồng Trung ương: "
            "họp khi có ít nhất 2/3 tổng số Ủy viên, biểu quyết theo đa số (Nghị định "
            "152/2025/NĐ-CP điểm a, b khoản 4 Điều 45); tương tự QĐ 86/2025/QĐ-UBND Bắc Ninh. "
            "Áp dụng cho Hội đồng của Sở [UNVERIFIED: cần Quy chế của Sở]."
        ),
        "valid_from": dt.date(2020, 1, 1),
        "valid_to": None,
        "quorum": (2, 3),
        "approval": (1, 2),
        "denominator": "entitled",
        "strictly_more": True,
        "chair_must_approve": False,
        "secret": True,
        "ballot_style": "approve",
        "max_choices": None,
        "voter_basis": "member",
        "self_vote_allowed": True,
        "max_rounds": 1,
        "deciders": "chair",
        "tie_preference": "women",
    },
    {
        "code": "council-government-flag",
        "name": "Hội đồng TĐKT: xét đề nghị “Cờ thi đua của Chính phủ” (từ 80%)",
        "legal_basis": (
            "Nghị định 152/2025/NĐ-CP khoản 5 Điều 33: phải tiến hành bỏ phiếu; tỷ lệ phiếu "
            "đồng ý từ 80% trở lên tính trên tổng số thành viên của Hội đồng. Túc số 2/3: mô "
            "hình khoản 4 Điều 45. Nghị định hết hiệu lực từ 01/3/2027 (khoản 1 Điều 60)."
        ),
        "valid_from": ND152_FROM,
        "valid_to": ND152_TO,
        "quorum": (2, 3),
        "approval": (4, 5),
        "denominator": "entitled",
        "strictly_more": False,
        "chair_must_approve": False,
        "secret": True,
        "ballot_style": "approve",
        "max_choices": None,
        "voter_basis": "member",
        "self_vote_allowed": True,
        "max_rounds": 1,
        "deciders": "chair",
        "tie_preference": "women",
    },
    {
        "code": "council-national-emulation-fighter",
        "name": "Hội đồng TĐKT: xét “Chiến sĩ thi đua toàn quốc”, danh hiệu Anh hùng (từ 90%)",
        "legal_basis": (
            "Nghị định 152/2025/NĐ-CP khoản 5 Điều 33: phải tiến hành bỏ phiếu; tỷ lệ phiếu "
            "đồng ý từ 90% trở lên tính trên tổng số thành viên của Hội đồng. Túc số 2/3: mô "
            "hình khoản 4 Điều 45. Nghị định hết hiệu lực từ 01/3/2027 (khoản 1 Điều 60)."
        ),
        "valid_from": ND152_FROM,
        "valid_to": ND152_TO,
        "quorum": (2, 3),
        "approval": (9, 10),
        "denominator": "entitled",
        "strictly_more": False,
        "chair_must_approve": False,
        "secret": True,
        "ballot_style": "approve",
        "max_choices": None,
        "voter_basis": "member",
        "self_vote_allowed": True,
        "max_rounds": 1,
        "deciders": "chair",
        "tie_preference": "women",
    },
]


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    VotingRule = apps.get_model("voting", "VotingRule")
    for spec in RULES:
        data = dict(spec)
        quorum, approval = data.pop("quorum"), data.pop("approval")
        VotingRule.objects.update_or_create(
            code=data.pop("code"),
            valid_from=data.pop("valid_from"),
            defaults={
                **data,
                "quorum_num": quorum[0],
                "quorum_den": quorum[1],
                "approval_num": approval[0],
                "approval_den": approval[1],
            },
        )


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    VotingRule = apps.get_model("voting", "VotingRule")
    for spec in RULES:
        VotingRule.objects.filter(code=spec["code"], valid_from=spec["valid_from"]).delete()


class Migration(migrations.Migration):
    dependencies = [("voting", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
