"""Helpers for the report tests: the demo's K1 year, files of every kind, a filled draft."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from thidua.campaigns.models import BlockCycle, Criterion
from thidua.org.models import Role, RoleAssignment, Unit, User
from thidua.reports import services
from thidua.reports.models import Period, Report


def cycle(block: str = "K1") -> BlockCycle:
    return BlockCycle.objects.select_related("term", "campaign").get(
        term__block__code=block, campaign__year=2021
    )


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def head_of(code: str) -> User:
    """The head of a unit, with a login (the demo has logins for three heads only)."""
    target = unit(code)
    assignment = (
        RoleAssignment.objects.filter(unit=target, role=Role.UNIT_HEAD)
        .select_related("user")
        .first()
    )
    if assignment is not None:
        return assignment.user
    user = User.objects.create(username=f"head-{code.lower()}")
    RoleAssignment.objects.create(
        user=user, role=Role.UNIT_HEAD, unit=target, valid_from=dt.date(2020, 1, 1)
    )
    return user


def reported_criteria() -> list[Criterion]:
    return list(
        Criterion.objects.filter(group__campaign__year=2021, indicator="reported").order_by(
            "group__order", "order"
        )
    )


def criterion(code: str) -> Criterion:
    return Criterion.objects.get(group__campaign__year=2021, code=code)


def open_report(user: User, code: str = "QLDL", period: str = Period.YEAREND) -> Report:
    return services.report_open(actor=user, cycle=cycle(), unit=unit(code), period=period)


def fill(user: User, report: Report, text: str = "Hoàn thành xuất sắc nhiệm vụ.") -> Report:
    groups = list(report.cycle.campaign.groups.order_by("order"))
    return services.report_save_draft(
        actor=user,
        report=report,
        narratives={groups[0].pk: text},
        values={c.pk: "100" for c in reported_criteria()},
    )


def submit(code: str, *, text: str = "Đã thực hiện.") -> Report:
    """The head of `code` opens, fills and submits its year-end report."""
    user = head_of(code)
    report = fill(user, open_report(user, code=code), text=text)
    services.report_submit(actor=user, report=report)
    return report


def fresh(report: Report) -> Report:
    return Report.objects.get(pk=report.pk)


# Files ------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def docx() -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph("Minh chứng")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "Minh chứng"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docm() -> bytes:
    """A Word file with macros: the macro-enabled main part and a VBA project."""
    source = zipfile.ZipFile(io.BytesIO(docx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            target.writestr(info.filename, data)
        target.writestr("word/vbaProject.bin", b"\x00" * 16)
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a document")
    return buffer.getvalue()
