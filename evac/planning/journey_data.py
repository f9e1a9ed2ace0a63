"""The journey planner's data contracts: plain, frozen values in and out.

A journey is a chain of legs (a flight, an ambulance flight, a bus, a ship, a
train) between places (airports, assembly points, seaports, border crossings,
rail stations) that ends in the home country. The journey planner,
:func:`evac.planning.journeys.plan_journeys`, takes households (the same
:class:`~evac.planning.data.Household` as the flight planner), places, legs
and a policy, and returns plain data. Nothing here knows about sessions,
requests or the clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from evac.planning.data import Policy, TcnPolicy


class PlaceKind(StrEnum):
    airport = "airport"
    assembly_point = "assembly_point"
    seaport = "seaport"
    border_crossing = "border_crossing"
    rail_station = "rail_station"


class LegMode(StrEnum):
    flight = "flight"
    ambulance_flight = "ambulance_flight"
    bus = "bus"
    ship = "ship"
    train = "train"


class JourneyReason(StrEnum):
    """Why a household got no journey, in words a coordinator can act on.

    ``no_route_in_reach``: no chain of legs of its kind (legs that carry
    stretchers, for a household with a stretcher patient; anything but
    ambulance flights, for any other) leads home from a place within reach.
    ``household_too_large``: such routes exist, but the household would not
    fit on any of them even if every leg were empty. ``no_capacity``: it
    would fit, but on every route some leg is full. ``no_members``: a
    registration with nobody in it.
    """

    no_route_in_reach = "no_route_in_reach"
    no_capacity = "no_capacity"
    household_too_large = "household_too_large"
    no_members = "no_members"


class Preference(StrEnum):
    """Which journey a household is given among those with room for it.

    ``earliest_arrival``: the earliest arrival home, then the fewest legs,
    then the nearest first departure place, then the leg ids in travel order.
    ``nearest_departure``: the first leg as the flight planner chooses a
    flight (nearest place, earliest departure, lowest leg id), then the
    earliest arrival home from there. The planner plans with both and keeps
    the one that seats more people (see ``docs/planner.md``, "Journeys").
    """

    earliest_arrival = "earliest_arrival"
    nearest_departure = "nearest_departure"


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    kind: PlaceKind
    country: str
    latitude: float
    longitude: float
    reach_km: float
    """Households within this geodesic distance may start a journey here."""
    name: str = ""


@dataclass(frozen=True, slots=True)
class Leg:
    leg_id: int
    number: str
    mode: LegMode
    origin: str
    destination: str
    departure_time: datetime
    arrival_time: datetime
    seats: int
    stretchers: int
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class JourneyPolicy:
    """The rules of a journey plan and the standard vehicles recommendations count in.

    A household with a stretcher patient that needs a leg where the standard
    vehicle of its mode carries no stretcher is counted in ambulance-sized
    vehicles of that mode (``ambulance_stretchers`` and ``ambulance_seats``).
    """

    home_country: str = "TR"
    min_connection_minutes: int = 120
    tcn_policy: TcnPolicy = TcnPolicy.space_available
    flight_seats: int = 180
    ambulance_stretchers: int = 2
    ambulance_seats: int = 4
    bus_seats: int = 50
    ship_seats: int = 500
    ship_stretchers: int = 20
    train_seats: int = 300

    def tier_policy(self) -> Policy:
        """The flight planner's policy with the fields priority tiers read."""
        return Policy(home_country=self.home_country, tcn_policy=self.tcn_policy)

    def vehicle(self, mode: LegMode, stretchers: bool) -> tuple[LegMode, int, int]:
        """(mode, seats, stretchers) of the standard vehicle for one more leg.

        ``stretchers``: for people that include stretcher patients.
        """
        if mode in (LegMode.flight, LegMode.ambulance_flight):
            if stretchers:
                return LegMode.ambulance_flight, self.ambulance_seats, self.ambulance_stretchers
            return LegMode.flight, self.flight_seats, 0
        if mode == LegMode.ship:
            return mode, self.ship_seats, self.ship_stretchers
        if stretchers:
            return mode, self.ambulance_seats, self.ambulance_stretchers
        return mode, self.bus_seats if mode == LegMode.bus else self.train_seats, 0


@dataclass(frozen=True, slots=True)
class PlannedJourney:
    registration_id: int
    leg_ids: tuple[int, ...]
    """In travel order."""


@dataclass(frozen=True, slots=True)
class LegAssignment:
    registration_id: int
    person_id: int
    leg_id: int
    uses_stretcher: bool


@dataclass(frozen=True, slots=True)
class JourneyUnassigned:
    registration_id: int
    reference: str
    people: int
    reason: JourneyReason
    tier: int
    full_legs: tuple[str, ...] = ()
    """For ``no_capacity``: the numbers of the legs on its possible routes that
    have no room for it, sorted."""


@dataclass(frozen=True, slots=True)
class LegLoad:
    """Seats and stretchers taken on a leg, fixed passengers included."""

    leg_id: int
    number: str
    seats_used: int
    stretchers_used: int


@dataclass(frozen=True, slots=True)
class ExtraVehicles:
    """More vehicles alongside a full leg, for the people it left out.

    ``leg_number`` is the full leg the new vehicles would double (same route,
    same time), ``connects_to`` the next leg of those people's route (None on
    the last leg home): "3 buses of 50 seats from KRT-1 to PZU alongside
    B-101, before S-7". ``people`` is how many of the left-out people they
    would carry, ``households`` in how many households; ``unplaceable_people``
    belong to households larger than the standard vehicle even empty.
    """

    leg_number: str
    origin: str
    destination: str
    departure_time: datetime
    mode: LegMode
    vehicles: int
    seats_per_vehicle: int
    stretchers_per_vehicle: int
    extra_seats: int
    extra_stretchers: int
    people: int
    households: int
    connects_to: str | None = None
    unplaceable_people: int = 0


@dataclass(frozen=True, slots=True)
class StrandedPeople:
    """People of one country that no route can take, and where they wait.

    ``reason`` is ``no_route_in_reach`` or ``household_too_large``.
    ``cities``: (city, people), most first, as the recommendation of the
    flight planner gives them. ``places``: the codes of the places of the
    country within reach of the most of them (people without a position count
    as near every place), most first; where a new route could start.
    """

    country: str
    reason: JourneyReason
    people: int
    households: int
    cities: tuple[tuple[str, int], ...]
    places: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class JourneyPlanResult:
    journeys: tuple[PlannedJourney, ...]
    assignments: tuple[LegAssignment, ...]
    unassigned: tuple[JourneyUnassigned, ...]
    leg_loads: tuple[LegLoad, ...]
    recommendations: tuple[ExtraVehicles | StrandedPeople, ...]
    tiers: Mapping[int, int] = field(default_factory=dict)
    preference: Preference = Preference.earliest_arrival
    """The preference the plan kept (the one that seats more people)."""
