"""Benchmark of the planner's functional core on synthetic crises.

    python bench/planner_core.py --people 70000     # one instance, timed
    python bench/planner_core.py --table            # 10k, 100k and 1M people
    python bench/planner_core.py --profile          # where the time goes
    python bench/planner_core.py --gap 300          # greedy vs exact (needs ortools)

Instances are generated with a fixed seed: households placed around real
airports (airportsdata) of 114 countries, sizes 1-8 (about 2.5 people on
average), a few stretcher patients and fixed passengers, and about 470
flights per 70,000 people, a few of them ambulance planes. Every IATA airport
is passed as a candidate for recommendations, as the service does.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import airportsdata

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evac.planning.core import (
    Airport,
    Flight,
    FlightKind,
    Household,
    MedicalUrgency,
    Member,
    Policy,
    plan,
)

START = datetime(2020, 3, 20, 6, 0, tzinfo=UTC)
SIZES = (1, 2, 3, 4, 5, 6, 7, 8)
SIZE_WEIGHTS = (30, 25, 17, 13, 7, 4, 2, 2)


def _countries(count: int) -> tuple[list[str], dict[str, list[dict]]]:
    """The ``count`` countries with the most IATA airports, and their airports."""
    by_country: dict[str, list[dict]] = {}
    for code, airport in sorted(airportsdata.load("IATA").items()):
        by_country.setdefault(airport["country"], []).append(airport | {"iata": code})
    ranked = sorted(by_country, key=lambda c: (-len(by_country[c]), c))
    chosen = [c for c in ranked if c != "TR"][:count]
    return chosen, by_country


def _member(rng: random.Random, person_id: int, citizen: bool) -> Member:
    urgency = rng.choices(
        list(MedicalUrgency), weights=(97, 2, 0.7, 0.3) if rng.random() < 0.1 else (1, 0, 0, 0)
    )[0]
    return Member(
        person_id=person_id,
        date_of_birth=date(1935, 1, 1) + timedelta(days=rng.randrange(32000))
        if rng.random() < 0.97
        else None,
        nationality="TR" if citizen else rng.choice(("SY", "AZ", "DE", "IR")),
        needs_stretcher=False,
        needs_wheelchair=rng.random() < 0.01,
        needs_oxygen=rng.random() < 0.003,
        medical_urgency=urgency,
        pregnant=rng.random() < 0.005,
    )


def _household(
    rng: random.Random,
    registration_id: int,
    person_id: int,
    country: str,
    airports: list[dict],
    hubs: list[dict],
) -> Household:
    citizen = rng.random() < 0.97
    members = [
        _member(rng, person_id + k, citizen) for k in range(rng.choices(SIZES, SIZE_WEIGHTS)[0])
    ]
    if rng.random() < 0.003:
        members[0] = Member(members[0].person_id, members[0].date_of_birth, "TR", True)
    # Most people live near the big cities the flights leave from.
    home = rng.choice(hubs if rng.random() < 0.8 else airports)
    positioned = rng.random() < 0.97
    return Household(
        registration_id=registration_id,
        reference=f"EV-{registration_id:07d}",
        country=country,
        latitude=home["lat"] + rng.gauss(0, 2.0) if positioned else None,
        longitude=home["lon"] + rng.gauss(0, 2.0) if positioned else None,
        registered_at=START + timedelta(seconds=rng.randrange(14 * 86400)),
        members=tuple(members),
    )


def _flights(
    rng: random.Random, hubs: dict[str, list[dict]], demand: dict[str, int], total: int
) -> list[Flight]:
    people = sum(demand.values())
    flights = []
    for country in sorted(hubs):
        count = max(1, round(total * demand.get(country, 0) / people))
        for _ in range(count):
            hub = rng.choice(hubs[country])
            ambulance = rng.random() < 0.05
            flight_id = len(flights) + 1
            flights.append(
                Flight(
                    flight_id=flight_id,
                    flight_number=f"TK{6000 + flight_id}",
                    kind=FlightKind.ambulance if ambulance else FlightKind.regular,
                    departure_airport=hub["iata"],
                    country=country,
                    latitude=hub["lat"],
                    longitude=hub["lon"],
                    departure_time=START + timedelta(hours=rng.randrange(24 * 30)),
                    seats=4 if ambulance else rng.choice((150, 180, 220, 300)),
                    stretchers=2 if ambulance else 0,
                    cancelled=rng.random() < 0.02,
                )
            )
    return flights


def _fix_some(rng: random.Random, households: list[Household], flights: list[Flight]) -> None:
    """Confirm about 5 % of households on a regular flight of their country."""
    regular: dict[str, list[Flight]] = {}
    for flight in flights:
        if flight.kind == FlightKind.regular and not flight.cancelled:
            regular.setdefault(flight.country, []).append(flight)
    room = {f.flight_id: f.seats for f in flights}
    for k, household in enumerate(households):
        options = regular.get(household.country)
        if not options or rng.random() >= 0.05 or any(m.needs_stretcher for m in household.members):
            continue
        flight = rng.choice(options)
        if room[flight.flight_id] >= len(household.members):
            room[flight.flight_id] -= len(household.members)
            households[k] = Household(
                **{name: getattr(household, name) for name in Household.__slots__}
                | {"fixed_flight_id": flight.flight_id}
            )


def make_instance(
    people: int, countries: int = 114, seed: int = 2020
) -> tuple[list[Household], list[Flight], list[Airport]]:
    """A synthetic crisis with about ``people`` people; same seed, same crisis."""
    rng = random.Random(seed)
    chosen, by_country = _countries(countries)
    hubs = {c: rng.sample(by_country[c], min(3, len(by_country[c]))) for c in chosen}
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(chosen))]
    households: list[Household] = []
    demand: dict[str, int] = {}
    person_id = 1
    while person_id <= people:
        country = rng.choices(chosen, weights)[0]
        household = _household(
            rng, len(households) + 1, person_id, country, by_country[country], hubs[country]
        )
        households.append(household)
        demand[country] = demand.get(country, 0) + len(household.members)
        person_id += len(household.members)
    flights = _flights(rng, hubs, demand, max(1, round(470 * people / 70000)))
    _fix_some(rng, households, flights)
    airports = [
        Airport(a["iata"], a["country"], a["lat"], a["lon"])
        for airports in by_country.values()
        for a in airports
    ]
    return households, flights, airports


def time_plan(people: int, repeats: int) -> dict[str, float]:
    households, flights, airports = make_instance(people)
    policy = Policy()
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = plan(households, flights, policy, airports)
        timings.append(time.perf_counter() - started)
    seated = len(result.assignments)
    return {
        "people": sum(len(h.members) for h in households),
        "households": len(households),
        "countries": len({h.country for h in households}),
        "flights": len(flights),
        "seated": seated,
        "left_out": sum(u.people for u in result.unassigned),
        "best_s": min(timings),
        "median_s": statistics.median(timings),
    }


def _print_row(row: dict[str, float]) -> None:
    print(
        f"{row['people']:>9,} people {row['households']:>8,} households "
        f"{row['countries']:>4} countries {row['flights']:>6,} flights | "
        f"seated {row['seated']:>9,} left out {row['left_out']:>8,} | "
        f"best {row['best_s']:.3f} s median {row['median_s']:.3f} s"
    )


def _small_instance(rng: random.Random) -> tuple[list[Household], list[Flight]]:
    """6-12 households around Berlin and Frankfurt, 2-4 tight flights."""
    hubs = (("BER", 52.36, 13.50), ("FRA", 50.03, 8.56))
    households = []
    person_id = 1
    for registration_id in range(1, rng.randint(6, 12) + 1):
        _, lat, lon = rng.choice(hubs)
        positioned = rng.random() < 0.9
        members = []
        for _ in range(rng.choices(SIZES[:6], SIZE_WEIGHTS[:6])[0]):
            members.append(_member(rng, person_id, citizen=rng.random() < 0.8))
            person_id += 1
        if rng.random() < 0.15:
            members[0] = Member(
                members[0].person_id,
                None,
                "TR",
                True,
                medical_urgency=rng.choice(list(MedicalUrgency)),
            )
        households.append(
            Household(
                registration_id=registration_id,
                reference=f"EV{registration_id:04d}",
                country="DE",
                latitude=lat + rng.uniform(-3, 3) if positioned else None,
                longitude=lon + rng.uniform(-3, 3) if positioned else None,
                registered_at=START - timedelta(days=rng.randrange(5)),
                members=tuple(members),
            )
        )
    flights = []
    for flight_id in range(1, rng.randint(2, 4) + 1):
        iata, lat, lon = rng.choice(hubs)
        ambulance = rng.random() < 0.25
        flights.append(
            Flight(
                flight_id=flight_id,
                flight_number=f"TK{flight_id}",
                kind=FlightKind.ambulance if ambulance else FlightKind.regular,
                departure_airport=iata,
                country="DE",
                latitude=lat,
                longitude=lon,
                departure_time=START + timedelta(hours=rng.randrange(72)),
                seats=rng.randint(1, 4) if ambulance else rng.randint(3, 14),
                stretchers=rng.randint(1, 2) if ambulance else 0,
            )
        )
    return households, flights


def report_gap(count: int, seed: int = 7) -> None:
    """Compare the greedy with CP-SAT on ``count`` small random instances."""
    from evac.planning.exact import exact_seated_by_tier

    rng = random.Random(seed)
    policy = Policy()
    totals = {"greedy": [0] * 4, "best": [0] * 4}
    most_people = most_greedy = equal = tier1_short = 0
    worst = 0
    for _ in range(count):
        households, flights = _small_instance(rng)
        result = plan(households, flights, policy)
        seated = {a.registration_id for a in result.assignments}
        greedy = [0] * 4
        for household in households:
            if household.registration_id in seated:
                greedy[result.tiers[household.registration_id] - 1] += len(household.members)
        best = exact_seated_by_tier(households, flights, policy, result.tiers)
        most = sum(exact_seated_by_tier(households, flights, policy, result.tiers, by_tier=False))
        assert tuple(greedy) <= best
        for tier in range(4):
            totals["greedy"][tier] += greedy[tier]
            totals["best"][tier] += best[tier]
        most_people += most
        most_greedy += sum(greedy)
        equal += tuple(greedy) == best
        tier1_short += greedy[0] < best[0]
        worst = max(worst, most - sum(greedy))
    print(f"{count} instances (seed {seed}): greedy equals the tier-by-tier optimum in {equal}")
    print(f"  tier-1 people short of the optimum in {tier1_short} instances")
    for tier in range(4):
        g, b = totals["greedy"][tier], totals["best"][tier]
        print(f"  tier {tier + 1}: greedy seats {g:>5} people, optimum {b:>5}")
    print(
        f"  all tiers: greedy {most_greedy} people, most that fit {most_people} "
        f"({100 * (most_people - most_greedy) / most_people:.1f} % fewer); "
        f"at worst {worst} people fewer in one instance"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=70000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--table", action="store_true", help="10k, 100k and 1M people")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--gap", type=int, metavar="N", help="compare with CP-SAT on N instances")
    args = parser.parse_args()
    if args.gap:
        report_gap(args.gap)
    elif args.profile:
        households, flights, airports = make_instance(args.people)
        cProfile.runctx(
            "plan(households, flights, Policy(), airports)", globals(), locals(), "/tmp/plan.prof"
        )
        pstats.Stats("/tmp/plan.prof").sort_stats("cumulative").print_stats(25)
    elif args.table:
        for people, repeats in ((10_000, args.repeats), (100_000, 3), (1_000_000, 1)):
            _print_row(time_plan(people, repeats))
    else:
        _print_row(time_plan(args.people, args.repeats))


if __name__ == "__main__":
    main()
