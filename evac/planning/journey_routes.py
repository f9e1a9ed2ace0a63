"""Which legs lie on the routes a household could take, were they empty.

A leg is on a route if the household fits it empty, it can be reached in
time from a start place over legs it fits, and home can be reached in time
from it the same way. A forward pass finds the first, a backward pass the
second (the same passes as the network's, restricted to the legs it fits).
"""

from __future__ import annotations

from collections.abc import Sequence

from evac.planning.journey_network import Network


def route_legs(
    net: Network, starts: dict[int, int], legs: Sequence[int], need: tuple[int, int]
) -> list[int]:
    """Legs, in network order, on some route home the household fits when empty."""
    seats, stretchers = need
    fitting = [
        g
        for g in legs
        if (stretchers or not net.ambulance[g])
        and net.seats[g] >= seats
        and net.stretchers[g] >= stretchers
    ]
    ready: dict[int, float] = {}
    forward = []
    for g in fitting:
        place = net.origin[g]
        if place in starts or ready.get(place, float("inf")) <= net.departs[g]:
            forward.append(g)
            there = net.destination[g]
            if not net.home[there]:
                ready[there] = min(ready.get(there, float("inf")), net.ready[g])
    latest: dict[int, float] = {}
    out = []
    for g in reversed(forward):
        there = net.destination[g]
        if net.home[there] or latest.get(there, -1.0) >= net.ready[g]:
            out.append(g)
            place = net.origin[g]
            latest[place] = max(latest.get(place, -1.0), net.departs[g])
    return out[::-1]


def full_legs(
    net: Network, starts: dict[int, int], legs: Sequence[int], need: tuple[int, int]
) -> tuple[str, ...]:
    """Numbers of the legs on its routes that have no room for the household now."""
    seats, stretchers = need
    return tuple(
        sorted(
            {
                net.legs[g].number
                for g in route_legs(net, starts, legs, need)
                if not net.has_room(g, seats, stretchers)
            }
        )
    )
