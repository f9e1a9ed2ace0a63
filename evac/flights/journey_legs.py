"""A household's journey as its passengers read it: every leg in travel order, with
the places' names, departure and arrival on each place's clocks, and the meeting
point in the reader's language. The boarding passes and the registrant's page
both draw it from here, so they never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from evac.flights.meeting_texts import Meeting, meeting_for
from evac.flights.models import Flight
from evac.flights.paxlst import TRANSPORT_MODE_CODES
from evac.flights.times import DepartureTimes, arrival_times, departure_times
from evac.lifecycle import journeys
from evac.places.service import ResolvedPlace, resolve_places
from evac.registration.models import Registration


def is_convoy(flight: Flight) -> bool:
    """Whether the leg goes by road or rail, so its manifest is a convoy list: every
    leg that no border authority takes a PAXLST for (one rule, in ``paxlst``)."""
    return str(flight.mode) not in TRANSPORT_MODE_CODES


@dataclass(frozen=True)
class JourneyLeg:
    """One leg as a passenger reads it."""

    number: int
    """1 for the first leg."""
    flight: Flight
    origin: ResolvedPlace | None
    destination: ResolvedPlace | None
    departure: DepartureTimes
    arrival: DepartureTimes | None
    meeting: Meeting | None

    @property
    def first(self) -> bool:
        return self.number == 1

    @property
    def mode(self) -> str:
        return str(self.flight.mode)


def journey_legs(
    legs: Sequence[Flight], places: dict[str, ResolvedPlace], language: str
) -> list[JourneyLeg]:
    """``legs`` (in travel order) as their passengers read them, in ``language``.
    Pure: ``places`` holds the resolved places by code."""
    found = []
    for number, leg in enumerate(legs, start=1):
        origin = places.get(leg.departure_airport)
        destination = places.get(leg.destination_airport)
        found.append(
            JourneyLeg(
                number=number,
                flight=leg,
                origin=origin,
                destination=destination,
                departure=departure_times(leg),
                arrival=arrival_times(leg),
                meeting=meeting_for(leg, language),
            )
        )
    return found


def read_journey(session: Session, legs: Sequence[Flight], language: str) -> list[JourneyLeg]:
    """``journey_legs`` with the places read from the database."""
    codes = {code for leg in legs for code in (leg.departure_airport, leg.destination_airport)}
    return journey_legs(legs, resolve_places(session, codes), language)


def journey_of(session: Session, case: Registration, language: str) -> list[JourneyLeg]:
    """The legs the household holds seats on, in travel order, read in ``language``."""
    return read_journey(session, journeys.legs_of(session, case.id), language)  # type: ignore[arg-type]
