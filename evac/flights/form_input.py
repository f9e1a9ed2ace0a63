"""What a coordinator types in the flight form, made into what ``parse_flight`` reads.

The form takes airports by name, city or code, and the departure as a date and
time on the departure airport's clocks (a date-time picker sends
``2026-03-21T14:30``). Here both become what every way in shares: IATA codes
and an ISO 8601 time with its UTC offset. A time typed with its offset is kept
as it is. Pure: no database, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from evac.errors import Problem
from evac.geo.airport_search import resolve_airport
from evac.geo.airports import Airport, get_airport, local_time
from evac.i18n import N_

AIRPORT_FIELDS = ("departure_airport", "destination_airport")


@dataclass
class FormReading:
    values: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    suggestions: dict[str, list[Airport]] = field(default_factory=dict)


def _airport(reading: FormReading, name: str) -> None:
    text = reading.values.get(name, "").strip()
    if not text:
        return  # parse_flight asks for it
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


def local_to_utc(moment: datetime, zone: str) -> tuple[datetime | None, Problem | None]:
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
        return None, Problem(("departure_time",), message, {"time": when})
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
        return None, Problem(("departure_time",), message, params)
    return first.astimezone(UTC), None


def _departure_time(reading: FormReading) -> None:
    text = reading.values.get("departure_time", "").strip()
    if not text:
        return  # parse_flight asks for it
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        message = N_(
            "Enter the departure date and time, like 2026-03-21T14:30 "
            "(on the departure airport's clocks)."
        )
        reading.problems.append(Problem(("departure_time",), message))
        return
    if moment.tzinfo is not None:
        return  # ISO 8601 with its offset: parse_flight reads it
    airport = get_airport(reading.values.get("departure_airport", ""))
    if airport is None:
        message = N_("Choose the departure airport first: the time is read on its clocks.")
        reading.problems.append(Problem(("departure_time",), message))
        return
    utc, problem = local_to_utc(moment, airport.tz)
    if problem is not None:
        reading.problems.append(problem)
    else:
        reading.values["departure_time"] = local_time(airport.iata, utc).isoformat()  # type: ignore[arg-type]


def read_flight_form(form: Mapping[str, str]) -> FormReading:
    """Airports as IATA codes and the departure with its offset, or the problems."""
    reading = FormReading(dict(form))
    for name in AIRPORT_FIELDS:
        _airport(reading, name)
    _departure_time(reading)
    return reading


def picker_value(values: Mapping[str, str]) -> str:
    """The departure as the date-time picker shows it: on the airport's clocks, no offset."""
    text = values.get("departure_time", "")
    airport = get_airport(values.get("departure_airport", ""))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is not None and airport is not None:
        moment = local_time(airport.iata, moment)
    return f"{moment:%Y-%m-%dT%H:%M}"
