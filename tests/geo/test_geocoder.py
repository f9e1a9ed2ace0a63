"""Geocoding behind geopy's interface, answered offline from the gazetteer."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from geopy.exc import GeocoderServiceError
from geopy.geocoders import Nominatim
from geopy.location import Location

from evac.geo.geocoder import GazetteerGeocoder, geocode_city, get_geocoder


class NetworkUsed(AssertionError):
    pass


def refuse_network(*args: object, **kwargs: object) -> None:
    raise NetworkUsed("the offline geocoder tried to use the network")


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any attempt to open a socket or resolve a name fails the test."""
    monkeypatch.setattr(socket, "socket", refuse_network)
    monkeypatch.setattr(socket, "create_connection", refuse_network)
    monkeypatch.setattr(socket, "getaddrinfo", refuse_network)
    yield


@pytest.fixture
def geocoder() -> GazetteerGeocoder:
    geocoder = get_geocoder("gazetteer")
    assert isinstance(geocoder, GazetteerGeocoder)
    return geocoder


def test_a_city_is_geocoded_to_a_geopy_location_without_the_network(
    offline: None, geocoder: GazetteerGeocoder
) -> None:
    location = geocoder.geocode("Cologne", country_codes=["de"])

    assert isinstance(location, Location)
    assert location.address == "Köln, DE"
    assert (round(location.latitude, 1), round(location.longitude, 1)) == (50.9, 7.0)
    assert location.raw["country_code"] == "DE"


def test_the_country_can_follow_the_city_name(offline: None, geocoder: GazetteerGeocoder) -> None:
    location = geocoder.geocode("Paris, US")

    assert isinstance(location, Location)
    assert location.raw["country_code"] == "US"


def test_several_places_of_one_name_come_largest_first(
    offline: None, geocoder: GazetteerGeocoder
) -> None:
    locations = geocoder.geocode("Paris", exactly_one=False, limit=5)

    assert isinstance(locations, list)
    assert locations[0].address == "Paris, FR"
    assert len(locations) == 5


def test_an_unknown_place_geocodes_to_nothing(offline: None, geocoder: GazetteerGeocoder) -> None:
    assert geocoder.geocode("Nowhereville Qxz") is None
    assert geocoder.geocode("Köln", country_codes="FR") is None


def test_reverse_geocoding_names_the_nearest_city(
    offline: None, geocoder: GazetteerGeocoder
) -> None:
    location = geocoder.reverse("50.94, 6.96")

    assert isinstance(location, Location)
    assert location.address.endswith(", DE")
    assert location.raw["distance_km"] < 5


def test_registration_gets_coordinates_for_a_city_and_country(offline: None) -> None:
    point = geocode_city("Şanlıurfa", "TR")

    assert point is not None
    assert point == pytest.approx((37.17, 38.79), abs=0.01)


def test_registration_gets_nothing_for_a_city_in_another_country(offline: None) -> None:
    assert geocode_city("Sanliurfa", "DE") is None
    assert geocode_city("  ", "TR") is None


def test_the_offline_geocoder_refuses_to_send_requests(geocoder: GazetteerGeocoder) -> None:
    with pytest.raises(GeocoderServiceError):
        geocoder.adapter.get_json("https://example.org", timeout=1, headers={})


def test_nominatim_can_be_chosen_and_identifies_itself_as_evac(offline: None) -> None:
    nominatim = get_geocoder("nominatim")

    assert isinstance(nominatim, Nominatim)
    assert nominatim.headers["User-Agent"] == "evac"


def test_an_unknown_geocoder_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="gazetteer"):
        get_geocoder("google")
