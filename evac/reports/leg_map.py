"""The legs of journeys drawn on the server as SVG: plain data in, markup out.

On the country outlines of ``evac.reports.world_map``, a line for each route
(the legs that go from one place to another by the same mode), bent a little so
that two routes between the same places stay apart, and a dot for each place.
A line's look says its mode without colour alone: solid for a flight, dashes
for a bus, long dashes for a ship (blue), dots for a train, dash-dot for an
ambulance flight. Every line and dot has a ``<title>``; the page lists the same
legs in a table. No script and no inline style, so the page passes the CSP.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from evac.geo.world import HEIGHT, WIDTH, project
from evac.reports.world_map import Frame, country_frame, country_outlines


@dataclass(frozen=True)
class RoutePlace:
    """A place where legs leave or arrive: ``code`` is written beside its dot."""

    code: str
    title: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Route:
    """The legs from ``origin`` to ``destination`` by one ``mode`` (codes of places)."""

    origin: str
    destination: str
    mode: str
    title: str
    """What a reader hears: every leg, its departure, its seats."""


def legs_frame(places: Sequence[RoutePlace], country: str, margin: float = 0.15) -> Frame:
    """The part of the map around every place, wider than tall; the country's
    frame when there is no place to show."""
    if not places:
        return country_frame(country)
    points = [project(place.latitude, place.longitude) for place in places]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    w, h = max(xs) - min(xs), max(ys) - min(ys)
    width, height = max(w * (1 + 2 * margin), 16.0), max(h * (1 + 2 * margin), 10.0)
    width = max(width, height * 1.6)
    height = max(height, width / 2.4)
    x = (min(xs) + max(xs)) / 2 - width / 2
    y = (min(ys) + max(ys)) / 2 - height / 2
    return (max(x, 0.0), max(y, 0.0), min(width, float(WIDTH)), min(height, float(HEIGHT)))


def _bend(a: tuple[float, float], b: tuple[float, float], lane: int) -> tuple[float, float]:
    """The control point of the curve from ``a`` to ``b``: off the middle, to the
    left of the way, more for each further ``lane``."""
    (x1, y1), (x2, y2) = a, b
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    off = length * (0.12 + 0.1 * lane)
    return ((x1 + x2) / 2 - (y2 - y1) / length * off, (y1 + y2) / 2 + (x2 - x1) / length * off)


def _routes(routes: Sequence[Route], at: Mapping[str, RoutePlace]) -> list[str]:
    body, lanes = [], dict[frozenset[str], int]()
    for route in routes:
        if route.origin not in at or route.destination not in at:
            continue
        one, two = at[route.origin], at[route.destination]
        a, b = project(one.latitude, one.longitude), project(two.latitude, two.longitude)
        pair = frozenset((route.origin, route.destination))
        lane = lanes[pair] = lanes.get(pair, -1) + 1
        cx, cy = _bend(a, b, lane)
        mode = escape(route.mode)
        body.append(
            f'<g class="route mode-{mode}" data-from="{escape(route.origin)}" '
            f'data-to="{escape(route.destination)}"><title>{escape(route.title)}</title>'
            f'<path d="M{a[0]:.2f},{a[1]:.2f} Q{cx:.2f},{cy:.2f} {b[0]:.2f},{b[1]:.2f}"/></g>'
        )
    return body


def _labels(places: Sequence[RoutePlace], near: float) -> dict[str, str]:
    """Code → the label written beside it: places closer than ``near`` share the
    label of the first of them (``KRT-1 · KRT-2``), so no code is drawn over another."""
    labels: dict[str, str] = {}
    leaders: list[tuple[str, tuple[float, float]]] = []
    for place in places:
        x, y = project(place.latitude, place.longitude)
        leader = next((code for code, (lx, ly) in leaders if math.hypot(x - lx, y - ly) < near), "")
        if leader:
            labels[leader] += f" · {place.code}"
        else:
            leaders.append((place.code, (x, y)))
            labels[place.code] = place.code
    return labels


def _places(places: Sequence[RoutePlace], scale: float) -> list[str]:
    body = []
    labels = _labels(places, 14 * scale)
    for place in places:
        x, y = project(place.latitude, place.longitude)
        text = (
            f'<text x="{x + 4.5 * scale:.2f}" y="{y - 3 * scale:.2f}" '
            f'font-size="{9 * scale:.3f}">{escape(labels[place.code])}</text>'
            if place.code in labels
            else ""
        )
        body.append(
            f'<g class="stop" data-code="{escape(place.code)}"><title>{escape(place.title)}</title>'
            f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{3.2 * scale:.3f}"/>{text}</g>'
        )
    return body


def leg_map(
    label: str,
    *,
    routes: Sequence[Route],
    places: Sequence[RoutePlace],
    frame: Frame,
    names: Mapping[str, str] | None = None,
    current: str = "",
) -> Markup:
    """The map of ``frame``: outlines, the routes, their places on top."""
    x, y, width, height = frame
    scale = width / WIDTH
    marks = scale * 2.5
    at = {place.code: place for place in places}
    body = [
        f'<rect class="sea" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}"/>'
    ]
    body += country_outlines(names or {}, (), current, scale)
    body += _routes(routes, at)
    body += _places(places, marks)
    # Every label and title above went through ``escape``; numbers are formatted.
    return Markup(  # noqa: S704
        f'<svg class="map world-map leg-map" viewBox="{x:.1f} {y:.1f} {width:.1f} {height:.1f}" '
        f'role="group" aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )
