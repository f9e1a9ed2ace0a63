"""Extra planes are counted by a real packing of whole households."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evac.planning.packing import (
    ambulance_lower_bound,
    pack_seats,
    pack_two_dimensions,
    seats_lower_bound,
)


def first_fit_one_by_one(
    items: list[tuple[int, int]], stretchers: int, seats: int
) -> list[list[int]]:
    """The textbook first-fit decreasing, one household at a time."""
    order = sorted(range(len(items)), key=lambda i: (-items[i][0], -items[i][1], i))
    planes: list[list[int]] = []
    loads: list[list[int]] = []
    for i in order:
        need = items[i]
        for plane, load in zip(planes, loads, strict=True):
            if load[0] + need[0] <= stretchers and load[1] + need[1] <= seats:
                plane.append(i)
                load[0] += need[0]
                load[1] += need[1]
                break
        else:
            planes.append([i])
            loads.append(list(need))
    return planes


def assert_valid_packing(
    items: list[tuple[int, int]], planes: list[list[int]], stretchers: int, seats: int
) -> None:
    assert sorted(itertools.chain.from_iterable(planes)) == list(range(len(items)))
    loads = [(sum(items[i][0] for i in plane), sum(items[i][1] for i in plane)) for plane in planes]
    assert all(s <= stretchers and p <= seats for s, p in loads)
    assert all(plane for plane in planes)
    for a, b in itertools.combinations(loads, 2):
        assert a[0] + b[0] > stretchers or a[1] + b[1] > seats, "two planes could be one"


@st.composite
def ambulance_cases(draw: st.DrawFn) -> tuple[list[tuple[int, int]], int, int]:
    stretchers = draw(st.integers(1, 4))
    seats = draw(st.integers(0, 6))
    item = st.tuples(st.integers(1, stretchers), st.integers(0, seats))
    return draw(st.lists(item, max_size=40)), stretchers, seats


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 30).flatmap(lambda c: st.tuples(st.just(c), st.lists(st.integers(1, c)))))
def test_regular_planes_carry_every_household_whole_within_their_seats(case: tuple) -> None:
    capacity, sizes = case
    planes = pack_seats(sizes, capacity)
    assert_valid_packing([(0, s) for s in sizes], planes, 0, capacity)
    assert len(planes) >= seats_lower_bound(sizes, capacity)
    assert planes == first_fit_one_by_one([(0, s) for s in sizes], 0, capacity)


@settings(max_examples=200, deadline=None)
@given(ambulance_cases())
def test_ambulance_planes_respect_stretchers_and_seats(case: tuple) -> None:
    items, stretchers, seats = case
    planes = pack_two_dimensions(items, stretchers, seats)
    assert_valid_packing(items, planes, stretchers, seats)
    assert len(planes) >= ambulance_lower_bound(items, stretchers, seats)
    assert planes == first_fit_one_by_one(items, stretchers, seats)


def test_planes_never_fall_below_what_the_seats_alone_need() -> None:
    assert seats_lower_bound([5, 5, 4, 4], 9) == 2
    assert len(pack_seats([5, 5, 4, 4], 9)) == 2
    assert len(pack_seats([6, 6, 6], 10)) == 3


def test_ambulance_count_follows_the_scarcer_of_stretchers_and_seats() -> None:
    assert ambulance_lower_bound([(1, 4), (1, 4), (1, 0)], stretchers=2, seats=4) == 2
    assert ambulance_lower_bound([(1, 0)] * 5, stretchers=2, seats=4) == 3


def test_household_too_big_for_an_empty_plane_is_refused() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        pack_seats([7], 6)
    with pytest.raises(ValueError, match="does not fit"):
        pack_two_dimensions([(3, 0)], stretchers=2, seats=4)
