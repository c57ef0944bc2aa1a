"""Award register export at scale: 10,000 and 100,000 awards to Excel, time per row flat.

    .venv/bin/python benchmarks/export_scale.py                      # 10,000 and 100,000
    .venv/bin/python benchmarks/export_scale.py --old 2500 5000 10000  # and the old code
    .venv/bin/python benchmarks/export_scale.py --smoke              # 300 and 1,500, checked

A fresh SQLite database (benchmarks/out/export-sqlite/, production WAL options) gets the
awards catalogue (migrations), one agency with 40 units, and the largest size's awards in
decisions of 20 (bulk inserts, untimed). For each size N, timed:

- **ours** — `awards.export.register_workbook(register(...)[:N])` saved to a file: the query,
  the model instances, every cell through `thidua.lib.xlsx` (formula-safe, streamed);
- **floor** — the same rows fetched beforehand as plain tuples (untimed) and appended to a
  bare openpyxl write-only sheet: what writing the file costs at least;
- **old** (`--old`, sizes given) — the export as it was before it streamed (a normal
  workbook, `sheet.max_row` for every row), to show the quadratic growth it had.

The smoke run also reads every file back and checks that ours holds exactly the register's
rows in order (the floor's values, cell for cell), and that an award named like a formula is
written as text. Output: a table and benchmarks/out/export_scale[-smoke].json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import io
import json
import os
import platform
import resource
import shutil
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
FORMULA_NAME = '=HYPERLINK("http://x"&A1,"x")'
PER_DECISION = 20
UNITS = 40


def setup_django(smoke: bool) -> None:
    data_dir = OUT / ("export-sqlite-smoke" if smoke else "export-sqlite")
    shutil.rmtree(data_dir, ignore_errors=True)
    os.environ["THIDUA_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def generate(total: int) -> Any:
    """One agency, 40 units, `total` awards in decisions of 20. Returns the agency."""
    from django.core.management import call_command
    from django.db import transaction

    from benchmarks.common import agency_with_units
    from thidua.awards.models import Award, AwardDecision, AwardForm
    from thidua.awards.vn_money import amount_in_words

    call_command("migrate", verbosity=0)
    _admin, agency, units = agency_with_units(UNITS, code="SBENCH", name="Sở thử tải")
    with transaction.atomic():
        forms = list(AwardForm.objects.filter(recipient_kind="unit")) or list(
            AwardForm.objects.all()
        )
        decisions = AwardDecision.objects.bulk_create(
            AwardDecision(
                agency=agency,
                issuer_name="Ủy ban nhân dân tỉnh",
                symbol=f"{n}/QĐ-UBND",
                issued_on=dt.date(2015, 1, 1) + dt.timedelta(days=n % 3000),
                signer="Chủ tịch",
            )
            for n in range(1, total // PER_DECISION + 2)
        )
        amounts = [Decimal(1_200_000), Decimal(2_980_000), Decimal(4_470_000)]
        words = {amount: amount_in_words(int(amount)) for amount in amounts}
        Award.objects.bulk_create(
            (
                Award(
                    decision=decisions[n // PER_DECISION],
                    unit=units[n % len(units)],
                    form=forms[n % len(forms)],
                    reason="Đã có thành tích xuất sắc trong phong trào thi đua năm",
                    # One award a decision named like a formula: written as text, always.
                    recipient_name=FORMULA_NAME
                    if n % PER_DECISION == 7
                    else units[n % len(units)].name,
                    recipient_unit_name="",
                    amount=amounts[n % 3],
                    amount_in_words=words[amounts[n % 3]],
                )
                for n in range(total)
            ),
            batch_size=2000,
        )
    return agency


def register_queryset(size: int) -> Any:
    from thidua.awards.selectors import RegisterFilter, register

    return register(RegisterFilter(), user=None)[:size]


def run_ours(size: int, agency: Any, path: Path) -> None:
    from thidua.awards import export
    from thidua.lib import xlsx

    workbook = export.register_workbook(register_queryset(size), agency=agency.name, year=None)
    path.write_bytes(xlsx.workbook_bytes(workbook))


def floor_rows(size: int) -> list[tuple[Any, ...]]:
    """The export's values as plain tuples (untimed): the floor's input."""
    rows = []
    for award in register_queryset(size).iterator(chunk_size=2000):
        rows.append(
            (
                award.decision.issued_on,
                award.decision.symbol,
                award.decision.issuer_name,
                award.form.name,
                award.recipient_name,
                award.recipient_unit_name,
                award.unit.name if award.unit else award.person.full_name,
                award.reason,
                int(award.amount) if award.amount is not None else None,
                award.amount_in_words,
                "Đã thu hồi" if award.revoked else "Còn hiệu lực",
            )
        )
    return rows


def run_floor(rows: list[tuple[Any, ...]], path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("floor")
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def run_old(size: int, path: Path) -> None:
    """The export before it streamed (awards/export.py until this benchmark), verbatim
    except for the translations: a normal workbook, and `sheet.max_row` for every row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = "Sổ khen thưởng"
    sheet.append(["Ngày", "Quyết định", "Cơ quan", "Hình thức", "Tên", "Đơn vị", "Nay"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for award in register_queryset(size):
        today_name = award.unit.name if award.unit else award.person.full_name
        sheet.append(
            [
                award.decision.issued_on,
                award.decision.symbol,
                award.decision.issuer_name,
                award.form.name,
                award.recipient_name,
                award.recipient_unit_name,
                today_name,
                award.reason,
                int(award.amount) if award.amount is not None else None,
                award.amount_in_words,
                "Còn hiệu lực",
            ]
        )
        sheet.cell(row=sheet.max_row, column=1).number_format = "DD/MM/YYYY"
    widths = (12, 18, 36, 36, 36, 36, 36, 40, 14, 48, 12)
    for column, width in zip("ABCDEFGHIJK", widths, strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    path.write_bytes(out.getvalue())


def timed(label: str, size: int, run: Any) -> dict[str, Any]:
    started, cpu = time.perf_counter(), time.process_time()
    run()
    seconds = time.perf_counter() - started
    row = {
        "mode": label,
        "rows": size,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(time.process_time() - cpu, 3),
        "us_per_row": round(seconds / size * 1e6, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "load_1min": round(os.getloadavg()[0], 2),
    }
    print(
        f"{label:<8} {size:>8,} rows {seconds:>8.2f} s {row['us_per_row']:>8.1f} µs/row "
        f"peak {row['peak_rss_mb']:>7.1f} MB  load {row['load_1min']}",
        flush=True,
    )
    return row


def check(size: int, ours: Path, floor: Path) -> None:
    """Ours holds the register's rows in order, the floor's values cell for cell, after its
    title block and header; the formula-like name is a string. Exits otherwise."""
    from openpyxl import load_workbook

    from thidua.lib.xlsx import TITLE_ROWS

    ours_sheet: Any = load_workbook(ours).active
    floor_sheet: Any = load_workbook(floor, read_only=True).active
    ours_rows = list(ours_sheet.iter_rows(min_row=TITLE_ROWS + 2))
    expected = list(floor_sheet.iter_rows(values_only=True))
    if len(ours_rows) != size or len(expected) != size:
        sys.exit(f"{size}: {len(ours_rows)} rows exported, {len(expected)} in the floor")
    for number, (cells, values) in enumerate(zip(ours_rows, expected, strict=True)):
        got = tuple(c.value for c in cells)
        # Texts are translated in ours (status), the rest must be equal.
        if got[:10] != values[:10]:
            sys.exit(f"{size}: row {number} differs: {got} != {values}")
        for c in cells:
            if c.data_type == "f":
                sys.exit(f"{size}: a formula in {c.coordinate}: {c.value!r}")
    named = [c for cells in ours_rows for c in cells if c.value == FORMULA_NAME]
    if not (named and all(c.data_type == "s" and c.quotePrefix for c in named)):
        sys.exit(f"{size}: the formula-like name is not a quoted string")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--old", type=int, nargs="*", default=[], help="sizes for the old code")
    parser.add_argument("--smoke", action="store_true", help="300 and 1,500 awards, checked")
    args = parser.parse_args()
    if args.smoke:
        args.sizes, args.old = [300, 1500], [300]
    setup_django(args.smoke)
    from django.utils import translation

    translation.activate("vi")
    started = time.perf_counter()
    agency = generate(max([*args.sizes, *args.old]))
    print(f"setup: {time.perf_counter() - started:.1f} s", flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    for size in args.sizes:
        ours = OUT / f"export-ours-{size}.xlsx"
        floor = OUT / f"export-floor-{size}.xlsx"
        values = floor_rows(size)
        rows.append(timed("floor", size, functools.partial(run_floor, values, floor)))
        rows.append(timed("ours", size, functools.partial(run_ours, size, agency, ours)))
        rows[-1]["x_floor"] = round(rows[-1]["seconds"] / rows[-2]["seconds"], 2)
        if args.smoke:
            check(size, ours, floor)
    for size in args.old:
        old = OUT / f"export-old-{size}.xlsx"
        rows.append(timed("old", size, functools.partial(run_old, size, old)))
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "rows": rows,
    }
    out = OUT / ("export_scale-smoke.json" if args.smoke else "export_scale.json")
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(out)
    if args.smoke:
        print("smoke: every export holds the register's rows, no formula")


if __name__ == "__main__":
    main()
