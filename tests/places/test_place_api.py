"""Scripts manage places through the staff API with a personal token, under
/api/v1/transport-places (/api/v1/places is the registration form's geocoding)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from tests.places.conftest import api_token, make_place

pytestmark = pytest.mark.usefixtures("missions")

URL = "/api/v1/transport-places"
SEAPORT = {
    "code": "pzu-port",
    "kind": "seaport",
    "name": "Port Sudan, South Quay",
    "country": "SD",
    "latitude": 19.6158,
    "longitude": 37.2164,
}


def test_a_coordinator_creates_reads_lists_and_changes_a_place(
    client: TestClient, session: Session
) -> None:
    auth = api_token(client, "center")
    created = client.post(URL, json=SEAPORT, headers=auth)
    assert created.status_code == 201, created.text
    place = created.json()
    assert (place["code"], place["reach_km"], place["effective_reach_km"]) == ("PZU-PORT", None, 50)
    assert place["row_version"] == 1
    airport = client.post(
        URL, json={"code": "KRT", "kind": "airport", "reach_km": 300}, headers=auth
    )
    assert airport.status_code == 201, airport.text
    assert airport.json()["latitude"] is None and airport.json()["resolved_latitude"] > 15
    assert airport.json()["country"] == "SD" and airport.json()["effective_reach_km"] == 300

    assert client.get(f"{URL}/pzu-port", headers=auth).json()["name"] == "Port Sudan, South Quay"
    listing = client.get(URL, params={"kind": "seaport"}, headers=auth).json()
    assert [item["code"] for item in listing["items"]] == ["PZU-PORT"] and listing["total"] == 1

    patched = client.patch(f"{URL}/PZU-PORT", json={"row_version": 1, "reach_km": 20}, headers=auth)
    assert patched.status_code == 200, patched.text
    assert (patched.json()["reach_km"], patched.json()["row_version"]) == (20, 2)
    stale = client.patch(f"{URL}/PZU-PORT", json={"row_version": 1, "name": "X"}, headers=auth)
    assert stale.status_code == 409
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.subject_type == "place"))
    assert sorted(actions) == ["place.create", "place.create", "place.update"]


def test_refused_fields_come_back_as_422_with_their_messages(client: TestClient) -> None:
    auth = api_token(client, "center")
    body = SEAPORT | {"code": "KRT", "country": "XX"}
    response = client.post(URL, json=body, headers=auth)
    assert response.status_code == 422
    errors = {error["loc"][-1]: error["msg"] for error in response.json()["detail"]}
    assert errors["code"].startswith("A 3-letter code is an airport's")
    assert errors["country"].startswith("Enter the country's 2-letter ISO code")
    bad_kind = client.post(URL, json=SEAPORT | {"kind": "harbour"}, headers=auth)
    assert bad_kind.status_code == 422


def test_a_code_cannot_be_recorded_twice_nor_changed(client: TestClient, session: Session) -> None:
    make_place(session)
    auth = api_token(client, "center")
    assert client.post(URL, json=SEAPORT, headers=auth).status_code == 409
    extra = client.patch(f"{URL}/PZU-PORT", json={"row_version": 1, "code": "X-1"}, headers=auth)
    assert extra.status_code == 422  # the patch has no code field


def test_officers_read_their_countries_places_and_cannot_change_them(
    client: TestClient, session: Session
) -> None:
    make_place(session)
    make_place(session, code="MEDYKA", kind="border_crossing", name="Medyka", country="DE",
               latitude="49.80", longitude="22.93")  # fmt: skip
    auth = api_token(client, "berlin")
    listing = client.get(URL, headers=auth).json()
    assert [item["code"] for item in listing["items"]] == ["MEDYKA"]
    assert client.get(f"{URL}/PZU-PORT", headers=auth).status_code == 404
    assert client.post(URL, json=SEAPORT | {"code": "KRT-1"}, headers=auth).status_code == 403
    patch = {"row_version": 1, "reach_km": 5}
    assert client.patch(f"{URL}/MEDYKA", json=patch, headers=auth).status_code == 403


def test_the_api_needs_a_token_and_leaves_the_geocoding_routes_alone(client: TestClient) -> None:
    assert client.get(URL).status_code == 401
    nearest = client.get("/api/v1/places/nearest", params={"latitude": 41.0, "longitude": 29.0})
    assert nearest.status_code == 200, nearest.text
