"""Scripts manage flights through the staff API with a personal token."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from tests.factories import sign_in
from tests.flights.conftest import api_token, assign, make_flight

pytestmark = pytest.mark.usefixtures("missions")

NEW_FLIGHT = {
    "flight_number": "TK6001",
    "kind": "regular",
    "departure_airport": "FRA",
    "destination_airport": "IST",
    "departure_time": "2099-01-15T10:00+01:00",
    "seats": 180,
    "meeting_point": "Terminal 1, desk 12",
}


def test_coordinator_creates_patches_and_cancels_a_flight(
    client: TestClient, session: Session
) -> None:
    auth = api_token(client, "center")
    created = client.post("/api/v1/flights", json=NEW_FLIGHT, headers=auth)
    assert created.status_code == 201, created.text
    flight = created.json()
    assert flight["country"] == "DE" and flight["departure_date"] == "2099-01-15"
    assert flight["departure_time"] == "2099-01-15T09:00:00Z"
    assert flight["departure_time_local"] == "2099-01-15T10:00:00+01:00"
    assert flight["departure_timezone"] == "Europe/Berlin"
    assert (flight["stretchers"], flight["seats_used"], flight["status"]) == (0, 0, "planned")

    url = f"/api/v1/flights/{flight['id']}"
    patched = client.patch(
        url, json={"row_version": 1, "seats": 189, "meeting_point": None}, headers=auth
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["seats"] == 189 and patched.json()["meeting_point"] is None
    stale = client.patch(url, json={"row_version": 1, "seats": 150}, headers=auth)
    assert stale.status_code == 409
    assert stale.json()["detail"].startswith("Someone else changed this flight")

    cancelled = client.post(f"{url}/cancel", json={"row_version": 2}, headers=auth)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    refused = client.patch(url, json={"row_version": 3, "seats": 200}, headers=auth)
    assert refused.status_code == 422
    assert [problem["msg"] for problem in refused.json()["detail"]] == [
        "This flight is cancelled; a cancelled flight cannot be changed."
    ]
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.subject_type == "flight"))
    assert sorted(actions) == ["flight.cancel", "flight.create", "flight.update"]


def test_refused_fields_come_back_as_422_with_their_messages(client: TestClient) -> None:
    auth = api_token(client, "center")
    body = NEW_FLIGHT | {"departure_time": "2099-01-15T10:00", "destination_airport": "XQX"}
    response = client.post("/api/v1/flights", json=body, headers=auth)
    assert response.status_code == 422
    errors = {error["loc"][-1]: error["msg"] for error in response.json()["detail"]}
    assert errors["departure_time"].startswith("Add the UTC offset")
    assert errors["destination_airport"].startswith("No airport has this IATA code")

    same = client.post(
        "/api/v1/flights", json=NEW_FLIGHT | {"destination_airport": "FRA"}, headers=auth
    )
    assert same.status_code == 422
    assert same.json()["detail"][0]["loc"] == ["body", "destination_airport"]


def test_a_taken_flight_number_is_a_conflict(client: TestClient, session: Session) -> None:
    make_flight(session)
    auth = api_token(client, "center")
    response = client.post("/api/v1/flights", json=NEW_FLIGHT, headers=auth)
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Flight TK6001 on 2099-01-15 already exists")


def test_a_patch_cannot_take_away_stretchers_in_use(client: TestClient, session: Session) -> None:
    flight = make_flight(session, kind="ambulance", seats="4", stretchers="2")
    assign(session, flight, stretchers=2)
    auth = api_token(client, "center")
    response = client.patch(
        f"/api/v1/flights/{flight.id}", json={"row_version": 1, "stretchers": 1}, headers=auth
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == (
        "2 stretchers are taken by active assignments: the flight needs at least 2 stretchers."
    )


def test_officers_read_their_flights_and_cannot_change_them(
    client: TestClient, session: Session
) -> None:
    german = make_flight(session)
    french = make_flight(session, flight_number="TK6002", departure_airport="CDG")
    assign(session, german, seats=2)
    auth = api_token(client, "berlin")
    listing = client.get("/api/v1/flights", headers=auth).json()
    assert [item["id"] for item in listing["items"]] == [german.id]
    assert listing["items"][0]["seats_used"] == 2
    assert client.get(f"/api/v1/flights/{french.id}", headers=auth).status_code == 404
    assert client.post("/api/v1/flights", json=NEW_FLIGHT, headers=auth).status_code == 403
    patch = {"row_version": 1, "seats": 1}
    assert client.patch(f"/api/v1/flights/{german.id}", json=patch, headers=auth).status_code == 403
    assert client.post(f"/api/v1/flights/{german.id}/cancel", headers=auth).status_code == 403


def test_the_list_filters_by_country_status_and_kind(client: TestClient, session: Session) -> None:
    regular = make_flight(session)
    ambulance = make_flight(
        session, flight_number="TK6901", kind="ambulance", seats="4", stretchers="1",
        departure_airport="CDG",
    )  # fmt: skip
    auth = api_token(client, "center")
    client.post(f"/api/v1/flights/{regular.id}/cancel", headers=auth)

    def ids(query: str) -> list[int]:
        return [
            item["id"]
            for item in client.get(f"/api/v1/flights?{query}", headers=auth).json()["items"]
        ]

    assert ids("country=FR") == [ambulance.id]
    assert ids("kind=ambulance") == [ambulance.id]
    assert ids("status=cancelled") == [regular.id]
    assert sorted(ids("")) == sorted([regular.id, ambulance.id])


def test_the_api_needs_a_token_not_a_cookie(client: TestClient) -> None:
    sign_in(client, "center")
    assert client.get("/api/v1/flights").status_code == 401
