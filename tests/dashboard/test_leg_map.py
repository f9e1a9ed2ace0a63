"""The legs drawn as SVG: a line per route styled by its mode, a dot per place,
codes that never overlap, a frame around them all."""

from __future__ import annotations

from evac.geo.world import project
from evac.reports.leg_map import Route, RoutePlace, leg_map, legs_frame

PLACES = [
    RoutePlace("KRT-1", "KRT-1 Khartoum", 15.577, 32.569),
    RoutePlace("KRT-2", "KRT-2 Omdurman", 15.628, 32.485),
    RoutePlace("PZU-PORT", "PZU-PORT Port Sudan", 19.598, 37.221),
    RoutePlace("IST", "IST Istanbul <Airport>", 41.26, 28.74),
]


def test_every_route_is_a_titled_line_of_its_mode_between_its_places() -> None:
    routes = [
        Route("KRT-1", "PZU-PORT", "bus", "SDB101 (Bus)\nSDB102 (Bus)"),
        Route("PZU-PORT", "IST", "ambulance_flight", "TK6991"),
        Route("NOWHERE", "IST", "flight", "not drawn: its place is unknown"),
    ]
    svg = leg_map("Legs of Sudan", routes=routes, places=PLACES, frame=legs_frame(PLACES, "SD"))
    assert 'role="group" aria-label="Legs of Sudan"' in svg
    assert '<g class="route mode-bus" data-from="KRT-1" data-to="PZU-PORT">' in svg
    assert "<title>SDB101 (Bus)\nSDB102 (Bus)</title>" in svg
    assert 'class="route mode-ambulance_flight"' in svg and "NOWHERE" not in svg
    assert "IST Istanbul &lt;Airport&gt;" in svg
    # Omdurman is a few km from Khartoum: one label names both.
    assert ">KRT-1 · KRT-2</text>" in svg and ">KRT-2</text>" not in svg


def test_the_frame_holds_every_place() -> None:
    x, y, width, height = legs_frame(PLACES, "SD")
    assert width >= height
    for place in PLACES:
        px, py = project(place.latitude, place.longitude)
        assert x < px < x + width and y < py < y + height
