"""Province-size benchmark: import the organisation from Excel, then evaluate the measurable
criteria of every unit.

    .venv/bin/python benchmarks/org_scale.py                       # SQLite, benchmarks/out/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench \\
        .venv/bin/python benchmarks/org_scale.py                   # PostgreSQL

The database is created afresh each run (SQLite: benchmarks/out/<name>/thidua.sqlite3;
PostgreSQL: the database named in DATABASE_URL is dropped and re-created, so its name must
contain "bench"). Only the steps in the table are timed; the setup between them is not.

`--smoke` (60 units, 600 people, seconds) regenerates its workbook every run and checks that
the import wrote exactly what the workbook holds and that evaluating every unit at once gives
what evaluating each unit alone gives.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"


def prepare_database() -> str:
    """Point Django at a fresh database; return its vendor label."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        data_dir = OUT / ("sqlite-smoke" if os.environ.get("BENCH_SMOKE") else "sqlite")
        shutil.rmtree(data_dir, ignore_errors=True)
        # THIDUA_DATA_DIR keeps the production SQLite options (WAL, IMMEDIATE) from settings.
        os.environ["THIDUA_DATA_DIR"] = str(data_dir)
        return "sqlite"
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to drop {name!r}: the database name must contain 'bench'")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return "postgresql"


@contextmanager
def counting_queries(counter: list[int]) -> Iterator[None]:
    """Count queries without keeping their SQL (the import's would fill the memory)."""
    from django.db import connection

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        counter[0] += 1
        return execute(sql, params, many, ctx)

    with connection.execute_wrapper(wrapper):
        yield


def analyze() -> None:
    """Refresh the query planner's statistics after a bulk load, as autovacuum would do in
    production (it is off on some test machines, and PostgreSQL then plans 100,000-row
    tables as if they were empty). Not timed."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class Timer:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    @contextmanager
    def step(self, name: str, **extra: Any) -> Iterator[dict[str, Any]]:
        queries = [0]
        entry: dict[str, Any] = {"step": name, **extra}
        started, cpu = time.perf_counter(), time.process_time()
        with counting_queries(queries):
            yield entry
        entry["seconds"] = round(time.perf_counter() - started, 2)
        # This process's CPU only: on PostgreSQL the server's work is not in it. It is
        # steadier than wall time when other jobs share the machine.
        entry["python_cpu_seconds"] = round(time.process_time() - cpu, 2)
        entry["queries"] = queries[0]
        self.rows.append(entry)
        print(f"  {name}: {entry['seconds']} s, {queries[0]} queries", flush=True)


def setup_blocks_and_campaign(
    admin: Any, province: Any, rng: random.Random
) -> tuple[Any, list[int]]:
    """100 blocks × 20 members for 2021, unit ratings and a little discipline, and a 2021
    campaign with the demo's three computed criteria. Not timed."""
    from thidua.campaigns import services as campaign_services
    from thidua.campaigns.demo import MEASURE_95, MEASURE_DISCIPLINE, MEASURE_UNIT_EXCELLENT
    from thidua.campaigns.models import Criterion
    from thidua.org.models import (
        DISCIPLINE_SEVERITY,
        RATING_RANK,
        DisciplineRecord,
        Employment,
        Unit,
        UnitRating,
    )
    from thidua.org.services.blocks import block_create, block_term_save

    units = list(
        Unit.objects.filter(path__startswith=province.path).exclude(pk=province.pk).order_by("code")
    )
    for index in range(0, len(units), 20):
        members = units[index : index + 20]
        number = index // 20 + 1
        block = block_create(
            actor=admin, agency=province, code=f"K{number:03d}", name=f"Khối {number}", kind="khoi"
        )
        block_term_save(
            actor=admin,
            block=block,
            year=2021,
            leader=members[0],
            deputy=members[1],
            members=members,
        )
    UnitRating.objects.bulk_create(
        UnitRating(unit=unit, year=2021, rating=r, rating_rank=RATING_RANK[r])
        for unit in units
        for r in [rng.choice(["HTXSNV", "HTXSNV", "HTXSNV", "HTTNV"])]
    )
    employed = list(
        Employment.objects.filter(valid_to__isnull=True).values_list("person_id", "unit_id")[:200]
    )
    DisciplineRecord.objects.bulk_create(
        DisciplineRecord(
            person_id=person_id,
            unit_id=unit_id,
            level=level,
            severity=DISCIPLINE_SEVERITY[level],
            decided_on=dt.date(2021, 5, 1),
        )
        for person_id, unit_id in employed
        for level in [rng.choice(["khien_trach", "canh_cao"])]
    )
    campaign = campaign_services.campaign_save(
        actor=admin,
        agency=province,
        year=2021,
        title="Phong trào thi đua năm 2021 (benchmark)",
        starts_on=dt.date(2021, 1, 1),
        ends_on=dt.date(2021, 12, 31),
    )
    group = campaign_services.content_group_save(
        actor=admin, campaign=campaign, code="1", title="Hoàn thành nhiệm vụ", order=1
    )
    measures: list[dict[str, Any]] = [MEASURE_UNIT_EXCELLENT, MEASURE_95, MEASURE_DISCIPLINE]
    for order, measure in enumerate(measures, 1):
        campaign_services.criterion_save(
            actor=admin,
            group=group,
            code=f"1.{order}",
            text=f"Tiêu chí {order}",
            order=order,
            kind=Criterion.Kind.MEASURABLE,
            **measure,
        )
    return campaign, [u.pk for u in units]


def run(args: argparse.Namespace) -> dict[str, Any]:
    vendor = prepare_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.generate_org import PROVINCE_CODE, generate
    from thidua.campaigns.selectors import evaluate_measurable
    from thidua.org.importer import import_apply, parse_workbook
    from thidua.org.models import Person, StaffRating, UnitKind, User
    from thidua.org.services.units import unit_create

    workbook = OUT / f"org-{args.units}-{args.people}.xlsx"
    timer = Timer()
    print(f"{vendor}: {connection.settings_dict['NAME']}", flush=True)
    generated = None
    if args.smoke or not workbook.exists():
        with timer.step("generate the workbook (openpyxl write_only)") as entry:
            generated = generate(workbook, units=args.units, people=args.people)
            entry["rows"] = sum(vars(generated).values())
    call_command("migrate", verbosity=0)
    admin = User.objects.create(username="bench", is_superuser=True, is_staff=True)
    province = unit_create(
        actor=admin,
        code=PROVINCE_CODE,
        name="Ủy ban nhân dân tỉnh (benchmark)",
        kind=UnitKind.AGENCY,
        parent=None,
        valid_from=dt.date(2004, 1, 1),
    )
    data = workbook.read_bytes()

    with timer.step("preview: parse_workbook (read + plan)") as entry:
        plan = parse_workbook(data, agency=province)
        entry["rows"] = sum(c.create + c.update + c.unchanged for c in plan.sheets)
    assert plan.is_valid, plan.errors[:5]
    with timer.step("import_apply (first import, writes everything)") as entry:
        result = import_apply(actor=admin, agency=province, data=data)
        entry["rows"] = result.created
    analyze()
    with timer.step("import_apply again (same file: nothing to write)") as entry:
        again = import_apply(actor=admin, agency=province, data=data)
        entry["rows"] = again.created + again.updated
    assert not again.changed

    campaign, unit_ids = setup_blocks_and_campaign(admin, province, random.Random(args.seed))
    analyze()
    with timer.step("evaluate_measurable (3 criteria × every unit)") as entry:
        results = evaluate_measurable(campaign, unit_ids)
        entry["rows"] = len(results)
    met = sum(1 for evaluation in results.values() if evaluation.met)
    load = os.getloadavg()
    if args.smoke:
        assert generated is not None
        # The import wrote what the workbook holds, no more, no less.
        assert result.created == sum(vars(generated).values()), (result.created, generated)
        assert Person.objects.count() == generated.people
        assert StaffRating.objects.count() == generated.ratings
        # Evaluating every unit at once (the benchmarked path) equals one unit at a time.
        alone = {}
        for unit_id in unit_ids:
            alone.update(evaluate_measurable(campaign, [unit_id]))
        assert alone == results, "evaluate_measurable differs between bulk and one unit"
        assert 0 < met < len(results), "the data should meet some criteria and miss others"
        print(f"smoke: every check passed ({result.created} rows imported, {met} met)")

    return {
        "database": vendor,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "file": {"name": workbook.name, "megabytes": round(len(data) / 1024 / 1024, 1)},
        "counts": {key: c.as_dict() for key, c in result.counts.items()},
        "people": Person.objects.count(),
        "staff_ratings": StaffRating.objects.count(),
        "evaluations_met": met,
        # Other jobs on the machine inflate wall times; this says how busy it was.
        "load_average_1_5_15": [round(x, 2) for x in load],
        "steps": timer.rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument(
        "--smoke", action="store_true", help="a CI run: 60 units, 600 people, results checked"
    )
    args = parser.parse_args()
    if args.smoke:
        args.units, args.people = 60, 600
    report = run(args)
    print()
    print(f"{'step':<52} {'wall s':>8} {'cpu s':>8} {'rows':>9} {'queries':>8}")
    for row in report["steps"]:
        print(
            f"{row['step']:<52} {row['seconds']:>8} {row['python_cpu_seconds']:>8} "
            f"{row.get('rows', ''):>9} {row['queries']:>8}"
        )
    out = OUT / f"org_scale-{report['database']}{'-smoke' if args.smoke else ''}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\n{out}")


if __name__ == "__main__":
    main()
