"""The planner's data contracts: plain, frozen values in and out.

The planning service turns database rows into these, calls
:func:`evac.planning.core.plan`, and saves what comes back. Nothing here knows
about sessions, requests or the clock, so the planner can be tested with
generated instances.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class MedicalUrgency(StrEnum):
    none = "none"
    stable = "stable"
    urgent = "urgent"
    critical = "critical"


class FlightKind(StrEnum):
    regular = "regular"
    ambulance = "ambulance"


class TcnPolicy(StrEnum):
    """How third-country nationals (households without a citizen) are seated.

    ``space_available``: after every household with a citizen (tier 4).
    ``equal``: like households of citizens without special needs (tier 3).
    """

    space_available = "space_available"
    equal = "equal"


class UnassignedReason(StrEnum):
    """Why a household got no seat, in words a coordinator can act on.

    ``household_too_large_for_flight`` and ``no_members`` extend the original
    contract: a household without a stretcher patient that is larger than
    every regular flight in its reach even when empty, and a registration with
    nobody in it (nothing to seat).
    """

    no_flight_in_reach = "no_flight_in_reach"
    no_capacity = "no_capacity"
    household_too_large_for_ambulance = "household_too_large_for_ambulance"
    household_too_large_for_flight = "household_too_large_for_flight"
    no_members = "no_members"


@dataclass(frozen=True, slots=True)
class Member:
    person_id: int
    date_of_birth: date | None
    nationality: str
    needs_stretcher: bool = False
    needs_wheelchair: bool = False
    needs_oxygen: bool = False
    medical_urgency: MedicalUrgency = MedicalUrgency.none
    pregnant: bool = False


@dataclass(frozen=True, slots=True)
class Household:
    """A registration: the people who travel together.

    ``fixed_flight_id`` is set when the household's passengers are already
    confirmed, checked in or boarded on that flight. Re-planning never moves
    them; if that flight is cancelled or not in the input they return to the
    pool and are planned like everyone else.
    """

    registration_id: int
    reference: str
    country: str
    latitude: float | None
    longitude: float | None
    registered_at: datetime
    members: tuple[Member, ...]
    fixed_flight_id: int | None = None
    city: str = ""
    """Where the household waits, as it said; only to explain recommendations."""
    fixed_leg_ids: tuple[int, ...] = ()
    """For the journey planner: the legs of a journey the household is already
    confirmed or checked in on. It keeps them while every one still runs;
    otherwise it returns to the pool. The flight planner reads only
    ``fixed_flight_id``."""


@dataclass(frozen=True, slots=True)
class Flight:
    flight_id: int
    flight_number: str
    kind: FlightKind
    departure_airport: str
    country: str
    latitude: float
    longitude: float
    departure_time: datetime
    seats: int
    stretchers: int
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class Airport:
    iata: str
    country: str
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class Policy:
    home_country: str = "TR"
    max_airport_distance_km: float = 800.0
    tcn_policy: TcnPolicy = TcnPolicy.space_available
    standard_flight_seats: int = 180
    ambulance_stretchers: int = 2
    ambulance_seats: int = 4


@dataclass(frozen=True, slots=True)
class PlannedAssignment:
    registration_id: int
    person_id: int
    flight_id: int
    uses_stretcher: bool


@dataclass(frozen=True, slots=True)
class Unassigned:
    registration_id: int
    reference: str
    people: int
    reason: UnassignedReason
    tier: int


@dataclass(frozen=True, slots=True)
class FlightLoad:
    """Seats and stretchers taken on a flight, fixed passengers included."""

    flight_id: int
    flight_number: str
    seats_used: int
    stretchers_used: int


@dataclass(frozen=True, slots=True)
class RecommendationReason:
    """Why a country needs the planes it is recommended, in figures a person can check.

    ``places``: (city, people) where the left-out people wait, most first (an
    empty city for households that gave none). ``airport_people``: of them,
    those within ``max_airport_distance_km`` of the suggested airport (people
    without a position count as near), ``airport_km`` their mean great-circle
    distance to it (None when nobody gave a position). ``next_regular`` and
    ``next_ambulance``: the people one more plane of each kind would carry
    (its fullest load), ``next_ambulance_stretchers`` of them on stretchers.
    """

    regular_people: int
    ambulance_people: int
    places: tuple[tuple[str, int], ...]
    airport_people: int = 0
    airport_km: float | None = None
    next_regular: int = 0
    next_ambulance: int = 0
    next_ambulance_stretchers: int = 0


@dataclass(frozen=True, slots=True)
class CountryRecommendation:
    """What one country still needs so that everyone left out there can fly.

    ``unplaceable_people`` (an addition to the original contract) counts the
    people of left-out households that fit neither a standard flight nor a
    standard ambulance plane even when empty; they need a bigger aircraft and
    are not counted in the extra flights.
    """

    country: str
    assigned_people: int
    unassigned_people: int
    extra_regular_flights: int
    extra_ambulance_flights: int
    suggested_airport: str | None
    unplaceable_people: int = 0
    reason: RecommendationReason | None = None
    """Why, when anyone is left out."""


@dataclass(frozen=True, slots=True)
class PlanResult:
    assignments: tuple[PlannedAssignment, ...]
    unassigned: tuple[Unassigned, ...]
    flight_loads: tuple[FlightLoad, ...]
    recommendations: tuple[CountryRecommendation, ...]
    tiers: Mapping[int, int] = field(default_factory=dict)
