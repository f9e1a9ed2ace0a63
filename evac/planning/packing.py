"""How many extra planes carry a set of whole households: first-fit decreasing.

Regular flights are packed on seats only; ambulance planes on two dimensions,
stretchers and seats. Both use first-fit decreasing, computed one group of
identical households at a time: equal items fill the open planes in order,
each plane taking as many as still fit, which is exactly what placing them
one by one into the first plane with room would do, but costs one pass over
the planes per distinct household shape instead of one per household.

First fit never opens a plane when the household could join an earlier one,
so no two planes of its packing could be merged into one; in one dimension
that means it uses fewer than twice the optimum, and first-fit decreasing at
most 11/9 of it plus one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence


def ceil_div(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


def seats_lower_bound(sizes: Sequence[int], capacity: int) -> int:
    """No packing into planes of ``capacity`` seats can use fewer planes."""
    return ceil_div(sum(sizes), capacity) if sizes else 0


def ambulance_lower_bound(items: Sequence[tuple[int, int]], stretchers: int, seats: int) -> int:
    """Planes needed at least for ``(stretchers, seats)`` items, by either dimension."""
    need_stretchers = sum(s for s, _ in items)
    need_seats = sum(p for _, p in items)
    bounds = [0]
    if need_stretchers:
        bounds.append(ceil_div(need_stretchers, stretchers))
    if need_seats:
        bounds.append(ceil_div(need_seats, seats))
    return max(bounds)


def pack_seats(sizes: Sequence[int], capacity: int) -> list[list[int]]:
    """First-fit decreasing of household sizes into planes of ``capacity`` seats.

    Returns the planes as lists of indices into ``sizes``. Every size must be
    between 1 and ``capacity``.
    """
    return pack_two_dimensions([(0, s) for s in sizes], stretchers=0, seats=capacity)


def pack_two_dimensions(
    items: Sequence[tuple[int, int]], stretchers: int, seats: int
) -> list[list[int]]:
    """First-fit decreasing of ``(stretchers, seats)`` items into identical planes.

    Items are taken largest first (by stretchers, then seats). Returns the
    planes as lists of indices into ``items``. Every item must fit an empty
    plane and take at least one stretcher or seat.
    """
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        stretcher_need, seat_need = item
        if stretcher_need > stretchers or seat_need > seats or item == (0, 0) or min(item) < 0:
            raise ValueError(f"item {item} does not fit an empty plane")
        groups[item].append(index)
    free: list[list[int]] = []  # per plane: [stretchers left, seats left]
    planes: list[list[int]] = []
    for shape in sorted(groups, reverse=True):
        pending = groups[shape]
        taken = _fill_open_planes(shape, pending, free, planes)
        _open_planes(shape, pending[taken:], free, planes, (stretchers, seats))
    return planes


def _how_many_fit(shape: tuple[int, int], left: list[int]) -> int:
    stretcher_need, seat_need = shape
    by_stretchers = left[0] // stretcher_need if stretcher_need else None
    by_seats = left[1] // seat_need if seat_need else None
    counts = [c for c in (by_stretchers, by_seats) if c is not None]
    return min(counts)


def _fill_open_planes(
    shape: tuple[int, int], pending: list[int], free: list[list[int]], planes: list[list[int]]
) -> int:
    """Put items of one shape into the open planes in order; return how many went in."""
    taken = 0
    for plane, left in enumerate(free):
        if taken == len(pending):
            break
        count = min(_how_many_fit(shape, left), len(pending) - taken)
        if count <= 0:
            continue
        planes[plane].extend(pending[taken : taken + count])
        left[0] -= shape[0] * count
        left[1] -= shape[1] * count
        taken += count
    return taken


def _open_planes(
    shape: tuple[int, int],
    pending: list[int],
    free: list[list[int]],
    planes: list[list[int]],
    capacity: tuple[int, int],
) -> None:
    """Open new planes for the items of one shape that fit no open plane."""
    per_plane = _how_many_fit(shape, list(capacity))
    for start in range(0, len(pending), per_plane):
        chunk = pending[start : start + per_plane]
        planes.append(list(chunk))
        free.append([capacity[0] - shape[0] * len(chunk), capacity[1] - shape[1] * len(chunk)])
