"""Benchmark of the journey planner's functional core on synthetic crises (by hand, not CI).

    python bench/journey_planner.py --people 70000     # one instance, timed, with the LP bound
    python bench/journey_planner.py --table            # 10k to 1M people
    python bench/journey_planner.py --profile          # where the time goes

Instances are generated with a fixed seed. Households live around real
airports (airportsdata) of 114 countries, as in ``bench/planner_core.py``.
Countries taking about a quarter of the people travel in several legs:

* Sudan-like: assembly points -> bus (50 seats) -> the country's port ->
  ship (1,000 seats) -> a neighbour's port -> flight home;
* Ukraine-like: rail stations -> train (600 seats) to a neighbour's airport,
  or bus (50 seats) to a border crossing then train (300 seats) to that
  airport -> flight home.

Every other country has direct flights (a few ambulance flights among them),
and the neighbours' own households compete for the same flights home. About
500 legs per 70,000 people. The LP bound (``--lp``) is the most people any
plan could carry: a multi-commodity flow over a time-expanded network,
solved with HiGHS (``highspy``, the ``bench`` extra); see ``lp_bound``.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.journey_lp import lp_bound
from bench.planner_core import START, _countries, _household
from evac.planning.data import Household
from evac.planning.journey_data import (
    JourneyPolicy,
    Leg,
    LegMode,
    Place,
    PlaceKind,
)
from evac.planning.journeys import plan_journeys

HOME = Place("IST", PlaceKind.airport, "TR", 41.26, 28.74, 100.0, "Istanbul")
LEGS_PER_PERSON = 470 / 70000


class _Builder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.places: dict[str, Place] = {HOME.code: HOME}
        self.legs: list[Leg] = []

    def place(self, code: str, kind: PlaceKind, airport: dict, reach: float) -> str:
        if code not in self.places:
            self.places[code] = Place(
                code, kind, airport["country"], airport["lat"], airport["lon"], reach
            )
        return code

    def leg(
        self, mode: LegMode, origin: str, destination: str, departs: float, hours: float, **room
    ) -> float:
        """Add a leg departing ``departs`` hours after the start; returns its arrival."""
        leg_id = len(self.legs) + 1
        start = START + timedelta(hours=departs)
        self.legs.append(
            Leg(
                leg_id=leg_id,
                number=f"{mode.value[:2].upper()}{leg_id:05d}",
                mode=mode,
                origin=origin,
                destination=destination,
                departure_time=start,
                arrival_time=start + timedelta(hours=hours),
                seats=room.get("seats", 0),
                stretchers=room.get("stretchers", 0),
                cancelled=self.rng.random() < 0.02,
            )
        )
        return departs + hours

    def direct(self, hubs: list[dict], people: int) -> None:
        for _ in range(max(1, round(people * LEGS_PER_PERSON))):
            hub = self.rng.choice(hubs)
            origin = self.place(hub["iata"], PlaceKind.airport, hub, 800)
            ambulance = self.rng.random() < 0.05
            self.leg(
                LegMode.ambulance_flight if ambulance else LegMode.flight,
                origin,
                HOME.code,
                self.rng.uniform(0, 24 * 30),
                self.rng.uniform(2, 6),
                seats=4 if ambulance else self.rng.choice((150, 180, 220, 300)),
                stretchers=2 if ambulance else 0,
            )

    def sudan_like(self, country: str, hubs: list[dict], port: dict, abroad: dict, people: int):
        points = [
            self.place(f"{country}-AP{k}", PlaceKind.assembly_point, hub, 300)
            for k, hub in enumerate(hubs)
        ]
        here = self.place(f"{country}-PORT", PlaceKind.seaport, port, 100)
        there = self.place(f"{abroad['country']}-PORT", PlaceKind.seaport, abroad, 100)
        for _ in range(max(1, round(people * 0.6 / 1000))):
            sails = self.rng.uniform(48, 24 * 30)
            for _ in range(12):
                self.leg(LegMode.bus, self.rng.choice(points), here, sails - 36, 14, seats=50,
                         stretchers=2 if self.rng.random() < 0.2 else 0)  # fmt: skip
            docks = self.leg(LegMode.ship, here, there, sails, 12, seats=1000, stretchers=10)
            for _ in range(5):
                self.leg(LegMode.flight, there, HOME.code, docks + self.rng.uniform(3, 30), 3,
                         seats=180)  # fmt: skip
            self.leg(LegMode.ambulance_flight, there, HOME.code, docks + 5, 3, seats=4,
                     stretchers=2)  # fmt: skip

    def ukraine_like(self, country: str, hubs: list[dict], airport: dict, people: int) -> None:
        stations = [
            self.place(f"{country}-RS{k}", PlaceKind.rail_station, hub, 300)
            for k, hub in enumerate(hubs)
        ]
        crossing = self.place(f"{country}-BX", PlaceKind.border_crossing, airport, 50)
        target = self.place(airport["iata"], PlaceKind.airport, airport, 800)
        for _ in range(max(1, round(people * 0.6 / 800))):
            leaves = self.rng.uniform(0, 24 * 29)
            arrives = self.leg(LegMode.train, self.rng.choice(stations), target, leaves, 20,
                               seats=600, stretchers=4)  # fmt: skip
            for _ in range(2):
                bus = self.leg(LegMode.bus, self.rng.choice(stations), crossing, leaves, 10,
                               seats=50)  # fmt: skip
                self.leg(LegMode.train, crossing, target, bus + 3, 5, seats=300)
            for _ in range(5):
                self.leg(LegMode.flight, target, HOME.code, arrives + self.rng.uniform(3, 24), 3,
                         seats=180)  # fmt: skip


def make_instance(
    people: int, countries: int = 114, seed: int = 2023
) -> tuple[list[Household], list[Place], list[Leg]]:
    """A synthetic crisis of about ``people`` people; same seed, same crisis."""
    rng = random.Random(seed)
    chosen, by_country = _countries(countries)
    hubs = {c: rng.sample(by_country[c], min(3, len(by_country[c]))) for c in chosen}
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(chosen))]
    households: list[Household] = []
    demand: dict[str, int] = dict.fromkeys(chosen, 0)
    person_id = 1
    while person_id <= people:
        country = rng.choices(chosen, weights)[0]
        household = _household(
            rng, len(households) + 1, person_id, country, by_country[country], hubs[country]
        )
        households.append(household)
        demand[country] += len(household.members)
        person_id += len(household.members)
    builder = _Builder(rng)
    multi = _multi_leg_countries(chosen, weights)
    for k, country in enumerate(chosen):
        if country not in multi:
            builder.direct(hubs[country], demand[country])
            continue
        neighbour = chosen[k + 1]  # a direct-flight country, whose flights it shares
        abroad = rng.choice(hubs[neighbour])
        if multi[country] == "sudan":
            port = rng.choice(by_country[country])
            builder.sudan_like(country, hubs[country], port, abroad, demand[country])
        else:
            builder.ukraine_like(country, hubs[country], abroad, demand[country])
    return households, sorted(builder.places.values(), key=lambda p: p.code), builder.legs


def _multi_leg_countries(chosen: list[str], weights: list[float]) -> dict[str, str]:
    """Every second country from the second largest, until they hold a quarter of the
    demand; alternately Sudan-like and Ukraine-like. The next country is direct."""
    out: dict[str, str] = {}
    share = 0.0
    for k in range(1, len(chosen) - 1, 2):
        if share >= 0.25 * sum(weights):
            break
        out[chosen[k]] = "sudan" if len(out) % 2 == 0 else "ukraine"
        share += weights[k]
    return out


def time_plan(people: int, repeats: int, with_lp: bool) -> dict[str, object]:
    households, places, legs = make_instance(people)
    policy = JourneyPolicy()
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = plan_journeys(households, places, legs, policy)
        timings.append(time.perf_counter() - started)
    size = {h.registration_id: len(h.members) for h in households}
    starts = (PlaceKind.assembly_point, PlaceKind.rail_station)
    multi_countries = {p.country for p in places if p.kind in starts}
    seated = sum(size[j.registration_id] for j in result.journeys)
    multi = sum(size[j.registration_id] for j in result.journeys if len(j.leg_ids) > 1)
    row: dict[str, object] = {
        "people": sum(size.values()),
        "households": len(households),
        "legs": len(legs),
        "seated": seated,
        "multi": multi,
        "multi_registered": sum(len(h.members) for h in households if h.country in multi_countries),
        "best_s": min(timings),
        "median_s": statistics.median(timings),
        "preference": result.preference.value,
    }
    if with_lp:
        started = time.perf_counter()
        row["lp"] = lp_bound(households, places, legs, policy)
        row["lp_s"] = time.perf_counter() - started
    return row


def _print_row(row: dict) -> None:
    line = (
        f"{row['people']:>9,} people {row['households']:>8,} households {row['legs']:>6,} legs | "
        f"multi-leg countries {row['multi_registered']:>8,} | "
        f"seated {row['seated']:>9,} ({row['multi']:,} multi-leg) | "
        f"best {row['best_s']:.3f} s median {row['median_s']:.3f} s [{row['preference']}]"
    )
    if "lp" in row:
        gap = 100 * (row["lp"] - row["seated"]) / row["lp"]
        line += f" | LP bound {row['lp']:,.0f} ({gap:.1f} % above, {row['lp_s']:.1f} s)"
    print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=70000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--table", action="store_true", help="10k to 1M people")
    parser.add_argument("--lp", action="store_true", help="also solve the LP upper bound")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if args.profile:
        households, places, legs = make_instance(args.people)
        cProfile.runctx(
            "plan_journeys(households, places, legs, JourneyPolicy())",
            globals(),
            locals(),
            "/tmp/journeys.prof",
        )
        pstats.Stats("/tmp/journeys.prof").sort_stats("cumulative").print_stats(25)
    elif args.table:
        for people, repeats in (
            (10_000, 5),
            (70_000, 5),
            (100_000, 3),
            (300_000, 1),
            (1_000_000, 1),
        ):
            _print_row(time_plan(people, repeats, args.lp and people <= 300_000))
    else:
        _print_row(time_plan(args.people, args.repeats, args.lp))


if __name__ == "__main__":
    main()
