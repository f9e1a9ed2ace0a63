"""Every leg reads its times on the clocks of the places it leaves and reaches, written
on the leg when it is saved: a bus from an assembly point in Kyiv is announced at
Kyiv's time, though Ukraine keeps more than one time (Crimea's airports)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from evac.audit.service import SYSTEM
from evac.db import utcnow
from evac.errors import InvalidFields
from evac.flights.models import Flight
from evac.flights.schemas import parse_flight
from evac.flights.service import cancel_flight, create_flight, update_flight
from evac.flights.times import times_at
from evac.geo.airports import get_airport
from evac.notifications.models import OutboxMessage
from evac.places.importer import import_places_csv
from evac.places.models import Place
from evac.places.service import update_place
from tests.factories import sign_in
from tests.flights.conftest import assign, flight_fields
from tests.places.conftest import make_place

pytestmark = pytest.mark.usefixtures("missions")
KYIV = get_airport("KBP").tz  # type: ignore[union-attr]
PLACES_HEADER = "code,kind,name,country,latitude,longitude,reach_km"


def kyiv_bus(session: Session, **overrides: Any) -> Flight:
    """A bus from an assembly point in Kyiv to Rzeszów, leaving 06:00 Kyiv time."""
    make_place(
        session, code="KYIV-1", kind="assembly_point", name="Kyiv, Olimpiiskyi stadium",
        country="UA", latitude="50.433", longitude="30.522",
    )  # fmt: skip
    fields = flight_fields(
        flight_number="UA-BUS-1", mode="bus", kind="", departure_airport="KYIV-1",
        destination_airport="RZE", departure_time="2099-01-15T06:00+02:00",
        arrival_time="2099-01-15T17:00+01:00", seats="50",
    )  # fmt: skip
    return create_flight(session, parse_flight(fields | overrides), actor=SYSTEM)


def test_a_leg_carries_the_zones_of_the_places_it_joins(session: Session) -> None:
    bus = kyiv_bus(session)
    assert (bus.departure_zone, bus.arrival_zone) == (KYIV, "Europe/Warsaw")
    assert bus.country == "UA"


def test_a_cancelled_bus_from_kyiv_is_announced_at_kyivs_time(session: Session) -> None:
    bus = kyiv_bus(session)
    assign(session, bus, seats=2)
    cancel_flight(session, bus, expected_version=bus.row_version, actor=SYSTEM)
    bodies = session.exec(
        select(OutboxMessage.body).where(col(OutboxMessage.template).startswith("flight_cancelled"))
    ).all()
    assert bodies and all("06:00" in body and "04:00" not in body for body in bodies)


def test_officer_sees_a_bus_leaving_today_beside_the_flights(
    client: TestClient, session: Session
) -> None:
    make_place(
        session, code="BER-AP1", kind="assembly_point", name="Berlin, Olympic stadium",
        country="DE", latitude="52.5147", longitude="13.2395",
    )  # fmt: skip
    fields = flight_fields(
        flight_number="DE-BUS-1", mode="bus", kind="", departure_airport="BER-AP1",
        destination_airport="BER", departure_time=utcnow().isoformat(), seats="50",
    )  # fmt: skip
    create_flight(session, parse_flight(fields), actor=SYSTEM)
    sign_in(client, "berlin")
    page = client.get("/staff/today")
    assert "DE-BUS-1" in page.text
    assert ">Bus</span>" in page.text
    assert "Check-in at the airport" not in page.text


def test_a_place_legs_use_cannot_move_to_other_clocks(session: Session) -> None:
    kyiv_bus(session)
    place = session.exec(select(Place).where(Place.code == "KYIV-1")).one()
    crimea = {"latitude": "44.95", "longitude": "34.10"}  # Simferopol: Moscow's time
    with pytest.raises(InvalidFields, match="cannot move to another country or time zone"):
        update_place(session, place, crimea, expected_version=None, actor=SYSTEM)
    session.rollback()
    with pytest.raises(InvalidFields, match="cannot move"):
        update_place(session, place, {"country": "PL"}, expected_version=None, actor=SYSTEM)
    session.rollback()
    nearby = {"latitude": "50.45", "longitude": "30.52"}  # a typo mended, same clocks
    assert (
        update_place(session, place, nearby, expected_version=None, actor=SYSTEM).latitude == 50.45
    )


def test_an_import_that_moves_a_used_place_to_other_clocks_is_refused_by_line(
    session: Session,
) -> None:
    kyiv_bus(session)
    lines = [
        PLACES_HEADER,
        "LVIV-1,assembly_point,Lviv station,UA,49.84,24.00,",
        "KYIV-1,assembly_point,Kyiv,UA,44.95,34.10,",
    ]
    report = import_places_csv(session, [line + "\n" for line in lines], dry_run=False)
    assert report.created == 1
    assert [error.line for error in report.errors] == [3]
    assert "cannot move" in report.errors[0].reason


def test_an_unused_place_may_move_anywhere(session: Session) -> None:
    place = make_place(session, code="KYIV-2", country="UA", latitude="50.4", longitude="30.5")
    moved = update_place(
        session, place, {"latitude": "44.95", "longitude": "34.10"}, expected_version=None,
        actor=SYSTEM,
    )  # fmt: skip
    assert moved.latitude == 44.95


def test_a_moment_is_read_on_a_zones_clocks_from_any_zone() -> None:
    departure = datetime(2020, 3, 27, 21, 30, tzinfo=UTC)
    local = times_at(departure, "Europe/Istanbul").local
    assert (local.hour, local.minute, local.utcoffset()) == (0, 30, timedelta(hours=3))
    assert local == departure
    ankara_noon = datetime(2020, 3, 27, 12, 0, tzinfo=timezone(timedelta(hours=3)))
    assert times_at(ankara_noon, "Europe/Istanbul").local.hour == 12


def test_a_naive_moment_is_utc_as_sqlite_gives_it() -> None:
    times = times_at(datetime(2020, 7, 1, 12, 0), "Europe/Berlin")
    assert (times.local.hour, times.utc_text) == (14, "2020-07-01 12:00 UTC")


def test_passengers_are_told_when_their_bus_becomes_a_train(session: Session) -> None:
    bus = kyiv_bus(session)
    assign(session, bus, seats=1)
    update_flight(session, bus, {"mode": "train"}, expected_version=bus.row_version, actor=SYSTEM)
    bodies = session.exec(
        select(OutboxMessage.body).where(col(OutboxMessage.template).startswith("flight_changed"))
    ).all()
    assert bodies and all("train ua-bus-1" in body.lower() for body in bodies)
