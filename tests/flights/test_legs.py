"""A flight is one kind of leg: coordinators record buses, ships and trains between
places, with their arrival, by CSV, API and form; flights keep working as before."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.flights.importer import import_legs_csv
from evac.flights.models import Flight, FlightKind, LegMode
from tests.factories import csrf_token, sign_in
from tests.flights.conftest import api_token, make_flight
from tests.foundation.test_cli import run_evac
from tests.places.conftest import make_place

pytestmark = pytest.mark.usefixtures("missions")

HEADER = "number,mode,from,to,departure_time,arrival_time,seats,stretchers"


@pytest.fixture
def places(session: Session) -> None:
    make_place(session)  # PZU-PORT, a seaport in Sudan
    make_place(session, code="KRT-1", kind="assembly_point", name="Embassy compound",
               latitude="15.60", longitude="32.53")  # fmt: skip


def _import(session: Session, *rows: str) -> dict[str, object]:
    text = "\n".join([HEADER, *rows]) + "\n"
    return import_legs_csv(session, io.StringIO(text, newline=""), dry_run=False).as_dict()


@pytest.mark.usefixtures("places")
def test_legs_import_good_rows_and_reports_each_bad_row_by_line(session: Session) -> None:
    report = _import(
        session,
        "BUS-1,bus,KRT-1,PZU-PORT,2099-04-23T06:00+02:00,2099-04-24T04:00+02:00,50,0",
        "SHIP-7,ship,PZU-PORT,JED,2099-04-24T10:00+02:00,,800,4",
        "TK6001,flight,JED,IST,2099-04-25T10:00+03:00,2099-04-25T13:00+03:00,180,0",
        "BUS-2,bus,KRT-9,PZU-PORT,2099-04-23T06:00+02:00,,50,0",
        "BUS-3,bus,KRT-1,PZU-PORT,2099-04-23T06:00+02:00,2099-04-23T05:00+02:00,50,0",
        "TK6002,flight,PZU-PORT,IST,2099-04-24T10:00+02:00,,180,0",
        "CAR-1,taxi,KRT-1,PZU-PORT,2099-04-23T06:00+02:00,,4,0",
    )
    assert (report["imported"], report["rejected"]) == (3, 4)
    reasons = {error["line"]: error["reason"] for error in report["errors"]}  # type: ignore[attr-defined]
    assert reasons[5] == (
        "from: No airport or recorded place has the code KRT-9: check it, "
        "or record the place on the places page first"
    )
    assert reasons[6] == "arrival_time: The arrival must be after the departure"
    assert reasons[7].startswith("from: A flight leaves from and lands at airports")
    assert reasons[8] == "mode: The mode is flight, ambulance_flight, bus, ship or train"
    legs = {leg.flight_number: leg for leg in session.exec(select(Flight)).all()}
    bus, ship, flight = legs["BUS-1"], legs["SHIP-7"], legs["TK6001"]
    assert (bus.mode, bus.kind, bus.country) == (LegMode.bus, FlightKind.regular, "SD")
    assert bus.arrival_time is not None and bus.arrival_time.hour == 2  # UTC
    assert ship.arrival_time is None and ship.stretchers == 4 and ship.country == "SD"
    assert (flight.mode, flight.country) == (LegMode.flight, "SA")


@pytest.mark.usefixtures("places")
def test_the_api_round_trips_mode_and_arrival(client: TestClient) -> None:
    auth = api_token(client, "center")
    body = {
        "flight_number": "SHIP-7",
        "mode": "ship",
        "departure_airport": "PZU-PORT",
        "destination_airport": "JED",
        "departure_time": "2099-04-24T10:00+02:00",
        "arrival_time": "2099-04-25T08:00+03:00",
        "seats": 800,
        "stretchers": 2,
    }
    created = client.post("/api/v1/flights", json=body, headers=auth)
    assert created.status_code == 201, created.text
    leg = created.json()
    assert (leg["mode"], leg["kind"], leg["country"]) == ("ship", "regular", "SD")
    assert leg["departure_timezone"] == "Africa/Khartoum"
    assert leg["departure_time_local"] == "2099-04-24T10:00:00+02:00"
    assert leg["arrival_time"] == "2099-04-25T05:00:00Z"
    assert (leg["arrival_time_local"], leg["arrival_timezone"]) == (
        "2099-04-25T08:00:00+03:00",
        "Asia/Riyadh",
    )
    url = f"/api/v1/flights/{leg['id']}"
    assert client.get(url, headers=auth).json()["arrival_time"] == "2099-04-25T05:00:00Z"
    early = client.patch(
        url, json={"row_version": 1, "arrival_time": "2099-04-24T07:00Z"}, headers=auth
    )
    assert early.status_code == 422
    assert early.json()["detail"][0]["msg"] == "The arrival must be after the departure."
    listing = client.get("/api/v1/flights", params={"mode": "ship"}, headers=auth).json()
    assert [item["flight_number"] for item in listing["items"]] == ["SHIP-7"]


def test_the_kind_still_works_and_must_agree_with_the_mode(client: TestClient) -> None:
    auth = api_token(client, "center")
    body = {
        "flight_number": "TK6901",
        "kind": "ambulance",
        "departure_airport": "CDG",
        "destination_airport": "IST",
        "departure_time": "2099-01-16T08:00Z",
        "seats": 4,
        "stretchers": 2,
    }
    created = client.post("/api/v1/flights", json=body, headers=auth)
    assert created.status_code == 201, created.text
    assert (created.json()["mode"], created.json()["kind"]) == ("ambulance_flight", "ambulance")
    clash = client.post(
        "/api/v1/flights", json=body | {"flight_number": "TK6902", "mode": "flight"}, headers=auth
    )
    assert clash.status_code == 422
    assert clash.json()["detail"][0]["msg"].startswith("The kind ambulance does not match")
    bus = client.post("/api/v1/flights", json=body | {"mode": "bus", "kind": None,
                      "departure_airport": "NOPE-1"}, headers=auth)  # fmt: skip
    assert bus.status_code == 422
    assert bus.json()["detail"][0]["loc"] == ["body", "departure_airport"]


@pytest.mark.usefixtures("places")
def test_a_coordinator_records_a_bus_with_its_arrival_on_local_clocks(
    client: TestClient, session: Session
) -> None:
    sign_in(client, "center")
    form = {
        "flight_number": "BUS-1",
        "mode": "bus",
        "departure_airport": "krt-1",
        "destination_airport": "PZU-PORT",
        "departure_time": "2099-04-23T06:00",
        "arrival_time": "2099-04-24T04:00",
        "seats": "50",
        "stretchers": "0",
        "csrf_token": csrf_token(client, "/staff/flights/new"),
    }
    review = client.post("/staff/flights", data=form)
    assert review.status_code == 200, review.text
    assert "Embassy compound" in review.text and "Africa/Khartoum" in review.text
    assert "2099-04-24 04:00" in review.text
    saved = client.post("/staff/flights", data=form | {"confirmed": "yes"}, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    leg = session.exec(select(Flight)).one()
    assert (leg.mode, leg.departure_airport) == (LegMode.bus, "KRT-1")
    assert (
        leg.arrival_time is not None and leg.arrival_time.isoformat() == "2099-04-24T02:00:00+00:00"
    )
    page = client.get(saved.headers["location"] + "?lang=tr")
    assert "Otobüs" in page.text and "arrival-local-time" in page.text
    edit = client.get(f"/staff/flights/{leg.id}/edit")
    assert 'value="2099-04-24T04:00"' in edit.text and 'value="bus" selected' in edit.text
    assert "BUS-1" in client.get("/staff/flights?mode=bus").text


def test_a_flight_form_keeps_working_without_a_mode(client: TestClient, session: Session) -> None:
    make_flight(session, kind="ambulance", stretchers="2", seats="4")
    flight = session.exec(select(Flight)).one()
    assert (flight.mode, flight.kind, flight.arrival_time) == (
        LegMode.ambulance_flight,
        "ambulance",
        None,
    )
    sign_in(client, "center")
    page = client.get(f"/staff/flights/{flight.id}")
    assert "Ambulance flight" in page.text and "Not known yet" in page.text


@pytest.mark.usefixtures("places")
def test_a_bus_legs_pages_open_on_the_places_clocks(client: TestClient, session: Session) -> None:
    bus = make_flight(session, flight_number="BUS-1", mode="bus", kind="",
                      departure_airport="KRT-1", destination_airport="PZU-PORT")  # fmt: skip
    sign_in(client, "center")
    urls = ["/staff/flights", f"/staff/flights/{bus.id}", f"/staff/flights/{bus.id}/edit"]
    urls += [f"/staff/manifests/{bus.id}", f"/staff/checkin/{bus.id}", "/staff/today"]
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200, url
    assert "Africa/Khartoum" in client.get(f"/staff/flights/{bus.id}").text


def test_the_cli_imports_legs_and_reports_bad_rows_by_line(
    fresh_database: str, tmp_path: Path
) -> None:
    run_evac("db", "upgrade", database_url=fresh_database, cwd=tmp_path)
    places = "code,kind,name,country,latitude,longitude,reach_km\n"
    places += "PZU-PORT,seaport,Port Sudan,SD,19.6,37.2,\n"
    (tmp_path / "places.csv").write_text(places, encoding="utf-8")
    assert (
        run_evac(
            "import", "places", "places.csv", database_url=fresh_database, cwd=tmp_path
        ).returncode
        == 0
    )
    legs = "\n".join(
        [
            HEADER,
            "SHIP-7,ship,PZU-PORT,JED,2099-04-24T10:00+02:00,2099-04-25T08:00+03:00,800,0",
            "SHIP-8,boat,PZU-PORT,JED,2099-04-24T10:00+02:00,,800,0",
        ]
    )
    (tmp_path / "legs.csv").write_text(legs, encoding="utf-8")
    result = run_evac("import", "legs", "legs.csv", database_url=fresh_database, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "line 3: mode: The mode is flight, ambulance_flight, bus, ship or train"
    assert lines[1].startswith("imported 1 legs; rejected 1 rows")
