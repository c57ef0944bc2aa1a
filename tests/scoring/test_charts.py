"""The SVG charts from plain numbers: one bar per unit in rank order with heights
proportional to the totals, band colours, ties and titles; the profile's two bars per
content group as percents of the group's maximum; and both from a block's results."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thidua.scoring import charts
from thidua.scoring.selectors import results

from .scores_helpers import all_points, open_round, self_and_verify

RECT = re.compile(r'<rect x="([\d.]+)" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"')


def _heights(svg: str) -> list[float]:
    return [float(h) for _x, _y, h in RECT.findall(svg)]


def test_one_bar_per_unit_in_rank_order_with_heights_proportional_to_totals() -> None:
    bars = [
        charts.RankBar("QLDL", Decimal("180"), 1, "Xuất sắc"),
        charts.RankBar("TTVH", Decimal("120"), 2, "Tốt", tied=True),
        charts.RankBar("VP", Decimal("120"), 2, "Tốt", tied=True),
        charts.RankBar("KHTC", Decimal("45"), 4),
    ]
    svg = str(charts.ranking_svg(bars, ["Xuất sắc", "Tốt", "Khá"], height=200))
    assert svg.count('<g class="bar"') == 4
    assert re.findall(r'data-rank="(\d+)"', svg) == ["1", "2", "2", "4"]
    assert _heights(svg) == [
        200.0,
        pytest.approx(133.3, abs=0.1),
        pytest.approx(133.3, abs=0.1),
        50.0,
    ]
    xs = [float(x) for x, _y, _h in RECT.findall(svg)]
    assert xs == sorted(xs)  # left to right in the order given
    titles = re.findall(r"<title>([^<]*)</title>", svg)
    assert titles[1] == "1. QLDL: 180 points · band Xuất sắc"
    assert titles[2] == "2. TTVH: 120 points · band Tốt · tied"
    assert titles[4] == "4. KHTC: 45 points"
    assert svg.count(f'fill="{charts.BAND_COLOURS[0]}"') == 1
    assert svg.count(f'fill="{charts.BAND_COLOURS[1]}"') == 2
    assert f'fill="{charts.NO_BAND_COLOUR}"' in svg
    assert "120 =" in svg  # the tie is marked on the bar


def test_labels_are_escaped_and_negative_or_zero_totals_draw_no_bar() -> None:
    svg = str(
        charts.ranking_svg(
            [charts.RankBar("<b>X</b>", Decimal("-3"), 1), charts.RankBar("Y", Decimal(0), 2)]
        )
    )
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert _heights(svg) == [0.0, 0.0]


@given(st.lists(st.decimals(min_value=0, max_value=1000, places=2), min_size=1, max_size=20))
def test_bar_heights_keep_the_ratios_of_the_totals(totals: list[Decimal]) -> None:
    heights = charts.bar_heights(totals, 300)
    top = max(totals)
    for total, height in zip(totals, heights, strict=True):
        expected = 0.0 if top == 0 else float(total / top) * 300
        assert height == pytest.approx(expected)
    if top > 0:
        assert max(heights) == pytest.approx(300)


def test_the_profile_has_two_bars_per_group_scaled_to_percent() -> None:
    groups = [
        charts.GroupBar("Mục 1", "1. Nhiệm vụ", Decimal("80"), Decimal("40")),
        charts.GroupBar("Mục 2", "2. Đảng, đoàn thể", Decimal("100"), Decimal("50")),
    ]
    svg = str(charts.profile_svg(groups, "QLDL", height=200))
    assert svg.count('class="bar bar-unit"') == 2 and svg.count('class="bar bar-average"') == 2
    assert _heights(svg) == [160.0, 80.0, 200.0, 100.0]
    assert "1. Nhiệm vụ — QLDL: 80% of the maximum" in svg
    assert "2. Đảng, đoàn thể — block average: 50% of the maximum" in svg


@pytest.mark.django_db
def test_the_chart_data_come_from_the_block_results() -> None:
    round_ = open_round()
    self_and_verify(round_, "QLDL", all_points(round_))
    self_and_verify(round_, "TTVH", all_points(round_, each="5"))
    block = results.block_results(round_)
    bars, bands = charts.ranking_data(block)
    assert [b.total for b in bars] == [r.final.total for r in block.rows]
    assert bars[0].label == (block.rows[0].unit.short_name or "QLDL")
    assert bands == ["Xuất sắc", "Tốt", "Khá"]
    qldl = next(r for r in block.rows if r.unit.code == "QLDL")
    groups = charts.profile_data(block, qldl.unit.pk)
    first = block.table.items[0]
    assert groups[0].label.startswith(f"{first.code}. ")
    # Every leaf verified at its maximum: 100 % of each group; the block mean is lower.
    assert groups[0].unit_percent == Decimal("100.0")
    # The block mean: every unit's points in that group (computed items count for units
    # not yet scored), over the group's maximum of 4 items × 10 points.
    points = [r.final.by_code()[first.code].points for r in block.rows]
    assert len(points) == 7 and Decimal(40) in points
    mean = sum(points, Decimal(0)) / 7
    assert groups[0].average_percent == (mean / 40 * 100).quantize(Decimal("0.1"))
    assert groups[0].average_percent < 100
    # The penalty section (maximum 0) has no bar.
    assert all(not g.short.endswith("8") for g in groups)
