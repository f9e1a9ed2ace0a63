"""The offline airport catalogue that coordinators plan flights with."""

from __future__ import annotations

import pytest

from evac.geo.airports import (
    Airport,
    airports_in_country,
    all_airports,
    get_airport,
    nearest_airports,
)
from evac.geo.distance import geodesic_km

ISTANBUL = (41.0082, 28.9784)


@pytest.mark.parametrize("code", ["IST", "ist", " Ist "])
def test_an_airport_is_found_by_its_iata_code_in_any_case(code: str) -> None:
    airport = get_airport(code)

    assert airport is not None
    assert (airport.iata, airport.country, airport.tz) == ("IST", "TR", "Europe/Istanbul")


@pytest.mark.parametrize("code", ["QQQ", "IS", "ISTA", "12A", ""])
def test_an_unknown_or_malformed_code_finds_no_airport(code: str) -> None:
    assert get_airport(code) is None


def test_the_airports_of_a_country_are_all_in_that_country() -> None:
    turkish = airports_in_country("tr")

    assert {"IST", "SAW", "ESB", "AYT"} <= {a.iata for a in turkish}
    assert {a.country for a in turkish} == {"TR"}
    assert len(all_airports()) > len(turkish)


def test_the_nearest_airports_to_istanbul_include_both_city_airports() -> None:
    nearest = nearest_airports(*ISTANBUL, country="TR", limit=3)

    assert {"IST", "SAW"} <= {airport.iata for airport, _ in nearest}
    for airport, km in nearest:
        assert km == pytest.approx(geodesic_km(*ISTANBUL, airport.latitude, airport.longitude))
        assert 5 < km < 60


def test_nearest_airports_come_nearest_first() -> None:
    distances = [km for _, km in nearest_airports(*ISTANBUL, limit=10)]

    assert len(distances) == 10
    assert distances == sorted(distances)


def test_nearest_airports_are_nearest_by_exact_distance() -> None:
    nearest = nearest_airports(*ISTANBUL, country="TR", limit=5)
    by_geodesic = sorted(
        airports_in_country("TR"),
        key=lambda a: geodesic_km(*ISTANBUL, a.latitude, a.longitude),
    )

    assert [airport for airport, _ in nearest] == by_geodesic[:5]


def test_nearest_airports_leave_out_those_beyond_the_limit() -> None:
    nearest = nearest_airports(*ISTANBUL, country="TR", limit=10, max_km=32)

    assert [airport.iata for airport, _ in nearest] == ["ISL", "SAW"]


def test_a_country_without_airports_has_no_nearest_airport() -> None:
    assert nearest_airports(*ISTANBUL, country="ZZ") == []


def test_a_point_off_the_earth_is_refused() -> None:
    with pytest.raises(ValueError, match="Not a point"):
        nearest_airports(91.0, 0.0)


def test_airports_cannot_be_changed_by_callers() -> None:
    airport = get_airport("SAW")
    assert isinstance(airport, Airport)

    with pytest.raises(AttributeError):
        airport.name = "Elsewhere"  # type: ignore[misc]
