"""Closing check-in shows who would become a no-show first; a closed flight reopens
until it departs and its no-shows can be put back; departure and arrival move the
flight and close the travelled cases."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from evac.audit.models import AuditEvent
from evac.db import utcnow
from evac.flights.models import AssignmentStatus as Seat
from evac.flights.models import Flight, FlightStatus
from evac.lifecycle.airport import board_people, check_in_people
from evac.planning.service import commit_plan
from evac.registration.models import CaseStatus, Person
from evac.retention.service import count_purgeable
from tests.factories import csrf_token, make_case, member, sign_in, verify
from tests.planning_db.airport import family, person_ids, seated_flight, seats, status


def _post(client: TestClient, flight: Flight, step: str, **data: object) -> str:
    url = f"/staff/checkin/{flight.id}"
    token = csrf_token(client, url)
    return client.post(f"{url}/{step}", data={"csrf_token": token, **data}).text


def _flight_status(session: Session, flight: Flight) -> str:
    session.expire_all()
    return session.get_one(Flight, flight.id).status


def _actions(session: Session, prefix: str) -> list[str]:
    events = session.exec(
        select(AuditEvent.action)
        .where(col(AuditEvent.action).startswith(prefix))
        .order_by(col(AuditEvent.id))
    )
    return list(events)


def test_closing_first_shows_who_would_become_a_no_show(
    client: TestClient, session: Session
) -> None:
    flight, (tan, er, kaya) = seated_flight(
        session, [family(), [member("Oya", "Er")], [member("Can", "Kaya")]]
    )
    check_in_people(session, kaya, flight, person_ids(session, kaya), actor="officer")
    mother, *_ = person_ids(session, tan)
    check_in_people(session, tan, flight, [mother], actor="officer")
    session.commit()
    sign_in(client, "berlin")

    page = client.get(f"/staff/checkin/{flight.id}/close").text

    assert "Close check-in for TK500?" in page
    assert "3 people have not checked in." in page
    assert "From 2 households:" in page
    for name, case in [("TAN, KEREM", tan), ("TAN, DENIZ", tan), ("ER, OYA", er)]:
        assert name in page and case.reference in page
    assert "TAN, AYLIN" not in page and "KAYA, CAN" not in page
    assert 'name="expected" value="3"' in page
    assert _flight_status(session, flight) == FlightStatus.open


def test_closing_makes_the_missing_people_no_shows_and_the_household_travels_on(
    client: TestClient, session: Session
) -> None:
    flight, (tan, er) = seated_flight(session, [family(), [member("Oya", "Er")]])
    mother, father, _child = person_ids(session, tan)
    check_in_people(session, tan, flight, [mother, father], actor="officer")
    board_people(session, tan, flight, actor="officer")
    session.commit()
    sign_in(client, "berlin")

    page = _post(client, flight, "close", expected=2)

    assert "2 people did not come and lost their seats" in page
    assert 'class="flash warning"' in page
    assert _flight_status(session, flight) == FlightStatus.closed
    assert status(session, tan) == CaseStatus.boarded
    assert seats(session, tan) == [Seat.boarded, Seat.boarded, Seat.no_show]
    assert status(session, er) == CaseStatus.no_show
    assert seats(session, er) == [Seat.no_show]
    assert _actions(session, "case.no_show") == ["case.no_show", "case.no_show"]
    close = session.exec(select(AuditEvent).where(AuditEvent.action == "flight.close")).one()
    assert close.after["no_show_people"] == 2  # type: ignore[index]
    assert close.after["no_show_households"] == 2  # type: ignore[index]


def test_a_list_that_changed_since_it_was_shown_is_shown_again(
    client: TestClient, session: Session
) -> None:
    flight, (tan,) = seated_flight(session, [family()])
    sign_in(client, "berlin")
    page = _post(client, flight, "close", expected=2)  # three are missing now
    assert "The list changed since you looked at it" in page
    assert "Close check-in for TK500?" in page
    assert _flight_status(session, flight) == FlightStatus.open
    assert status(session, tan) == CaseStatus.assigned


def test_a_closed_flight_reopens_and_a_no_show_is_put_back(
    client: TestClient, session: Session
) -> None:
    flight, (er,) = seated_flight(session, [[member("Oya", "Er")]])
    sign_in(client, "berlin")
    _post(client, flight, "close", expected=1)
    page = client.get(f"/staff/checkin/{flight.id}").text
    assert "Reopen check-in to put a no-show back on the flight." in page

    page = _post(client, flight, "reopen")
    assert "Check-in for TK500 is open again." in page
    assert _flight_status(session, flight) == FlightStatus.open

    page = _post(client, flight, "put-back", reference=er.reference)
    assert f"{er.reference}: 1 person is expected again and can check in." in page
    assert status(session, er) == CaseStatus.confirmed
    assert seats(session, er) == [Seat.confirmed]
    assert _actions(session, "flight.") == ["flight.close", "flight.reopen"]
    assert _actions(session, "case.restore") == ["case.restore"]

    url = f"/staff/checkin/{flight.id}"
    data = {"reference": er.reference, "person": person_ids(session, er), "step": "check_in"}
    client.post(url, data={**data, "csrf_token": csrf_token(client, url)})
    assert status(session, er) == CaseStatus.checked_in


def test_a_missing_member_is_put_back_while_the_household_stays_checked_in(
    client: TestClient, session: Session
) -> None:
    flight, (tan,) = seated_flight(session, [family()])
    mother, *_ = person_ids(session, tan)
    check_in_people(session, tan, flight, [mother], actor="officer")
    session.commit()
    sign_in(client, "berlin")
    _post(client, flight, "close", expected=2)
    _post(client, flight, "reopen")
    page = _post(client, flight, "put-back", reference=tan.reference)
    assert f"{tan.reference}: 2 people are expected again" in page
    assert status(session, tan) == CaseStatus.checked_in
    assert seats(session, tan) == [Seat.checked_in, Seat.confirmed, Seat.confirmed]


def test_no_shows_are_put_back_only_while_check_in_is_open(
    client: TestClient, session: Session
) -> None:
    flight, (er,) = seated_flight(session, [[member("Oya", "Er")]])
    sign_in(client, "berlin")
    _post(client, flight, "close", expected=1)
    page = _post(client, flight, "put-back", reference=er.reference)
    assert "Reopen check-in before putting no-shows back." in page
    assert status(session, er) == CaseStatus.no_show


def test_a_no_show_whose_seat_was_given_away_is_not_put_back(
    client: TestClient, session: Session
) -> None:
    flight, (er,) = seated_flight(session, [[member("Oya", "Er")]], seats=1)
    sign_in(client, "berlin")
    _post(client, flight, "close", expected=1)
    _post(client, flight, "reopen")
    late = verify(session, make_case(session, "DE", [member("Ali", "Koç")]))
    commit_plan(session, actor="planner", country="DE")
    assert status(session, late) == CaseStatus.assigned

    page = _post(client, flight, "put-back", reference=er.reference)

    assert "The flight has no room left for them" in page
    assert status(session, er) == CaseStatus.no_show
    assert seats(session, er) == [Seat.no_show]


def test_departure_keeps_the_boarded_and_arrival_closes_their_cases(
    client: TestClient, session: Session
) -> None:
    flight, (tan, er) = seated_flight(session, [family(), [member("Oya", "Er")]])
    check_in_people(session, tan, flight, person_ids(session, tan), actor="officer")
    board_people(session, tan, flight, actor="officer")
    session.commit()
    sign_in(client, "berlin")
    _post(client, flight, "close", expected=1)

    page = client.get(f"/staff/checkin/{flight.id}/depart").text
    assert "Mark TK500 as departed?" in page
    assert "3 people are on board." in page and "From 1 household." in page
    page = _post(client, flight, "depart", expected=3)
    assert "TK500 has departed with 3 people on board." in page
    assert _flight_status(session, flight) == FlightStatus.departed
    assert status(session, tan) == CaseStatus.boarded
    assert "Only a closed flight that has not departed can be reopened." in _post(
        client, flight, "reopen"
    )

    page = client.get(f"/staff/checkin/{flight.id}/arrive").text
    assert "Mark TK500 as arrived?" in page
    assert "On arrival their cases are closed" in page
    page = _post(client, flight, "arrive", expected=3)
    assert "TK500 has arrived: 3 people are home and their cases are closed." in page
    assert _flight_status(session, flight) == FlightStatus.arrived
    assert status(session, tan) == CaseStatus.arrived
    assert status(session, er) == CaseStatus.no_show
    assert seats(session, tan) == [Seat.boarded] * 3
    assert not any(session.exec(select(Person.is_active).where(Person.registration_id == tan.id)))
    assert count_purgeable(session, utcnow() + timedelta(days=1)) == 1
    assert _actions(session, "flight.") == ["flight.close", "flight.depart", "flight.arrive"]
    assert _actions(session, "case.arrive") == ["case.arrive"]


def test_departure_waits_for_everyone_checked_in_to_board(
    client: TestClient, session: Session
) -> None:
    flight, (tan,) = seated_flight(session, [family()])
    check_in_people(session, tan, flight, person_ids(session, tan), actor="officer")
    session.commit()
    sign_in(client, "berlin")
    assert "Close check-in before marking the flight departed." in _post(
        client, flight, "depart", expected=0
    )
    _post(client, flight, "close", expected=0)

    page = client.get(f"/staff/checkin/{flight.id}/depart").text
    assert "Some people checked in but are not on board" in page
    assert "TAN, DENIZ" in page
    assert "Mark as departed</button>" not in page
    page = _post(client, flight, "depart", expected=0)
    assert "Checked in but not on board: 3." in page
    assert _flight_status(session, flight) == FlightStatus.closed

    url = f"/staff/checkin/{flight.id}"
    client.post(
        url,
        data={"reference": tan.reference, "step": "board", "csrf_token": csrf_token(client, url)},
    )
    assert status(session, tan) == CaseStatus.boarded  # boarding goes on after closing
    _post(client, flight, "depart", expected=3)
    assert _flight_status(session, flight) == FlightStatus.departed


def test_a_flight_cannot_arrive_before_it_departs(client: TestClient, session: Session) -> None:
    flight, _ = seated_flight(session, [[member("Oya", "Er")]])
    sign_in(client, "berlin")
    assert "Only a departed flight can arrive." in _post(client, flight, "arrive", expected=0)
    assert _flight_status(session, flight) == FlightStatus.open
