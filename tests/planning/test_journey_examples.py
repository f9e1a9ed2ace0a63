"""The journey planner on the cases people ask about: Khartoum to Istanbul by bus, ship, plane."""

from __future__ import annotations

from datetime import timedelta

from evac.planning.data import Household, MedicalUrgency
from evac.planning.journey_data import (
    ExtraVehicles,
    JourneyPolicy,
    JourneyReason,
    Leg,
    LegMode,
    Preference,
    StrandedPeople,
)
from evac.planning.journeys import plan_journeys
from tests.planning.journey_strategies import PLACES
from tests.planning.strategies import BASE, household, person

KHARTOUM = (15.60, 32.50)


def leg(
    leg_id: int,
    origin: str,
    destination: str,
    hours: int,
    takes: int,
    *,
    mode: LegMode = LegMode.bus,
    seats: int = 10,
    stretchers: int = 0,
    cancelled: bool = False,
) -> Leg:
    departs = BASE + timedelta(hours=hours)
    return Leg(
        leg_id,
        f"{mode.value[0].upper()}-{leg_id}",
        mode,
        origin,
        destination,
        departs,
        departs + timedelta(hours=takes),
        seats,
        stretchers,
        cancelled,
    )


def sudan(bus_seats: int = 10, ship_stretchers: int = 0) -> list[Leg]:
    """Bus KRT-1 -> Port Sudan, ship -> Jeddah, bus to the airport, flight -> Istanbul."""
    return [
        leg(1, "KRT-1", "PZU", 0, 14, seats=bus_seats),
        leg(2, "PZU", "JED", 20, 12, mode=LegMode.ship, seats=500, stretchers=ship_stretchers),
        leg(3, "JED", "JED-A", 38, 1, seats=50),
        leg(4, "JED-A", "IST", 44, 4, mode=LegMode.flight, seats=180),
    ]


def in_sudan(registration_id: int, people: list, **kwargs: object) -> Household:
    return household(registration_id, people, country="SD", where=KHARTOUM, **kwargs)


def journey_of(result: object, registration_id: int) -> tuple[int, ...] | None:
    found = [j.leg_ids for j in result.journeys if j.registration_id == registration_id]
    return found[0] if found else None


def left_out(result: object, registration_id: int) -> object:
    return next(u for u in result.unassigned if u.registration_id == registration_id)


def test_family_in_khartoum_travels_by_bus_ship_bus_and_plane_in_that_order() -> None:
    family = in_sudan(1, [person(1), person(2), person(3)])
    result = plan_journeys([family], PLACES, sudan(), JourneyPolicy())
    assert journey_of(result, 1) == (1, 2, 3, 4)
    assert {(a.person_id, a.leg_id) for a in result.assignments} == {
        (p, g) for p in (1, 2, 3) for g in (1, 2, 3, 4)
    }


def test_a_connection_shorter_than_the_minimum_is_no_route() -> None:
    family = in_sudan(1, [person(1)])
    tight = JourneyPolicy(min_connection_minutes=5 * 60)  # every connection takes 5 or 6 h
    assert journey_of(plan_journeys([family], PLACES, sudan(), tight), 1) is not None
    tighter = JourneyPolicy(min_connection_minutes=7 * 60)
    result = plan_journeys([family], PLACES, sudan(), tighter)
    assert left_out(result, 1).reason == JourneyReason.no_route_in_reach


def test_household_left_out_is_told_which_bus_was_full_and_what_to_add() -> None:
    first = in_sudan(1, [person(k) for k in range(1, 9)], days_ago=2)
    second = in_sudan(2, [person(9), person(10), person(11)])
    result = plan_journeys([first, second], PLACES, sudan(bus_seats=10), JourneyPolicy())
    assert journey_of(result, 1) == (1, 2, 3, 4)
    refused = left_out(result, 2)
    assert (refused.reason, refused.full_legs) == (JourneyReason.no_capacity, ("B-1",))
    (extra,) = [r for r in result.recommendations if isinstance(r, ExtraVehicles)]
    assert (extra.leg_number, extra.origin, extra.destination) == ("B-1", "KRT-1", "PZU")
    assert (extra.mode, extra.vehicles, extra.seats_per_vehicle) == (LegMode.bus, 1, 50)
    assert (extra.people, extra.connects_to) == (3, "S-2")


def test_stretcher_patient_travels_only_on_legs_with_stretchers() -> None:
    patient = in_sudan(1, [person(1, needs_stretcher=True), person(2)])
    assert journey_of(plan_journeys([patient], PLACES, sudan(), JourneyPolicy()), 1) is None
    with_stretchers = [
        *[
            g
            if g.leg_id == 4
            else Leg(**{n: getattr(g, n) for n in Leg.__slots__} | {"stretchers": 2})
            for g in sudan()
        ][:3],
        leg(5, "JED-A", "IST", 44, 4, mode=LegMode.ambulance_flight, seats=2, stretchers=1),
    ]
    result = plan_journeys([patient], PLACES, with_stretchers, JourneyPolicy())
    assert journey_of(result, 1) == (1, 2, 3, 5)
    assert {a.leg_id for a in result.assignments if a.uses_stretcher} == {1, 2, 3, 5}


def test_ambulance_flight_carries_only_households_with_a_stretcher_patient() -> None:
    walking = household(1, [person(1)], country="EG", where=(30.1, 31.4))
    ambulance = leg(1, "CAI", "IST", 5, 3, mode=LegMode.ambulance_flight, seats=4, stretchers=2)
    result = plan_journeys([walking], PLACES, [ambulance], JourneyPolicy())
    assert left_out(result, 1).reason == JourneyReason.no_route_in_reach


def test_earliest_arrival_home_beats_a_nearer_start_unless_nearest_departure_is_asked() -> None:
    nearer_krt1 = household(1, [person(1)], country="SD", where=(15.58, 32.54))
    legs = [
        leg(1, "KRT-1", "PZU", 10, 14),
        leg(2, "KRT-2", "PZU", 0, 14),
        leg(3, "PZU", "IST", 20, 5, mode=LegMode.flight),
        leg(4, "PZU", "IST", 30, 5, mode=LegMode.flight),
    ]
    assert journey_of(plan_journeys([nearer_krt1], PLACES, legs, JourneyPolicy()), 1) == (2, 3)
    nearest = plan_journeys(
        [nearer_krt1], PLACES, legs, JourneyPolicy(), Preference.nearest_departure
    )
    assert journey_of(nearest, 1) == (1, 4)


def test_urgent_patient_gets_the_last_seat_on_the_bus() -> None:
    early = in_sudan(1, [person(1)], days_ago=3)
    urgent = in_sudan(2, [person(2, medical_urgency=MedicalUrgency.urgent)])
    result = plan_journeys([early, urgent], PLACES, sudan(bus_seats=1), JourneyPolicy())
    assert journey_of(result, 2) == (1, 2, 3, 4)
    assert left_out(result, 1).tier == 3


def test_confirmed_household_keeps_its_journey_unless_a_leg_is_cancelled() -> None:
    confirmed = Household(
        **{n: getattr(in_sudan(1, [person(1)]), n) for n in Household.__slots__}
        | {"fixed_leg_ids": (1, 2, 3, 4)}
    )
    urgent = in_sudan(2, [person(2, medical_urgency=MedicalUrgency.critical)])
    result = plan_journeys([confirmed, urgent], PLACES, sudan(bus_seats=1), JourneyPolicy())
    assert journey_of(result, 1) == (1, 2, 3, 4)
    assert journey_of(result, 2) is None
    cancelled = [
        g if g.leg_id != 2 else leg(2, "PZU", "JED", 20, 12, cancelled=True) for g in sudan()
    ]
    result = plan_journeys([confirmed], PLACES, cancelled, JourneyPolicy())
    assert left_out(result, 1).reason == JourneyReason.no_route_in_reach


def test_people_no_route_reaches_are_counted_where_they_wait() -> None:
    far = household(1, [person(1), person(2)], country="EG", where=(30.1, 31.4))
    result = plan_journeys([far], PLACES, sudan(), JourneyPolicy())
    (stranded,) = result.recommendations
    assert isinstance(stranded, StrandedPeople)
    assert (stranded.country, stranded.people, stranded.places[0]) == ("EG", 2, ("CAI", 2))
