"""Numbers, days and times as the reader's locale writes them (Babel's CLDR data).

``1975`` is "1,975" in English, "1.975" in Turkish, "1 975" in French; a day is
"2 Mar 2099", "2 mars 2099", "02/03/2099" in Arabic. Times are either UTC, said
so, or a place's local time with its zone named ("09:30 (Greece Time)").

In templates: ``value | number``, ``value | day``, ``value | utc_time`` and
``value | zoned_time`` for a datetime already in its zone (a leg's times are put
on its places' clocks by ``evac.flights.times``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo

from babel.dates import format_date, format_time, get_timezone_location
from babel.numbers import format_decimal


def _aware(value: datetime) -> datetime:
    """SQLite hands datetimes back naive; evac stores UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def number(value: int | float | None, language: str) -> str:
    if value is None:
        return "—"
    return format_decimal(value, locale=language)


def day(value: date | datetime | None, language: str) -> str:
    if value is None:
        return "—"
    return format_date(value, "medium", locale=language)


def _day_and_time(value: datetime, zone: tzinfo, language: str) -> str:
    moment = _aware(value).astimezone(zone)
    return (
        f"{format_date(moment, 'medium', locale=language)} "
        f"{format_time(moment, 'short', tzinfo=zone, locale=language)}"
    )


def utc_time(value: datetime | None, language: str) -> str:
    """A moment in UTC, said so: "2 Mar 2099 07:30 UTC"."""
    if value is None:
        return "—"
    return f"{_day_and_time(value, UTC, language)} UTC"


def zoned_time(value: datetime | None, language: str) -> str:
    """A moment on its own zone's clocks, the zone named:
    "2 Mar 2099 09:30 (Greece Time, UTC+02:00)"."""
    if value is None:
        return "—"
    zone = _aware(value).tzinfo or UTC
    if zone is UTC:
        return utc_time(value, language)
    moment = _aware(value)
    where = get_timezone_location(zone, locale=language)
    return f"{_day_and_time(moment, zone, language)} ({where}, {_offset(moment)})"


def _offset(moment: datetime) -> str:
    """``UTC+01:00``: the same in every language, as flight crews write it."""
    minutes = int((moment.utcoffset() or timedelta(0)).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"
