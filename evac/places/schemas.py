"""Shapes of a place coming in (form, API, CSV) and going out, with the rules it must meet.

One parser serves every way in: ``parse_place`` turns a mapping of raw values
(strings from a form or a CSV row, JSON values from the API) into a
``PlaceCreate`` or raises ``InvalidFields`` naming every field that is wrong.
It is pure: no database, no clock (airportsdata is offline data).

An airport row names an IATA code that airportsdata knows; its name, country
and coordinates may be left empty and are then airportsdata's. Any other place
has a code of 4 to 12 characters (A-Z, 0-9, '-'; never a 3-letter IATA code), a
name, a country and coordinates.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from evac.errors import InvalidFields, Problem
from evac.geo.airports import get_airport
from evac.geo.countries import is_country_code
from evac.i18n import N_
from evac.places.models import PlaceKind
from evac.validation import RowVersion, refuse_control_characters

MAX_NAME = 200
MAX_REACH_KM = 2000.0
IATA_CODE = re.compile(r"[A-Z]{3}")
# 4 to 12 of A-Z, 0-9 and '-', starting and ending with a letter or digit: KRT-1, MEDYKA.
PLACE_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{2,10}[A-Z0-9]")


def _refuse(message: str) -> PydanticCustomError:
    return PydanticCustomError("place", message)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _refuse(N_("Enter text here."))
    return refuse_control_characters(value).strip()


def parse_code(value: Any) -> str:
    """An airport's IATA code (known to airportsdata) or a place code, upper-cased."""
    code = _text(value).upper()
    if IATA_CODE.fullmatch(code):
        if get_airport(code) is None:
            raise _refuse(N_("No airport has this IATA code; enter a 3-letter code like IST."))
        return code
    if not PLACE_CODE.fullmatch(code):
        raise _refuse(
            N_(
                "Enter an airport's 3-letter IATA code, or for any other place a code of "
                "4 to 12 letters, digits and '-', like KRT-1 or PZU-PORT."
            )
        )
    return code


def parse_kind(value: Any) -> PlaceKind:
    kind = _text(value).lower()
    if kind not in PlaceKind.__members__:
        raise _refuse(
            N_(
                "The kind of place is airport, assembly_point, seaport, border_crossing "
                "or rail_station."
            )
        )
    return PlaceKind(kind)


def parse_name(value: Any) -> str:
    name = _text(value)
    if len(name) > MAX_NAME:
        raise _refuse(N_("The name is at most 200 characters."))
    return name


def parse_country(value: Any) -> str | None:
    code = _text(value).upper()
    if not code:
        return None
    if not is_country_code(code):
        raise _refuse(N_("Enter the country's 2-letter ISO code, like SD or PL."))
    return code


def _number(value: Any, message: str) -> float | None:
    if isinstance(value, str) or value is None:
        text = _text(value).replace(",", ".")
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            raise _refuse(message) from None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _refuse(message)
    return float(value)


def parse_latitude(value: Any) -> float | None:
    message = N_("Enter the latitude in decimal degrees, from -90 to 90, like 19.6158.")
    number = _number(value, message)
    if number is not None and not -90 <= number <= 90:
        raise _refuse(message)
    return number


def parse_longitude(value: Any) -> float | None:
    message = N_("Enter the longitude in decimal degrees, from -180 to 180, like 37.2164.")
    number = _number(value, message)
    if number is not None and not -180 <= number <= 180:
        raise _refuse(message)
    return number


def parse_reach_km(value: Any) -> float | None:
    """Empty means the default reach for the kind of place."""
    message = N_(
        "Enter how far people may travel to board here in km, more than 0 and at most 2000, "
        "or leave it empty for the default."
    )
    number = _number(value, message)
    if number is not None and not 0 < number <= MAX_REACH_KM:
        raise _refuse(message)
    return number


PARSERS: dict[str, Callable[[Any], Any]] = {
    "code": parse_code,
    "kind": parse_kind,
    "name": parse_name,
    "country": parse_country,
    "latitude": parse_latitude,
    "longitude": parse_longitude,
    "reach_km": parse_reach_km,
}
PLACE_FIELDS = tuple(PARSERS)


class PlaceCreate(BaseModel):
    """A new place: what a coordinator types, an API client sends or a CSV row holds."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "code": "PZU-PORT",
                    "kind": "seaport",
                    "name": "Port Sudan, South Quay",
                    "country": "SD",
                    "latitude": 19.6158,
                    "longitude": 37.2164,
                    "reach_km": 30,
                }
            ]
        },
    )

    code: str = Field(max_length=12, description="IATA code for an airport, else 4-12 A-Z0-9-")
    kind: PlaceKind
    name: str = Field(default="", max_length=MAX_NAME, description="Empty for an airport")
    country: str | None = Field(default=None, description="ISO alpha-2; empty for an airport")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    reach_km: float | None = Field(
        default=None, gt=0, le=MAX_REACH_KM, description="Empty: the default for the kind"
    )


class PlacePatch(BaseModel):
    """Fields to change (the code stays); only the fields sent are changed."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"row_version": 1, "reach_km": 80}]}
    )

    row_version: RowVersion = Field(description="The row_version you read; a stale one gives 409")
    kind: PlaceKind | None = None
    name: str | None = Field(default=None, max_length=MAX_NAME)
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    reach_km: float | None = None


class PlacePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    kind: PlaceKind
    name: str
    country: str
    latitude: float | None = Field(description="Empty for an airport: see resolved_latitude")
    longitude: float | None
    resolved_latitude: float
    resolved_longitude: float
    reach_km: float | None = Field(description="As recorded; empty means the default")
    effective_reach_km: float = Field(description="The reach the planner uses")
    created_at: datetime
    updated_at: datetime
    row_version: int


class PlaceList(BaseModel):
    items: list[PlacePublic]
    total: int
    page: int
    pages: int


def _airport_problems(values: dict[str, Any]) -> list[Problem]:
    """An airport row: its name and country default to airportsdata's, which they must match."""
    code = values.get("code")
    if not code:
        return []
    airport = get_airport(code) if IATA_CODE.fullmatch(code) else None
    if airport is None:
        message = N_("An airport is recorded under its 3-letter IATA code, like IST.")
        return [Problem(("code",), message)]
    if "country" in values and values["country"] not in (None, airport.country):
        message = N_("%(code)s is in %(country)s: leave the country empty or enter %(country)s.")
        return [Problem(("country",), message, {"code": code, "country": airport.country})]
    values["name"] = values.get("name") or airport.name[:MAX_NAME]
    values["country"] = airport.country
    return []


def _other_place_problems(values: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    code = values.get("code")
    if code and IATA_CODE.fullmatch(code):
        message = N_(
            "A 3-letter code is an airport's: choose the kind airport, or give this place "
            "a code of 4 to 12 characters, like KRT-1."
        )
        problems.append(Problem(("code",), message))
    required = {
        "name": N_("Enter the place's name."),
        "country": N_("Enter the country's 2-letter ISO code, like SD or PL."),
        "latitude": N_("Enter the latitude: only an airport's position is known without it."),
        "longitude": N_("Enter the longitude: only an airport's position is known without it."),
    }
    for name, message in required.items():
        if name in values and values[name] in (None, ""):
            problems.append(Problem((name,), message))
    return problems


def parse_place(raw: Mapping[str, Any]) -> PlaceCreate:
    """A valid place from raw values, or ``InvalidFields`` with every problem."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, parser in PARSERS.items():
        try:
            values[name] = parser(raw.get(name))
        except PydanticCustomError as refused:
            problems.append(Problem((name,), refused.message()))
    kind = values.get("kind")
    if kind is PlaceKind.airport:
        problems += _airport_problems(values)
    elif kind is not None:
        problems += _other_place_problems(values)
    if problems:
        raise InvalidFields(sorted(problems, key=lambda p: PLACE_FIELDS.index(p.field_name)))
    return PlaceCreate.model_validate(values)
