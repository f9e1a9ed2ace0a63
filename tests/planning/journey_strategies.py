"""Random journey-planning instances for hypothesis.

A small world with a Sudan-like corridor (assembly points, a bus to Port
Sudan, a ship to Jeddah, a flight home), an Egyptian one (bus to the border
at Wadi Halfa, train to Cairo, flight), direct flights, a few legs going
back the other way (so that cycles are possible), households around the
places (some without a position, some in a country with no leg at all),
sizes 1-6, rare stretcher patients, and a few households already confirmed
on a chain of legs.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st

from evac.planning.data import Household, TcnPolicy
from evac.planning.journey_data import JourneyPolicy, Leg, LegMode, Place, PlaceKind
from tests.planning.strategies import BASE, HOME, flag, members

PLACES = (
    Place("KRT-1", PlaceKind.assembly_point, "SD", 15.59, 32.53, 250, "Khartoum 1"),
    Place("KRT-2", PlaceKind.assembly_point, "SD", 15.65, 32.48, 250, "Khartoum 2"),
    Place("PZU", PlaceKind.seaport, "SD", 19.61, 37.22, 300, "Port Sudan"),
    Place("WHF", PlaceKind.border_crossing, "SD", 21.80, 31.35, 300, "Wadi Halfa"),
    Place("ASW", PlaceKind.rail_station, "EG", 24.09, 32.90, 300, "Aswan"),
    Place("CAI", PlaceKind.airport, "EG", 30.12, 31.41, 400, "Cairo"),
    Place("JED", PlaceKind.seaport, "SA", 21.48, 39.17, 300, "Jeddah port"),
    Place("JED-A", PlaceKind.airport, "SA", 21.68, 39.15, 300, "Jeddah airport"),
    Place("IST", PlaceKind.airport, HOME, 41.26, 28.74, 100, "Istanbul"),
    Place("MER", PlaceKind.seaport, HOME, 36.80, 34.63, 100, "Mersin"),
)
COUNTRIES = ("SD", "EG", "SA")
NO_LEGS = "NZ"
# (origin, destination, modes, hours on the way)
ROUTES = (
    ("KRT-1", "PZU", (LegMode.bus,), 14),
    ("KRT-2", "PZU", (LegMode.bus,), 14),
    ("KRT-1", "WHF", (LegMode.bus, LegMode.train), 12),
    ("WHF", "ASW", (LegMode.bus, LegMode.ship), 8),
    ("ASW", "CAI", (LegMode.train,), 12),
    ("CAI", "IST", (LegMode.flight, LegMode.ambulance_flight), 3),
    ("PZU", "JED", (LegMode.ship,), 12),
    ("JED", "JED-A", (LegMode.bus,), 1),
    ("JED-A", "IST", (LegMode.flight, LegMode.ambulance_flight), 4),
    ("JED", "MER", (LegMode.ship,), 60),
    ("PZU", "IST", (LegMode.flight, LegMode.ambulance_flight), 5),
    ("PZU", "KRT-1", (LegMode.bus,), 14),
    ("JED", "PZU", (LegMode.ship,), 12),
    ("WHF", "KRT-2", (LegMode.bus,), 12),
)
PLACE_OF = {p.code: p for p in PLACES}


CHAINS = (
    ("KRT-1", "PZU", "JED", "JED-A", "IST"),
    ("KRT-2", "PZU", "IST"),
    ("KRT-1", "WHF", "ASW", "CAI", "IST"),
    ("WHF", "KRT-2", "PZU", "JED", "MER"),
    ("ASW", "CAI", "IST"),
    ("JED", "PZU", "KRT-1", "WHF", "ASW"),
)
ROUTE_OF = {(o, d): (modes, hours) for o, d, modes, hours in ROUTES}


@st.composite
def legs(draw: st.DrawFn, count: int) -> list[Leg]:
    """Legs along the chains, most of them timed to connect with the one before
    (sometimes too tightly for the connection time), some at random."""
    out: list[Leg] = []
    chain, step, ready = CHAINS[0], len(CHAINS[0]) - 1, BASE
    for leg_id in range(1, count + 1):
        if step >= len(chain) - 1 or draw(flag(6)):
            chain = draw(st.sampled_from(CHAINS))
            step = draw(st.integers(0, len(chain) - 2))
            ready = BASE + timedelta(hours=draw(st.integers(0, 48)))
        origin, destination = chain[step], chain[step + 1]
        modes, hours = ROUTE_OF[(origin, destination)]
        mode = draw(st.sampled_from(modes))
        ambulance = mode == LegMode.ambulance_flight
        departs = ready + timedelta(hours=draw(st.integers(0, 5)))
        arrives = departs + timedelta(hours=hours + draw(st.integers(-1, 3)))
        out.append(
            Leg(
                leg_id=leg_id,
                number=f"{mode.value[0].upper()}{leg_id:03d}",
                mode=mode,
                origin=origin,
                destination=destination,
                departure_time=departs,
                arrival_time=arrives,
                seats=draw(st.integers(0, 5) if ambulance else st.integers(0, 10)),
                stretchers=draw(st.integers(0, 2) if ambulance else st.sampled_from((0, 0, 0, 1))),
                cancelled=draw(flag(10)),
            )
        )
        step, ready = step + 1, arrives
    return out


@st.composite
def journey_households(draw: st.DrawFn, count: int, max_size: int = 6) -> list[Household]:
    out = []
    person_id = 1
    for registration_id in range(1, count + 1):
        country = NO_LEGS if draw(flag(25)) else draw(st.sampled_from(COUNTRIES))
        near = [p for p in PLACES if p.country == country] or [PLACES[0]]
        anchor = draw(st.sampled_from(near))
        if draw(flag(7)):
            position = (None, None)
        else:
            spread = draw(st.sampled_from((0.3, 1.0, 1.0, 4.0)))
            d_lat = draw(st.floats(-spread, spread, allow_nan=False))
            d_lon = draw(st.floats(-spread, spread, allow_nan=False))
            position = (anchor.latitude + d_lat, anchor.longitude + d_lon)
        size = draw(st.integers(1, max_size))
        people = tuple(draw(members(person_id + k)) for k in range(size))
        out.append(
            Household(
                registration_id=registration_id,
                reference=f"{draw(st.sampled_from('AB'))}{registration_id:04d}",
                country=country,
                latitude=position[0],
                longitude=position[1],
                registered_at=BASE - timedelta(days=draw(st.integers(0, 3))),
                members=people,
            )
        )
        person_id += size
    return out


def _fix(household: Household, leg_ids: tuple[int, ...]) -> Household:
    values = {name: getattr(household, name) for name in Household.__slots__}
    return Household(**(values | {"fixed_leg_ids": leg_ids}))


@st.composite
def fixed_some(draw: st.DrawFn, people: list[Household], trips: list[Leg]) -> list[Household]:
    """Confirm a few households on one to three legs where they fit (or on a leg
    not in the input), as staff would have done."""
    room = {g.leg_id: [g.seats, g.stretchers] for g in trips}
    out = []
    for household in people:
        if not trips or not draw(flag(6)):
            out.append(household)
            continue
        chosen = draw(st.lists(st.sampled_from(trips), min_size=1, max_size=3, unique=True))
        if draw(flag(8)):
            out.append(_fix(household, (9999,)))
            continue
        lying = sum(m.needs_stretcher for m in household.members)
        needs = {}
        for leg in chosen:
            on_stretchers = lying if leg.stretchers > 0 else 0
            needs[leg.leg_id] = (len(household.members) - on_stretchers, on_stretchers)
        if all(room[i][0] >= s and room[i][1] >= t for i, (s, t) in needs.items()):
            for i, (s, t) in needs.items():
                room[i][0] -= s
                room[i][1] -= t
            out.append(_fix(household, tuple(needs)))
        else:
            out.append(household)
    return out


@st.composite
def journey_instances(
    draw: st.DrawFn, max_households: int = 12, max_legs: int = 12, max_size: int = 6
) -> tuple[list[Household], list[Place], list[Leg], JourneyPolicy]:
    trips = draw(legs(draw(st.integers(3, max_legs))))
    people = draw(journey_households(draw(st.integers(1, max_households)), max_size))
    policy = JourneyPolicy(
        home_country=HOME,
        min_connection_minutes=draw(st.sampled_from((0, 60, 120, 240))),
        tcn_policy=draw(st.sampled_from(list(TcnPolicy))),
        bus_seats=draw(st.sampled_from((4, 50))),
        ship_seats=draw(st.sampled_from((6, 500))),
        flight_seats=draw(st.sampled_from((5, 180))),
    )
    return draw(fixed_some(people, trips)), list(PLACES), trips, policy
