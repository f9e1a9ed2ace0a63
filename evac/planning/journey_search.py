"""The best journey for one household: a label-setting pass over legs by departure.

Legs are visited in the network's order (by departure). Each leg with room
gets a label: the best way to be on it, either starting there (its origin is
one of the household's start places) or continuing from the best label
waiting at its origin, that is, on a leg that arrived there at least the
connection time before. A leg arriving home closes a journey; the best one
closed wins. This is the time-dependent earliest-arrival search, with the
preference as a lexicographic key:

* ``earliest_arrival``: (arrival, legs, start rank, leg ids);
* ``nearest_departure``: (start rank, first departure, first leg id,
  arrival, legs, leg ids).

The labels compare on the key minus the arrival, which is fixed by the last
leg, so the best label of a leg extends to the best labels after it.

No place is visited twice. A journey through some place twice has a
shortcut: leave that place the second time straight from the first visit.
The shortcut arrives as early, with fewer legs, from the same first leg
unless the place revisited is the first one, so the best key is never a
walk through a place twice, except one back to its start. Those are barred
explicitly: each place keeps its best waiting label and the best one that
started elsewhere, and a leg back to a label's start takes the other.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from evac.planning.journey_data import Preference
from evac.planning.journey_network import Network

# A label: (*key, first place, path of leg indices). Keys are unique (they end
# with the leg ids), so the trailing fields never decide a comparison.
Label = tuple


def best_journey(
    net: Network,
    starts: dict[int, int],
    legs: Sequence[int],
    need: tuple[int, int],
    preference: Preference,
    empty: bool = False,
) -> tuple[int, ...] | None:
    """Leg indices, in travel order, of the best journey with room for ``need``.

    ``starts`` maps start places to their rank (0 nearest; equal distances
    share a rank); ``legs`` are the candidate legs in network order; ``need``
    is (seats, stretchers). With ``empty``, every leg counts as empty.
    """
    seats, stretchers = need
    nearest = preference == Preference.nearest_departure
    waiting: dict[int, list[Label]] = {}
    queue: list[tuple[float, int, int, Label]] = []
    best: tuple | None = None
    for leg in legs:
        depart = net.departs[leg]
        if best is not None and not nearest and depart > best[0]:
            break  # every journey still to close arrives after this departure
        while queue and queue[0][0] <= depart:
            _, _, place, label = heapq.heappop(queue)
            _keep(waiting, place, label)
        if not _fits(net, leg, seats, stretchers, empty):
            continue
        bound = best[:3] if nearest and best is not None else None
        label = _label(net, leg, starts, waiting, bound if nearest else None, nearest)
        if label is None:
            continue
        there = net.destination[leg]
        if net.home[there]:
            key = _final_key(net, leg, label, nearest)
            if best is None or key < best:
                best = key
        else:
            heapq.heappush(queue, (net.ready[leg], leg, there, label))
    return None if best is None else best[-1]


def _fits(net: Network, leg: int, seats: int, stretchers: int, empty: bool) -> bool:
    if net.ambulance[leg] and not stretchers:
        return False
    if empty:
        return net.seats[leg] >= seats and net.stretchers[leg] >= stretchers
    return net.seats_free[leg] >= seats and net.stretchers_free[leg] >= stretchers


def _keep(waiting: dict[int, list[Label]], place: int, label: Label) -> None:
    """Keep the best label at ``place`` and the best one from another start."""
    kept = waiting.get(place)
    if kept is None:
        waiting[place] = [label]
    elif label < kept[0]:
        waiting[place] = [label, kept[0]] if label[-2] != kept[0][-2] else [label, *kept[1:]]
    elif label[-2] != kept[0][-2] and (len(kept) == 1 or label < kept[1]):
        waiting[place] = [kept[0], label]


def _label(
    net: Network,
    leg: int,
    starts: dict[int, int],
    waiting: dict[int, list[Label]],
    bound: tuple | None,
    nearest: bool,
) -> Label | None:
    """The best way to be on ``leg``, or None if no journey reaches it.

    ``bound``: with ``nearest_departure``, the first leg (rank, departure, id)
    of the best journey found so far; labels from a worse first leg cannot
    beat it and are not made.
    """
    origin, there, leg_id = net.origin[leg], net.destination[leg], net.ids[leg]
    found: Label | None = None
    rank = starts.get(origin)
    if rank is not None:
        if nearest:
            found = (rank, net.departs[leg], leg_id, 1, (leg_id,), origin, (leg,))
            if bound is not None and found[:3] > bound:
                found = None
        else:
            found = (1, rank, (leg_id,), origin, (leg,))
    for previous in waiting.get(origin, ()):
        if previous[-2] == there:
            continue
        if bound is not None and previous[:3] > bound:
            break
        if nearest:
            r, dep, first, count, ids, start, path = previous
            label = (r, dep, first, count + 1, (*ids, leg_id), start, (*path, leg))
        else:
            count, r, ids, start, path = previous
            label = (count + 1, r, (*ids, leg_id), start, (*path, leg))
        if found is None or label < found:
            found = label
        break  # the first label whose start is not this leg's destination is the best
    return found


def _final_key(net: Network, leg: int, label: Label, nearest: bool) -> tuple:
    arrives = net.arrives[leg]
    if nearest:
        r, dep, first, count, ids, _, path = label
        return (r, dep, first, arrives, count, ids, path)
    count, r, ids, _, path = label
    return (arrives, count, r, ids, path)
