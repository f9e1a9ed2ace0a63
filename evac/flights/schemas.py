"""Shapes of a flight coming in (API, form, CSV) and going out, with the rules it must meet.

One parser serves every way in: ``parse_flight`` turns a mapping of raw values
(strings from a form or a CSV row, JSON values from the API) into a
``FlightCreate`` or raises ``InvalidFields`` naming every field that is wrong,
each with a message a coordinator can act on. It is pure: no database, no
clock. The checks that need the database (a taken flight number, seats in
use) are in ``evac.flights.service``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from evac.errors import InvalidFields, Problem
from evac.flights.models import Flight, FlightKind, FlightStatus
from evac.geo.airports import get_airport, local_time
from evac.i18n import N_
from evac.validation import RowVersion, refuse_control_characters

MAX_SEATS = 1000
MAX_STRETCHERS = 50
MAX_MEETING_POINT = 500
# A 2-character IATA airline designator (letters, or a letter and a digit) or a
# 3-letter ICAO one, then 1 to 4 digits: TK6001, U21234, 4U9525, THY6001.
_FLIGHT_NUMBER = re.compile(r"(?:[A-Z]{2}|[A-Z][0-9]|[0-9][A-Z]|[A-Z]{3})[0-9]{1,4}")
_WHITESPACE = re.compile(r"\s+")


def _refuse(message: str) -> PydanticCustomError:
    return PydanticCustomError("flight", message)


def _text(value: Any, *, multi_line: bool = False) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _refuse(N_("Enter text here."))
    return refuse_control_characters(value, multi_line=multi_line).strip()


def _count(value: Any, empty: int | None, maximum: int, messages: tuple[str, str]) -> int:
    not_a_number, too_many = messages
    if value is None or isinstance(value, str):
        value = _text(value)
        if not value and empty is not None:
            return empty
        if not value.isdigit():
            raise _refuse(not_a_number)
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _refuse(not_a_number)
    if value > maximum:
        raise _refuse(too_many)
    return value


def parse_flight_number(value: Any) -> str:
    """``tk 6001`` → ``TK6001``."""
    number = _WHITESPACE.sub("", _text(value)).upper()
    if not _FLIGHT_NUMBER.fullmatch(number):
        raise _refuse(
            N_(
                "Enter a flight number like TK6001: a 2- or 3-character airline code, "
                "then 1 to 4 digits."
            )
        )
    return number


def parse_kind(value: Any) -> FlightKind:
    kind = _text(value).lower()
    if kind not in FlightKind.__members__:
        raise _refuse(N_("The kind of flight is regular or ambulance."))
    return FlightKind(kind)


def parse_airport(value: Any) -> str:
    code = _text(value).upper()
    if not code:
        raise _refuse(N_("Enter the airport's 3-letter IATA code, like IST."))
    if get_airport(code) is None:
        raise _refuse(N_("No airport has this IATA code; enter a 3-letter code like IST."))
    return code


def parse_departure_time(value: Any) -> datetime:
    """An ISO 8601 time with its UTC offset (or Z), returned in UTC."""
    if isinstance(value, datetime):
        moment = value
    else:
        text = _text(value)
        if not text:
            raise _refuse(N_("Enter the departure time, like 2026-03-21T14:30+01:00."))
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise _refuse(
                N_("Enter the departure time in ISO 8601, like 2026-03-21T14:30+01:00.")
            ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise _refuse(
            N_(
                "Add the UTC offset to the departure time, like 2026-03-21T14:30+01:00 "
                "or 2026-03-21T13:30Z: without it the time is ambiguous."
            )
        )
    return moment.astimezone(UTC)


def parse_seats(value: Any) -> int:
    messages = (
        N_("Enter the number of seats as a whole number, 0 or more."),
        N_("A flight has at most 1000 seats."),
    )
    return _count(value, None, MAX_SEATS, messages)


def parse_stretchers(value: Any) -> int:
    """Empty means none."""
    messages = (
        N_("Enter the number of stretchers as a whole number, 0 or more."),
        N_("A flight has at most 50 stretchers."),
    )
    return _count(value, 0, MAX_STRETCHERS, messages)


def parse_meeting_point(value: Any) -> str | None:
    text = _text(value, multi_line=True)
    if len(text) > MAX_MEETING_POINT:
        raise _refuse(N_("The meeting point is at most 500 characters."))
    return text or None


PARSERS: dict[str, Callable[[Any], Any]] = {
    "flight_number": parse_flight_number,
    "kind": parse_kind,
    "departure_airport": parse_airport,
    "destination_airport": parse_airport,
    "departure_time": parse_departure_time,
    "seats": parse_seats,
    "stretchers": parse_stretchers,
    "meeting_point": parse_meeting_point,
}
FLIGHT_FIELDS = tuple(PARSERS)


def try_parse(name: str, value: Any) -> Any | None:
    """The field's parsed value, or None if it is not valid."""
    try:
        return PARSERS[name](value)
    except PydanticCustomError:
        return None


class FlightFields(BaseModel):
    """The field checks shared by a new flight and a change to one (``PARSERS``)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator(*FLIGHT_FIELDS, mode="before", check_fields=False)
    @classmethod
    def _parse(cls, value: Any, info: ValidationInfo) -> Any:
        return PARSERS[info.field_name](value)  # type: ignore[index]


_TIME_HELP = "ISO 8601 with a UTC offset or Z, e.g. 2026-03-21T14:30+01:00"


class FlightCreate(FlightFields):
    """A new flight: what a coordinator types, an API client sends or a CSV row holds."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "flight_number": "TK6001",
                    "kind": "regular",
                    "departure_airport": "FRA",
                    "destination_airport": "IST",
                    "departure_time": "2099-01-15T10:00+01:00",
                    "seats": 180,
                    "stretchers": 0,
                    "meeting_point": "Terminal 1, hall B, at 07:00",
                }
            ]
        },
    )

    flight_number: str = Field(examples=["TK6001"], description="Airline code and 1-4 digits")
    kind: FlightKind = FlightKind.regular
    departure_airport: str = Field(examples=["FRA"], description="IATA code")
    destination_airport: str = Field(examples=["IST"], description="IATA code")
    departure_time: datetime = Field(description=_TIME_HELP)
    seats: int = Field(ge=0, le=MAX_SEATS)
    stretchers: int = Field(default=0, ge=0, le=MAX_STRETCHERS)
    meeting_point: str | None = Field(default=None, max_length=MAX_MEETING_POINT)


class FlightPatch(FlightFields):
    """Fields to change; only the fields sent are changed."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"row_version": 1, "seats": 189}]}
    )

    row_version: RowVersion = Field(description="The row_version you read; a stale one gives 409")
    flight_number: str | None = None
    kind: FlightKind | None = None
    departure_airport: str | None = None
    destination_airport: str | None = None
    departure_time: datetime | None = Field(default=None, description=_TIME_HELP)
    seats: int | None = None
    stretchers: int | None = None
    meeting_point: str | None = Field(default=None, max_length=MAX_MEETING_POINT)


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"row_version": 1}]})

    row_version: RowVersion | None = Field(default=None, description="Optional guard against races")


class FlightPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    flight_number: str
    kind: FlightKind
    status: FlightStatus
    departure_airport: str
    destination_airport: str
    country: str
    departure_time: datetime = Field(description="UTC")
    departure_time_local: datetime = Field(description="At the departure airport, with offset")
    departure_timezone: str = Field(description="IANA zone of the departure airport")
    departure_date: date = Field(description="Local date at the departure airport")
    seats: int
    seats_used: int
    stretchers: int
    stretchers_used: int
    meeting_point: str | None
    created_at: datetime
    updated_at: datetime
    row_version: int


@dataclass(frozen=True)
class DepartureTimes:
    """A departure on the clocks of the airport's city, and in UTC."""

    local: datetime
    utc: datetime
    zone: str

    @property
    def offset(self) -> str:
        text = self.local.strftime("%z")
        return f"UTC{text[:3]}:{text[3:]}"

    @property
    def local_text(self) -> str:
        return f"{self.local:%Y-%m-%d %H:%M} {self.local.tzname()} ({self.offset})"

    @property
    def utc_text(self) -> str:
        return f"{self.utc:%Y-%m-%d %H:%M} UTC"


def departure_times(flight: Flight) -> DepartureTimes:
    airport = get_airport(flight.departure_airport)
    return DepartureTimes(
        local=local_time(flight.departure_airport, flight.departure_time),
        utc=flight.departure_time.astimezone(UTC),
        zone=(airport.tz if airport else "") or "UTC",
    )


class FlightList(BaseModel):
    items: list[FlightPublic]
    total: int
    page: int
    pages: int


def _cross_field_problems(values: dict[str, Any]) -> list[Problem]:
    """The rules between fields, checked among the fields that are valid on their own."""
    problems: list[Problem] = []
    departure, destination = values.get("departure_airport"), values.get("destination_airport")
    if departure and departure == destination:
        message = N_("The destination must be another airport than the departure.")
        problems.append(Problem(("destination_airport",), message))
    kind, stretchers = values.get("kind"), values.get("stretchers")
    if kind is FlightKind.regular and stretchers:
        message = N_("A regular flight carries no stretchers: enter 0, or make it an ambulance.")
        problems.append(Problem(("stretchers",), message))
    if kind is FlightKind.ambulance and stretchers == 0:
        problems.append(
            Problem(("stretchers",), N_("An ambulance flight needs at least 1 stretcher."))
        )
    return problems


def parse_flight(raw: Mapping[str, Any]) -> FlightCreate:
    """A valid new flight from raw values, or ``InvalidFields`` with every problem.

    A missing field is parsed as an empty one, so it gets the same message.
    """
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, parser in PARSERS.items():
        try:
            values[name] = parser(raw.get(name))
        except PydanticCustomError as refused:
            problems.append(Problem((name,), refused.message()))
    problems += _cross_field_problems(values)
    if problems:
        raise InvalidFields(problems)
    return FlightCreate.model_validate(values)
