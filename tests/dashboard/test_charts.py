"""The SVG charts are pure functions: scales, proportions and escaping."""

from __future__ import annotations

import re

from evac.reports.charts import MapPoint, bar_chart, bubble_map, meter, nice_ceiling


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
    svg = bubble_map(
        [MapPoint("A", 0, 0, 100), MapPoint("B", 90, -180, 25), MapPoint("<x>", 1, 1, 0)],
        "map", width=360, height=180, north=90, south=-90,
    )  # fmt: skip
    circles = re.findall(r'cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', svg)
    assert circles == [("180.0", "90.0", "30.0"), ("0.0", "0.0", "16.5")]
    assert "<x>" not in svg and "style" not in svg


def test_the_map_leaves_out_the_poles_by_default() -> None:
    svg = bubble_map([MapPoint("A", 80, 0, 1), MapPoint("B", -60, 0, 1)], "map", height=280)
    assert re.findall(r'cy="([\d.]+)"', svg) == ["0.0", "280.0"]


def test_daily_series_fills_missing_days_with_zero() -> None:
    from datetime import date

    from evac.reports.dashboard import daily_series

    counts = [(date(2026, 3, 2), 4), (date(2026, 3, 4), 1)]
    assert daily_series(counts, date(2026, 3, 5), days=5) == [
        (date(2026, 3, 1), 0), (date(2026, 3, 2), 4), (date(2026, 3, 3), 0),
        (date(2026, 3, 4), 1), (date(2026, 3, 5), 0),
    ]  # fmt: skip
