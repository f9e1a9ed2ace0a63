"""A coordinator enters a departure on the airport's clocks, finds airports by name,
and sees the local time and the UTC time before anything is saved."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.flights.form_input import local_to_utc, read_flight_form
from evac.flights.models import Flight
from evac.geo.airport_search import airport_kind, find_airports, resolve_airport
from tests.factories import csrf_token, sign_in
from tests.flights.conftest import flight_fields, make_flight

pytestmark = pytest.mark.usefixtures("missions")


def _post(client: TestClient, path: str = "/staff/flights", **fields: str) -> httpx.Response:
    data = {**flight_fields(**fields), "csrf_token": csrf_token(client, "/staff/flights/new")}
    return client.post(path, data=data, follow_redirects=False)


def test_istanbul_local_time_is_saved_in_utc_after_review(
    client: TestClient, session: Session
) -> None:
    sign_in(client, "center")
    review = _post(
        client,
        departure_airport="IST",
        destination_airport="ESB",
        departure_time="2099-03-21T14:30",
    )
    assert review.status_code == 200
    assert session.exec(select(Flight)).first() is None  # nothing saved yet
    assert "2099-03-21 14:30 +03 (UTC+03:00)" in review.text
    assert "2099-03-21 11:30 UTC" in review.text
    assert "Europe/Istanbul" in review.text
    assert 'name="departure_time" value="2099-03-21T14:30:00+03:00"' in review.text
    saved = _post(
        client,
        departure_airport="IST",
        destination_airport="ESB",
        departure_time="2099-03-21T14:30:00+03:00",
        confirmed="yes",
    )
    assert saved.status_code == 303
    flight = session.exec(select(Flight)).one()
    assert flight.departure_time.replace(tzinfo=UTC) == datetime(2099, 3, 21, 11, 30, tzinfo=UTC)


def test_khartoum_local_time_converts_to_utc() -> None:
    reading = read_flight_form(
        flight_fields(departure_airport="KRT", departure_time="2099-04-23T06:00")
    )
    assert reading.problems == []
    assert reading.values["departure_time"] == "2099-04-23T06:00:00+02:00"


def test_airports_are_found_by_city_name_or_icao_code() -> None:
    reading = read_flight_form(
        flight_fields(departure_airport="Port Sudan", destination_airport="LTFM")
    )
    assert (reading.values["departure_airport"], reading.values["destination_airport"]) == (
        "PZU",
        "IST",
    )


def test_an_iso_time_with_its_offset_is_still_accepted(
    client: TestClient, session: Session
) -> None:
    sign_in(client, "center")
    saved = _post(client, departure_time="2099-01-15T09:00Z", confirmed="yes")
    assert saved.status_code == 303
    page = client.get(saved.headers["location"])
    assert "2099-01-15 10:00 CET (UTC+01:00)" in page.text


def test_the_change_button_goes_back_to_the_form_with_the_local_time(
    client: TestClient, session: Session
) -> None:
    sign_in(client, "center")
    back = _post(client, departure_time="2099-01-15T10:00:00+01:00", change="yes")
    assert back.status_code == 200
    assert (
        'type="datetime-local" id="departure_time" name="departure_time" value="2099-01-15T10:00"'
        in back.text
    )
    assert session.exec(select(Flight)).first() is None


def test_bad_times_get_a_clear_error(client: TestClient, session: Session) -> None:
    sign_in(client, "center")
    typo = _post(client, departure_time="21.03.2099 14:30")
    assert typo.status_code == 422
    assert "Enter the departure date and time, like 2026-03-21T14:30" in typo.text
    gap = _post(client, departure_time="2026-03-29T02:30")  # Frankfurt's clocks go forward
    assert gap.status_code == 422 and "2026-03-29 02:30 does not exist there" in gap.text
    twice = _post(client, departure_time="2026-10-25T02:30")  # and back
    assert twice.status_code == 422
    assert "2026-10-25T02:30+02:00 or 2026-10-25T02:30+01:00" in twice.text
    assert session.exec(select(Flight)).first() is None


def test_an_ambiguous_airport_name_lists_the_airports_to_choose(
    client: TestClient, session: Session
) -> None:
    sign_in(client, "center")
    response = _post(client, destination_airport="Istanbul")
    assert response.status_code == 422
    assert "Several airports match “Istanbul”" in response.text
    assert ">IST</strong> Istanbul Airport" in response.text
    assert ">SAW</strong>" in response.text


def test_the_review_names_the_airports(client: TestClient, session: Session) -> None:
    sign_in(client, "center")
    review = _post(client, departure_airport="Khartoum", departure_time="2099-04-23T06:00")
    assert review.status_code == 200
    assert ">KRT</strong> Khartoum International Airport" in review.text
    assert "2099-04-23 04:00 UTC" in review.text


def test_coordinator_searches_airports_without_javascript(client: TestClient) -> None:
    sign_in(client, "center")
    page = client.get("/staff/flights/airports", params={"q": "istanbul"})
    assert page.status_code == 200
    rows = page.text.split('<table id="airports"')[1]
    kinds = [row for row in ("Large airport", "Medium airport", "Small airport") if row in rows]
    assert kinds and kinds == sorted(kinds, key=rows.index)  # large airports first
    assert ">IST<" in rows and ">LTFM<" in rows and "Large airport" in rows
    assert client.get("/staff/flights/airports").status_code == 200


def test_large_airports_come_first() -> None:
    found = find_airports("Khartoum")
    assert found[0].iata == "KRT" and airport_kind("KRT") == "large"
    assert resolve_airport("lhr")[0].iata == "LHR"  # type: ignore[union-attr]
    assert resolve_airport("Nowhere at all") == (None, [])


def test_local_time_never_guesses_a_changing_hour() -> None:
    utc, problem = local_to_utc(datetime(2099, 7, 1, 12, 0), "Europe/Istanbul")
    assert utc == datetime(2099, 7, 1, 9, 0, tzinfo=UTC) and problem is None
    assert local_to_utc(datetime(2026, 3, 29, 2, 30), "Europe/Berlin")[0] is None


def test_an_edit_shows_the_review_before_saving(client: TestClient, session: Session) -> None:
    flight = make_flight(session)
    sign_in(client, "center")
    token = csrf_token(client, f"/staff/flights/{flight.id}")
    data = flight_fields(seats="150", departure_time="2099-01-15T11:00")
    review = client.post(
        f"/staff/flights/{flight.id}", data=data | {"row_version": "1", "csrf_token": token}
    )
    assert review.status_code == 200 and "2099-01-15 10:00 UTC" in review.text
    session.refresh(flight)
    assert flight.seats == 180
