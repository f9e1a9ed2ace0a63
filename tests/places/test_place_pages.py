"""Coordinators record, change and delete places in the staff pages; officers only read."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.places.models import Place
from tests.factories import csrf_token, sign_in
from tests.flights.conftest import make_flight
from tests.places.conftest import make_place, place_fields

pytestmark = pytest.mark.usefixtures("missions")


def post(client: TestClient, url: str, **data: object) -> httpx.Response:
    token = csrf_token(client, "/staff/places")
    return client.post(url, data={**data, "csrf_token": token}, follow_redirects=False)


def test_a_coordinator_records_changes_and_deletes_a_place(
    client: TestClient, session: Session
) -> None:
    sign_in(client, "center")
    created = post(client, "/staff/places", **place_fields())
    assert created.status_code == 303 and created.headers["location"] == "/staff/places"
    listing = client.get("/staff/places")
    assert "Place PZU-PORT recorded." in listing.text
    assert "Port Sudan, South Quay" in listing.text and "50 km" in listing.text  # the default
    assert "Seaport" in client.get("/staff/places?kind=seaport").text
    assert "PZU-PORT" not in client.get("/staff/places?country=DE").text

    edit = client.get("/staff/places/PZU-PORT/edit")
    assert edit.status_code == 200 and 'value="19.6158"' in edit.text
    changed = post(client, "/staff/places/PZU-PORT", **place_fields(reach_km="30"), row_version=1)
    assert changed.status_code == 303
    assert "30 km" in client.get("/staff/places").text

    ask = client.get("/staff/places/PZU-PORT/delete")
    assert "Deleting it cannot be undone" in ask.text
    unconfirmed = post(client, "/staff/places/PZU-PORT/delete", row_version=2)
    assert unconfirmed.status_code == 200 and "confirm-delete" in unconfirmed.text
    assert session.exec(select(Place)).first() is not None
    deleted = post(client, "/staff/places/PZU-PORT/delete", row_version=2, confirmed="yes")
    assert deleted.status_code == 303 and session.exec(select(Place)).first() is None
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.subject_type == "place"))
    assert sorted(actions) == ["place.create", "place.delete", "place.update"]


def test_a_refused_form_shows_every_reason_and_keeps_the_values(client: TestClient) -> None:
    sign_in(client, "center")
    page = post(client, "/staff/places", **place_fields(code="KRT", latitude="95", country=""))
    assert page.status_code == 422
    assert "A 3-letter code is an airport&#39;s" in page.text
    assert "Enter the latitude in decimal degrees" in page.text
    assert "Enter the country&#39;s 2-letter ISO code" in page.text
    assert 'value="Port Sudan, South Quay"' in page.text


def test_a_code_is_recorded_once(client: TestClient, session: Session) -> None:
    make_place(session)
    sign_in(client, "center")
    page = post(client, "/staff/places", **place_fields())
    assert page.status_code == 409
    assert "A place with the code PZU-PORT already exists" in page.text


def test_a_stale_edit_is_a_conflict(client: TestClient, session: Session) -> None:
    make_place(session)
    sign_in(client, "center")
    assert (
        post(client, "/staff/places/PZU-PORT", **place_fields(), row_version=1).status_code == 303
    )
    stale = post(client, "/staff/places/PZU-PORT", **place_fields(name="Old"), row_version=1)
    assert stale.status_code == 409 and "Someone else changed this place" in stale.text


def test_a_place_a_leg_uses_cannot_be_deleted(client: TestClient, session: Session) -> None:
    make_place(session)
    make_flight(session, flight_number="BUS-1", mode="bus", kind="",
                departure_airport="PZU-PORT", destination_airport="PZU")  # fmt: skip
    sign_in(client, "center")
    ask = client.get("/staff/places/PZU-PORT/delete")
    assert "1 leg leaves from or arrives at this place" in ask.text
    assert "confirm-delete" not in ask.text
    refused = post(client, "/staff/places/PZU-PORT/delete", row_version=1, confirmed="yes")
    assert refused.status_code == 303
    page = client.get(refused.headers["location"])
    assert "Legs leave from or arrive at PZU-PORT (1 in all)" in page.text
    assert session.exec(select(Place)).first() is not None


def test_an_officer_reads_the_places_of_their_countries_and_cannot_record_one(
    client: TestClient, session: Session
) -> None:
    make_place(session)
    make_place(session, code="MEDYKA", kind="border_crossing", name="Medyka", country="DE",
               latitude="49.80", longitude="22.93")  # fmt: skip
    sign_in(client, "berlin")
    listing = client.get("/staff/places")
    assert "MEDYKA" in listing.text and "PZU-PORT" not in listing.text
    assert "new-place" not in listing.text
    assert client.get("/staff/places/new").status_code == 403
    assert post(client, "/staff/places", **place_fields(code="KRT-1")).status_code == 403
    assert client.get("/staff/places/MEDYKA/edit").status_code == 403
    assert (
        post(client, "/staff/places/MEDYKA/delete", row_version=1, confirmed="yes").status_code
        == 403
    )
    assert session.exec(select(Place).where(Place.code == "KRT-1")).first() is None


def test_a_form_without_its_csrf_token_is_refused(client: TestClient, session: Session) -> None:
    sign_in(client, "center")
    response = client.post("/staff/places", data=place_fields(), follow_redirects=False)
    assert response.status_code == 403
    assert session.exec(select(Place)).first() is None


def test_an_administrator_has_no_places(client: TestClient) -> None:
    sign_in(client, "root")
    assert client.get("/staff/places").status_code == 403
