"""Distances on the Earth, fast in bulk and exact where it matters.

geopy's ``geodesic`` (Karney's algorithm on WGS-84) is the reference, but it
costs about 0.1 ms a call. The great-circle distance on a sphere of the mean
Earth radius differs from the geodesic by at most about 0.5 %, so we compute
great-circle distances for whole arrays with numpy and call ``geodesic`` only
for the pairs whose great-circle distance falls within that margin of a limit,
where the exact value can change the answer.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

MEAN_EARTH_RADIUS_KM = 6371.0088
# The spherical approximation is never off by more than ~0.56 % of the distance.
SPHERICAL_ERROR_MARGIN = 0.006


def great_circle_km(
    lat1: np.ndarray | float,
    lon1: np.ndarray | float,
    lat2: np.ndarray | float,
    lon2: np.ndarray | float,
) -> np.ndarray:
    """Haversine distance in km, broadcasting over numpy arrays."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi = phi2 - phi1
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2) ** 2
    return 2 * MEAN_EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def distance_matrix_km(points: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Great-circle distances from each point (rows) to each target (columns).

    ``points`` and ``targets`` are arrays of shape (n, 2) and (m, 2) holding
    (latitude, longitude) in degrees.
    """
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    targets = np.asarray(targets, dtype=float).reshape(-1, 2)
    return great_circle_km(points[:, 0:1], points[:, 1:2], targets[None, :, 0], targets[None, :, 1])


def within_km(
    points: np.ndarray, targets: np.ndarray, limit_km: float
) -> tuple[np.ndarray, np.ndarray]:
    """Which targets lie within ``limit_km`` of each point, by geodesic distance.

    Returns ``(reachable, distances)``: a boolean matrix and the distance
    matrix in km. Distances are great-circle except for the pairs near the
    limit, which are replaced by their exact WGS-84 geodesic distance so that
    the boolean answer is the geodesic one.
    """
    distances = distance_matrix_km(points, targets)
    margin = limit_km * SPHERICAL_ERROR_MARGIN
    near = np.abs(distances - limit_km) <= margin
    if near.any():
        points = np.asarray(points, dtype=float).reshape(-1, 2)
        targets = np.asarray(targets, dtype=float).reshape(-1, 2)
        for i, j in zip(*np.nonzero(near), strict=True):
            distances[i, j] = _geodesic()(tuple(points[i]), tuple(targets[j])).km
    return distances <= limit_km, distances


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Exact WGS-84 geodesic distance in km (geopy, Karney)."""
    return float(_geodesic()((lat1, lon1), (lat2, lon2)).km)


@cache
def _geodesic() -> Any:
    """geopy's ``geodesic``, imported when first needed: importing geopy loads every
    geocoder it has (0.2 s), which a web worker or a command that never measures a
    distance near a limit should not pay at start."""
    from geopy.distance import geodesic

    return geodesic
