"""Coordinators create, change and cancel flights in the staff pages; officers only read."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.flights.models import Flight
from tests.factories import csrf_token, sign_in
from tests.flights.conftest import assign, flight_fields, later, make_flight

pytestmark = pytest.mark.usefixtures("missions")


def post_new(client: TestClient, **overrides: object) -> httpx.Response:
    token = csrf_token(client, "/staff/flights/new")
    data = {**flight_fields(**overrides), "csrf_token": token, "confirmed": "yes"}
    return client.post("/staff/flights", data=data, follow_redirects=False)


def test_coordinator_creates_a_flight_and_sees_it_in_local_time(
    client: TestClient, session: Session
) -> None:
    sign_in(client, "center")
    response = post_new(client, meeting_point="Terminal 1, desk 12, three hours before")
    assert response.status_code == 303
    flight = session.exec(select(Flight)).one()
    assert response.headers["location"] == f"/staff/flights/{flight.id}"
    page = client.get(response.headers["location"])
    assert "Flight TK6001 created." in page.text
    # Frankfurt in January is UTC+1, said in the reader's language.
    assert "Jan 15, 2099 10:00\u202fAM (Germany (Berlin) Time, UTC+01:00)" in page.text
    assert "Jan 15, 2099 9:00\u202fAM UTC" in page.text
    turkish = client.get(response.headers["location"] + "?lang=tr")
    assert "15 Oca 2099 10:00 (Almanya (Berlin) Saati, UTC+01:00)" in turkish.text
    assert "Europe/Berlin" in page.text
    assert "Terminal 1, desk 12, three hours before" in page.text
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "flight.create")).one()
    assert event.actor == "staff:center" and event.subject_id == str(flight.id)


def test_a_form_without_its_csrf_token_is_refused(client: TestClient, session: Session) -> None:
    sign_in(client, "center")
    response = client.post("/staff/flights", data=flight_fields(), follow_redirects=False)
    assert response.status_code == 403
    assert session.exec(select(Flight)).first() is None


def test_a_refused_form_is_shown_again_with_the_values_and_the_reasons(
    client: TestClient, session: Session
) -> None:
    sign_in(client, "center")
    response = post_new(client, flight_number="tk 77", departure_time="15/01/2099 10h")
    assert response.status_code == 422
    assert 'value="tk 77"' in response.text
    assert 'id="error-summary"' in response.text
    assert "Enter the departure date and time, like 2026-03-21T14:30" in response.text
    assert 'aria-invalid="true"' in response.text
    assert session.exec(select(Flight)).first() is None


def test_a_taken_flight_number_names_the_flight(client: TestClient, session: Session) -> None:
    make_flight(session)
    sign_in(client, "center")
    response = post_new(client)
    assert response.status_code == 409
    assert "Flight TK6001 on 2099-01-15 already exists" in response.text


def test_coordinator_edits_a_flight(client: TestClient, session: Session) -> None:
    flight = make_flight(session)
    sign_in(client, "center")
    form = client.get(f"/staff/flights/{flight.id}/edit")
    assert 'value="2099-01-15T10:00"' in form.text  # on Frankfurt's clocks
    data = flight_fields(seats="200", meeting_point="Gate B", departure_time=later(1))
    token = csrf_token(client, f"/staff/flights/{flight.id}")
    data |= {"row_version": "1", "csrf_token": token, "confirmed": "yes"}
    response = client.post(f"/staff/flights/{flight.id}", data=data, follow_redirects=False)
    assert response.status_code == 303
    session.refresh(flight)
    assert (flight.seats, flight.meeting_point, flight.row_version) == (200, "Gate B", 2)
    assert str(flight.departure_date) == "2099-01-16"
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "flight.update")).one()
    assert event.before["seats"] == 180 and event.after["seats"] == 200


def test_a_stale_edit_is_refused(client: TestClient, session: Session) -> None:
    flight = make_flight(session)
    sign_in(client, "center")
    token = csrf_token(client, f"/staff/flights/{flight.id}")
    data = flight_fields(seats="150") | {
        "row_version": "1",
        "csrf_token": token,
        "confirmed": "yes",
    }
    assert client.post(f"/staff/flights/{flight.id}", data=data).status_code == 200
    again = client.post(f"/staff/flights/{flight.id}", data=data | {"seats": "160"})
    assert again.status_code == 409
    assert "Someone else changed this flight" in again.text
    session.refresh(flight)
    assert flight.seats == 150


def test_an_edit_cannot_take_away_seats_in_use(client: TestClient, session: Session) -> None:
    flight = make_flight(session)
    assign(session, flight, seats=3)
    sign_in(client, "center")
    data = flight_fields(seats="2") | {
        "row_version": "1",
        "confirmed": "yes",
        "csrf_token": csrf_token(client, f"/staff/flights/{flight.id}"),
    }
    response = client.post(f"/staff/flights/{flight.id}", data=data)
    assert response.status_code == 422
    assert "3 seats are taken by active assignments" in response.text


def test_coordinator_cancels_a_flight_and_it_can_no_longer_change(
    client: TestClient, session: Session
) -> None:
    flight = make_flight(session)
    assign(session, flight, seats=2)
    sign_in(client, "center")
    token = csrf_token(client, f"/staff/flights/{flight.id}")
    cancelled = client.post(
        f"/staff/flights/{flight.id}/cancel", data={"row_version": "1", "csrf_token": token}
    )
    assert "Flight cancelled." in cancelled.text
    assert "2 people still hold a place on it" in cancelled.text
    assert 'id="edit-flight"' not in cancelled.text
    session.refresh(flight)
    assert flight.status == "cancelled"
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "flight.cancel")).one()

    edit = client.get(f"/staff/flights/{flight.id}/edit")
    assert "a cancelled flight cannot be changed" in edit.text
    data = flight_fields(seats="300") | {
        "row_version": "2",
        "csrf_token": token,
        "confirmed": "yes",
    }
    client.post(f"/staff/flights/{flight.id}", data=data)
    session.refresh(flight)
    assert flight.seats == 180


def test_officers_read_their_countries_flights_only(client: TestClient, session: Session) -> None:
    german = make_flight(session)
    french = make_flight(session, flight_number="TK6002", departure_airport="CDG")
    sign_in(client, "berlin")
    listing = client.get("/staff/flights")
    assert f"/staff/flights/{german.id}" in listing.text
    assert f"/staff/flights/{french.id}" not in listing.text
    assert 'id="new-flight"' not in listing.text
    page = client.get(f"/staff/flights/{german.id}")
    assert page.status_code == 200 and 'id="edit-flight"' not in page.text
    assert client.get(f"/staff/flights/{french.id}").status_code == 404


def test_officers_cannot_create_edit_or_cancel(client: TestClient, session: Session) -> None:
    flight = make_flight(session)
    sign_in(client, "berlin")
    token = csrf_token(client, "/staff/flights")
    assert client.get("/staff/flights/new").status_code == 403
    created = client.post(
        "/staff/flights", data=flight_fields(flight_number="TK1") | {"csrf_token": token}
    )
    assert created.status_code == 403
    data = flight_fields(seats="1") | {"row_version": "1", "csrf_token": token}
    assert client.post(f"/staff/flights/{flight.id}", data=data).status_code == 403
    cancel = {"row_version": "1", "csrf_token": token}
    assert client.post(f"/staff/flights/{flight.id}/cancel", data=cancel).status_code == 403
    session.refresh(flight)
    assert (flight.seats, flight.status, len(session.exec(select(Flight)).all())) == (
        180,
        "planned",
        1,
    )


def test_administrators_see_no_flights(client: TestClient) -> None:
    sign_in(client, "root")
    assert client.get("/staff/flights").status_code == 403


def test_the_list_shows_upcoming_flights_first_with_used_counts(
    client: TestClient, session: Session
) -> None:
    past = make_flight(session, flight_number="TK5000", departure_time="2020-03-20T10:00Z")
    later_flight = make_flight(session, flight_number="TK6003", departure_time=later(3))
    soon = make_flight(session, flight_number="TK6001")
    ambulance = make_flight(
        session, flight_number="TK6901", kind="ambulance", seats="4", stretchers="2",
        departure_airport="CDG", departure_time=later(2),
    )  # fmt: skip
    assign(session, soon, seats=3)
    assign(session, ambulance, seats=1, stretchers=2)
    sign_in(client, "center")
    page = client.get("/staff/flights").text
    order = [page.index(f'id="flight-{f.id}"') for f in (soon, ambulance, later_flight, past)]
    assert order == sorted(order)
    row = page[page.index(f'id="flight-{ambulance.id}"') :]
    assert (
        '<td class="seats" data-label="Seats used / total">1 / 4</td>' in row
        and '<td class="stretchers" data-label="Stretchers used / total">2 / 2</td>' in row
    )
    french = client.get("/staff/flights?country=FR").text
    assert f'id="flight-{ambulance.id}"' in french and f'id="flight-{soon.id}"' not in french


@contextmanager
def count_queries(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def test_the_list_counts_used_places_in_one_query(
    client: TestClient, session: Session, engine: Engine
) -> None:
    first = make_flight(session)
    assign(session, first, seats=1)
    sign_in(client, "center")
    with count_queries(engine) as one:
        client.get("/staff/flights")
    for number in range(2, 8):
        flight = make_flight(session, flight_number=f"TK{6000 + number}")
        assign(session, flight, seats=1)
    with count_queries(engine) as many:
        page = client.get("/staff/flights")
    assert page.text.count('<td class="seats" data-label="Seats used / total">1 / 180</td>') == 7
    assert len(many) == len(one)
