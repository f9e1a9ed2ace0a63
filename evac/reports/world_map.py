"""The world map drawn on the server as SVG: plain data in, markup out.

Country outlines come from ``evac.geo.world`` (Natural Earth, vendored); on
them, a circle for each place where people wait (its area proportional to the
people, its count written inside) and a square for each departure airport with
flights. Countries with people or flights link to their own page. Every shape
has a ``<title>``: screen readers and a long press on a phone read it.
No script and no inline style, so the page passes the CSP.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from evac.geo.world import HEIGHT, WIDTH, country_shapes, project


@dataclass(frozen=True)
class MapMark:
    """A place on the map: ``title`` is what a reader hears; ``count`` is written on it."""

    title: str
    latitude: float
    longitude: float
    count: int = 0
    href: str = ""
    """Where selecting it leads (a country's page), if anywhere."""


Frame = tuple[float, float, float, float]
WORLD: Frame = (0.0, 0.0, float(WIDTH), float(HEIGHT))


def country_href(code: str) -> str:
    return f"/staff/dashboard/countries/{code}"


def country_frame(code: str, margin: float = 0.25) -> Frame:
    """The part of the world map around a country's largest piece of land."""
    boxes = [shape.box for shape in country_shapes() if shape.code == code]
    if not boxes:
        return WORLD
    x, y, w, h = max(boxes, key=lambda box: box[2] * box[3])
    width, height = max(w * (1 + 2 * margin), 16.0), max(h * (1 + 2 * margin), 10.0)
    # Wider than tall, to fit a phone's screen and a desktop panel alike.
    width = max(width, height * 1.6)
    return (x + w / 2 - width / 2, y + h / 2 - height / 2, width, height)


def country_outlines(
    names: Mapping[str, str], linked: Collection[str], current: str, scale: float
) -> list[str]:
    body = []
    for shape in country_shapes():
        name = escape(names.get(shape.code) or shape.name)
        css = "land linked" if shape.code in linked else "land"
        css += " current" if shape.code == current else ""
        if shape.path:
            mark = f'<path class="{css}" d="{shape.path}"><title>{name}</title></path>'
        else:
            cx, cy = shape.centre
            mark = (
                f'<circle class="{css}" cx="{cx:.1f}" cy="{cy:.1f}" r="{1.6 * scale:.2f}">'
                f"<title>{name}</title></circle>"
            )
        if shape.code in linked:
            href = country_href(shape.code)
            mark = f'<a href="{href}" class="country-link" aria-label="{name}">{mark}</a>'
        body.append(mark)
    return body


def _places(places: Sequence[MapMark], scale: float) -> list[str]:
    body = []
    largest = max((p.count for p in places), default=0)
    for place in sorted(places, key=lambda p: -p.count):
        if place.count <= 0:
            continue
        x, y = project(place.latitude, place.longitude)
        radius = (3 + 17 * math.sqrt(place.count / largest)) * scale
        mark = (
            f'<g class="cluster"><title>{escape(place.title)}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.2f}"/>'
            f'<text x="{x:.1f}" y="{y + 3.5 * scale:.1f}" font-size="{10 * scale:.2f}" '
            f'text-anchor="middle">{place.count:,}</text></g>'
        )
        if place.href:
            label = escape(place.title)
            mark = f'<a href="{escape(place.href)}" aria-label="{label}">{mark}</a>'
        body.append(mark)
    return body


def _airports(airports: Sequence[MapMark], scale: float) -> list[str]:
    body = []
    side = 7 * scale
    for airport in airports:
        x, y = project(airport.latitude, airport.longitude)
        body.append(
            f'<g class="airport"><title>{escape(airport.title)}</title>'
            f'<rect x="{x - side / 2:.2f}" y="{y - side / 2:.2f}" '
            f'width="{side:.2f}" height="{side:.2f}" transform="rotate(45 {x:.1f} {y:.1f})"/></g>'
        )
    return body


def world_map(
    label: str,
    *,
    places: Sequence[MapMark] = (),
    airports: Sequence[MapMark] = (),
    names: Mapping[str, str] | None = None,
    linked: Collection[str] = (),
    frame: Frame = WORLD,
    current: str = "",
) -> Markup:
    """The map of ``frame`` (the world by default): outlines, places, airports;
    the ``current`` country stands out. Zoomed in, marks are drawn larger."""
    x, y, width, height = frame
    scale = width / WIDTH
    marks = scale if frame == WORLD else scale * 2.5
    body = [
        f'<rect class="sea" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}"/>'
    ]
    body += country_outlines(names or {}, linked, current, scale)
    body += _places(places, marks)
    body += _airports(airports, marks)
    # Every label and title above went through ``escape``; numbers are formatted.
    return Markup(  # noqa: S704
        f'<svg class="map world-map" viewBox="{x:.1f} {y:.1f} {width:.1f} {height:.1f}" '
        f'role="group" aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )
