"""The SVG charts are pure functions: scales, proportions and escaping."""

from __future__ import annotations

import re

from evac.geo.world import project
from evac.reports.charts import bar_chart, meter, nice_ceiling
from evac.reports.world_map import MapMark, country_frame, world_map


def test_scales_round_up_to_1_2_5() -> None:
    assert [nice_ceiling(v) for v in (0, 1, 3, 7, 12, 450, 1001)] == [1, 1, 5, 10, 20, 500, 2000]


def test_bars_are_proportional_to_values() -> None:
    svg = bar_chart([("a", 10), ("b", 5), ("c", 0)], "chart")
    heights = [float(h) for h in re.findall(r'class="bar"[^>]*height="([\d.]+)"', svg)]
    assert heights[0] == 2 * heights[1] and heights[2] == 0


def test_meter_fills_its_share() -> None:
    assert 'class="meter-fill" width="30.0"' in meter(1, 4, width=120)
    assert 'class="meter-fill" width="0.0"' in meter(0, 0)


def test_map_places_circles_by_coordinates_with_area_proportional() -> None:
    places = [MapMark("A", 0, 0, 100), MapMark("B", 84, -180, 25), MapMark("<x>", 1, 1, 0)]
    svg = world_map("map", places=places)
    circles = re.findall(r'<g class="cluster">.*?cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', svg)
    assert circles == [("500.0", "233.1", "20.00"), ("0.0", "0.0", "11.50")]
    assert "&lt;x&gt;" not in svg and "<x>" not in svg and "style=" not in svg


def test_a_countrys_frame_holds_the_country() -> None:
    x, y, width, height = country_frame("TR")
    left, top = project(42.1, 26.0)
    right, bottom = project(35.8, 44.8)
    assert x < left and right < x + width and y < top and bottom < y + height
    assert width >= height


def test_daily_series_fills_missing_days_with_zero() -> None:
    from datetime import date

    from evac.reports.dashboard import daily_series

    counts = [(date(2026, 3, 2), 4), (date(2026, 3, 4), 1)]
    assert daily_series(counts, date(2026, 3, 5), days=5) == [
        (date(2026, 3, 1), 0), (date(2026, 3, 2), 4), (date(2026, 3, 3), 0),
        (date(2026, 3, 4), 1), (date(2026, 3, 5), 0),
    ]  # fmt: skip
