"""What a coordinator types in the flight form, made into what ``parse_flight`` reads.

The form takes airports by name, city or code (or a recorded place by its
code), the departure as a date and time on the departure place's clocks and
the arrival on the arrival place's (a date-time picker sends
``2026-03-21T14:30``). Here they become what every way in shares: codes and
ISO 8601 times with their UTC offset. A time typed with its offset is kept as
it is. Pure: no database, no clock; the places recorded in the database come
in as ``zones`` (code → IANA time zone).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from evac.errors import Problem
from evac.geo.airport_search import resolve_airport
from evac.geo.airports import Airport, get_airport
from evac.i18n import N_

AIRPORT_FIELDS = ("departure_airport", "destination_airport")
# Each time field, and the field of the place on whose clocks it is typed.
TIME_FIELDS = {"departure_time": "departure_airport", "arrival_time": "destination_airport"}


@dataclass
class FormReading:
    values: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    suggestions: dict[str, list[Airport]] = field(default_factory=dict)


def _airport(reading: FormReading, name: str, zones: Mapping[str, str]) -> None:
    text = reading.values.get(name, "").strip()
    if not text:
        return  # parse_flight asks for it
    if text.upper() in zones:
        reading.values[name] = text.upper()
        return
    airport, candidates = resolve_airport(text)
    if airport is not None:
        reading.values[name] = airport.iata
    elif candidates:
        message = N_("Several airports match “%(text)s”: choose one below, or enter its code.")
        reading.problems.append(Problem((name,), message, {"text": text}))
        reading.suggestions[name] = candidates
    else:
        message = N_(
            "No airport has this name, city or code: enter its IATA code like IST, "
            "or its ICAO code like LTFM."
        )
        reading.problems.append(Problem((name,), message))


def local_to_utc(
    moment: datetime, zone: str, field: str = "departure_time"
) -> tuple[datetime | None, Problem | None]:
    """A time without offset, on the clocks of ``zone``, in UTC; or why it cannot be.

    When the clocks go forward an hour does not exist; when they go back an hour
    happens twice: neither is guessed.
    """
    tz = ZoneInfo(zone or "UTC")
    first, second = moment.replace(tzinfo=tz, fold=0), moment.replace(tzinfo=tz, fold=1)
    when = f"{moment:%Y-%m-%d %H:%M}"
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != moment:
        message = N_(
            "%(time)s does not exist there: the clocks go forward at that hour. "
            "Enter the time as the clocks will show it."
        )
        return None, Problem((field,), message, {"time": when})
    if first.utcoffset() != second.utcoffset():
        message = N_(
            "%(time)s happens twice there, as the clocks go back: add the UTC offset, "
            "like %(first)s or %(second)s."
        )
        params = {
            "time": when,
            "first": first.isoformat(timespec="minutes"),
            "second": second.isoformat(timespec="minutes"),
        }
        return None, Problem((field,), message, params)
    return first.astimezone(UTC), None


def _zone(code: str, zones: Mapping[str, str]) -> str | None:
    if code.upper() in zones:
        return zones[code.upper()]
    airport = get_airport(code)
    return (airport.tz or "UTC") if airport else None


_NOT_A_TIME = {
    "departure_time": N_(
        "Enter the departure date and time, like 2026-03-21T14:30 "
        "(on the departure airport's clocks)."
    ),
    "arrival_time": N_(
        "Enter the arrival date and time, like 2026-03-21T18:30 (on the arrival place's clocks)."
    ),
}
_NO_PLACE = {
    "departure_time": N_("Choose the departure airport first: the time is read on its clocks."),
    "arrival_time": N_("Choose the destination first: the arrival time is read on its clocks."),
}


def _local_time(reading: FormReading, field: str, zones: Mapping[str, str]) -> None:
    text = reading.values.get(field, "").strip()
    if not text:
        return  # parse_flight asks for it (a departure) or takes none (an arrival)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        reading.problems.append(Problem((field,), _NOT_A_TIME[field]))
        return
    if moment.tzinfo is not None:
        return  # ISO 8601 with its offset: parse_flight reads it
    zone = _zone(reading.values.get(TIME_FIELDS[field], ""), zones)
    if zone is None:
        reading.problems.append(Problem((field,), _NO_PLACE[field]))
        return
    utc, problem = local_to_utc(moment, zone, field)
    if problem is not None:
        reading.problems.append(problem)
    else:
        reading.values[field] = utc.astimezone(ZoneInfo(zone)).isoformat()  # type: ignore[union-attr]


def read_flight_form(
    form: Mapping[str, str], zones: Mapping[str, str] | None = None
) -> FormReading:
    """Places as codes and the times with their offsets, or the problems.

    ``zones``: the recorded places' codes (upper case) and time zones.
    """
    zones = zones or {}
    reading = FormReading(dict(form))
    for name in AIRPORT_FIELDS:
        _airport(reading, name, zones)
    for field_name in TIME_FIELDS:
        _local_time(reading, field_name, zones)
    return reading


def picker_value(
    values: Mapping[str, str], field: str = "departure_time", zones: Mapping[str, str] | None = None
) -> str:
    """A time as the date-time picker shows it: on the place's clocks, no offset."""
    text = values.get(field, "")
    zone = _zone(values.get(TIME_FIELDS[field], ""), zones or {})
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is not None and zone is not None:
        moment = moment.astimezone(ZoneInfo(zone))
    return f"{moment:%Y-%m-%dT%H:%M}"
