"""Province-scale scoring: final scores and rankings of 100 blocks × 20 units × 60 criteria,
each unit scored by itself and its 19 peers (≈ 2.4 million score entries), on PostgreSQL,
against a plain SQL aggregation of the same rows.

    .venv/bin/python benchmarks/scoring_scale.py                  # create, load, measure
    .venv/bin/python benchmarks/scoring_scale.py --keep           # measure the loaded data again
    .venv/bin/python benchmarks/scoring_scale.py --keep --method peer_mean
    .venv/bin/python benchmarks/scoring_scale.py --smoke          # 4 blocks × 6 units, seconds

The database `thidua_scale` on 127.0.0.1:5432 (user postgres; `thidua_scale_smoke` with
`--smoke`, or `--database-url`, whose name must contain "scale" or "bench") is dropped and
re-created unless `--keep` finds it loaded. Each measurement runs in a child process of its
own, so its peak memory (`ru_maxrss`) is its own, not the generator's; the table shows the
median of `--repeat` runs of each, floor and ours alternating.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/thidua_scale"
DATABASE_URL = DEFAULT_URL  # set by main() from --database-url


class Scale(NamedTuple):
    blocks: int
    units_per_block: int
    sections: int
    leaves_per_section: int


FULL = Scale(blocks=100, units_per_block=20, sections=6, leaves_per_section=10)
# Small enough for CI (seconds), big enough for trimmed means (5 peers) and several blocks.
SMOKE = Scale(blocks=4, units_per_block=6, sections=2, leaves_per_section=3)
LEAF_MAX = Decimal(10)

# The floor: what any computation of these rankings must at least do — read every peer
# score of the rounds once, aggregated per (sheet, item) and per sheet, and fetch the result.
FLOOR_SQL = (
    """
    SELECT ps.sheet_id, ps.item_id, avg(ps.points)
    FROM scoring_peerscore ps JOIN scoring_scoresheet s ON s.id = ps.sheet_id
    WHERE s.round_id = ANY(%s)
    GROUP BY ps.sheet_id, ps.item_id
    """,
    """
    SELECT ps.sheet_id, sum(ps.points)
    FROM scoring_peerscore ps JOIN scoring_scoresheet s ON s.id = ps.sheet_id
    WHERE s.round_id = ANY(%s)
    GROUP BY ps.sheet_id
    """,
)


def setup_django() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def create_database() -> None:
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    if "scale" not in name and "bench" not in name:
        sys.exit(f"refusing to drop {name!r}: its name must contain 'scale' or 'bench'")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}"')
        c.execute(f'CREATE DATABASE "{name}"')


def database_exists() -> bool:
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as c:
        return (
            c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
        )


# Generation ------------------------------------------------------------------------------------


def copy_rows(table: str, columns: list[str], rows: Any) -> int:
    """Load rows through PostgreSQL COPY (text format), in chunks of lines."""
    from django.db import connection

    count = 0
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join("\\N" if v is None else str(v) for v in row))
            buffer.write("\n")
            count += 1
            if count % 100_000 == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    return count


def generate(seed: int, method: str, scale: Scale) -> dict[str, int]:
    """One agency, 100 blocks of 20 units, a 60-leaf table and a round per block, every
    unit's self-scores and its 19 peers' scores (at the full scale). Not timed."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from benchmarks.common import agency_with_units
    from thidua.campaigns import services as campaign_services
    from thidua.org.services.blocks import block_create, block_term_save
    from thidua.reports.models import Period
    from thidua.scoring.engine import Kind, Rounding
    from thidua.scoring.models import (
        Band,
        Scorers,
        ScoreSheet,
        ScoringItem,
        ScoringRound,
        ScoringTable,
    )

    rng = random.Random(seed)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    admin, agency, units = agency_with_units(
        scale.blocks * scale.units_per_block, code="TINH", name="Ủy ban nhân dân tỉnh (benchmark)"
    )
    campaign = campaign_services.campaign_save(
        actor=admin,
        agency=agency,
        year=2021,
        title="Phong trào thi đua năm 2021 (benchmark)",
        starts_on=dt.date(2021, 1, 1),
        ends_on=dt.date(2021, 12, 31),
    )
    blocks = []
    for number in range(1, scale.blocks + 1):
        size = scale.units_per_block
        members = units[(number - 1) * size : number * size]
        block = block_create(
            actor=admin, agency=agency, code=f"K{number:03d}", name=f"Khối {number}", kind="khoi"
        )
        block_term_save(
            actor=admin,
            block=block,
            year=2021,
            leader=members[0],
            deputy=members[1],
            members=members,
        )
        blocks.append((block, members))
    print(f"  organisation: {time.perf_counter() - started:.1f} s", flush=True)

    with transaction.atomic():
        tables = ScoringTable.objects.bulk_create(
            ScoringTable(
                agency=agency,
                campaign=campaign,
                block=block,
                name=f"Bảng chấm điểm {block.name} (benchmark)",
                status=ScoringTable.Status.FROZEN,
                rounding_places=2,
                rounding_mode=Rounding.HALF_UP,
            )
            for block, _members in blocks
        )
        sections = ScoringItem.objects.bulk_create(
            ScoringItem(
                table=table,
                order=s,
                code=str(s),
                text=f"Nội dung {s}",
                kind=Kind.SECTION,
                max_points=LEAF_MAX * scale.leaves_per_section,
            )
            for table in tables
            for s in range(1, scale.sections + 1)
        )
        leaves = ScoringItem.objects.bulk_create(
            ScoringItem(
                table_id=section.table_id,
                parent=section,
                order=n,
                code=f"{section.code}.{n}",
                text=f"Tiêu chí {section.code}.{n}",
                kind=Kind.MANUAL,
                max_points=LEAF_MAX,
            )
            for section in sections
            for n in range(1, scale.leaves_per_section + 1)
        )
        maximum = LEAF_MAX * scale.sections * scale.leaves_per_section
        Band.objects.bulk_create(
            Band(table=table, name=name, min_total=maximum * share)
            for table in tables
            for name, share in (
                ("Xuất sắc", Decimal("0.90")),
                ("Tốt", Decimal("0.75")),
                ("Khá", Decimal("0.60")),
            )
        )
        rounds = ScoringRound.objects.bulk_create(
            ScoringRound(
                table=table,
                period=Period.YEAREND,
                scorers=Scorers.ALL_PEERS,
                method=method,
                tie_break=["1", "2"],
            )
            for table in tables
        )
        sheets = ScoreSheet.objects.bulk_create(
            ScoreSheet(round=round_, unit=unit)
            for round_, (_block, members) in zip(rounds, blocks, strict=True)
            for unit in members
        )
    leaves_of: dict[int, list[int]] = {}
    for leaf in leaves:
        leaves_of.setdefault(leaf.table_id, []).append(leaf.pk)
    members_of = {r.pk: [u.pk for u in m] for r, (_b, m) in zip(rounds, blocks, strict=True)}
    table_of = {r.pk: r.table_id for r in rounds}

    # Each unit has a level, each scorer a leniency; points are on the 0.01 grid in [0, 10].
    level = {u.pk: rng.uniform(0.55, 0.97) for u in units}
    leniency = {u.pk: rng.gauss(0, 0.04) for u in units}

    def points(unit_id: int, scorer_id: int | None) -> Decimal:
        share = level[unit_id] + (leniency[scorer_id] if scorer_id else 0.05)
        cents = round(1000 * (share + rng.gauss(0, 0.06)))
        return Decimal(max(0, min(1000, cents))) / 100

    started = time.perf_counter()
    counts: dict[str, int] = {}
    with transaction.atomic():
        counts["peer_assignments"] = copy_rows(
            "scoring_peerassignment",
            ["round_id", "scorer_id", "scored_id"],
            (
                (round_id, scorer, scored)
                for round_id, members in members_of.items()
                for scored in members
                for scorer in members
                if scorer != scored
            ),
        )
        counts["score_entries"] = copy_rows(
            "scoring_scoreentry",
            [
                "sheet_id",
                "item_id",
                "self_points",
                "self_note",
                "verified_reason",
                "answer",
                "review_reason",
            ],
            (
                (sheet.pk, item_id, points(sheet.unit_id, None), "", "", "", "")
                for sheet in sheets
                for item_id in leaves_of[table_of[sheet.round_id]]
            ),
        )
        counts["peer_scores"] = copy_rows(
            "scoring_peerscore",
            ["sheet_id", "item_id", "scorer_id", "points", "note"],
            (
                (sheet.pk, item_id, scorer, points(sheet.unit_id, scorer), "")
                for sheet in sheets
                for item_id in leaves_of[table_of[sheet.round_id]]
                for scorer in members_of[sheet.round_id]
                if scorer != sheet.unit_id
            ),
        )
    with connection.cursor() as cursor:
        # As autovacuum would after a bulk load: the planner needs the tables' statistics.
        cursor.execute("VACUUM ANALYZE")
    print(f"  scores (COPY): {time.perf_counter() - started:.1f} s", flush=True)
    counts.update(
        blocks=len(blocks),
        units=len(units),
        items=len(leaves),
        rounds=len(rounds),
        sheets=len(sheets),
    )
    return counts


def set_method(method: str) -> None:
    from thidua.scoring.models import ScoringRound

    ScoringRound.objects.exclude(method=method).update(method=method)


def round_ids() -> list[int]:
    from thidua.scoring.models import ScoringRound

    return list(ScoringRound.objects.order_by("pk").values_list("pk", flat=True))


def check_against_page(ids: list[int]) -> list[dict[str, Any]]:
    """Untimed: bulk's totals, bands, ranks and ties equal the results page's for a few
    rounds."""
    from thidua.scoring import bulk
    from thidua.scoring.models import ScoringRound
    from thidua.scoring.selectors import results

    checked = []
    computed = bulk.compute_rounds(ids)
    for round_id in ids:
        page = [
            (r.unit.code, r.final.total, r.band, r.rank, r.tied)
            for r in results.block_results(ScoringRound.objects.get(pk=round_id)).rows
        ]
        ours = [(r.unit_code, r.total, r.band, r.rank, r.tied) for r in computed[round_id]]
        checked.append({"round": round_id, "units": len(ours), "equal": ours == page})
    return checked


def page_sum_of_totals(ids: list[int]) -> Decimal:
    from thidua.scoring.models import ScoringRound
    from thidua.scoring.selectors import results

    return sum(
        (
            r.final.total
            for round_id in ids
            for r in results.block_results(ScoringRound.objects.get(pk=round_id)).rows
        ),
        Decimal(0),
    )


# Measurements (each in a child process) --------------------------------------------------------


def measure(kind: str) -> dict[str, Any]:
    from django.db import connection

    from thidua.scoring import bulk

    ids = round_ids()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu = time.perf_counter(), time.process_time()
    if kind == "floor":
        rows = 0
        with connection.cursor() as cursor:
            for sql in FLOOR_SQL:
                cursor.execute(sql, [ids])
                rows += len(cursor.fetchall())
        summary: dict[str, Any] = {"rows": rows}
    else:
        computed = bulk.compute_rounds(ids)
        totals = [row.total for rows in computed.values() for row in rows]
        summary = {
            "rows": len(totals),
            "sum_of_totals": str(sum(totals, Decimal(0))),
            "tied_units": sum(row.tied for rows in computed.values() for row in rows),
            "first_band": computed[ids[0]][0].band,
        }
    seconds = time.perf_counter() - started
    # This process only, not the server: steadier than wall time on a busy machine.
    cpu_seconds = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "kind": kind,
        "seconds": seconds,
        "python_cpu_seconds": cpu_seconds,
        "load_average_1": os.getloadavg()[0],
        "peak_rss_mb": peak / 1024,
        "baseline_rss_mb": baseline / 1024,
        **summary,
    }


def run_child(kind: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--database-url", DATABASE_URL],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="reuse the loaded database")
    parser.add_argument("--method", choices=["trimmed_mean", "peer_mean"], default="trimmed_mean")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a CI run: 4 blocks × 6 units × 6 leaves, one repeat, every round checked",
    )
    parser.add_argument("--database-url", help=f"default {DEFAULT_URL} (+ _smoke with --smoke)")
    parser.add_argument("--child", choices=["floor", "ours"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    global DATABASE_URL
    DATABASE_URL = args.database_url or DEFAULT_URL + ("_smoke" if args.smoke else "")
    scale = SMOKE if args.smoke else FULL
    if args.smoke:
        args.repeat = 1

    if args.child:
        setup_django()
        print(json.dumps(measure(args.child)))
        return

    fresh = not (args.keep and database_exists())
    if fresh:
        create_database()
    setup_django()
    from thidua.scoring.models import PeerScore, ScoreEntry

    if fresh:
        print(f"generating into {DATABASE_URL} …", flush=True)
        counts = generate(args.seed, args.method, scale)
    else:
        set_method(args.method)
        counts = {
            "peer_scores": PeerScore.objects.count(),
            "score_entries": ScoreEntry.objects.count(),
        }
    ids = round_ids()
    # At full scale three rounds are checked (the page is slow); the smoke run checks all.
    checks = check_against_page(ids if args.smoke else ids[:3])
    expected_sum = page_sum_of_totals(ids) if args.smoke else None
    runs: dict[str, list[dict[str, Any]]] = {"floor": [], "ours": []}
    for n in range(args.repeat):
        for kind in ("floor", "ours"):
            result = run_child(kind)
            runs[kind].append(result)
            print(
                f"  {n + 1}/{args.repeat} {kind}: {result['seconds']:.2f} s "
                f"(Python CPU {result['python_cpu_seconds']:.2f} s), "
                f"peak {result['peak_rss_mb']:.0f} MB, load {result['load_average_1']:.1f}",
                flush=True,
            )
    floor = statistics.median(r["seconds"] for r in runs["floor"])
    ours = statistics.median(r["seconds"] for r in runs["ours"])
    cpu = {k: statistics.median(r["python_cpu_seconds"] for r in v) for k, v in runs.items()}
    entries = counts["peer_scores"] + counts["score_entries"]
    report = {
        "database": "postgresql",
        "method": args.method,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "counts": counts,
        "score_entries_total": entries,
        "checked_against_results_page": checks,
        "floor_sql": [" ".join(sql.split()) for sql in FLOOR_SQL],
        "floor_seconds_median": round(floor, 3),
        "ours_seconds_median": round(ours, 3),
        "ratio": round(ours / floor, 2),
        "python_cpu_seconds_median": {k: round(v, 3) for k, v in cpu.items()},
        "floor_peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs["floor"]), 1),
        "ours_peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs["ours"]), 1),
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "runs": runs,
    }
    print()
    print(
        f"{'measurement':<42} {'rows':>10} {'median s':>9} {'× floor':>8} {'cpu s':>6} "
        f"{'peak RSS MB':>12}"
    )
    for kind, label in (
        ("floor", "floor: SQL aggregation, fetchall"),
        ("ours", f"bulk.compute_rounds ({args.method})"),
    ):
        seconds = floor if kind == "floor" else ours
        print(
            f"{label:<42} {runs[kind][0]['rows']:>10,} {seconds:>9.2f} "
            f"{seconds / floor:>8.2f} {cpu[kind]:>6.2f} {report[kind + '_peak_rss_mb']:>12.0f}"
        )
    print(
        f"score entries: {entries:,} ({counts['peer_scores']:,} peer, "
        f"{counts['score_entries']:,} self); checked against the results page: "
        f"{sum(c['equal'] for c in checks)}/{len(checks)} rounds equal"
    )
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / f"scoring_scale-{args.method}{'-smoke' if args.smoke else ''}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    print(out)
    if not all(c["equal"] for c in checks):
        sys.exit("bulk.compute_rounds differs from results.block_results")
    if expected_sum is not None:
        # The measured run (in its own process) produced the page's totals too.
        measured = {r["sum_of_totals"] for r in runs["ours"]}
        if measured != {str(expected_sum)}:
            sys.exit(f"measured totals {measured} differ from the results page's {expected_sum}")
        leaves = scale.sections * scale.leaves_per_section
        sheets = scale.blocks * scale.units_per_block
        if {r["rows"] for r in runs["floor"]} != {sheets * leaves + sheets}:
            sys.exit("the floor did not read every sheet and item")
        print(f"smoke: every check passed (sum of totals {expected_sum})")


if __name__ == "__main__":
    main()
