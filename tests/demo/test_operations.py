"""The demo's Sudan-like and Ukraine-like operations: journeys a planner can follow."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from evac.demo.generator import generate_demo_flights, load_demo_missions
from evac.demo.loader import seed_demo
from evac.demo.operations import CLOSED_AIRSPACE, PLACES, demo_legs
from evac.flights.models import Flight, LegMode
from evac.places.models import Place

TODAY = date(2026, 3, 20)
CONNECTION = timedelta(minutes=120)


def _chains_home(start: str, legs: dict[str, list], home: str = "IST") -> list[list[str]]:
    """Every chain of legs from ``start`` to ``home`` that keeps the connection time."""
    chains: list[list[str]] = []

    def walk(place: str, ready_at, path: list) -> None:
        for leg in legs.get(place, []):
            if ready_at is None or leg.departure_time >= ready_at + CONNECTION:
                if leg.destination == home:
                    chains.append([step.mode for step in [*path, leg]])
                else:
                    walk(leg.destination, leg.arrival_time, [*path, leg])

    walk(start, None, [])
    return chains


def test_no_direct_flight_leaves_sudan_or_ukraine_in_the_demo() -> None:
    flights = generate_demo_flights(load_demo_missions(), TODAY, seed=2020, people=100_000)
    assert flights
    assert not [f for f in flights if f.country in CLOSED_AIRSPACE]


def test_khartoums_assembly_points_reach_istanbul_by_bus_ship_and_plane() -> None:
    by_origin: dict[str, list] = {}
    for leg in demo_legs(TODAY):
        by_origin.setdefault(leg.origin, []).append(leg)
    for point in ("KRT-1", "KRT-2", "KRT-3"):
        chains = _chains_home(point, by_origin)
        assert ["bus", "ship", "bus", "flight"] in chains, (point, chains)
    assert ["bus", "ambulance_flight"] in _chains_home("KRT-1", by_origin)
    assert ["bus", "bus", "flight"] in _chains_home("KYIV-1", by_origin)
    assert ["train", "bus", "flight"] in _chains_home("KYIV-RAIL", by_origin)


def test_the_seeded_demo_holds_the_operations_places_and_legs(session: Session) -> None:
    seed_demo(session, people=500, seed=2020, today=TODAY, home_country="TR")
    places = {p.code: p for p in session.exec(select(Place)).all()}
    assert set(places) == {p.code for p in PLACES}
    assert places["PZU"].reach_km == 50  # Port Sudan's airport is not Khartoum's
    legs = session.exec(select(Flight).where(Flight.mode != LegMode.flight)).all()
    modes = {leg.mode for leg in legs}
    assert {LegMode.bus, LegMode.ship, LegMode.train, LegMode.ambulance_flight} <= modes
    ship = next(leg for leg in legs if leg.flight_number == "SDS1")
    assert (ship.departure_airport, ship.destination_airport, ship.country) == (
        "PZU-PORT",
        "JED-PORT",
        "SD",
    )
    assert ship.arrival_time is not None and ship.arrival_time > ship.departure_time
