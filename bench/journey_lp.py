"""An LP upper bound on the people any journey plan can carry, solved with HiGHS.

Households are grouped by start set (as a set) and kind, and each group is a
commodity flowing through a time-expanded network: a node per place and
instant at which a leg leaves or becomes catchable (arrival plus the
connection time), waiting arcs between consecutive nodes of a place, an arc
per leg. A group enters at the first node of each of its start places, at
most as many people as it has, and leaves on legs arriving home. Regular
people use seats, on any leg but ambulance flights; stretcher patients use
stretchers and their companions seats, both only on legs that carry
stretchers. Legs keep their capacity (less what confirmed households use).

It relaxes everything the planner must keep: households split, people may
pass a place twice, and priority is ignored. So it bounds from above the
people seated by any plan, the greedy's included. Needs ``highspy``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from evac.planning.data import Household
from evac.planning.journey_data import JourneyPolicy, Leg, Place
from evac.planning.journey_network import REGULAR, STRETCHER, Network
from evac.planning.journey_reach import start_sets


def lp_bound(
    households: Sequence[Household],
    places: Sequence[Place],
    legs: Sequence[Leg],
    policy: JourneyPolicy,
) -> float:
    """The most people (confirmed households included) that the legs could carry home."""
    import highspy

    net = Network(places, legs, policy)
    pool, fixed_people = _place_fixed(households, net)
    groups, sets = _groups(pool, net)
    model = _Model()
    for (set_id, kind, country), (patients, others) in sorted(groups.items()):
        starts = {place for place, _ in sets[set_id]}
        legs_of = net.country_legs(country, kind)  # legs of the kind, leading home
        if kind == REGULAR:
            model.commodity(net, starts, legs_of, 0, others)
        else:
            model.commodity(net, starts, legs_of, 1, patients)
            model.commodity(net, starts, legs_of, 0, others)
    model.capacities(net)
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    model.solve_with(highs)
    return fixed_people + highs.getInfo().objective_function_value


def _place_fixed(households: Sequence[Household], net: Network) -> tuple[list[Household], int]:
    pool, fixed_people = [], 0
    for household in households:
        ids = set(household.fixed_leg_ids)
        if ids and ids <= net.index.keys():
            fixed_people += len(household.members)
            lying = sum(m.needs_stretcher for m in household.members)
            for i in ids:
                g = net.index[i]
                on = lying if net.stretchers[g] else 0
                net.take((g,), len(household.members) - on, on)
        else:
            pool.append(household)
    return pool, fixed_people


def _groups(pool: list[Household], net: Network) -> tuple[dict[tuple, list[int]], list]:
    """(patients, others) per (start set, kind, country), and the start sets."""
    set_of, sets = start_sets(pool, net)
    groups: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for household, set_id in zip(pool, set_of, strict=True):
        if not sets[set_id] or not household.members:
            continue
        lying = sum(m.needs_stretcher for m in household.members)
        key = (set_id, STRETCHER if lying else REGULAR, household.country.upper())
        groups[key][0] += lying
        groups[key][1] += len(household.members) - lying
    return groups, sets


class _Model:
    """Columns (arcs), conservation rows, and the legs' capacity rows, built sparse."""

    def __init__(self) -> None:
        self.cost: list[float] = []
        self.upper: list[float] = []
        self.rows: list[tuple[dict[int, float], float, float]] = []
        self.on_leg: dict[tuple[int, int], list[int]] = defaultdict(list)  # (leg, dim) -> columns

    def column(self, cost: float = 0.0, upper: float = np.inf) -> int:
        self.cost.append(cost)
        self.upper.append(upper)
        return len(self.cost) - 1

    def commodity(self, net: Network, starts: set[int], legs: list[int], dim: int, people: int):
        """One group's flow of people using seats (``dim`` 0) or stretchers (1)."""
        if not people:
            return
        usable = legs
        times: dict[int, set[float]] = defaultdict(set)
        for g in usable:
            times[net.origin[g]].add(net.departs[g])
            if not net.home[net.destination[g]]:
                times[net.destination[g]].add(net.ready[g])
        balance: dict[tuple[int, float], dict[int, float]] = defaultdict(dict)
        entries = []
        for place, instants in times.items():
            ordered = sorted(instants)
            if place in starts:
                enter = self.column()
                balance[(place, ordered[0])][enter] = 1.0
                entries.append(enter)
            for a, b in pairwise(ordered):
                wait = self.column()
                balance[(place, a)][wait] = -1.0
                balance[(place, b)][wait] = 1.0
        for g in usable:
            home = net.home[net.destination[g]]
            arc = self.column(cost=1.0 if home else 0.0)
            self.on_leg[(g, dim)].append(arc)
            balance[(net.origin[g], net.departs[g])][arc] = -1.0
            if not home:
                balance[(net.destination[g], net.ready[g])][arc] = 1.0
        for coefficients in balance.values():
            self.rows.append((coefficients, 0.0, np.inf))  # what arrives may stay (drop out)
        if entries:
            self.rows.append((dict.fromkeys(entries, 1.0), -np.inf, float(people)))

    def capacities(self, net: Network) -> None:
        by_leg: dict[int, list[int]] = defaultdict(list)
        for (g, dim), columns in self.on_leg.items():
            if dim == 1:
                self.rows.append(
                    (dict.fromkeys(columns, 1.0), -np.inf, max(net.stretchers_free[g], 0))
                )
            else:
                by_leg[g].extend(columns)
        for g, columns in by_leg.items():
            self.rows.append((dict.fromkeys(columns, 1.0), -np.inf, max(net.seats_free[g], 0)))

    def solve_with(self, highs: object) -> None:
        import highspy

        n = len(self.cost)
        highs.addVars(n, np.zeros(n), np.array(self.upper))
        highs.changeColsCost(n, np.arange(n, dtype=np.int32), np.array(self.cost))
        highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
        lower = np.array([r[1] for r in self.rows])
        upper = np.array([r[2] for r in self.rows])
        starts, indices, values = [], [], []
        for coefficients, _, _ in self.rows:
            starts.append(len(indices))
            indices.extend(coefficients)
            values.extend(coefficients.values())
        highs.addRows(
            len(self.rows), lower, upper, len(indices),
            np.array(starts, dtype=np.int32), np.array(indices, dtype=np.int32), np.array(values),
        )  # fmt: skip
        highs.run()
