"""Shapes of a flight or any other leg coming in (API, form, CSV) and going out, with
the rules it must meet.

One parser serves every way in: ``parse_flight`` turns a mapping of raw values
(strings from a form or a CSV row, JSON values from the API) into a
``FlightCreate`` or raises ``InvalidFields`` naming every field that is wrong,
each with a message a coordinator can act on. It is pure: no database, no
clock. The checks that need the database (a taken flight number, seats in
use, a place code nobody recorded) are in ``evac.flights.service``.

A leg's ``mode`` says its vehicle; ``kind`` is still accepted from older
clients and the flights CSV, and is derived from the mode
(``models.kind_for_mode``). A 3-letter code is an airport airportsdata must
know; a longer one names a place (``evac.places``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from evac.errors import InvalidFields, Problem
from evac.flights.leg_rules import IATA_CODE, cross_field_problems
from evac.flights.models import FlightKind, FlightStatus, LegMode
from evac.geo.airports import get_airport
from evac.i18n import N_
from evac.validation import RowVersion, refuse_control_characters

MAX_SEATS = 1000
MAX_STRETCHERS = 50
MAX_MEETING_POINT = 500
# Any other leg's number: 2 to 10 of A-Z, 0-9 and '-' (BUS-12, SHIP1).
_LEG_NUMBER = re.compile(r"[A-Z0-9][A-Z0-9-]{1,9}")
_PLACE_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{2,10}[A-Z0-9]")
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
    """``tk 6001`` → ``TK6001``; a flight's airline rule is checked with its mode."""
    number = _WHITESPACE.sub("", _text(value)).upper()
    if not _LEG_NUMBER.fullmatch(number):
        raise _refuse(
            N_(
                "Enter the number: for a flight an airline code and 1 to 4 digits, like TK6001; "
                "for a bus, ship or train 2 to 10 letters, digits and '-', like BUS-12."
            )
        )
    return number


def parse_kind(value: Any) -> FlightKind | None:
    """Empty: the mode says it."""
    kind = _text(value).lower()
    if not kind:
        return None
    if kind not in FlightKind.__members__:
        raise _refuse(N_("The kind of flight is regular or ambulance."))
    return FlightKind(kind)


def parse_mode(value: Any) -> LegMode | None:
    """Empty: the kind says it (a flight, or an ambulance flight)."""
    mode = _text(value).lower()
    if not mode:
        return None
    if mode not in LegMode.__members__:
        raise _refuse(N_("The mode is flight, ambulance_flight, bus, ship or train."))
    return LegMode(mode)


def parse_airport(value: Any) -> str:
    """An airport's IATA code (known to airportsdata), or a place's code."""
    code = _text(value).upper()
    if not code:
        raise _refuse(
            N_("Enter an airport's 3-letter IATA code, like IST, or a place's code, like PZU-PORT.")
        )
    if IATA_CODE.fullmatch(code):
        if get_airport(code) is None:
            raise _refuse(N_("No airport has this IATA code; enter a 3-letter code like IST."))
        return code
    if not _PLACE_CODE.fullmatch(code):
        raise _refuse(
            N_(
                "Enter an airport's 3-letter IATA code, like IST, or a place's code of 4 to 12 "
                "letters, digits and '-', like PZU-PORT."
            )
        )
    return code


_NO_OFFSET = N_(
    "Add the UTC offset to the departure time, like 2026-03-21T14:30+01:00 "
    "or 2026-03-21T13:30Z: without it the time is ambiguous."
)
_NO_ARRIVAL_OFFSET = N_(
    "Add the UTC offset to the arrival time, like 2026-03-21T18:30+03:00 "
    "or 2026-03-21T15:30Z: without it the time is ambiguous."
)


def _moment(value: Any, not_iso: str, no_offset: str) -> datetime | None:
    """An ISO 8601 time with its UTC offset (or Z), in UTC; None when empty."""
    if isinstance(value, datetime):
        moment = value
    else:
        text = _text(value)
        if not text:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise _refuse(not_iso) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise _refuse(no_offset)
    return moment.astimezone(UTC)


def parse_departure_time(value: Any) -> datetime:
    """An ISO 8601 time with its UTC offset (or Z), returned in UTC."""
    not_iso = N_("Enter the departure time in ISO 8601, like 2026-03-21T14:30+01:00.")
    moment = _moment(value, not_iso, _NO_OFFSET)
    if moment is None:
        raise _refuse(N_("Enter the departure time, like 2026-03-21T14:30+01:00."))
    return moment


def parse_arrival_time(value: Any) -> datetime | None:
    """Like the departure, but may be empty (not known yet)."""
    not_iso = N_("Enter the arrival time in ISO 8601, like 2026-03-21T18:30+03:00.")
    return _moment(value, not_iso, _NO_ARRIVAL_OFFSET)


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
    "mode": parse_mode,
    "kind": parse_kind,
    "departure_airport": parse_airport,
    "destination_airport": parse_airport,
    "departure_time": parse_departure_time,
    "arrival_time": parse_arrival_time,
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
_PLACE_HELP = "An airport's IATA code, or a place's code (a flight: airports only)"


class FlightCreate(FlightFields):
    """A new flight: what a coordinator types, an API client sends or a CSV row holds."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "flight_number": "TK6001",
                    "mode": "flight",
                    "departure_airport": "FRA",
                    "destination_airport": "IST",
                    "departure_time": "2099-01-15T10:00+01:00",
                    "arrival_time": "2099-01-15T14:00+03:00",
                    "seats": 180,
                    "stretchers": 0,
                    "meeting_point": "Terminal 1, hall B, at 07:00",
                }
            ]
        },
    )

    flight_number: str = Field(
        examples=["TK6001"],
        description="A flight: airline code and 1-4 digits; any other leg: 2-10 A-Z0-9-",
    )
    mode: LegMode | None = Field(default=None, description="Empty: from kind (else flight)")
    kind: FlightKind | None = Field(default=None, description="Derived from mode when sent")
    departure_airport: str = Field(examples=["FRA"], description=_PLACE_HELP)
    destination_airport: str = Field(examples=["IST"], description=_PLACE_HELP)
    departure_time: datetime = Field(description=_TIME_HELP)
    arrival_time: datetime | None = Field(default=None, description=_TIME_HELP + "; optional")
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
    mode: LegMode | None = None
    kind: FlightKind | None = None
    departure_airport: str | None = None
    destination_airport: str | None = None
    departure_time: datetime | None = Field(default=None, description=_TIME_HELP)
    arrival_time: datetime | None = Field(default=None, description=_TIME_HELP)
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
    mode: LegMode
    kind: FlightKind = Field(description="Derived from mode")
    status: FlightStatus
    departure_airport: str = Field(description="IATA code or place code")
    destination_airport: str = Field(description="IATA code or place code")
    country: str = Field(description="Of the departure place")
    departure_time: datetime = Field(description="UTC")
    departure_time_local: datetime = Field(description="At the departure place, with offset")
    departure_timezone: str = Field(description="IANA zone of the departure place")
    departure_date: date = Field(description="Local date at the departure place")
    arrival_time: datetime | None = Field(description="UTC; empty when not known")
    arrival_time_local: datetime | None = Field(description="At the arrival place, with offset")
    arrival_timezone: str | None = Field(description="IANA zone of the arrival place")
    seats: int
    seats_used: int
    stretchers: int
    stretchers_used: int
    meeting_point: str | None
    created_at: datetime
    updated_at: datetime
    row_version: int


class FlightList(BaseModel):
    items: list[FlightPublic]
    total: int
    page: int
    pages: int


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
    problems += cross_field_problems(values)
    if problems:
        raise InvalidFields(sorted(problems, key=lambda p: FLIGHT_FIELDS.index(p.field_name)))
    return FlightCreate.model_validate(values)
