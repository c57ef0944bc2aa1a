"""Province-size start of a year: 2,000 units in 100 blocks of 20, a plan of 60 criteria
(6 groups, each 2 parents of 3 children and 2 measurable criteria) with 6 milestones, a
scoring table per block; start 2031 from 2030 on PostgreSQL, as the "Bắt đầu năm" page does.

    .venv/bin/python benchmarks/start_year_scale.py            # 100 blocks × 20, 60 criteria
    .venv/bin/python benchmarks/start_year_scale.py --smoke    # 4 blocks × 5, 12 criteria

The database (default `thidua_bench_start_year`, `_smoke` with --smoke, or --database-url,
whose name must contain "bench") is dropped and re-created each run. Only the steps in the
table are timed: the preview (`year_preview`), the start (`year_start`, one transaction:
plan, terms, table copies, audit), starting it again (refused, nothing written) and
opening every block's year (`block_cycles_open`). `--smoke` checks what was created against
the source year, never a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "benchmarks" / "out"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/thidua_bench_start_year"
SOURCE, TARGET = 2030, 2031


class Scale(NamedTuple):
    blocks: int
    members: int
    groups: int  # each: 2 parents, their children, and 2 measurable criteria
    criteria_per_group: int


FULL = Scale(blocks=100, members=20, groups=6, criteria_per_group=10)
SMOKE = Scale(blocks=4, members=5, groups=2, criteria_per_group=6)


def prepare_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to drop {name!r}: the database name must contain 'bench'")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}"')
        c.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url


def make_source_year(admin: Any, agency: Any, units: list[Any], scale: Scale) -> Any:
    """The 2030 plan, blocks, terms and scoring tables, through the services. Not timed."""
    from thidua.campaigns import services as cs
    from thidua.campaigns.models import Criterion, Milestone
    from thidua.org.services.blocks import block_create, block_term_save
    from thidua.scoring.services.tables import table_create
    from thidua.years.models import LeaderRule

    campaign = cs.campaign_save(
        actor=admin,
        agency=agency,
        year=SOURCE,
        title=f"Kế hoạch thi đua năm {SOURCE} (benchmark)",
        theme="Chủ đề năm trước",
        starts_on=dt.date(SOURCE, 1, 1),
        ends_on=dt.date(SOURCE, 12, 31),
        legal_bases=["Luật Thi đua, khen thưởng 2022", "Nghị định 152/2025/NĐ-CP"],
    )
    for g in range(1, scale.groups + 1):
        group = cs.content_group_save(
            actor=admin, campaign=campaign, code=str(g), title=f"Nhóm nội dung {g}", order=g
        )
        parents: list[Any] = []
        for n in range(1, scale.criteria_per_group + 1):
            measurable = n > scale.criteria_per_group - 2
            parent = None if n <= 2 or measurable else parents[(n - 3) % 2]
            criterion = cs.criterion_save(
                actor=admin,
                group=group,
                code=f"{g}.{n}",
                text=f"Tiêu chí {g}.{n}",
                order=n,
                parent=parent,
                **(
                    {
                        "kind": Criterion.Kind.MEASURABLE,
                        "indicator": "staff_share_rated_at_least",
                        "comparator": "gte",
                        "threshold": Decimal(95),
                        "min_rating": "HTTNV",
                        "staff_counted_on": dt.date(SOURCE, 10, 31),
                    }
                    if measurable
                    else {}
                ),
            )
            if n <= 2:
                parents.append(criterion)
    for month, kind in enumerate(
        ["covenant", "midyear", "reports", "yearend", "council", "other"], start=1
    ):
        cs.milestone_save(
            actor=admin,
            campaign=campaign,
            kind=kind,
            title=f"Mốc {kind}",
            owner="secretariat",
            due_on=dt.date(SOURCE, month * 2, 28 if month == 1 else 15),
        )
    assert Milestone.objects.filter(campaign=campaign).count() == 6
    for b in range(scale.blocks):
        members = units[b * scale.members : (b + 1) * scale.members]
        block = block_create(
            actor=admin, agency=agency, code=f"K{b + 1:03d}", name=f"Khối {b + 1}", kind="khoi"
        )
        block_term_save(
            actor=admin,
            block=block,
            year=SOURCE,
            leader=members[0],
            deputy=members[1],
            members=members,
        )
        table_create(actor=admin, campaign=campaign, block=block)
    LeaderRule.objects.create(
        agency=agency, valid_from=dt.date(TARGET, 1, 1), legal_basis="Quy chế (benchmark)",
        rule="rotate",
    )  # fmt: skip
    return campaign


def check(source: Any, target: Any, scale: Scale) -> None:
    """What the start created equals the source year, moved to the new one."""
    from thidua.campaigns.models import BlockCycle, Criterion
    from thidua.org.models import BlockTerm
    from thidua.scoring.models import ScoringItem, ScoringTable

    old = Criterion.objects.filter(group__campaign=source)
    new = Criterion.objects.filter(group__campaign=target)
    assert new.count() == old.count() == scale.groups * scale.criteria_per_group
    assert sorted(new.exclude(parent=None).values_list("code", "parent__code")) == sorted(
        old.exclude(parent=None).values_list("code", "parent__code")
    )
    assert set(new.values_list("staff_counted_on", flat=True)) == {None, dt.date(TARGET, 10, 31)}
    shifted = [d.replace(year=TARGET) for d in source.milestones.values_list("due_on", flat=True)]
    assert sorted(target.milestones.values_list("due_on", flat=True)) == sorted(shifted)
    for term in BlockTerm.objects.filter(year=SOURCE).prefetch_related("memberships"):
        nxt = BlockTerm.objects.get(block=term.block_id, year=TARGET)
        order = [m.unit_id for m in term.memberships.order_by("unit__path")]
        assert {m.unit_id for m in nxt.memberships.all()} == set(order)
        assert nxt.leader_id == order[(order.index(term.leader_id) + 1) % len(order)]
        assert nxt.decision_number == ""
    tables = ScoringTable.objects.filter(campaign=target)
    assert tables.count() == scale.blocks and not tables.exclude(status="draft").exists()
    assert ScoringItem.objects.filter(table__campaign=target).count() == (
        ScoringItem.objects.filter(table__campaign=source).count()
    )
    assert (
        not ScoringItem.objects.filter(table__campaign=target, criterion__isnull=False)
        .exclude(criterion__group__campaign=target)
        .exists()
    )
    assert BlockCycle.objects.filter(campaign=target).count() == scale.blocks


def run(args: argparse.Namespace, scale: Scale) -> dict[str, Any]:
    url = args.database_url or DEFAULT_URL + ("_smoke" if args.smoke else "")
    prepare_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.management import call_command

    from benchmarks.common import agency_with_units
    from benchmarks.org_scale import Timer, analyze
    from thidua.audit.models import AuditEvent
    from thidua.campaigns.services import block_cycles_open
    from thidua.years.selectors import year_preview
    from thidua.years.services import year_start

    call_command("migrate", verbosity=0)
    units_count = scale.blocks * scale.members
    admin, agency, units = agency_with_units(units_count, code="TINH", name="Tỉnh (benchmark)")
    source = make_source_year(admin, agency, units, scale)
    analyze()
    timer = Timer()
    with timer.step("year_preview (read everything, propose)") as entry:
        preview = year_preview(agency, TARGET)
        entry["rows"] = len(preview.criteria) + len(preview.new_terms)
    with timer.step("year_start (one transaction)") as entry:
        target = year_start(actor=admin, agency=agency, year=TARGET)
        entry["rows"] = len(preview.new_terms)
    events = AuditEvent.objects.count()
    with timer.step("year_start again (refused, nothing written)"):
        try:
            year_start(actor=admin, agency=agency, year=TARGET)
        except ValidationError:
            pass
        else:
            raise AssertionError("a second start must be refused")
    assert AuditEvent.objects.count() == events
    with timer.step("block_cycles_open (every block's year)") as entry:
        opened = block_cycles_open(actor=admin, campaign=target)
        entry["rows"] = len(opened.opened)
    check(source, target, scale)
    print("checks passed: the new year equals the old one, moved; nothing twice", flush=True)
    return {
        "database": "postgresql",
        "scale": scale._asdict(),
        "units": units_count,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "steps": timer.rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="4 blocks × 5, results checked")
    parser.add_argument("--database-url", help=f"default {DEFAULT_URL} (+ _smoke with --smoke)")
    args = parser.parse_args()
    scale = SMOKE if args.smoke else FULL
    report = run(args, scale)
    print(f"\n{'step':<48} {'wall s':>8} {'cpu s':>8} {'rows':>6} {'queries':>8}")
    for row in report["steps"]:
        print(
            f"{row['step']:<48} {row['seconds']:>8} {row['python_cpu_seconds']:>8} "
            f"{row.get('rows', ''):>6} {row['queries']:>8}"
        )
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / f"start_year_scale{'-smoke' if args.smoke else ''}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\n{out}")


if __name__ == "__main__":
    main()
