"""Generate a province-size organisation as an import workbook (deterministic).

One province agency (created by the caller; its code is the parent of the departments) →
~40 departments (Sở, kind "Cơ quan") → ~1,960 divisions and public service units, some with
a team under them; 100,000 people, each with employment and a rating for every year they
worked in 2017–2021 (a few % below HTTNV), some joining late, leaving or transferring.

    python benchmarks/generate_org.py benchmarks/out/org.xlsx [--units 2000] [--people 100000]

It reads the column headers from the importer's own layout, so it never drifts from the
template; that needs Django set up, but no database is touched.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import django
from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
django.setup()

from thidua.org.import_workbook import (  # noqa: E402 (needs Django set up)
    EMPLOYMENT,
    PEOPLE,
    RATINGS,
    UNITS,
    SheetSpec,
)

D = dt.date
PROVINCE_CODE = "UBND-TINH"
YEARS = range(2017, 2022)
DEPARTMENTS = 40

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
FAMILY += ["Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đoàn", "Trương", "Lâm"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu", "Thu", "Quốc", "Hoài", "Kim", "Đức"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Đạt", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa"]
GIVEN += ["Hùng", "Hương", "Khoa", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Phúc"]
GIVEN += ["Quang", "Quỳnh", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Trung", "Tú", "Vy", "Yến"]
SECTORS = [
    "Nội vụ",
    "Tài chính",
    "Kế hoạch và Đầu tư",
    "Tư pháp",
    "Công Thương",
    "Xây dựng",
    "Giao thông vận tải",
    "Nông nghiệp và Phát triển nông thôn",
    "Tài nguyên và Môi trường",
    "Lao động – Thương binh và Xã hội",
    "Văn hóa, Thể thao và Du lịch",
    "Giáo dục và Đào tạo",
    "Y tế",
    "Khoa học và Công nghệ",
    "Thông tin và Truyền thông",
    "Ngoại vụ",
]
DIVISIONS = ["Văn phòng", "Phòng Tổ chức cán bộ", "Phòng Kế hoạch – Tài chính", "Thanh tra"]
DIVISIONS += ["Phòng Pháp chế", "Phòng Quản lý chuyên ngành", "Phòng Nghiệp vụ"]
SERVICES = ["Trung tâm", "Bệnh viện", "Trường", "Ban Quản lý", "Viện", "Thư viện", "Bảo tàng"]
# (rating, cumulative weight): most staff do well, a few % fall below HTTNV.
RATING_WEIGHTS = [("HTXSNV", 0.25), ("HTTNV", 0.955), ("HTNV", 0.99), ("KHTNV", 1.0)]


@dataclass(frozen=True)
class Counts:
    units: int
    people: int
    employments: int
    ratings: int


def header(spec: SheetSpec) -> list[str]:
    return [c.header + (" *" if c.required else "") for c in spec.columns]


def unit_rows(rng: random.Random, total: int) -> list[list[Any]]:
    """Departments first, then their divisions and service units, then a few teams: every
    parent sits above its children, as the import requires."""
    rows: list[list[Any]] = []
    departments = min(DEPARTMENTS, total)
    for d in range(1, departments + 1):
        sector = SECTORS[(d - 1) % len(SECTORS)]
        suffix = f" ({(d - 1) // len(SECTORS) + 1})" if d > len(SECTORS) else ""
        rows.append(
            [
                f"S{d:02d}",
                f"Sở {sector}{suffix}",
                f"S{d:02d}",
                "Cơ quan",
                PROVINCE_CODE,
                D(2004, 1, 1),
            ]
        )
    teams: list[list[Any]] = []
    for index in range(total - departments):
        department = f"S{index % departments + 1:02d}"
        number = index // departments + 1
        code = f"{department}-{number:03d}"
        if number <= len(DIVISIONS):
            rows.append(
                [
                    code,
                    f"{DIVISIONS[number - 1]} {department}",
                    "",
                    "Phòng chuyên môn",
                    department,
                    D(2008, 4, 1),
                ]
            )
        elif number % 10 == 0 and rows[-1][3] == "Đơn vị sự nghiệp":
            # Every tenth unit is a team under the previous service unit (a third level).
            teams.append(
                [code, f"Đội {number} thuộc {rows[-1][0]}", "", "Khác", rows[-1][0], D(2012, 1, 1)]
            )
        else:
            kind = rng.choice(SERVICES)
            rows.append(
                [
                    code,
                    f"{kind} số {number} {department}",
                    "",
                    "Đơn vị sự nghiệp",
                    department,
                    D(2008 + rng.randrange(8), 1, 1),
                ]
            )
    return rows + teams


def rating(rng: random.Random) -> str:
    draw = rng.random()
    return next(code for code, cumulative in RATING_WEIGHTS if draw < cumulative)


def random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def person_story(
    rng: random.Random, units: list[str]
) -> Iterator[tuple[str, dt.date, dt.date | None, str]]:
    """Employment periods (unit, from, to, position): 94 % stay, 3 % join during the five
    years, 2 % transfer to another unit, 1 % leave."""
    draw = rng.random()
    unit = rng.choice(units)
    position = "Chuyên viên" if rng.random() < 0.9 else "Phó Trưởng phòng"
    if draw < 0.94:
        yield unit, random_day(rng, D(1995, 1, 1), D(2016, 12, 31)), None, position
    elif draw < 0.97:
        yield unit, random_day(rng, D(2017, 1, 1), D(2021, 6, 30)), None, position
    elif draw < 0.99:
        moved = random_day(rng, D(2017, 6, 1), D(2020, 12, 31))
        yield unit, random_day(rng, D(2000, 1, 1), D(2016, 12, 31)), moved, position
        yield rng.choice(units), moved + dt.timedelta(days=1), None, position
    else:
        start = random_day(rng, D(2000, 1, 1), D(2016, 12, 31))
        yield unit, start, random_day(rng, D(2018, 1, 1), D(2020, 6, 30)), position


def generate(path: Path, *, units: int = 2000, people: int = 100_000, seed: int = 2021) -> Counts:
    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheets = {
        spec.key: workbook.create_sheet(spec.title) for spec in (UNITS, PEOPLE, EMPLOYMENT, RATINGS)
    }
    for spec in (UNITS, PEOPLE, EMPLOYMENT, RATINGS):
        sheets[spec.key].append(header(spec))
    rows = unit_rows(rng, units)
    for row in rows:
        sheets[UNITS.key].append(row)
    codes = [row[0] for row in rows]
    # Openpyxl's write_only sheets stream rows in order, so people, employment and ratings
    # are collected per sheet first (a few hundred MB of tuples for 100,000 people at most).
    employments: list[list[Any]] = []
    ratings: list[list[Any]] = []
    for number in range(1, people + 1):
        code = f"CB{number:06d}"
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        born = random_day(rng, D(1962, 1, 1), D(1998, 12, 31))
        email = f"{code.lower()}@tinh.gov.vn" if rng.random() < 0.6 else None
        sheets[PEOPLE.key].append([code, name, born, email])
        periods = list(person_story(rng, codes))
        for unit, start, end, position in periods:
            employments.append([code, unit, position, None, start, end])
        for year in YEARS:
            if any(
                start.year <= year and (end is None or end.year >= year)
                for _unit, start, end, _position in periods
            ):
                ratings.append([code, year, rating(rng), None])
    for row in employments:
        sheets[EMPLOYMENT.key].append(row)
    for row in ratings:
        sheets[RATINGS.key].append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return Counts(len(rows), people, len(employments), len(ratings))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = generate(args.path, units=args.units, people=args.people, seed=args.seed)
    seconds = time.perf_counter() - started
    size = args.path.stat().st_size / 1024 / 1024
    print(f"{args.path}: {counts} in {seconds:.1f} s, {size:.1f} MB")


if __name__ == "__main__":
    main()
