"""Charts as inline SVG, drawn on the server: the block's ranking and one unit's profile per
content group against the block average.

The drawing functions take plain numbers and return markup, so they are tested without a
database; `ranking_data` and `profile_data` turn a block's results into those numbers. No
JavaScript and no chart library: the page prints, and each bar names itself in a <title>
for screen readers and on hover.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import engine
from .selectors.results import BlockResults

# Band colours from the highest band down; units below every band are grey.
BAND_COLOURS = ("#198754", "#0d6efd", "#fd7e14", "#6f42c1", "#20c997")
NO_BAND_COLOUR = "#adb5bd"
UNIT_COLOUR = "#0d6efd"
AVERAGE_COLOUR = "#adb5bd"


@dataclass(frozen=True)
class RankBar:
    label: str
    total: Decimal
    rank: int
    band: str = ""
    tied: bool = False


@dataclass(frozen=True)
class GroupBar:
    short: str  # under the bars
    label: str  # in the title
    unit_percent: Decimal
    average_percent: Decimal


def _n(value: float) -> str:
    """A coordinate, short and locale-free."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def band_colour(band: str, bands: Sequence[str]) -> str:
    if band in bands:
        return BAND_COLOURS[list(bands).index(band) % len(BAND_COLOURS)]
    return NO_BAND_COLOUR


def bar_heights(values: Sequence[Decimal], height: float) -> list[float]:
    """Each value's bar height on a scale where the largest fills `height`; a negative
    value draws no bar."""
    top = max([v for v in values if v > 0], default=Decimal(0))
    if top <= 0:
        return [0.0 for _v in values]
    return [float(max(v, Decimal(0)) / top) * height for v in values]


def ranking_svg(
    bars: Sequence[RankBar], bands: Sequence[str] = (), height: int = 240
) -> SafeString:
    """One vertical bar per unit, in the order given (rank order), its height proportional
    to the total, coloured by band; a tie is marked "=" above the bar."""
    slot, bar_width, left, top, bottom = 56, 36, 8, 24, 44
    width = left * 2 + slot * max(len(bars), 1)
    heights = bar_heights([b.total for b in bars], height)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-ranking" role="img" '
        f'width="{width}" height="{height + top + bottom}" '
        f'viewBox="0 0 {width} {height + top + bottom}">',
        f"<title>{escape(_('Ranking by total points'))}</title>",
        f'<line x1="{left}" y1="{top + height}" x2="{width - left}" y2="{top + height}" '
        'stroke="#6c757d"/>',
    ]
    for index, (bar, bar_height) in enumerate(zip(bars, heights, strict=True)):
        x = left + index * slot + (slot - bar_width) / 2
        y = top + height - bar_height
        title = _("%(rank)s. %(unit)s: %(total)s points") % {
            "rank": bar.rank,
            "unit": bar.label,
            "total": bar.total,
        }
        if bar.band:
            title += " · " + _("band %(band)s") % {"band": bar.band}
        if bar.tied:
            title += " · " + _("tied")
        parts.append(
            f'<g class="bar" data-rank="{bar.rank}"><title>{escape(title)}</title>'
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{bar_width}" height="{_n(bar_height)}" '
            f'fill="{band_colour(bar.band, bands)}"/>'
            f'<text x="{_n(x + bar_width / 2)}" y="{_n(y - 4)}" text-anchor="middle" '
            f'font-size="11">{escape(bar.total)}{" =" if bar.tied else ""}</text>'
            f'<text x="{_n(x + bar_width / 2)}" y="{top + height + 14}" text-anchor="middle" '
            f'font-size="11">{escape(bar.label[:9])}</text>'
            f'<text x="{_n(x + bar_width / 2)}" y="{top + height + 28}" text-anchor="middle" '
            f'font-size="10" fill="#6c757d">#{bar.rank}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def profile_svg(groups: Sequence[GroupBar], unit_label: str, height: int = 200) -> SafeString:
    """Two bars per content group, the unit's and the block average, as a percent of the
    group's maximum (0–100 %, more only when a bonus goes beyond it)."""
    slot, bar_width, left, top, bottom = 96, 30, 36, 16, 56
    width = left + slot * max(len(groups), 1) + 8
    caption = _("%(unit)s against the block average, per content group") % {"unit": unit_label}
    scale = float(
        max([Decimal(100), *(g.unit_percent for g in groups), *(g.average_percent for g in groups)])
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-profile" role="img" '
        f'width="{width}" height="{height + top + bottom}" '
        f'viewBox="0 0 {width} {height + top + bottom}">',
        f"<title>{escape(caption)}</title>",
    ]
    for tick in (0, 50, 100):
        y = top + height - tick / scale * height
        parts.append(
            f'<line x1="{left}" y1="{_n(y)}" x2="{width - 8}" y2="{_n(y)}" stroke="#dee2e6"/>'
            f'<text x="{left - 4}" y="{_n(y + 4)}" text-anchor="end" font-size="10">{tick}%</text>'
        )
    for index, group in enumerate(groups):
        x = left + index * slot + (slot - 2 * bar_width) / 2
        for offset, value, colour, who, css in (
            (0, group.unit_percent, UNIT_COLOUR, unit_label, "bar-unit"),
            (bar_width, group.average_percent, AVERAGE_COLOUR, _("block average"), "bar-average"),
        ):
            bar_height = max(float(value), 0.0) / scale * height
            title = _("%(group)s — %(who)s: %(percent)s%% of the maximum") % {
                "group": group.label,
                "who": who,
                "percent": value,
            }
            parts.append(
                f'<g class="bar {css}"><title>{escape(title)}</title>'
                f'<rect x="{_n(x + offset)}" y="{_n(top + height - bar_height)}" '
                f'width="{bar_width - 2}" height="{_n(bar_height)}" fill="{colour}"/></g>'
            )
        parts.append(
            f'<text x="{_n(x + bar_width)}" y="{top + height + 14}" text-anchor="middle" '
            f'font-size="11">{escape(group.short[:16])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


# From a block's results -----------------------------------------------------------------------


def ranking_data(block: BlockResults) -> tuple[list[RankBar], list[str]]:
    """The bars in rank order and the band names from the highest band down."""
    bars = [
        RankBar(
            label=row.unit.short_name or row.unit.code,
            total=row.final.total,
            rank=row.rank,
            band=row.band,
            tied=row.tied,
        )
        for row in block.rows
    ]
    bands = [b.name for b in sorted(block.table.bands, key=lambda b: -b.min_total)]
    return bars, bands


def percent(points: Decimal, maximum: Decimal) -> Decimal:
    return (points / maximum * 100).quantize(Decimal("0.1"))


def profile_data(block: BlockResults, unit_id: int) -> list[GroupBar]:
    """Per top-level section (a content group) with a positive maximum: the unit's final
    points and the block's mean, as percents of that maximum. Penalty sections, which
    can only take points away, have no maximum to compare with and are left out."""
    row = next(r for r in block.rows if r.unit.pk == unit_id)
    texts = {s.code: s.text for s in block.sections}
    by_unit = [r.final.by_code() for r in block.rows]
    groups: list[GroupBar] = []
    for item in block.table.items:
        maximum = engine.upper_bound(item)
        if not item.is_section or maximum is None or maximum <= 0:
            continue
        points = [codes.get(item.code) for codes in by_unit]
        values = [p.points if p else Decimal(0) for p in points]
        mine = row.final.by_code().get(item.code)
        average = sum(values, Decimal(0)) / len(values) if values else Decimal(0)
        groups.append(
            GroupBar(
                short=_("Section %(code)s") % {"code": item.code},
                label=f"{item.code}. {texts.get(item.code) or item.text}",
                unit_percent=percent(mine.points if mine else Decimal(0), maximum),
                average_percent=percent(average, maximum),
            )
        )
    return groups
