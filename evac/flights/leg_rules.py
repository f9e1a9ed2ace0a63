"""The rules between a leg's fields: its mode and kind agree, a flight flies between
airports under an airline's number, stretchers fit the mode, arrival follows
departure. Pure; ``schemas.parse_flight`` applies them to the fields that are
valid on their own.
"""

from __future__ import annotations

import re
from typing import Any

from evac.errors import Problem
from evac.flights.models import AIR_MODES, LegMode, kind_for_mode, mode_for_kind
from evac.i18n import N_

# A 2-character IATA airline designator (letters, or a letter and a digit) or a
# 3-letter ICAO one, then 1 to 4 digits: TK6001, U21234, 4U9525, THY6001.
_FLIGHT_NUMBER = re.compile(r"(?:[A-Z]{2}|[A-Z][0-9]|[0-9][A-Z]|[A-Z]{3})[0-9]{1,4}")
IATA_CODE = re.compile(r"[A-Z]{3}")
_AIRLINE_NUMBER = N_(
    "Enter a flight number like TK6001: a 2- or 3-character airline code, then 1 to 4 digits."
)


def _mode_problems(values: dict[str, Any]) -> list[Problem]:
    """Settle the mode from ``mode`` and ``kind``, which must not disagree; set the kind."""
    mode, kind = values.get("mode"), values.get("kind")
    if mode is None and kind is None and "mode" in values and "kind" in values:
        mode = LegMode.flight  # neither given: a flight, as before legs
    elif mode is None and kind is not None:
        mode = mode_for_kind(kind)
    if mode is not None and kind is not None and kind_for_mode(mode) is not kind:
        message = N_(
            "The kind %(kind)s does not match the mode %(mode)s: send the mode only, "
            "the kind follows from it."
        )
        return [Problem(("kind",), message, {"kind": kind.value, "mode": mode.value})]
    values["mode"] = mode
    values["kind"] = kind_for_mode(mode) if mode is not None else None
    return []


def _air_problems(values: dict[str, Any]) -> list[Problem]:
    """A flight goes from an airport to an airport, under an airline's flight number."""
    problems = []
    number = values.get("flight_number")
    if number and not _FLIGHT_NUMBER.fullmatch(number):
        problems.append(Problem(("flight_number",), _AIRLINE_NUMBER))
    for name in ("departure_airport", "destination_airport"):
        code = values.get(name)
        if code and not IATA_CODE.fullmatch(code):
            message = N_("A flight leaves from and lands at airports: enter an IATA code like IST.")
            problems.append(Problem((name,), message))
    return problems


def _capacity_problems(mode: LegMode | None, stretchers: int | None) -> list[Problem]:
    if mode is LegMode.flight and stretchers:
        message = N_("A regular flight carries no stretchers: enter 0, or make it an ambulance.")
        return [Problem(("stretchers",), message)]
    if mode is LegMode.ambulance_flight and stretchers == 0:
        return [Problem(("stretchers",), N_("An ambulance flight needs at least 1 stretcher."))]
    return []


def cross_field_problems(values: dict[str, Any]) -> list[Problem]:
    """The rules between fields, checked among the fields that are valid on their own."""
    problems = _mode_problems(values)
    mode = values.get("mode")
    departure, destination = values.get("departure_airport"), values.get("destination_airport")
    if departure and departure == destination:
        message = (
            N_("The destination must be another airport than the departure.")
            if mode in AIR_MODES
            else N_("The destination must be another place than the departure.")
        )
        problems.append(Problem(("destination_airport",), message))
    if mode in AIR_MODES:
        problems += _air_problems(values)
    problems += _capacity_problems(mode, values.get("stretchers"))
    leaves, arrives = values.get("departure_time"), values.get("arrival_time")
    if leaves and arrives and arrives <= leaves:
        message = N_("The arrival must be after the departure.")
        problems.append(Problem(("arrival_time",), message))
    return problems
