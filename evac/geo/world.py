"""Country outlines for maps drawn on the server, from a vendored TopoJSON file.

``data/countries-50m.json`` is the ``world-atlas`` npm package's Natural Earth
1:50m countries (ISC licence, ``data/world-atlas.LICENSE``): no tiles and no
network at run time. TopoJSON stores each border once as an *arc* of
delta-encoded integer points; a polygon ring is a list of arc indices (``~i``
meaning arc ``i`` reversed). Decoding, projecting and simplifying the outlines
takes a fraction of a second, so it is done once per process and cached.

The projection is equirectangular (longitude and latitude scale linearly), cut
at ``NORTH`` and ``SOUTH``; Antarctica is left out, nobody waits there.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import pycountry

DATA = Path(__file__).parent / "data" / "countries-50m.json"
NORTH, SOUTH = 84.0, -58.0
WIDTH = 1000
HEIGHT = round(WIDTH * (NORTH - SOUTH) / 360)
# Points nearer than this (in map units) to the last kept point are dropped.
TOLERANCE = 1.5
_ANTARCTICA = 10
# Natural Earth territories that ISO 3166-1 has no numeric code for.
_BY_NAME = {"Kosovo": "XK"}

Point = tuple[float, float]


@dataclass(frozen=True)
class CountryShape:
    code: str
    """ISO 3166-1 alpha-2 (``XK`` for Kosovo); empty for a territory without one."""
    name: str
    path: str
    """SVG path data in the ``WIDTH`` × ``HEIGHT`` frame; empty for a country
    smaller than a pixel or two, which is drawn as a dot at ``centre``."""
    centre: Point
    box: tuple[float, float, float, float]
    """(x, y, width, height) around the largest ring, to zoom on the country."""


def project(latitude: float, longitude: float) -> Point:
    """A (latitude, longitude) in degrees as (x, y) on the map."""
    latitude = min(max(latitude, SOUTH), NORTH)
    return (longitude + 180) / 360 * WIDTH, (NORTH - latitude) / (NORTH - SOUTH) * HEIGHT


def _decode_arcs(topology: dict) -> list[list[Point]]:
    """Every arc as absolute projected points (delta decoding, then the transform)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append(project(y * sy + ty, x * sx + tx))
        arcs.append(points)
    return arcs


def _ring(indices: list[int], arcs: list[list[Point]]) -> list[Point]:
    points: list[Point] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their end point: keep it once.
        points.extend(arc[1:] if points else arc)
    return points


def simplify(points: list[Point], tolerance: float = TOLERANCE) -> list[Point]:
    """Radial-distance simplification: drop points too close to the last kept one."""
    if len(points) < 3:
        return points
    kept = [points[0]]
    limit = tolerance * tolerance
    for x, y in points[1:-1]:
        kx, ky = kept[-1]
        if (x - kx) ** 2 + (y - ky) ** 2 >= limit:
            kept.append((x, y))
    kept.append(points[-1])
    return kept


def _rings(geometry: dict) -> Iterator[list[int]]:
    if geometry["type"] == "Polygon":
        yield from geometry["arcs"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["arcs"]:
            yield from polygon


def _ring_path(ring: list[Point]) -> str:
    """Whole map units, each point relative to the previous one: a third of the bytes."""
    points = [(round(x), round(y)) for x, y in ring]
    kept = points[:1] + [b for a, b in pairwise(points) if a != b]
    if len(kept) < 4:
        return ""  # an island smaller than a pixel or two
    steps = " ".join(f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in pairwise(kept[:-1]))
    return f"M{kept[0][0]} {kept[0][1]}l{steps}z"


def split_at_antimeridian(ring: list[Point]) -> list[list[Point]]:
    """A ring that jumps from one edge of the map to the other (Russia's far east)
    as one ring per side, each closed along its edge; other rings unchanged."""
    jumps = [i for i in range(1, len(ring)) if abs(ring[i][0] - ring[i - 1][0]) > WIDTH / 2]
    if not jumps:
        return [ring]
    start = jumps[0]
    rotated = ring[start:] + ring[1:start]
    sides: dict[bool, list[Point]] = {}
    for point in rotated:
        sides.setdefault(point[0] < WIDTH / 2, []).append(point)
    return [points + points[:1] for points in sides.values() if len(points) >= 3]


def _shape(geometry: dict, arcs: list[list[Point]]) -> tuple[str, tuple[float, ...]]:
    """The path, and the bounding box of the largest ring (islands far off left out)."""
    parts, box, largest = [], (0.0, 0.0, 0.0, 0.0), -1.0
    for indices in _rings(geometry):
        for ring in split_at_antimeridian(_ring(indices, arcs)):
            parts.append(_ring_path(simplify(ring)))
            xs, ys = [x for x, _ in ring], [y for _, y in ring]
            size = (max(xs) - min(xs)) * (max(ys) - min(ys))
            if size > largest:
                largest, box = size, (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
    return "".join(parts), box


def _alpha2(geometry: dict) -> str:
    name = geometry.get("properties", {}).get("name", "")
    if "id" not in geometry:
        return _BY_NAME.get(name, "")
    country = pycountry.countries.get(numeric=f"{int(geometry['id']):03d}")
    return country.alpha_2 if country else ""


@lru_cache(maxsize=1)
def country_shapes() -> tuple[CountryShape, ...]:
    """Each country's outline, projected and simplified; cached for the process."""
    topology = json.loads(DATA.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    shapes = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") and int(geometry["id"]) == _ANTARCTICA:
            continue
        path, (x, y, w, h) = _shape(geometry, arcs)
        name = geometry.get("properties", {}).get("name", "")
        centre = (x + w / 2, y + h / 2)
        shapes.append(CountryShape(_alpha2(geometry), name, path, centre, (x, y, w, h)))
    return tuple(shapes)
