""" "Use my location" fills the country and the city too: the server names the place
of a position from its offline gazetteer, and keeps no copy of the answer."""

from __future__ import annotations

from fastapi.testclient import TestClient

URL = "/api/v1/places/nearest"


def test_a_position_in_khartoum_is_named_sudan_and_khartoum(client: TestClient) -> None:
    response = client.get(URL, params={"latitude": 15.5881, "longitude": 32.5342})
    assert response.status_code == 200
    place = response.json()
    assert (place["country"], place["city"]) == ("SD", "Khartoum")
    assert response.headers["cache-control"] == "no-store"


def test_a_position_far_from_any_city_gives_only_the_country(client: TestClient) -> None:
    # The Sahara in southern Algeria: the nearest town is over 50 km away.
    place = client.get(URL, params={"latitude": 24.0, "longitude": 2.0}).json()
    assert place["city"] is None and len(place["country"]) == 2


def test_a_position_out_of_range_is_refused(client: TestClient) -> None:
    assert client.get(URL, params={"latitude": 95, "longitude": 0}).status_code == 422


def test_the_form_carries_the_message_for_a_named_place(client: TestClient) -> None:
    page = client.get("/register")
    assert 'data-msg-place="Position added, in {place}.' in page.text
