"""Every way a place can be wrong gets a message; the planner reads places as plain data."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from evac.errors import InvalidFields
from evac.places.models import PlaceKind
from evac.places.schemas import parse_place
from evac.places.service import effective_reach_km, resolve_place, resolve_places
from evac.settings import Settings
from tests.places.conftest import make_place, place_fields


def problems(**overrides: object) -> dict[str, str]:
    with pytest.raises(InvalidFields) as refused:
        parse_place(place_fields(**overrides))
    return refused.value.by_field()


def test_a_valid_place_is_normalized() -> None:
    place = parse_place(place_fields(code=" pzu-port ", country="sd", latitude="19,6158"))
    assert (place.code, place.country, place.latitude) == ("PZU-PORT", "SD", 19.6158)
    assert place.kind is PlaceKind.seaport and place.reach_km is None


@pytest.mark.parametrize("code", ["KRT-1", "PZU-PORT", "MEDYKA", "A1B2", "ABCDEFGHIJKL"])
def test_place_codes_of_4_to_12_characters_are_accepted(code: str) -> None:
    assert parse_place(place_fields(code=code)).code == code


@pytest.mark.parametrize("code", ["", "AB", "-KRT", "KRT-", "KRT 1", "ABCDEFGHIJKLM", "KRT_1"])
def test_a_malformed_code_is_refused(code: str) -> None:
    assert "like KRT-1 or PZU-PORT" in problems(code=code)["code"]


def test_a_place_that_is_not_an_airport_never_takes_an_iata_code() -> None:
    assert problems(code="KRT")["code"].startswith("A 3-letter code is an airport's")


def test_every_missing_field_of_a_place_is_named() -> None:
    found = problems(name="", country="", latitude="", longitude="")
    assert set(found) == {"name", "country", "latitude", "longitude"}


@pytest.mark.parametrize(
    ("field", "value", "start"),
    [
        ("country", "XX", "Enter the country's 2-letter ISO code"),
        ("latitude", "91", "Enter the latitude in decimal degrees"),
        ("longitude", "-181", "Enter the longitude in decimal degrees"),
        ("longitude", "east", "Enter the longitude in decimal degrees"),
        ("reach_km", "0", "Enter how far people may travel"),
        ("reach_km", "2001", "Enter how far people may travel"),
        ("kind", "harbour", "The kind of place is airport, assembly_point"),
    ],
)
def test_out_of_bounds_values_are_refused(field: str, value: str, start: str) -> None:
    assert problems(**{field: value})[field].startswith(start)


def test_an_airport_row_takes_its_name_and_country_from_the_airport_list() -> None:
    place = parse_place({"code": "krt", "kind": "airport", "reach_km": "300"})
    assert (place.code, place.country, place.reach_km) == ("KRT", "SD", 300.0)
    assert "Khartoum" in place.name and place.latitude is None


def test_an_airport_row_needs_a_known_iata_code_in_its_own_country() -> None:
    assert "No airport has this IATA code" in problems(code="QQQ", kind="airport")["code"]
    assert problems(code="KRT-1", kind="airport")["code"].startswith("An airport is recorded")
    assert problems(code="IST", kind="airport", country="DE")["country"].startswith("IST is in TR")


def test_the_reach_defaults_by_kind() -> None:
    settings = Settings(max_airport_distance_km=700, local_reach_km=40)
    seaport = parse_place(place_fields())
    airport = parse_place({"code": "KRT", "kind": "airport"})
    assert effective_reach_km(seaport, settings) == 40  # type: ignore[arg-type]
    assert effective_reach_km(airport, settings) == 700  # type: ignore[arg-type]
    assert effective_reach_km(parse_place(place_fields(reach_km="12.5")), settings) == 12.5  # type: ignore[arg-type]


def test_the_planner_resolves_recorded_places_and_any_airport(session: Session) -> None:
    make_place(session, reach_km="30")
    make_place(session, code="KRT", kind="airport", name="", country="", latitude="",
               longitude="", reach_km="250")  # fmt: skip
    seaport = resolve_place(session, "pzu-port")
    assert seaport is not None and seaport.kind is PlaceKind.seaport
    assert (seaport.country, seaport.latitude, seaport.reach_km) == ("SD", 19.6158, 30)
    assert seaport.tz == "Africa/Khartoum"  # from the nearest airport in Sudan
    khartoum = resolve_place(session, "KRT")
    assert khartoum is not None and khartoum.reach_km == 250 and khartoum.latitude > 15
    istanbul = resolve_place(session, "IST")
    assert istanbul is not None and istanbul.reach_km is None and istanbul.tz == "Europe/Istanbul"
    assert resolve_place(session, "NOPE-1") is None and resolve_place(session, "QQQ") is None
    assert set(resolve_places(session, ["IST", "PZU-PORT", "NOPE-1"])) == {"IST", "PZU-PORT"}
