"""Every way a flight can be wrong gets a message that says what to type instead."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session

from evac.audit.service import SYSTEM
from evac.errors import InvalidFields
from evac.flights.models import FlightKind
from evac.flights.schemas import parse_flight
from evac.flights.service import DuplicateFlight, update_flight
from tests.flights.conftest import assign, flight_fields, make_flight


def problems(**overrides: object) -> dict[str, str]:
    with pytest.raises(InvalidFields) as refused:
        parse_flight(flight_fields(**overrides))
    return refused.value.by_field()


def test_a_valid_flight_is_normalized_and_kept_in_utc() -> None:
    flight = parse_flight(
        flight_fields(
            flight_number=" tk 6001 ",
            departure_airport="fra",
            destination_airport=" ist",
            departure_time="2026-01-15T10:00+01:00",
            kind="Regular",
            stretchers="",
            meeting_point="  Terminal 1, hall B  ",
        )
    )
    assert flight.flight_number == "TK6001"
    assert (flight.departure_airport, flight.destination_airport) == ("FRA", "IST")
    assert flight.departure_time == datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
    assert flight.kind is FlightKind.regular and flight.stretchers == 0
    assert flight.meeting_point == "Terminal 1, hall B"


@pytest.mark.parametrize("number", ["TK6001", "U21234", "4U9525", "THY6001", "LH1"])
def test_airline_codes_of_two_or_three_characters_are_accepted(number: str) -> None:
    assert parse_flight(flight_fields(flight_number=number)).flight_number == number


@pytest.mark.parametrize("number", ["", "TK", "6001", "TK60012", "TK6001A", "TK-6001", "12345"])
def test_a_malformed_flight_number_is_refused(number: str) -> None:
    assert "like TK6001" in problems(flight_number=number)["flight_number"]


def test_the_kind_is_regular_or_ambulance() -> None:
    assert problems(kind="charter")["kind"] == "The kind of flight is regular or ambulance."


@pytest.mark.parametrize("field", ["departure_airport", "destination_airport"])
def test_airports_must_be_known_iata_codes(field: str) -> None:
    assert "No airport has this IATA code" in problems(**{field: "QQQ"})[field]
    assert "3-letter IATA code" in problems(**{field: ""})[field]


def test_departure_and_destination_differ() -> None:
    message = problems(destination_airport="fra")["destination_airport"]
    assert message == "The destination must be another airport than the departure."


def test_a_time_without_offset_is_refused_with_how_to_add_it() -> None:
    message = problems(departure_time="2026-01-15T10:00")["departure_time"]
    assert message.startswith("Add the UTC offset to the departure time")
    assert "2026-03-21T13:30Z" in message


def test_a_time_with_z_is_utc() -> None:
    flight = parse_flight(flight_fields(departure_time="2026-01-15T09:00Z"))
    assert flight.departure_time == datetime(2026, 1, 15, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("value", ["", "tomorrow", "15/01/2026 10:00"])
def test_a_time_that_is_not_iso_8601_is_refused(value: str) -> None:
    assert "like 2026-03-21T14:30+01:00" in problems(departure_time=value)["departure_time"]


@pytest.mark.parametrize("value", ["-1", "ten", "1.5", ""])
def test_seats_are_a_whole_number_not_below_zero(value: str) -> None:
    message = problems(seats=value)["seats"]
    assert message == "Enter the number of seats as a whole number, 0 or more."


def test_negative_stretchers_are_refused() -> None:
    message = problems(kind="ambulance", stretchers="-2")["stretchers"]
    assert message == "Enter the number of stretchers as a whole number, 0 or more."


def test_implausible_capacities_are_refused() -> None:
    assert problems(seats="18000")["seats"] == "A flight has at most 1000 seats."


def test_a_regular_flight_carries_no_stretchers() -> None:
    assert "A regular flight carries no stretchers" in problems(stretchers="2")["stretchers"]


def test_an_ambulance_needs_a_stretcher() -> None:
    message = problems(kind="ambulance", seats="4", stretchers="0")["stretchers"]
    assert message == "An ambulance flight needs at least 1 stretcher."
    ambulance = parse_flight(flight_fields(kind="ambulance", seats="4", stretchers="2"))
    assert ambulance.stretchers == 2


def test_the_meeting_point_is_at_most_500_characters() -> None:
    message = problems(meeting_point="x" * 501)["meeting_point"]
    assert message == "The meeting point is at most 500 characters."
    assert parse_flight(flight_fields(meeting_point="x" * 500)).meeting_point == "x" * 500


def test_every_problem_is_reported_at_once() -> None:
    found = problems(
        flight_number="?", kind="ambulance", destination_airport="FRA", seats="", stretchers="0"
    )
    assert set(found) == {"flight_number", "destination_airport", "seats", "stretchers"}


@pytest.mark.usefixtures("missions")
def test_country_and_local_date_come_from_the_departure_airport(session: Session) -> None:
    # 23:30 UTC on 14 January is already 15 January in Frankfurt.
    flight = make_flight(session, departure_time="2099-01-14T23:30Z")
    assert flight.country == "DE"
    assert flight.departure_date == date(2099, 1, 15)


@pytest.mark.usefixtures("missions")
def test_a_flight_number_is_used_once_per_local_date(session: Session) -> None:
    make_flight(session, departure_time="2099-01-14T23:30Z")
    with pytest.raises(DuplicateFlight) as refused:
        make_flight(session, flight_number="tk6001", departure_time="2099-01-15T20:00+01:00")
    assert refused.value.render(str) == (
        "Flight TK6001 on 2099-01-15 already exists: "
        "a flight number is used once per local departure date."
    )
    make_flight(session, departure_time="2099-01-16T08:00+01:00")


@pytest.mark.usefixtures("missions")
def test_seats_in_use_cannot_be_removed(session: Session) -> None:
    flight = make_flight(session, kind="ambulance", seats="4", stretchers="2")
    assign(session, flight, seats=3, stretchers=2)
    with pytest.raises(InvalidFields) as refused:
        update_flight(
            session, flight, {"seats": 2, "stretchers": 1}, expected_version=None, actor=SYSTEM
        )
    assert refused.value.by_field() == {
        "seats": "3 seats are taken by active assignments: the flight needs at least 3 seats.",
        "stretchers": (
            "2 stretchers are taken by active assignments: the flight needs at least 2 stretchers."
        ),
    }
    update_flight(session, flight, {"seats": 3}, expected_version=None, actor=SYSTEM)
    assert flight.seats == 3 and flight.row_version == 2
