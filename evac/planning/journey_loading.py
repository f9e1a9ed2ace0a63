"""Reading the journey planner's input from the database as plain data.

Every leg that is planned, open or cancelled, of every mode (the ``flight``
table), and every place one uses or that is stored, resolved once
(``evac.places.service``). A flight saved before legs had an arrival time gets
an estimate (``estimated_arrival``). Which planner runs is decided here too
(``needs_journeys``): the flight planner as long as every leg is a direct flight
home, the journey planner as soon as one is not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from evac.flights.models import AIR_MODES, Assignment, AssignmentStatus, Flight, FlightStatus
from evac.geo.distance import great_circle_km
from evac.places.service import (
    ResolvedPlace,
    effective_reach_km,
    resolve_places,
    stored_places,
)
from evac.planning import data
from evac.planning.journey_data import JourneyPolicy, Leg, LegMode, Place, PlaceKind
from evac.planning.loading import FIXED_ASSIGNMENTS, PLANNABLE_FLIGHTS
from evac.settings import Settings

AIR_SPEED_KMH = 800.0
GROUND_TIME = timedelta(minutes=30)
LIVE_SEATS = (AssignmentStatus.assigned, *FIXED_ASSIGNMENTS)


@dataclass(frozen=True)
class LegNetwork:
    """The legs the planners may use (cancelled ones marked) and the places they touch.

    ``estimated``: the legs whose arrival time is an estimate. ``countries``: each
    leg's departure country, as recorded on the leg.
    """

    legs: dict[int, Leg]
    places: dict[str, ResolvedPlace]
    countries: dict[int, str] = field(default_factory=dict)
    estimated: frozenset[int] = frozenset()


def estimated_arrival(
    departure: datetime, origin: ResolvedPlace | None, destination: ResolvedPlace | None
) -> datetime:
    """When a flight without an arrival time lands: the great-circle distance at
    800 km/h, plus 30 minutes on the ground (taxi, climb, approach)."""
    if origin is None or destination is None:
        return departure + GROUND_TIME
    a, b = origin, destination
    km = float(great_circle_km(a.latitude, a.longitude, b.latitude, b.longitude))
    return departure + timedelta(hours=km / AIR_SPEED_KMH) + GROUND_TIME


LEG_COLUMNS = (
    Flight.id,
    Flight.flight_number,
    Flight.mode,
    Flight.country,
    Flight.departure_airport,
    Flight.destination_airport,
    Flight.departure_time,
    Flight.arrival_time,
    Flight.seats,
    Flight.stretchers,
    Flight.status,
)


def load_network(session: Session) -> LegNetwork:
    """Every leg planned, open or cancelled, and the places of all of them."""
    statuses = [*PLANNABLE_FLIGHTS, FlightStatus.cancelled]
    rows = session.execute(
        sa.select(*LEG_COLUMNS).where(Flight.status.in_(statuses))  # type: ignore[attr-defined]
    ).all()
    codes = {code.upper() for row in rows for code in (row[4], row[5])}
    places = {place.code: place for place in stored_places(session)}
    places.update(resolve_places(session, codes))
    legs: dict[int, Leg] = {}
    estimated = set()
    for row in rows:
        origin, destination = row.departure_airport.upper(), row.destination_airport.upper()
        arrival = row.arrival_time
        if arrival is None:
            arrival = estimated_arrival(
                row.departure_time, places.get(origin), places.get(destination)
            )
            estimated.add(row.id)
        legs[row.id] = Leg(
            leg_id=row.id,
            number=row.flight_number,
            mode=LegMode(row.mode),
            origin=origin,
            destination=destination,
            departure_time=row.departure_time,
            arrival_time=arrival,
            seats=row.seats,
            stretchers=row.stretchers,
            cancelled=row.status == FlightStatus.cancelled,
        )
    countries = {row.id: row.country for row in rows}
    return LegNetwork(legs, places, countries, frozenset(estimated))


def needs_journeys(network: LegNetwork, home_country: str) -> bool:
    """Whether some leg that runs is not a direct flight from its country home: then the
    journey planner plans everyone; otherwise the flight planner does, as it always has.

    A destination no place or airport resolves does not count against a flight (the
    flight planner never reads it)."""
    home = home_country.upper()
    for leg in network.legs.values():
        if leg.cancelled:
            continue
        if leg.mode not in AIR_MODES:
            return True
        origin = network.places.get(leg.origin)
        if origin is not None and origin.country != network.countries.get(leg.leg_id):
            return True
        destination = network.places.get(leg.destination)
        if destination is not None and destination.country != home:
            return True
    return False


def journey_places(network: LegNetwork, settings: Settings) -> list[Place]:
    """The places as the journey planner reads them, each with its reach."""
    return [
        Place(
            code=place.code,
            kind=PlaceKind(place.kind),
            country=place.country,
            latitude=place.latitude,
            longitude=place.longitude,
            reach_km=effective_reach_km(place, settings),
            name=place.name,
        )
        for place in sorted(network.places.values(), key=lambda p: p.code)
    ]


def journey_policy(settings: Settings) -> JourneyPolicy:
    return JourneyPolicy(
        home_country=settings.home_country,
        min_connection_minutes=settings.min_connection_minutes,
        tcn_policy=data.TcnPolicy(settings.tcn_policy),
        flight_seats=settings.standard_flight_seats,
        ambulance_stretchers=settings.ambulance_stretchers,
        ambulance_seats=settings.ambulance_seats,
    )


def kept_journeys(session: Session) -> dict[int, list[tuple[int, FlightStatus]]]:
    """Each household with seats it keeps (confirmed or further): its legs and their
    status, in travel order."""
    rows = session.execute(
        sa.select(
            Assignment.registration_id, Assignment.flight_id, Flight.status, Flight.departure_time
        )
        .join(Flight, Flight.id == Assignment.flight_id)  # type: ignore[arg-type]
        .where(Assignment.status.in_(FIXED_ASSIGNMENTS))  # type: ignore[attr-defined]
        .distinct()
        .order_by(Assignment.registration_id, Flight.departure_time, Assignment.flight_id)
    )
    kept: dict[int, list[tuple[int, FlightStatus]]] = defaultdict(list)
    for registration_id, flight_id, status, _ in rows:
        kept[registration_id].append((flight_id, FlightStatus(status)))
    return kept


def with_kept_legs(
    households: Iterable[data.Household], kept: Mapping[int, list[tuple[int, FlightStatus]]]
) -> list[data.Household]:
    """The households with ``fixed_leg_ids`` from the seats they keep.

    A household in transit (a leg of its journey has closed or left) keeps its seats
    on the legs still ahead, never goes back to the pool, and is left out of the
    plan once nothing is ahead: it is travelling, not waiting."""
    out = []
    for household in households:
        legs = kept.get(household.registration_id)
        if not legs:
            out.append(household)
            continue
        to_come = {*PLANNABLE_FLIGHTS, FlightStatus.cancelled}
        if all(status in to_come for _, status in legs):
            out.append(replace(household, fixed_leg_ids=tuple(leg for leg, _ in legs)))
            continue
        ahead = tuple(leg for leg, status in legs if status in PLANNABLE_FLIGHTS)
        if ahead:
            out.append(replace(household, fixed_leg_ids=ahead))
    return out


def seats_held_by_others(session: Session, planned: set[int]) -> dict[int, tuple[int, int]]:
    """Seats and stretchers that households outside the plan (another country, or
    travelling) hold on each leg: the plan leaves them where they are."""
    rows = session.execute(
        sa.select(
            Assignment.flight_id,
            Assignment.registration_id,
            sa.func.count().filter(Assignment.uses_stretcher.is_(False)),  # type: ignore[attr-defined]
            sa.func.count().filter(Assignment.uses_stretcher.is_(True)),  # type: ignore[attr-defined]
        )
        .where(Assignment.status.in_(LIVE_SEATS))  # type: ignore[attr-defined]
        .group_by(Assignment.flight_id, Assignment.registration_id)
    )
    held: dict[int, tuple[int, int]] = {}
    for flight_id, registration_id, seats, stretchers in rows:
        if registration_id in planned:
            continue
        before = held.get(flight_id, (0, 0))
        held[flight_id] = (before[0] + seats, before[1] + stretchers)
    return held


def without_held(legs: Iterable[Leg], held: Mapping[int, tuple[int, int]]) -> list[Leg]:
    """The legs with only the room the plan may give."""
    return [
        replace(
            leg,
            seats=max(leg.seats - held[leg.leg_id][0], 0),
            stretchers=max(leg.stretchers - held[leg.leg_id][1], 0),
        )
        if leg.leg_id in held
        else leg
        for leg in legs
    ]
